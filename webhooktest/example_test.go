package webhooktest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/webhooktest"
)

type failedPayments struct{ growpanel.NopHandler }

func (failedPayments) HandleFailedPayment(_ context.Context, v *growpanel.FailedPaymentPayload) error {
	fmt.Println("failed payment of", v.Customer.Email)
	return nil
}

// A handler's unit test: a signed, valid request straight into the
// generated receiver, no network.
func ExampleNewRawRequest() {
	receiver := growpanel.NewReceiver(failedPayments{}, growpanel.WithSharedSecret("tok"))
	req, err := webhooktest.NewRawRequest("/webhooks/growpanel", []byte(`{
		"event": "failed_payment", "timestamp": "2025-03-15T14:30:00Z",
		"customer": {"id": "cus_1", "name": "Acme", "email": "billing@acme.example", "status": "past_due"},
		"payment": {"invoice_id": "inv_1", "amount": 4900, "currency": "usd", "failure_reason": "card_declined",
			"attempt_count": 1, "date": "2025-03-15"}}`),
		webhooktest.WithSharedSecret("tok"))
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// failed payment of billing@acme.example
	// 204
}
