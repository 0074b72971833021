package mqttstreetlights_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	ms "github.com/asyncgen/asyncgen/internal/brokers/mqttstreetlights"
)

const deadTopic = "streetlights/dead-letter"

// connect opens an MQTT 5 connection to the broker at addr with manual
// acknowledgements, closed when the test ends.
func connect(t *testing.T, addr, id string, received ...func(paho.PublishReceived) (bool, error)) *autopaho.ConnectionManager {
	t.Helper()
	return connectWith(t, addr, id, func(cfg autopaho.ClientConfig) autopaho.ClientConfig { return cfg }, received...)
}

// connectWith is connect with the configuration passed through configure
// (a subscriber's Configure).
func connectWith(t *testing.T, addr, id string, configure func(autopaho.ClientConfig) autopaho.ClientConfig, received ...func(paho.PublishReceived) (bool, error)) *autopaho.ConnectionManager {
	t.Helper()
	u, err := url.Parse("mqtt://" + addr)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cm, err := autopaho.NewConnection(ctx, configure(autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		KeepAlive:                     30,
		CleanStartOnInitialConnection: true,
		ReconnectBackoff:              autopaho.NewConstantBackoff(100 * time.Millisecond),
		ClientConfig:                  paho.ClientConfig{ClientID: id, EnableManualAcknowledgment: true, OnPublishReceived: received},
	}))
	require.NoError(t, err)
	t.Cleanup(func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		_ = cm.Disconnect(dctx)
		cancel()
	})
	actx, acancel := context.WithTimeout(ctx, time.Minute)
	defer acancel()
	require.NoError(t, cm.AwaitConnection(actx))
	return cm
}

// subscriber makes an MQTTSubscriber and its connection, closed when the
// test ends; it does not run it.
func subscriber(t *testing.T, addr, id string, h ms.Handler, opts ...ms.SubscriberOption) (*ms.MQTTSubscriber, *autopaho.ConnectionManager) {
	t.Helper()
	sub := ms.NewMQTTSubscriber(h, opts...)
	return sub, connectWith(t, addr, id, sub.Configure)
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
	if h, ok := ms.LightMeasuredHeadersFromContext(ctx); ok && h != nil {
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

func (r *recorder) HandleLightMeasured(ctx context.Context, v *ms.LightMeasuredPayload) error {
	p, _ := ms.SmartylightingStreetlights10EventStreetlightIDLightingMeasuredParametersFromContext(ctx)
	return r.deliver(ctx, "lightMeasured", v, p.StreetlightID)
}

func (r *recorder) HandleTurnOnOff(ctx context.Context, v *ms.TurnOnOffPayload) error {
	if p, ok := ms.SmartylightingStreetlights10ActionStreetlightIDTurnOnParametersFromContext(ctx); ok {
		return r.deliver(ctx, "turnOn", v, p.StreetlightID)
	}
	p, _ := ms.SmartylightingStreetlights10ActionStreetlightIDTurnOffParametersFromContext(ctx)
	return r.deliver(ctx, "turnOff", v, p.StreetlightID)
}

func (r *recorder) HandleDimLight(ctx context.Context, v *ms.DimLightPayload) error {
	p, _ := ms.SmartylightingStreetlights10ActionStreetlightIDDimParametersFromContext(ctx)
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

func sentAt(t *testing.T) *ms.SentAt {
	at, err := time.Parse(time.RFC3339, "2026-11-29T06:00:00Z")
	require.NoError(t, err)
	return ptr(ms.SentAt(at))
}

func marshal(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// publishAll publishes every message of the spec for streetlight
// lamp-1 and returns the deliveries a handler must see.
func publishAll(t *testing.T, pub *ms.MQTTPublisher) map[string]delivery {
	ctx := context.Background()
	measured := &ms.LightMeasuredPayload{Lumens: ptr[int64](5), SentAt: sentAt(t)}
	on := &ms.TurnOnOffPayload{Command: ptr(ms.TurnOnOffPayloadCommandOn), SentAt: sentAt(t)}
	off := &ms.TurnOnOffPayload{Command: ptr(ms.TurnOnOffPayloadCommandOff), SentAt: sentAt(t)}
	dim := &ms.DimLightPayload{Percentage: ptr[int64](40), SentAt: sentAt(t)}
	require.NoError(t, pub.PublishLightMeasured(ctx, "lamp-1", measured, &ms.LightMeasuredHeaders{MyAppHeader: ptr[int64](7)}))
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

// waitSubscribed publishes probes until the subscriber receives one, so
// that what the test publishes next is not sent before Run subscribed.
func waitSubscribed(t *testing.T, pub *ms.MQTTPublisher, got chan delivery) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for {
		require.True(t, time.Now().Before(deadline), "no probe arrived within a minute: the subscriber is not subscribed")
		require.NoError(t, pub.PublishDimLight(ctx, "probe", &ms.DimLightPayload{}, nil))
		select {
		case d := <-got:
			require.Equal(t, "probe", d.streetlight)
			// Probes still in flight arrive before a fence published
			// after them on the same topic.
			require.NoError(t, pub.PublishDimLight(ctx, "fence", &ms.DimLightPayload{}, nil))
			for next(t, got).streetlight != "fence" {
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestMQTTEveryMessageRoundTrips(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	rec := &recorder{got: make(chan delivery, 16)}
	sub, _ := subscriber(t, addr, "sub", rec)
	run(t, sub)
	pub := ms.NewMQTTPublisher(connect(t, addr, "pub"))
	waitSubscribed(t, pub, rec.got)
	expect(t, rec.got, publishAll(t, pub))
}

func TestMQTTPublishRefusesInvalidMessages(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	pub := ms.NewMQTTPublisher(connect(t, addr, "pub"))
	ctx := context.Background()
	var ve *ms.ValidationError
	require.ErrorAs(t, pub.PublishDimLight(ctx, "lamp-1", &ms.DimLightPayload{Percentage: ptr[int64](150)}, nil), &ve)
	require.ErrorContains(t, pub.PublishDimLight(ctx, "lamp/1", &ms.DimLightPayload{}, nil), `"lamp/1" cannot be part of the address`)
	require.ErrorContains(t, pub.PublishDimLight(ctx, "#", &ms.DimLightPayload{}, nil), "cannot be part of the address")
}

func TestMQTTInvalidMessagesGoToTheDeadLetterTopic(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	dead := make(chan *paho.Publish, 16)
	deadConn := connect(t, addr, "dead", func(pr paho.PublishReceived) (bool, error) {
		dead <- pr.Packet
		return true, pr.Client.Ack(pr.Packet)
	})
	_, err := deadConn.Subscribe(context.Background(), &paho.Subscribe{Subscriptions: []paho.SubscribeOptions{{Topic: deadTopic, QoS: 1}}})
	require.NoError(t, err)

	rec := &recorder{got: make(chan delivery, 16)}
	sub, _ := subscriber(t, addr, "sub", rec, ms.SubscribeDeadLetter(deadTopic), ms.SubscribeInvalidMessages(func(string, []byte, error) {}))
	run(t, sub)
	pubConn := connect(t, addr, "pub")
	waitSubscribed(t, ms.NewMQTTPublisher(pubConn), rec.got)
	ctx := context.Background()
	bad := []*paho.Publish{
		{Topic: "smartylighting/streetlights/1/0/action/lamp-1/dim", QoS: 1, Payload: []byte(`{"percentage":`)},
		{Topic: "smartylighting/streetlights/1/0/action/lamp-1/dim", QoS: 1, Payload: []byte(`{"percentage":150}`)},
		{Topic: "smartylighting/streetlights/1/0/event/lamp-1/lighting/measured", QoS: 1, Payload: []byte(`{"lumens":1}`),
			Properties: &paho.PublishProperties{User: paho.UserProperties{{Key: "my-app-header", Value: "abc"}}}},
		{Topic: "smartylighting/streetlights/1/0/action/lamp-1/dim", QoS: 1, Payload: []byte(`{"percentage":10}`)},
	}
	for _, p := range bad {
		_, err := pubConn.Publish(ctx, p)
		require.NoError(t, err)
	}
	require.Equal(t, delivery{message: "dimLight", payload: `{"percentage":10}`, streetlight: "lamp-1"}, next(t, rec.got))
	var values []string
	for range bad[:3] {
		select {
		case p := <-dead:
			props := map[string]string{}
			for _, u := range p.Properties.User {
				props[u.Key] = u.Value
			}
			require.NotEmpty(t, props["asyncgen-error"])
			require.Contains(t, props["asyncgen-address"], "lamp-1")
			values = append(values, string(p.Payload))
		case <-time.After(time.Minute):
			t.Fatal("no dead letter within a minute")
		}
	}
	require.ElementsMatch(t, []string{`{"percentage":`, `{"percentage":150}`, `{"lumens":1}`}, values)
}

func TestMQTTHandlerErrorIsRetriedBeforeTheAck(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	var mu sync.Mutex
	failures := 0
	rec := &recorder{got: make(chan delivery, 16), fail: func(d delivery) error {
		mu.Lock()
		defer mu.Unlock()
		if d.streetlight != "probe" && failures < 2 {
			failures++
			return fmt.Errorf("failure %d", failures)
		}
		return nil
	}}
	sub, _ := subscriber(t, addr, "sub", rec, ms.SubscribeErrors(func(string, error) {}))
	run(t, sub)
	pub := ms.NewMQTTPublisher(connect(t, addr, "pub"))
	waitSubscribed(t, pub, rec.got)
	require.NoError(t, pub.PublishDimLight(context.Background(), "lamp-1", &ms.DimLightPayload{Percentage: ptr[int64](1)}, nil))
	require.Equal(t, `{"percentage":1}`, next(t, rec.got).payload)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 2, failures)
}

// TestMQTTSubscriptionsSurviveAReconnection drops the subscriber's
// connection: autopaho reconnects with a new session, the subscriber
// subscribes again, and the messages published after it arrive.
func TestMQTTSubscriptionsSurviveAReconnection(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	rec := &recorder{got: make(chan delivery, 16)}
	sub, cm := subscriber(t, addr, "sub", rec)
	run(t, sub)
	pub := ms.NewMQTTPublisher(connect(t, addr, "pub"))
	waitSubscribed(t, pub, rec.got)
	for range 2 {
		cm.TerminateConnectionForTest()
		waitSubscribed(t, pub, rec.got)
		expect(t, rec.got, publishAll(t, pub))
	}
}

// sessionSubscriber makes an MQTTSubscriber with the idempotency store on
// a connection whose session outlives it by an hour: a subscriber with
// the same id resumes it, with the messages it was not acknowledged.
func sessionSubscriber(t *testing.T, addr, id string, clean bool, h ms.Handler, store ms.IdempotencyStore) (*ms.MQTTSubscriber, *autopaho.ConnectionManager) {
	t.Helper()
	u, err := url.Parse("mqtt://" + addr)
	require.NoError(t, err)
	sub := ms.NewMQTTSubscriber(h, ms.SubscribeIdempotency(store))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cm, err := autopaho.NewConnection(ctx, sub.Configure(autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		KeepAlive:                     30,
		CleanStartOnInitialConnection: clean,
		SessionExpiryInterval:         3600,
		ClientConfig:                  paho.ClientConfig{ClientID: id, EnableManualAcknowledgment: true},
	}))
	require.NoError(t, err)
	return sub, cm
}

// TestMQTTRestartWithAStoreHandlesEachMessageOnce stops a subscriber
// mid-stream, disconnects it, and resumes its session with another: the
// broker delivers again what was not acknowledged, and with the
// idempotency store each of 10,000 messages is handled exactly once.
func TestMQTTRestartWithAStoreHandlesEachMessageOnce(t *testing.T) {
	const total, firstShare = 10000, 3000
	addr := brokertest.Mosquitto(t)
	store := ms.NewMemoryIdempotencyStore(time.Hour, 2*total)
	first := &recorder{got: make(chan delivery, total+64)}
	sub, cm := sessionSubscriber(t, addr, "restart", true, first, store)
	stop := run(t, sub)
	pub := ms.NewMQTTPublisher(connect(t, addr, "pub"))
	waitSubscribed(t, pub, first.got)

	published := make(chan error, 1)
	go func() {
		for i := range total {
			if err := pub.PublishLightMeasured(context.Background(), "lamp-1", &ms.LightMeasuredPayload{Lumens: ptr(int64(i))}, nil); err != nil {
				published <- err
				return
			}
		}
		published <- nil
	}()
	seen := map[int64]int{}
	for range firstShare {
		count(t, seen, next(t, first.got))
	}
	stop()
	dctx, dcancel := context.WithTimeout(context.Background(), time.Minute)
	defer dcancel()
	require.NoError(t, cm.Disconnect(dctx))
	close(first.got)
	for d := range first.got {
		count(t, seen, d)
	}

	second := &recorder{got: make(chan delivery, total+64)}
	sub2, _ := sessionSubscriber(t, addr, "restart", false, second, store)
	run(t, sub2)
	for len(seen) < total {
		count(t, seen, next(t, second.got))
	}
	require.NoError(t, <-published)
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
