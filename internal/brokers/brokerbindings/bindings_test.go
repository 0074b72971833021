package brokerbindings_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	bb "github.com/asyncgen/asyncgen/internal/brokers/brokerbindings"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// recorder is a Handler sending the IDs of the orders it is passed to got.
type recorder struct {
	bb.NopHandler
	got chan string
}

func (r *recorder) HandleOrderPlaced(_ context.Context, v *bb.OrderPlacedPayload) error {
	r.got <- v.ID
	return nil
}

// next waits for a delivery, failing the test after a minute.
func next(t *testing.T, got chan string) string {
	t.Helper()
	select {
	case id := <-got:
		return id
	case <-time.After(time.Minute):
		t.Fatal("no delivery within a minute")
		return ""
	}
}

func ptr[T any](v T) *T { return &v }

// runUntilEnd runs Run until the test ends.
func runUntilEnd(t *testing.T, run func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// TestKafkaBindingsTopicKeyAndGroup publishes with a typed key to the
// topic the channel's binding names, and consumes with the group and
// client IDs of the operation's binding.
func TestKafkaBindingsTopicKeyAndGroup(t *testing.T) {
	addrs := brokertest.Kafka(t, "shop.orders.v1", "audit/north")
	pub := bb.NewKafkaPublisher(brokertest.KafkaClient(t, addrs))
	ctx := context.Background()
	var ve *bb.ValidationError
	require.ErrorAs(t, pub.PublishOrderPlaced(ctx, "order-1", &bb.OrderPlacedPayload{ID: "1"}), &ve, "a key that breaks its pattern")
	require.NoError(t, pub.PublishOrderPlaced(ctx, "ord-1", &bb.OrderPlacedPayload{ID: "1"}))
	require.ErrorAs(t, pub.PublishAudit(ctx, "north", bb.AuditKey{Shop: "north", Seq: 0}, &bb.AuditPayload{}), &ve, "a key below its minimum")
	require.NoError(t, pub.PublishAudit(ctx, "north", bb.AuditKey{Shop: "north", Seq: 7}, &bb.AuditPayload{What: ptr("x")}))

	raw := brokertest.KafkaClient(t, addrs, kgo.ConsumeTopics("shop.orders.v1", "audit/north"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	keys := map[string]string{}
	for len(keys) < 2 {
		fetches := raw.PollFetches(ctx)
		require.NoError(t, fetches.Err())
		fetches.EachRecord(func(r *kgo.Record) { keys[r.Topic] = string(r.Key) })
	}
	require.Equal(t, map[string]string{"shop.orders.v1": "ord-1", "audit/north": `{"shop":"north","seq":7}`}, keys)

	consumer := brokertest.KafkaClient(t, addrs, bb.KafkaConsumeOptions("")...)
	rec := &recorder{got: make(chan string, 4)}
	runUntilEnd(t, bb.NewKafkaSubscriber(consumer, rec).Run)
	require.Equal(t, "1", next(t, rec.got))
	require.Equal(t, "order-workers", consumer.OptValue(kgo.ConsumerGroup))
	require.Equal(t, "order-service", consumer.OptValue(kgo.ClientID))
}

// TestNATSBindingQueueGroup runs two subscribers: they join the queue
// group of the operation's nats binding, so each message is handled by
// one of them.
func TestNATSBindingQueueGroup(t *testing.T) {
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go s.Start()
	t.Cleanup(s.Shutdown)
	require.True(t, s.ReadyForConnections(30*time.Second), "NATS server not ready")
	connect := func() *nats.Conn {
		nc, err := nats.Connect(s.ClientURL())
		require.NoError(t, err)
		t.Cleanup(nc.Close)
		return nc
	}
	rec := &recorder{got: make(chan string, 64)}
	a, b := connect(), connect()
	runUntilEnd(t, bb.NewNATSSubscriber(a, rec).Run)
	runUntilEnd(t, bb.NewNATSSubscriber(b, rec).Run)
	orderQueues := func() []string {
		subs, err := s.Subsz(&server.SubszOptions{Subscriptions: true, Test: "orders", Limit: 100})
		require.NoError(t, err)
		var out []string
		for _, sub := range subs.Subs {
			if sub.Subject == "orders" {
				out = append(out, sub.Queue)
			}
		}
		return out
	}
	require.Eventually(t, func() bool { return len(orderQueues()) == 2 }, time.Minute, 10*time.Millisecond)
	require.Equal(t, []string{"order-workers", "order-workers"}, orderQueues())
	pub := bb.NewNATSPublisher(connect())
	const total = 50
	for i := range total {
		require.NoError(t, pub.PublishOrderPlaced(context.Background(), &bb.OrderPlacedPayload{ID: string(rune('A' + i))}))
	}
	seen := map[string]int{}
	for range total {
		seen[next(t, rec.got)]++
	}
	require.Len(t, seen, total, "each message handled by one member of the queue group")
}

// TestMQTTBindingRetainAndQoS publishes with the retain flag and QoS 0 of
// the sending operation's mqtt binding: a client subscribing afterwards
// gets the retained message.
func TestMQTTBindingRetainAndQoS(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	u, err := url.Parse("mqtt://" + addr)
	require.NoError(t, err)
	connect := func(id string, received ...func(paho.PublishReceived) (bool, error)) *autopaho.ConnectionManager {
		ctx, cancel := context.WithCancel(context.Background())
		cm, err := autopaho.NewConnection(ctx, autopaho.ClientConfig{
			ServerUrls: []*url.URL{u}, KeepAlive: 30, CleanStartOnInitialConnection: true,
			ClientConfig: paho.ClientConfig{ClientID: id, OnPublishReceived: received},
		})
		require.NoError(t, err)
		t.Cleanup(cancel)
		require.NoError(t, cm.AwaitConnection(ctx))
		return cm
	}
	pub := bb.NewMQTTPublisher(connect("pub"))
	ctx := context.Background()
	require.NoError(t, pub.PublishOrderPlaced(ctx, &bb.OrderPlacedPayload{ID: "retained"}))
	// A QoS 1 publish from the same client is acknowledged after the
	// broker took the QoS 0 one before it.
	require.NoError(t, pub.PublishAudit(ctx, "north", &bb.AuditPayload{}))

	got := make(chan *paho.Publish, 4)
	late := connect("late", func(pr paho.PublishReceived) (bool, error) {
		got <- pr.Packet
		return true, nil
	})
	_, err = late.Subscribe(ctx, &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: "orders", QoS: 1}}})
	require.NoError(t, err)
	select {
	case p := <-got:
		require.True(t, p.Retain, "the message is retained")
		require.Equal(t, byte(0), p.QoS, "published with QoS 0")
		require.JSONEq(t, `{"id":"retained"}`, string(p.Payload))
	case <-time.After(time.Minute):
		t.Fatal("no retained message within a minute")
	}
}
