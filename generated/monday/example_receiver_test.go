package monday_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/asyncgen/asyncgen/generated/monday"
)

// lifecycle handles the two events an app needs to provision and clean
// up; NopHandler acknowledges the other ten.
type lifecycle struct {
	monday.NopHandler
}

func (lifecycle) HandleInstall(ctx context.Context, v *monday.InstallPayload) error {
	claims, _ := monday.ClaimsFromContext(ctx)
	fmt.Printf("install of %s by account %d (verified token: %t)\n", v.Data.AppName, v.Data.AccountID, claims != nil)
	return nil
}

func (lifecycle) HandleUninstall(_ context.Context, v *monday.UninstallPayload) error {
	fmt.Printf("uninstall by account %d\n", v.Data.AccountID)
	return nil
}

// A receiver mounted on a ServeMux: monday.com signs each webhook with the
// app's Signing Secret, which the receiver verifies (HS256, exp required)
// before it reads the payload.
func ExampleNewReceiver() {
	signingSecret := []byte("the app's signing secret")
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/monday", monday.NewReceiver(lifecycle{},
		monday.WithJWTSecret(signingSecret),
		monday.WithClaimsCheck(func(c jwt.MapClaims) error {
			if c["app_id"] != float64(1000000000) {
				return errors.New("token for another app")
			}
			return nil
		}),
		monday.WithIdempotency(nil), monday.WithIdempotencyByBodyHash(), // its retries repeat the body
	))
	// In production, on an http.Server with ReadHeaderTimeout, ReadTimeout and
	// IdleTimeout set (see the README): log.Fatal(srv.ListenAndServe())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// What monday.com sends: the event, and a JWT in Authorization.
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "monday", "valid", "install.json"))
	if err != nil {
		log.Fatal(err)
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"app_id": 1000000000,
		"exp":    time.Now().Add(5 * time.Minute).Unix(),
	}).SignedString(signingSecret)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/webhooks/monday", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// install of Test App by account 777777 (verified token: true)
	// 204 No Content
}
