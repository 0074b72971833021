package monday_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/asyncgen/asyncgen/generated/monday"
)

// ExampleNewSender relays a monday.com event: it decodes a webhook body
// and sends it on, signed with an HS256 JWT as monday.com signs it. The
// test endpoint here checks the token as a receiver would.
func ExampleNewSender() {
	secret := []byte("the app's signing secret")
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		token, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return secret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
		fmt.Println("token valid:", err == nil && token.Valid)
		w.WriteHeader(http.StatusOK)
	}))
	defer endpoint.Close()

	sender, err := monday.NewSender(endpoint.URL, monday.WithInsecureHTTP(), monday.WithJWTSecret(secret))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	event, err := monday.DecodeMondayWebhook([]byte(`{"type": "uninstall", "data": {
		"app_id": 1000000000, "app_name": "Test App", "user_id": 2,
		"user_email": "user1@example.com", "user_name": "User 1", "user_cluster": "other",
		"account_tier": "free", "account_max_users": 10000, "account_id": 777777,
		"account_name": "Demo Account", "account_slug": "test",
		"version_data": {"major": 4, "minor": 5, "patch": 0, "type": "minor", "number": 16},
		"timestamp": "2023-06-26T00:00:00Z",
		"subscription": {"plan_id": "5", "renewal_date": "2023-07-10T00:00:00Z", "is_trial": false,
			"billing_period": "monthly", "days_left": 14, "pricing_version": 5}}}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T\n", event)
	fmt.Println("error:", sender.SendMondayWebhook(ctx, event))
	// Output:
	// *monday.UninstallPayload
	// token valid: true
	// error: <nil>
}

// ExampleNewSender_withoutSecret shows that a Sender cannot be made without the
// secret the spec's JWT scheme needs: nothing is ever sent unsigned.
func ExampleNewSender_withoutSecret() {
	_, err := monday.NewSender("https://example.com/monday/webhooks")
	fmt.Println(err)
	// Output:
	// new sender: the spec requires credentials: pass WithJWTSecret
}
