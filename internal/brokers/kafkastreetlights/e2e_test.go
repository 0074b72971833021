package kafkastreetlights_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	sl "github.com/asyncgen/asyncgen/internal/brokers/kafkastreetlights"
)

const (
	measuredTopic = "smartylighting.streetlights.1.0.event.lamp-1.lighting.measured"
	turnOnTopic   = "smartylighting.streetlights.1.0.action.lamp-1.turn.on"
	turnOffTopic  = "smartylighting.streetlights.1.0.action.lamp-1.turn.off"
	dimTopic      = "smartylighting.streetlights.1.0.action.lamp-1.dim"
	deadTopic     = "streetlights.dead-letter"
)

// startCluster runs an in-process Kafka cluster with the test's topics.
func startCluster(t *testing.T) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, measuredTopic, turnOnTopic, turnOffTopic, dimTopic, deadTopic))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// newClient makes a client on the cluster, closed when the test ends.
func newClient(t *testing.T, addrs []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addrs...), kgo.MetadataMinAge(50 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(cl.Close)
	return cl
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
	if h, ok := sl.LightMeasuredHeadersFromContext(ctx); ok && h != nil {
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

func (r *recorder) HandleLightMeasured(ctx context.Context, v *sl.LightMeasuredPayload) error {
	p, _ := sl.SmartylightingStreetlights10EventStreetlightIDLightingMeasuredParametersFromContext(ctx)
	return r.deliver(ctx, "lightMeasured", v, p.StreetlightID)
}

func (r *recorder) HandleTurnOnOff(ctx context.Context, v *sl.TurnOnOffPayload) error {
	if p, ok := sl.SmartylightingStreetlights10ActionStreetlightIDTurnOnParametersFromContext(ctx); ok {
		return r.deliver(ctx, "turnOn", v, p.StreetlightID)
	}
	p, _ := sl.SmartylightingStreetlights10ActionStreetlightIDTurnOffParametersFromContext(ctx)
	return r.deliver(ctx, "turnOff", v, p.StreetlightID)
}

func (r *recorder) HandleDimLight(ctx context.Context, v *sl.DimLightPayload) error {
	p, _ := sl.SmartylightingStreetlights10ActionStreetlightIDDimParametersFromContext(ctx)
	return r.deliver(ctx, "dimLight", v, p.StreetlightID)
}

// subscribe runs a subscriber of group until the test ends or stop is
// called; stop waits for Run to return and closes the client.
func subscribe(t *testing.T, addrs []string, group string, h sl.Handler, opts ...sl.SubscriberOption) (stop func()) {
	t.Helper()
	cl := newClient(t, addrs, sl.KafkaConsumeOptions(group)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sl.NewKafkaSubscriber(cl, h, opts...).Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			err := <-done
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
			cl.Close()
		})
	}
	t.Cleanup(stop)
	return stop
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

func sentAt(t *testing.T) *sl.SentAt {
	at, err := time.Parse(time.RFC3339, "2026-11-29T06:00:00Z")
	require.NoError(t, err)
	return ptr(sl.SentAt(at))
}

func marshal(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

func TestKafkaEveryMessageRoundTrips(t *testing.T) {
	addrs := startCluster(t)
	pub := sl.NewKafkaPublisher(newClient(t, addrs))
	rec := &recorder{got: make(chan delivery, 16)}
	subscribe(t, addrs, "round-trip", rec)
	ctx := context.Background()

	measured := &sl.LightMeasuredPayload{Lumens: ptr[int64](5), SentAt: sentAt(t)}
	on := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOn), SentAt: sentAt(t)}
	off := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOff), SentAt: sentAt(t)}
	dim := &sl.DimLightPayload{Percentage: ptr[int64](40), SentAt: sentAt(t)}
	require.NoError(t, pub.PublishLightMeasured(ctx, "lamp-1", measured, &sl.LightMeasuredHeaders{MyAppHeader: ptr[int64](7)}))
	require.NoError(t, pub.PublishTurnOn(ctx, "lamp-1", on, nil))
	require.NoError(t, pub.PublishTurnOff(ctx, "lamp-1", off, nil))
	require.NoError(t, pub.PublishDimLight(ctx, "lamp-1", dim, nil))

	want := map[string]delivery{
		"lightMeasured": {message: "lightMeasured", payload: marshal(t, measured), streetlight: "lamp-1", header: ptr[int64](7)},
		"turnOn":        {message: "turnOn", payload: marshal(t, on), streetlight: "lamp-1"},
		"turnOff":       {message: "turnOff", payload: marshal(t, off), streetlight: "lamp-1"},
		"dimLight":      {message: "dimLight", payload: marshal(t, dim), streetlight: "lamp-1"},
	}
	for range want {
		d := next(t, rec.got)
		require.Equal(t, want[d.message], d)
		delete(want, d.message)
	}
}

func TestKafkaPublishRefusesInvalidMessages(t *testing.T) {
	addrs := startCluster(t)
	pub := sl.NewKafkaPublisher(newClient(t, addrs))
	ctx := context.Background()

	err := pub.PublishDimLight(ctx, "lamp-1", &sl.DimLightPayload{Percentage: ptr[int64](150)}, nil)
	var ve *sl.ValidationError
	require.ErrorAs(t, err, &ve)

	err = pub.PublishLightMeasured(ctx, "lamp-1", &sl.LightMeasuredPayload{}, &sl.LightMeasuredHeaders{MyAppHeader: ptr[int64](-1)})
	require.ErrorAs(t, err, &ve)

	err = pub.PublishDimLight(ctx, "lamp.1", &sl.DimLightPayload{}, nil)
	require.ErrorContains(t, err, `"lamp.1" cannot be part of the address`)

	require.Error(t, pub.PublishDimLight(ctx, "lamp-1", nil, nil))
}

func TestKafkaInvalidRecordsGoToTheDeadLetterTopic(t *testing.T) {
	addrs := startCluster(t)
	raw := newClient(t, addrs)
	rec := &recorder{got: make(chan delivery, 16)}
	var mu sync.Mutex
	var reported []string
	subscribe(t, addrs, "dead-letter", rec, sl.SubscribeDeadLetter(deadTopic),
		sl.SubscribeInvalidMessages(func(address string, _ []byte, err error) {
			mu.Lock()
			defer mu.Unlock()
			reported = append(reported, address+": "+err.Error())
		}))
	ctx := context.Background()

	bad := []*kgo.Record{
		{Topic: dimTopic, Value: []byte(`{"percentage":`)},
		{Topic: dimTopic, Value: []byte(`{"percentage":150}`)},
		{Topic: measuredTopic, Value: []byte(`{"lumens":1}`), Headers: []kgo.RecordHeader{{Key: "my-app-header", Value: []byte("abc")}}},
	}
	for _, r := range bad {
		r.Partition = 0
	}
	good := &kgo.Record{Topic: dimTopic, Partition: 0, Value: []byte(`{"percentage":10}`)}
	require.NoError(t, raw.ProduceSync(ctx, append(bad, good)...).FirstErr())

	d := next(t, rec.got)
	require.Equal(t, delivery{message: "dimLight", payload: `{"percentage":10}`, streetlight: "lamp-1"}, d)

	dead := newClient(t, addrs, kgo.ConsumeTopics(deadTopic))
	var letters []*kgo.Record
	fetchCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for len(letters) < len(bad) && fetchCtx.Err() == nil {
		dead.PollFetches(fetchCtx).EachRecord(func(r *kgo.Record) { letters = append(letters, r) })
	}
	require.Len(t, letters, len(bad))
	var values []string
	for _, r := range letters {
		values = append(values, string(r.Value))
		headers := map[string]string{}
		for _, h := range r.Headers {
			headers[h.Key] = string(h.Value)
		}
		require.NotEmpty(t, headers["asyncgen-error"], "dead letter %s", r.Value)
		require.Contains(t, []string{dimTopic, measuredTopic}, headers["asyncgen-address"])
	}
	require.ElementsMatch(t, []string{`{"percentage":`, `{"percentage":150}`, `{"lumens":1}`}, values)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, reported, len(bad))
	require.True(t, strings.Contains(strings.Join(reported, "\n"), "headers"), "reports: %v", reported)
}

func TestKafkaHandlerErrorIsRetriedBeforeCommitting(t *testing.T) {
	addrs := startCluster(t)
	pub := sl.NewKafkaPublisher(newClient(t, addrs))
	var mu sync.Mutex
	failures := 0
	rec := &recorder{got: make(chan delivery, 16), fail: func(d delivery) error {
		mu.Lock()
		defer mu.Unlock()
		if failures < 2 {
			failures++
			return fmt.Errorf("failure %d", failures)
		}
		return nil
	}}
	var errs []string
	subscribe(t, addrs, "retry", rec, sl.SubscribeErrors(func(_ string, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err.Error())
	}))
	require.NoError(t, pub.PublishDimLight(context.Background(), "lamp-1", &sl.DimLightPayload{Percentage: ptr[int64](1)}, nil))
	require.Equal(t, `{"percentage":1}`, next(t, rec.got).payload)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, errs, 2)
	require.Contains(t, errs[1], "failure 2")
}

// TestKafkaRestartHandlesEachRecordOnce stops a subscriber mid-stream and
// starts another in the same group: offsets are committed only for the
// records handled, and all of them, so each record is handled exactly
// once across both.
func TestKafkaRestartHandlesEachRecordOnce(t *testing.T) {
	const total, firstShare = 10000, 3000
	addrs := startCluster(t)
	raw := newClient(t, addrs)
	var records []*kgo.Record
	for i := range total {
		records = append(records, &kgo.Record{Topic: measuredTopic, Value: fmt.Appendf(nil, `{"lumens":%d}`, i)})
	}
	require.NoError(t, raw.ProduceSync(context.Background(), records...).FirstErr())

	seen := map[int64]int{}
	first := &recorder{got: make(chan delivery, total)}
	stop := subscribe(t, addrs, "restart", first)
	for range firstShare {
		count(t, seen, next(t, first.got))
	}
	stop()
	close(first.got)
	for d := range first.got {
		count(t, seen, d)
	}
	second := &recorder{got: make(chan delivery, total)}
	subscribe(t, addrs, "restart", second)
	for len(seen) < total {
		count(t, seen, next(t, second.got))
	}
	for lumens, n := range seen {
		require.Equal(t, 1, n, "deliveries of lumens %d", lumens)
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
