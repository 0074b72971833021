package brokerbindings_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	bb "github.com/asyncgen/asyncgen/internal/brokers/brokerbindings"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// keyRecorder is a Handler sending, for each message, its payload's
// identity and the record key its context carries.
type keyRecorder struct {
	bb.NopHandler
	got chan string
}

func (r *keyRecorder) HandleOrderPlaced(ctx context.Context, v *bb.OrderPlacedPayload) error {
	key, ok := bb.OrderPlacedKafkaKeyFromContext(ctx)
	r.got <- fmt.Sprintf("order %s key %q %t", v.ID, key, ok)
	return nil
}

func (r *keyRecorder) HandleAudit(ctx context.Context, v *bb.AuditPayload) error {
	key, ok := bb.AuditKafkaKeyFromContext(ctx)
	what := ""
	if v.What != nil {
		what = *v.What
	}
	r.got <- fmt.Sprintf("audit %s key %+v %t", what, key, ok)
	return nil
}

// TestKafkaRecordKeyReachesHandler publishes messages with typed keys (a
// string and an object) and finds each key, decoded, in the handler's
// context.
func TestKafkaRecordKeyReachesHandler(t *testing.T) {
	addrs := brokertest.Kafka(t, "shop.orders.v1", "audit/north", "dead")
	pub := bb.NewKafkaPublisher(brokertest.KafkaClient(t, addrs))
	ctx := context.Background()
	require.NoError(t, pub.PublishOrderPlaced(ctx, "ord-7", &bb.OrderPlacedPayload{ID: "7"}))
	require.NoError(t, pub.PublishAudit(ctx, "north", bb.AuditKey{Shop: "north", Seq: 9}, &bb.AuditPayload{What: ptr("x")}))

	rec := &keyRecorder{got: make(chan string, 4)}
	runUntilEnd(t, bb.NewKafkaSubscriber(brokertest.KafkaClient(t, addrs, bb.KafkaConsumeOptions("key-round-trip")...), rec).Run)
	got := []string{next(t, rec.got), next(t, rec.got)}
	require.ElementsMatch(t, []string{
		`order 7 key "ord-7" true`,
		`audit x key {Shop:north Seq:9 Origin:<nil>} true`,
	}, got)
}

// TestKafkaInvalidRecordKeyIsDeadLettered produces records whose keys
// break the key schema (a pattern, a minimum, not JSON, a type, a required
// property, a required property of an optional object, absent) beside a
// valid one: each invalid one lands in the dead-letter topic, saying what
// is wrong with its key, and only the valid one reaches the handler.
func TestKafkaInvalidRecordKeyIsDeadLettered(t *testing.T) {
	addrs := brokertest.Kafka(t, "shop.orders.v1", "audit/north", "dead")
	raw := brokertest.KafkaClient(t, addrs)
	ctx := context.Background()
	records := []*kgo.Record{
		{Topic: "shop.orders.v1", Key: []byte("order-1"), Value: []byte(`{"id":"bad-pattern"}`)},
		{Topic: "shop.orders.v1", Value: []byte(`{"id":"no-key"}`)},
		{Topic: "audit/north", Key: []byte(`{"shop":"north","seq":0}`), Value: []byte(`{"what":"below-minimum"}`)},
		{Topic: "audit/north", Key: []byte(`north-1`), Value: []byte(`{"what":"not-json"}`)},
		{Topic: "audit/north", Key: []byte(`{"shop":"north","seq":"one"}`), Value: []byte(`{"what":"wrong-type"}`)},
		{Topic: "audit/north", Key: []byte(`{"seq":3}`), Value: []byte(`{"what":"no-shop"}`)},
		{Topic: "audit/north", Key: []byte(`{"shop":"north","seq":4,"origin":{}}`), Value: []byte(`{"what":"no-region"}`)},
		{Topic: "shop.orders.v1", Key: []byte("ord-2"), Value: []byte(`{"id":"good"}`)},
	}
	for _, r := range records {
		require.NoError(t, raw.ProduceSync(ctx, r).FirstErr())
	}

	rec := &keyRecorder{got: make(chan string, 8)}
	var invalid []string
	invalidSeen := make(chan string, 8)
	runUntilEnd(t, bb.NewKafkaSubscriber(brokertest.KafkaClient(t, addrs, bb.KafkaConsumeOptions("bad-keys")...), rec,
		bb.SubscribeDeadLetter("dead"),
		bb.SubscribeInvalidMessages(func(_ string, _ []byte, err error) { invalidSeen <- err.Error() }),
	).Run)
	require.Equal(t, `order good key "ord-2" true`, next(t, rec.got))

	dead := brokertest.KafkaClient(t, addrs, kgo.ConsumeTopics("dead"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	errs := map[string]string{}
	deadline := time.Now().Add(time.Minute)
	for len(errs) < 7 && time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		fetches := dead.PollFetches(pctx)
		cancel()
		fetches.EachRecord(func(r *kgo.Record) {
			for _, h := range r.Headers {
				if h.Key == "asyncgen-error" {
					errs[string(r.Value)] = string(h.Value)
				}
			}
		})
	}
	require.Len(t, errs, 7, "each record with a bad key is dead-lettered: %v", errs)
	for payload, why := range errs {
		require.Contains(t, why, "record key", payload)
	}
	require.Contains(t, errs[`{"id":"no-key"}`], "the record has no key")
	require.Contains(t, errs[`{"id":"bad-pattern"}`], `"order-1" does not match`)
	require.Contains(t, errs[`{"what":"below-minimum"}`], "/seq: 0 is less than 1")
	require.Contains(t, errs[`{"what":"not-json"}`], "north-1")
	require.Contains(t, errs[`{"what":"wrong-type"}`], "/seq: a string is not an integer")
	require.Contains(t, errs[`{"what":"no-shop"}`], "/shop: is required")
	require.Contains(t, errs[`{"what":"no-region"}`], "/origin/region: is required")
	for range 7 {
		select {
		case e := <-invalidSeen:
			invalid = append(invalid, e)
		case <-time.After(time.Minute):
			t.Fatal("an invalid record was not reported")
		}
	}
	require.Len(t, invalid, 7)
	for _, e := range invalid {
		require.True(t, strings.HasPrefix(e, "channel "), e)
	}
	select {
	case extra := <-rec.got:
		t.Fatalf("a record with a bad key reached the handler: %s", extra)
	default:
	}
}
