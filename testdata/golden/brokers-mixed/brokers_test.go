package brokersmixed

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// shop is a Handler for the receiver and the subscribers alike.
type shop struct {
	NopHandler
	params *ShopShopIDOrdersOrderNumberPaidParameters
	ping   *FmtStringCtxBrokerAddressSParameters
}

func (s *shop) HandleOrderPlaced(ctx context.Context, v *OrderPlacedPayload) error {
	s.params, _ = ShopShopIDOrdersOrderNumberPaidParametersFromContext(ctx)
	return nil
}

func (s *shop) HandlePing(ctx context.Context, v *PingPayload) error {
	s.ping, _ = FmtStringCtxBrokerAddressSParametersFromContext(ctx)
	return nil
}

// One Handler serves the HTTP receiver and the brokers.
var _ http.Handler = NewShopShopIDOrdersOrderNumberPaidReceiver(&shop{})

func TestParametersAreParsedTypedAndChecked(t *testing.T) {
	h := &shop{}
	chans := []brokerChannel{{
		address: "shop.{shopId}.orders.{orderNumber}.{paid}",
		pattern: brokerPattern("shop.{shopId}.orders.{orderNumber}.{paid}", natsSegmentPattern),
		params:  parseShopShopIDOrdersOrderNumberPaidParameters,
		decode: func(data []byte) (brokerDelivery, error) {
			return brokerDecodeShopShopIDOrdersOrderNumberPaid(h, data)
		},
	}}
	var s brokerSettings
	outcome, err := brokerProcess(context.Background(), &s, chans, "", "shop.east-1.orders.42.true", []byte(`{"total":3}`), http.Header{})
	if outcome != brokerHandled || err != nil {
		t.Fatalf("outcome %v, %v", outcome, err)
	}
	want := ShopShopIDOrdersOrderNumberPaidParameters{ShopID: "east-1", OrderNumber: 42, Paid: true}
	if h.params == nil || *h.params != want {
		t.Fatalf("parameters %+v, want %+v", h.params, want)
	}
	for address, complaint := range map[string]string{
		"shop.west.orders.42.true":    "not one of the values",
		"shop.north.orders.x.true":    "orderNumber: \"x\" is not an integer",
		"shop.north.orders.42.maybe":  "paid: \"maybe\" is not true or false",
		"shop.north.orders.42":        "not one of the spec's channels",
		"shop.north.orders.42.true.x": "not one of the spec's channels",
	} {
		outcome, err := brokerProcess(context.Background(), &s, chans, "", address, []byte(`{"total":3}`), http.Header{})
		if outcome != brokerInvalid || err == nil || !strings.Contains(err.Error(), complaint) {
			t.Errorf("%s: outcome %v, error %v; want invalid, %q", address, outcome, err, complaint)
		}
	}
	outcome, err = brokerProcess(context.Background(), &s, chans, "", "shop.north.orders.1.false", []byte(`{"total":3}`), http.Header{"Trace-Id": {strings.Repeat("x", 65)}})
	if outcome != brokerInvalid || err == nil || !strings.Contains(err.Error(), "headers") {
		t.Errorf("long trace-id: outcome %v, error %v", outcome, err)
	}
}

// TestParametersFollowTheAddressOrder: the parameters are declared in
// another order than the address holds them, and named like identifiers
// the generated code uses.
func TestParametersFollowTheAddressOrder(t *testing.T) {
	h := &shop{}
	address := "{fmt}.{string}.{ctx}.{brokerAddress}.(.*)%s"
	chans := []brokerChannel{{
		address: address,
		pattern: brokerPattern(address, natsSegmentPattern),
		params:  parseFmtStringCtxBrokerAddressSParameters,
		decode: func(data []byte) (brokerDelivery, error) {
			return brokerDecodeFmtStringCtxBrokerAddressS(h, data)
		},
	}}
	var s brokerSettings
	outcome, err := brokerProcess(context.Background(), &s, chans, "", "a.7.true.b.(.*)%s", []byte(`{}`), http.Header{})
	if outcome != brokerHandled || err != nil {
		t.Fatalf("outcome %v, %v", outcome, err)
	}
	want := FmtStringCtxBrokerAddressSParameters{Fmt: "a", String: 7, Ctx: true, BrokerAddress: "b"}
	if h.ping == nil || *h.ping != want {
		t.Fatalf("parameters %+v, want %+v", h.ping, want)
	}
	if _, err := brokerProcess(context.Background(), &s, chans, "", "c.7.true.b.(.*)%s", []byte(`{}`), http.Header{}); err == nil || !strings.Contains(err.Error(), "(100%d, b, a)") {
		t.Errorf("fmt c: %v", err)
	}
	if outcome, _ := brokerProcess(context.Background(), &s, chans, "", "a.7.true.b.xyz%s", []byte(`{}`), http.Header{}); outcome != brokerInvalid {
		t.Errorf("(.*) matched xyz: outcome %v", outcome)
	}
}

func TestPublishChecksParametersBeforeSending(t *testing.T) {
	ctx := context.Background()
	v := &OrderPlacedPayload{Total: 1}
	// A nil client is never reached: the checks come first.
	for name, publish := range map[string]func(shopID string) error{
		"kafka": func(id string) error { return NewKafkaPublisher(nil).PublishOrderPlaced(ctx, id, 1, true, v, nil) },
		"nats":  func(id string) error { return NewNATSPublisher(nil).PublishOrderPlaced(ctx, id, 1, true, v, nil) },
		"mqtt":  func(id string) error { return NewMQTTPublisher(nil).PublishOrderPlaced(ctx, id, 1, true, v, nil) },
	} {
		if err := publish("west"); err == nil || !strings.Contains(err.Error(), "not one of the values") {
			t.Errorf("%s: shop west: %v", name, err)
		}
	}
	var ve *ValidationError
	if err := NewKafkaPublisher(nil).PublishOrderPlaced(ctx, "north", 1, true, &OrderPlacedPayload{Total: -1}, nil); !errors.As(err, &ve) {
		t.Errorf("negative total: %v", err)
	}
}

func TestSubscriptionsUseTheProtocolsWildcards(t *testing.T) {
	if got, want := NATSSubjects(), []string{"shop.*.orders.*.*", "*.*.*.*.(.*)%s", "pets", "notes"}; !slices.Equal(got, want) {
		t.Errorf("NATSSubjects() = %q, want %q", got, want)
	}
	// The address has no '/' levels: its one level holds parameters, so
	// the filter is +, and the channel's pattern picks its topics. + takes
	// in the other channels' filters, which it overlaps: a broker would
	// send their messages once per matching filter.
	if got, want := MQTTTopicFilters(), []string{"+"}; !slices.Equal(got, want) {
		t.Errorf("MQTTTopicFilters() = %q, want %q", got, want)
	}
	patterns := kafkaTopicPatterns([]brokerChannel{{pattern: brokerPattern("shop.{shopId}.orders", kafkaSegmentPattern)}})
	if want := []string{`^shop\.([A-Za-z0-9_-]+)\.orders$`}; !slices.Equal(patterns, want) {
		t.Errorf("Kafka patterns %q, want %q", patterns, want)
	}
}

// TestParameterPatternIsCompiledOnce: checking a parameter against the
// pattern its schema gives compiles no regular expression per message;
// parsing allocates only the parameters struct.
func TestParameterPatternIsCompiledOnce(t *testing.T) {
	values := []string{"north", "42", "true"}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := parseShopShopIDOrdersOrderNumberPaidParameters(values); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Fatalf("parsing the parameters allocates %v times, want 1", allocs)
	}
}
