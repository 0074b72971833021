// Command shop uses the generated types and enums the way a consumer
// would. (There is no generated receiver yet; when there is, this is the
// place to wire one up.)
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"example.com/shop/events"
)

func main() {
	var order events.Order
	body := []byte(`{"id":"o-1","status":"paid","total":1200,"customer":{"tier":"pro"}}`)
	if err := json.Unmarshal(body, &order); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(order.ID, order.Status == events.OrderStatusPaid, order.Status.Valid(),
		*order.Customer.Tier == events.TierPro, len(events.OrderStatusValues()))
}
