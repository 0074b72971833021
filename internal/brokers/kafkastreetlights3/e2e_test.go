package kafkastreetlights3_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	sl "github.com/asyncgen/asyncgen/internal/brokers/kafkastreetlights3"
)

// delivery is what the recording handler was passed: the message, its
// payload as JSON, its streetlight parameter and its header.
type delivery struct {
	message, payload, streetlight string
	header                        *int64
}

// recorder is a Handler sending what it is passed to got.
type recorder struct{ got chan delivery }

func (r *recorder) deliver(ctx context.Context, message string, v any, light string) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d := delivery{message: message, payload: string(data), streetlight: light}
	if h, ok := sl.LightMeasuredHeadersFromContext(ctx); ok && h != nil {
		d.header = h.MyAppHeader
	}
	r.got <- d
	return nil
}

func (r *recorder) HandleLightMeasured(ctx context.Context, v *sl.LightMeasuredPayload) error {
	p, _ := sl.LightingMeasuredParametersFromContext(ctx)
	return r.deliver(ctx, "lightMeasured", v, p.StreetlightID)
}

func (r *recorder) HandleTurnOnOff(ctx context.Context, v *sl.TurnOnOffPayload) error {
	if p, ok := sl.LightTurnOnParametersFromContext(ctx); ok {
		return r.deliver(ctx, "turnOn", v, p.StreetlightID)
	}
	p, _ := sl.LightTurnOffParametersFromContext(ctx)
	return r.deliver(ctx, "turnOff", v, p.StreetlightID)
}

func (r *recorder) HandleDimLight(ctx context.Context, v *sl.DimLightPayload) error {
	p, _ := sl.LightsDimParametersFromContext(ctx)
	return r.deliver(ctx, "dimLight", v, p.StreetlightID)
}

func ptr[T any](v T) *T { return &v }

func marshal(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

func newClient(t *testing.T, addrs []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addrs...), kgo.MetadataMinAge(50 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(cl.Close)
	return cl
}

// TestKafkaV3EveryMessageRoundTrips publishes every message of the
// AsyncAPI 3.0 streetlights Kafka document and receives each equal, with
// its parameter and header; the client ID is the one of the document's
// kafka operation trait binding.
func TestKafkaV3EveryMessageRoundTrips(t *testing.T) {
	prefix := "smartylighting.streetlights.1.0."
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1,
		prefix+"event.lamp-1.lighting.measured", prefix+"action.lamp-1.turn.on", prefix+"action.lamp-1.turn.off", prefix+"action.lamp-1.dim"))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	addrs := c.ListenAddrs()

	at, err := time.Parse(time.RFC3339, "2026-11-29T06:00:00Z")
	require.NoError(t, err)
	sentAt := ptr(sl.SentAt(at))
	measured := &sl.LightMeasuredPayload{Lumens: ptr[int64](5), SentAt: sentAt}
	on := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOn), SentAt: sentAt}
	off := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOff), SentAt: sentAt}
	dim := &sl.DimLightPayload{Percentage: ptr[int64](40), SentAt: sentAt}
	pub := sl.NewKafkaPublisher(newClient(t, addrs))
	ctx := context.Background()
	require.NoError(t, pub.PublishLightMeasured(ctx, "lamp-1", measured, &sl.LightMeasuredHeaders{MyAppHeader: ptr[int64](7)}))
	require.NoError(t, pub.PublishTurnOn(ctx, "lamp-1", on, nil))
	require.NoError(t, pub.PublishTurnOff(ctx, "lamp-1", off, nil))
	require.NoError(t, pub.PublishDimLight(ctx, "lamp-1", dim, nil))
	var ve *sl.ValidationError
	require.ErrorAs(t, pub.PublishDimLight(ctx, "lamp-1", &sl.DimLightPayload{Percentage: ptr[int64](101)}, nil), &ve)

	consumer := newClient(t, addrs, sl.KafkaConsumeOptions("v3")...)
	require.Equal(t, "my-app-id", consumer.OptValue(kgo.ClientID))
	rec := &recorder{got: make(chan delivery, 8)}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sl.NewKafkaSubscriber(consumer, rec).Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	want := map[string]delivery{
		"lightMeasured": {message: "lightMeasured", payload: marshal(t, measured), streetlight: "lamp-1", header: ptr[int64](7)},
		"turnOn":        {message: "turnOn", payload: marshal(t, on), streetlight: "lamp-1"},
		"turnOff":       {message: "turnOff", payload: marshal(t, off), streetlight: "lamp-1"},
		"dimLight":      {message: "dimLight", payload: marshal(t, dim), streetlight: "lamp-1"},
	}
	for range 4 {
		select {
		case d := <-rec.got:
			require.Equal(t, want[d.message], d)
			delete(want, d.message)
		case <-time.After(time.Minute):
			t.Fatal("no delivery within a minute")
		}
	}
}
