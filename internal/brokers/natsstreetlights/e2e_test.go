package natsstreetlights_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	ns "github.com/asyncgen/asyncgen/internal/brokers/natsstreetlights"
)

const deadSubject = "streetlights.dead-letter"

// startServer runs an embedded NATS server with JetStream on a temporary
// directory and returns a connection to it.
func startServer(t *testing.T) *nats.Conn {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go s.Start()
	t.Cleanup(s.Shutdown)
	require.True(t, s.ReadyForConnections(30*time.Second), "NATS server not ready")
	nc, err := nats.Connect(s.ClientURL())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

// stream makes the stream of the spec's subjects and a durable consumer
// on it with explicit acks.
func stream(t *testing.T, nc *nats.Conn, name string) (jetstream.JetStream, jetstream.Consumer) {
	t.Helper()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx := context.Background()
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "STREETLIGHTS", Subjects: ns.NATSSubjects()})
	require.NoError(t, err)
	cons, err := st.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: name, AckPolicy: jetstream.AckExplicitPolicy, AckWait: 2 * time.Second})
	require.NoError(t, err)
	return js, cons
}

// run runs Run until stop is called or the test ends; stop waits for Run
// to return.
func run(t *testing.T, sub interface{ Run(context.Context) error }) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// delivery is what the recording handler was passed.
type delivery struct {
	message     string
	payload     string
	streetlight string
	header      *int64
}

// recorder is a Handler sending what it is passed to got; fail, when set,
// says whether to fail a delivery.
type recorder struct {
	got  chan delivery
	fail func(delivery) error
}

func (r *recorder) deliver(ctx context.Context, message string, v any, light string) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d := delivery{message: message, payload: string(data), streetlight: light}
	if h, ok := ns.LightMeasuredHeadersFromContext(ctx); ok && h != nil {
		d.header = h.MyAppHeader
	}
	if r.fail != nil {
		if err := r.fail(d); err != nil {
			return err
		}
	}
	r.got <- d
	return nil
}

func (r *recorder) HandleLightMeasured(ctx context.Context, v *ns.LightMeasuredPayload) error {
	p, _ := ns.SmartylightingStreetlights10EventStreetlightIDLightingMeasuredParametersFromContext(ctx)
	return r.deliver(ctx, "lightMeasured", v, p.StreetlightID)
}

func (r *recorder) HandleTurnOnOff(ctx context.Context, v *ns.TurnOnOffPayload) error {
	if p, ok := ns.SmartylightingStreetlights10ActionStreetlightIDTurnOnParametersFromContext(ctx); ok {
		return r.deliver(ctx, "turnOn", v, p.StreetlightID)
	}
	p, _ := ns.SmartylightingStreetlights10ActionStreetlightIDTurnOffParametersFromContext(ctx)
	return r.deliver(ctx, "turnOff", v, p.StreetlightID)
}

func (r *recorder) HandleDimLight(ctx context.Context, v *ns.DimLightPayload) error {
	p, _ := ns.SmartylightingStreetlights10ActionStreetlightIDDimParametersFromContext(ctx)
	return r.deliver(ctx, "dimLight", v, p.StreetlightID)
}

// next waits for a delivery, failing the test after a minute.
func next(t *testing.T, got chan delivery) delivery {
	t.Helper()
	select {
	case d := <-got:
		return d
	case <-time.After(time.Minute):
		t.Fatal("no delivery within a minute")
		return delivery{}
	}
}

func ptr[T any](v T) *T { return &v }

func sentAt(t *testing.T) *ns.SentAt {
	at, err := time.Parse(time.RFC3339, "2026-11-29T06:00:00Z")
	require.NoError(t, err)
	return ptr(ns.SentAt(at))
}

func marshal(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// publishAll publishes every message of the spec for streetlight
// lamp-1 and returns the deliveries a handler must see.
func publishAll(t *testing.T, pub *ns.NATSPublisher) map[string]delivery {
	ctx := context.Background()
	measured := &ns.LightMeasuredPayload{Lumens: ptr[int64](5), SentAt: sentAt(t)}
	on := &ns.TurnOnOffPayload{Command: ptr(ns.TurnOnOffPayloadCommandOn), SentAt: sentAt(t)}
	off := &ns.TurnOnOffPayload{Command: ptr(ns.TurnOnOffPayloadCommandOff), SentAt: sentAt(t)}
	dim := &ns.DimLightPayload{Percentage: ptr[int64](40), SentAt: sentAt(t)}
	require.NoError(t, pub.PublishLightMeasured(ctx, "lamp-1", measured, &ns.LightMeasuredHeaders{MyAppHeader: ptr[int64](7)}))
	require.NoError(t, pub.PublishTurnOn(ctx, "lamp-1", on, nil))
	require.NoError(t, pub.PublishTurnOff(ctx, "lamp-1", off, nil))
	require.NoError(t, pub.PublishDimLight(ctx, "lamp-1", dim, nil))
	return map[string]delivery{
		"lightMeasured": {message: "lightMeasured", payload: marshal(t, measured), streetlight: "lamp-1", header: ptr[int64](7)},
		"turnOn":        {message: "turnOn", payload: marshal(t, on), streetlight: "lamp-1"},
		"turnOff":       {message: "turnOff", payload: marshal(t, off), streetlight: "lamp-1"},
		"dimLight":      {message: "dimLight", payload: marshal(t, dim), streetlight: "lamp-1"},
	}
}

// expect reads len(want) deliveries and checks each against want.
func expect(t *testing.T, got chan delivery, want map[string]delivery) {
	t.Helper()
	for n := len(want); n > 0; n-- {
		d := next(t, got)
		require.Equal(t, want[d.message], d)
		delete(want, d.message)
	}
}

func TestNATSCoreEveryMessageRoundTrips(t *testing.T) {
	nc := startServer(t)
	rec := &recorder{got: make(chan delivery, 16)}
	run(t, ns.NewNATSSubscriber(nc, rec, ns.SubscribeQueue("lights")))
	require.NoError(t, nc.Flush())
	// Run subscribes in its goroutine: publish probes until one arrives.
	probe := ns.NewNATSPublisher(nc)
	ctx := context.Background()
	for {
		require.NoError(t, probe.PublishDimLight(ctx, "probe", &ns.DimLightPayload{}, nil))
		select {
		case d := <-rec.got:
			require.Equal(t, "probe", d.streetlight)
		case <-time.After(20 * time.Millisecond):
			continue
		}
		break
	}
	for len(rec.got) > 0 {
		<-rec.got
	}
	expect(t, rec.got, publishAll(t, ns.NewNATSPublisher(nc)))
}

func TestNATSJetStreamEveryMessageRoundTrips(t *testing.T) {
	nc := startServer(t)
	js, cons := stream(t, nc, "round-trip")
	rec := &recorder{got: make(chan delivery, 16)}
	want := publishAll(t, ns.NewNATSJetStreamPublisher(js))
	run(t, ns.NewNATSJetStreamSubscriber(nc, cons, rec))
	expect(t, rec.got, want)
}

func TestNATSPublishRefusesInvalidMessages(t *testing.T) {
	nc := startServer(t)
	pub := ns.NewNATSPublisher(nc)
	ctx := context.Background()
	var ve *ns.ValidationError
	require.ErrorAs(t, pub.PublishDimLight(ctx, "lamp-1", &ns.DimLightPayload{Percentage: ptr[int64](150)}, nil), &ve)
	require.ErrorContains(t, pub.PublishDimLight(ctx, "lamp.1", &ns.DimLightPayload{}, nil), `"lamp.1" cannot be part of the address`)
	require.ErrorContains(t, pub.PublishDimLight(ctx, "*", &ns.DimLightPayload{}, nil), "cannot be part of the address")
}

func TestNATSJetStreamInvalidMessagesGoToTheDeadLetterSubject(t *testing.T) {
	nc := startServer(t)
	js, cons := stream(t, nc, "dead-letter")
	dead, err := nc.SubscribeSync(deadSubject)
	require.NoError(t, err)
	ctx := context.Background()
	bad := []*nats.Msg{
		{Subject: "smartylighting.streetlights.1.0.action.lamp-1.dim", Data: []byte(`{"percentage":`)},
		{Subject: "smartylighting.streetlights.1.0.action.lamp-1.dim", Data: []byte(`{"percentage":150}`)},
		{Subject: "smartylighting.streetlights.1.0.event.lamp-1.lighting.measured", Data: []byte(`{"lumens":1}`), Header: nats.Header{"my-app-header": []string{"abc"}}},
	}
	for _, m := range bad {
		_, err := js.PublishMsg(ctx, m)
		require.NoError(t, err)
	}
	_, err = js.Publish(ctx, "smartylighting.streetlights.1.0.action.lamp-1.dim", []byte(`{"percentage":10}`))
	require.NoError(t, err)
	rec := &recorder{got: make(chan delivery, 16)}
	run(t, ns.NewNATSJetStreamSubscriber(nc, cons, rec, ns.SubscribeDeadLetter(deadSubject), ns.SubscribeInvalidMessages(func(string, []byte, error) {})))
	require.Equal(t, delivery{message: "dimLight", payload: `{"percentage":10}`, streetlight: "lamp-1"}, next(t, rec.got))
	var values []string
	for range bad {
		m, err := dead.NextMsg(time.Minute)
		require.NoError(t, err)
		require.NotEmpty(t, m.Header.Get("asyncgen-error"))
		require.Contains(t, m.Header.Get("asyncgen-address"), "lamp-1")
		values = append(values, string(m.Data))
	}
	require.ElementsMatch(t, []string{`{"percentage":`, `{"percentage":150}`, `{"lumens":1}`}, values)
}

func TestNATSJetStreamHandlerErrorIsNakedAndRedelivered(t *testing.T) {
	nc := startServer(t)
	js, cons := stream(t, nc, "retry")
	var mu sync.Mutex
	failures := 0
	rec := &recorder{got: make(chan delivery, 16), fail: func(delivery) error {
		mu.Lock()
		defer mu.Unlock()
		if failures < 2 {
			failures++
			return fmt.Errorf("failure %d", failures)
		}
		return nil
	}}
	run(t, ns.NewNATSJetStreamSubscriber(nc, cons, rec, ns.SubscribeErrors(func(string, error) {})))
	require.NoError(t, ns.NewNATSJetStreamPublisher(js).PublishDimLight(context.Background(), "lamp-1", &ns.DimLightPayload{Percentage: ptr[int64](1)}, nil))
	require.Equal(t, `{"percentage":1}`, next(t, rec.got).payload)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 2, failures)
}

// TestNATSJetStreamRestartHandlesEachMessageOnce stops a subscriber
// mid-stream and starts another on the same durable consumer: a message is
// acked, and the ack confirmed, before the next is handled, so each is
// handled exactly once across both.
func TestNATSJetStreamRestartHandlesEachMessageOnce(t *testing.T) {
	const total, firstShare = 10000, 3000
	nc := startServer(t)
	js, cons := stream(t, nc, "restart")
	for i := range total {
		_, err := js.PublishAsync("smartylighting.streetlights.1.0.event.lamp-1.lighting.measured", fmt.Appendf(nil, `{"lumens":%d}`, i))
		require.NoError(t, err)
		if (i+1)%publishWindow == 0 || i == total-1 {
			awaitPublished(t, js)
		}
	}
	seen := map[int64]int{}
	first := &recorder{got: make(chan delivery, total)}
	stop := run(t, ns.NewNATSJetStreamSubscriber(nc, cons, first))
	for range firstShare {
		count(t, seen, next(t, first.got))
	}
	stop()
	for len(first.got) > 0 {
		count(t, seen, <-first.got)
	}
	second := &recorder{got: make(chan delivery, total)}
	run(t, ns.NewNATSJetStreamSubscriber(nc, cons, second))
	for len(seen) < total {
		count(t, seen, next(t, second.got))
	}
}

// publishWindow is how many messages the restart test publishes before
// waiting for the stream to acknowledge them all: well below the 4,000
// unacknowledged ones past which PublishAsync stalls and then fails
// ("too many outstanding async published messages") on a busy machine.
const publishWindow = 500

// awaitPublished waits until the stream acknowledged every message js
// published asynchronously, failing the test after a minute.
func awaitPublished(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(time.Minute):
		t.Fatal("the stream did not acknowledge the published messages within a minute")
	}
}

// count adds a delivery of the restart test to seen, by its lumens.
func count(t *testing.T, seen map[int64]int, d delivery) {
	t.Helper()
	var v struct{ Lumens int64 }
	require.NoError(t, json.Unmarshal([]byte(d.payload), &v))
	seen[v.Lumens]++
	require.Equal(t, 1, seen[v.Lumens], "lumens %d handled twice", v.Lumens)
}
