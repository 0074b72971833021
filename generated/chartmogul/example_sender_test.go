package chartmogul_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
)

// ExampleNewSender sends one MRR movement to a webhook endpoint, as
// ChartMogul would. Here the endpoint is a test server on loopback, hence
// WithInsecureHTTP; a real one must be https://.
func ExampleNewSender() {
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"))
		fmt.Println(string(body))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer endpoint.Close()

	sender, err := chartmogul.NewSender(endpoint.URL+"/webhooks/chartmogul",
		chartmogul.WithInsecureHTTP(),
		chartmogul.WithSharedSecret("s3cret"))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	kind := chartmogul.MRRMovementPayloadTypeMRRMovement
	movement := chartmogul.MRRMovementPayloadMovementTypeExpansion
	amount := int64(5450)
	err = sender.SendMRRMovement(ctx, &chartmogul.MRRMovementPayload{
		Type:                 &kind,
		MovementType:         &movement,
		MovementAmountInCent: &amount,
	})
	fmt.Println("error:", err)
	// Output:
	// POST /webhooks/chartmogul application/json Bearer s3cret
	// {"type":"mrr_movement","movement_type":"expansion","movement_amount_in_cent":5450}
	// error: <nil>
}

// ExampleSender_SendMRRMovement shows the two ways a Send fails: an invalid
// value, which is never sent, and an endpoint that keeps refusing, after
// the retries the policy allows.
func ExampleSender_SendMRRMovement() {
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer endpoint.Close()

	sender, err := chartmogul.NewSender(endpoint.URL,
		chartmogul.WithInsecureHTTP(),
		chartmogul.WithRetry(chartmogul.RetryPolicy{MaxAttempts: 3, BaseBackoff: 10 * time.Millisecond, MaxBackoff: time.Second}))
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	unknown := chartmogul.MRRMovementPayloadMovementType("upsell")
	err = sender.SendMRRMovement(ctx, &chartmogul.MRRMovementPayload{MovementType: &unknown})
	var invalid *chartmogul.ValidationError
	fmt.Println(errors.As(err, &invalid), len(invalid.Violations), invalid.Violations[0].Pointer)

	err = sender.SendMRRMovement(ctx, &chartmogul.MRRMovementPayload{})
	var failed *chartmogul.SendError
	if errors.As(err, &failed) {
		fmt.Println(failed.Attempts, failed.StatusCode)
	}
	fmt.Println(err)
	// Output:
	// true 1 /movement_type
	// 3 503
	// send mrr_movement: not delivered after 3 attempts: last status 503 Service Unavailable
}
