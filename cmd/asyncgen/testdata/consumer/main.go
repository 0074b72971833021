// Command shop uses the generated types, enums, receiver and sender the
// way a consumer would: it sends an order to its own receiver on loopback.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"example.com/shop/events"
)

// orders prints the orders it receives.
type orders struct{ events.NopHandler }

func (orders) HandleOrderPlaced(_ context.Context, o *events.Order) error {
	fmt.Println("received", o.ID, o.Status)
	return nil
}

func main() {
	var order events.Order
	body := []byte(`{"id":"o-1","status":"paid","total":1200,"customer":{"tier":"pro"}}`)
	if err := json.Unmarshal(body, &order); err != nil {
		fail(err)
	}
	fmt.Println(order.ID, order.Status == events.OrderStatusPaid, order.Status.Valid(),
		*order.Customer.Tier == events.TierPro, len(events.OrderStatusValues()))

	srv := httptest.NewServer(events.NewReceiver(orders{}, events.WithSharedSecret("s3cret")))
	defer srv.Close()
	sender, err := events.NewSender(srv.URL, events.WithInsecureHTTP(), events.WithSharedSecret("s3cret"))
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sender.SendOrderPlaced(ctx, &events.Order{ID: "o-2", Status: events.OrderStatusPending, Total: 300}); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
