package brokeroverlap_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
	"github.com/stretchr/testify/require"

	mo "github.com/asyncgen/asyncgen/internal/brokers/brokeroverlap"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
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

// TestMQTTOverlappingFiltersHandleEachMessageOnce: the subscriber
// subscribes to merged filters, so that the broker sends each message
// once (see publishAll).
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

	publishAll(t, rec, mqttPublisher{mo.NewMQTTPublisher(connect(t, addr, "pub", func(cfg autopaho.ClientConfig) autopaho.ClientConfig { return cfg }))})
	require.Empty(t, invalid)
	require.ElementsMatch(t, []string{"lights/+/+", "meters/+/reading", "rooms/+/+"}, mo.MQTTTopicFilters())
}

// TestMQTTMergedFilterLeavesOtherTopicsAlone: rooms/{room}/lamp and
// rooms/kitchen/{device} are subscribed as rooms/+/+, which also lets
// through topics of neither channel (rooms/hall/fan). Such a message is
// no message of the spec's: it is acknowledged and dropped, neither
// reported invalid nor dead-lettered, and the messages after it are
// handled.
func TestMQTTMergedFilterLeavesOtherTopicsAlone(t *testing.T) {
	addr := brokertest.Mosquitto(t)
	rec := &recorder{got: make(chan string, 64)}
	invalid := make(chan error, 8)
	sub := mo.NewMQTTSubscriber(rec,
		mo.SubscribeInvalidMessages(func(_ string, _ []byte, err error) { invalid <- err }),
		mo.SubscribeDeadLetter("dead"))
	connect(t, addr, "sub", sub.Configure)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(ctx) }()
	defer func() {
		cancel()
		require.True(t, errors.Is(<-done, context.Canceled))
	}()
	pubConn := connect(t, addr, "pub", func(cfg autopaho.ClientConfig) autopaho.ClientConfig { return cfg })
	pub := mqttPublisher{mo.NewMQTTPublisher(pubConn)}
	// The two other rooms topics and the last message travel after the
	// subscriber is known to be subscribed (publishAll's warm-up).
	publishAll(t, rec, pub)
	for _, topic := range []string{"rooms/hall/fan", "rooms/bedroom/heater"} {
		_, err := pubConn.Publish(context.Background(), &paho.Publish{Topic: topic, QoS: 1, Payload: []byte(`{"n":1}`)})
		require.NoError(t, err)
	}
	require.NoError(t, pub.PublishKitchenDevice(context.Background(), "last", &mo.Note{N: 100}))
	select {
	case got := <-rec.got:
		require.Equal(t, "kitchenDevice 100", got)
	case <-time.After(time.Minute):
		t.Fatal("the message after the other topics was not handled within a minute")
	}
	select {
	case err := <-invalid:
		t.Fatalf("a topic of no channel was reported invalid: %v", err)
	default:
	}
}
