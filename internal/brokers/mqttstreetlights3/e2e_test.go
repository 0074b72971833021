package mqttstreetlights3_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	sl "github.com/asyncgen/asyncgen/internal/brokers/mqttstreetlights3"
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

// connect opens an MQTT 5 connection through configure, closed when the
// test ends.
func connect(t *testing.T, addr, id string, configure func(autopaho.ClientConfig) autopaho.ClientConfig) *autopaho.ConnectionManager {
	t.Helper()
	u, err := url.Parse("mqtt://" + addr)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cm, err := autopaho.NewConnection(ctx, configure(autopaho.ClientConfig{
		ServerUrls: []*url.URL{u}, KeepAlive: 30, CleanStartOnInitialConnection: true,
		ClientConfig: paho.ClientConfig{ClientID: id, EnableManualAcknowledgment: true},
	}))
	require.NoError(t, err)
	require.NoError(t, cm.AwaitConnection(ctx))
	return cm
}

// TestMQTTV3EveryMessageRoundTrips publishes every message of the
// AsyncAPI 3.0 streetlights MQTT document and receives each equal, with
// its parameter and header.
func TestMQTTV3EveryMessageRoundTrips(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	rec := &recorder{got: make(chan delivery, 64)}
	sub := sl.NewMQTTSubscriber(rec)
	connect(t, addr, "sub", sub.Configure)
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	pub := sl.NewMQTTPublisher(connect(t, addr, "pub", func(c autopaho.ClientConfig) autopaho.ClientConfig { return c }))
	ctx := context.Background()
	// Probe until the subscription is in place, then fence the probes.
	deadline := time.Now().Add(time.Minute)
	for probed := false; !probed; {
		require.True(t, time.Now().Before(deadline), "not subscribed within a minute")
		require.NoError(t, pub.PublishDimLight(ctx, "probe", &sl.DimLightPayload{}, nil))
		select {
		case <-rec.got:
			probed = true
		case <-time.After(50 * time.Millisecond):
		}
	}
	require.NoError(t, pub.PublishDimLight(ctx, "fence", &sl.DimLightPayload{}, nil))
	for d := <-rec.got; d.streetlight != "fence"; d = <-rec.got {
	}

	at, err := time.Parse(time.RFC3339, "2026-11-29T06:00:00Z")
	require.NoError(t, err)
	sentAt := ptr(sl.SentAt(at))
	measured := &sl.LightMeasuredPayload{Lumens: ptr[int64](5), SentAt: sentAt}
	on := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOn), SentAt: sentAt}
	off := &sl.TurnOnOffPayload{Command: ptr(sl.TurnOnOffPayloadCommandOff), SentAt: sentAt}
	dim := &sl.DimLightPayload{Percentage: ptr[int64](40), SentAt: sentAt}
	require.NoError(t, pub.PublishLightMeasured(ctx, "lamp-1", measured, &sl.LightMeasuredHeaders{MyAppHeader: ptr[int64](7)}))
	require.NoError(t, pub.PublishTurnOn(ctx, "lamp-1", on, nil))
	require.NoError(t, pub.PublishTurnOff(ctx, "lamp-1", off, nil))
	require.NoError(t, pub.PublishDimLight(ctx, "lamp-1", dim, nil))
	var ve *sl.ValidationError
	require.ErrorAs(t, pub.PublishDimLight(ctx, "lamp-1", &sl.DimLightPayload{Percentage: ptr[int64](101)}, nil), &ve)

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
