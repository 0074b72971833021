package brokeroverlap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	mo "github.com/asyncgen/asyncgen/internal/brokers/brokeroverlap"
)

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

// publisher is what the MQTT and NATS publishers have in common.
type publisher interface {
	PublishTurnOn(ctx context.Context, id string, v *mo.Note) error
	PublishLightAction(ctx context.Context, id, action string, v *mo.Note) error
	PublishReading(ctx context.Context, id string, v *mo.Note) error
	PublishLamp(ctx context.Context, room string, v *mo.Note) error
	PublishKitchenDevice(ctx context.Context, device string, v *mo.Note) error
}

type mqttPublisher struct{ *mo.MQTTPublisher }

// publishAll publishes to topics that match several channels' filters or
// subjects (one containing another, equal ones, ones overlapping without
// containing each other), then a last message, and checks that the
// handler of the first channel matching each topic got each message
// once. Every copy the broker sends of the messages before the last
// arrives before it on the one connection.
func publishAll(t *testing.T, rec *recorder, pub publisher) {
	t.Helper()
	ctx := context.Background()
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

	require.NoError(t, pub.PublishTurnOn(ctx, "1", &mo.Note{N: 1}))
	require.NoError(t, pub.PublishLightAction(ctx, "1", "off", &mo.Note{N: 2}))
	require.NoError(t, pub.PublishReading(ctx, "7", &mo.Note{N: 3}))
	require.NoError(t, pub.PublishLamp(ctx, "kitchen", &mo.Note{N: 4}))
	require.NoError(t, pub.PublishLamp(ctx, "hall", &mo.Note{N: 5}))
	require.NoError(t, pub.PublishKitchenDevice(ctx, "fan", &mo.Note{N: 6}))
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
}
