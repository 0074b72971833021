package mqttoverlap_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	mo "github.com/asyncgen/asyncgen/internal/brokers/mqttoverlap"
)

// connect opens an MQTT 5 connection to the broker at addr with manual
// acknowledgements and the configuration passed through configure,
// closed when the test ends.
func connect(t *testing.T, addr, id string, configure func(autopaho.ClientConfig) autopaho.ClientConfig) *autopaho.ConnectionManager {
	t.Helper()
	u, err := url.Parse("mqtt://" + addr)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cm, err := autopaho.NewConnection(ctx, configure(autopaho.ClientConfig{
		ServerUrls:                    []*url.URL{u},
		KeepAlive:                     30,
		CleanStartOnInitialConnection: true,
		ClientConfig:                  paho.ClientConfig{ClientID: id, EnableManualAcknowledgment: true},
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

// recorder is a Handler sending "<handler> <n>" for each message to got.
type recorder struct{ got chan string }

func (r *recorder) record(name string, v *mo.Note) error {
	r.got <- fmt.Sprintf("%s %d", name, v.N)
	return nil
}

func (r *recorder) HandleTurnOn(_ context.Context, v *mo.Note) error { return r.record("turnOn", v) }
func (r *recorder) HandleLightAction(_ context.Context, v *mo.Note) error {
	return r.record("lightAction", v)
}
func (r *recorder) HandleReading(_ context.Context, v *mo.Note) error { return r.record("reading", v) }
func (r *recorder) HandleReadingV2(_ context.Context, v *mo.Note) error {
	return r.record("readingV2", v)
}
func (r *recorder) HandleLamp(_ context.Context, v *mo.Note) error { return r.record("lamp", v) }
func (r *recorder) HandleKitchenDevice(_ context.Context, v *mo.Note) error {
	return r.record("kitchenDevice", v)
}

// TestMQTTOverlappingFiltersHandleEachMessageOnce publishes to topics
// that match several channels' filters (one filter containing another,
// equal filters, filters overlapping without containing each other): the
// subscriber subscribes to merged filters, so the broker sends each
// message once, and the handler of the first channel matching its topic
// gets it once. A last message marks the end: every copy the broker sends
// of the messages before it arrives before it on the one connection.
func TestMQTTOverlappingFiltersHandleEachMessageOnce(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	rec := &recorder{got: make(chan string, 64)}
	var invalid []error
	sub := mo.NewMQTTSubscriber(rec, mo.SubscribeInvalidMessages(func(_ string, _ []byte, err error) { invalid = append(invalid, err) }))
	connect(t, addr, "sub", sub.Configure)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(ctx) }()
	defer func() {
		cancel()
		require.True(t, errors.Is(<-done, context.Canceled))
	}()

	pub := mo.NewMQTTPublisher(connect(t, addr, "pub", func(cfg autopaho.ClientConfig) autopaho.ClientConfig { return cfg }))
	// The subscriber subscribes once its connection is up, and a message
	// published before that is not sent to it: publish warm-up messages
	// (negative numbers) until one arrives.
	first := time.Now()
	for attempt := 1; ; attempt++ {
		require.NoError(t, pub.PublishKitchenDevice(ctx, "start", &mo.Note{N: int64(-attempt)}))
		select {
		case <-rec.got:
		case <-time.After(100 * time.Millisecond):
			require.Less(t, time.Since(first), time.Minute, "the subscriber never subscribed")
			continue
		}
		break
	}

	require.NoError(t, pub.PublishTurnOn(ctx, "1", &mo.Note{N: 1}))             // lights/1/on: both lights channels
	require.NoError(t, pub.PublishLightAction(ctx, "1", "off", &mo.Note{N: 2})) // lights/1/off
	require.NoError(t, pub.PublishReading(ctx, "7", &mo.Note{N: 3}))            // meters/7/reading: both meters filters
	require.NoError(t, pub.PublishLamp(ctx, "kitchen", &mo.Note{N: 4}))         // rooms/kitchen/lamp: both rooms channels
	require.NoError(t, pub.PublishLamp(ctx, "hall", &mo.Note{N: 5}))            // rooms/hall/lamp
	require.NoError(t, pub.PublishKitchenDevice(ctx, "fan", &mo.Note{N: 6}))    // rooms/kitchen/fan
	require.NoError(t, pub.PublishKitchenDevice(ctx, "end", &mo.Note{N: 99}))
	var got []string
	for {
		select {
		case g := <-rec.got:
			if !strings.HasPrefix(g, "kitchenDevice -") {
				got = append(got, g)
			}
		case <-time.After(time.Minute):
			t.Fatalf("the last message did not arrive within a minute; got %v", got)
		}
		if len(got) > 0 && got[len(got)-1] == "kitchenDevice 99" {
			break
		}
	}
	require.Equal(t, []string{"turnOn 1", "lightAction 2", "reading 3", "lamp 4", "lamp 5", "kitchenDevice 6", "kitchenDevice 99"}, got)
	require.Empty(t, invalid)
	require.ElementsMatch(t, []string{"lights/+/+", "meters/+/reading", "rooms/+/+"}, mo.MQTTTopicFilters())
}
