package chartmogul_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
)

// mrrHandler implements only the method it needs; NopHandler acknowledges
// the rest.
type mrrHandler struct {
	chartmogul.NopHandler
}

func (mrrHandler) HandleMRRMovement(_ context.Context, v *chartmogul.MRRMovementPayload) error {
	// The spec requires none of the fields: each may be absent.
	if v.MovementType != nil && v.MovementAmountInCent != nil {
		fmt.Printf("%s of %d cents\n", *v.MovementType, *v.MovementAmountInCent)
	}
	return nil
}

// A receiver mounted on a ServeMux: ChartMogul POSTs each MRR movement to
// the URL set up as a webhook destination, here with a shared secret in
// the URL's token parameter, since ChartMogul signs nothing.
func ExampleNewReceiver() {
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/chartmogul", chartmogul.NewReceiver(mrrHandler{},
		chartmogul.WithSharedSecret("s3cret"),
		chartmogul.WithIdempotency(nil), chartmogul.WithIdempotencyByBodyHash(), // its retries repeat the body
	))
	// In production, on an http.Server with ReadHeaderTimeout, ReadTimeout and
	// IdleTimeout set (see the README): log.Fatal(srv.ListenAndServe())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "valid", "mrr_movement.json"))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/webhooks/chartmogul?token=s3cret", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// expansion of 5450 cents
	// 204 No Content
}
