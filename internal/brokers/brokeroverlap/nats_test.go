package brokeroverlap_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	mo "github.com/asyncgen/asyncgen/internal/brokers/brokeroverlap"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// runUntilEnd runs Run until the test ends, and checks that it returned
// the context's error.
func runUntilEnd(t *testing.T, run func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	})
}

// TestNATSOverlappingSubjectsHandleEachMessageOnce: every address is one
// token holding a parameter, so every channel's subscription is to *, and
// core NATS sends each message to each of them; the subscriber handles it
// once, as a message of the first channel matching its subject (see
// publishAll).
func TestNATSOverlappingSubjectsHandleEachMessageOnce(t *testing.T) {
	nc := brokertest.NATSWithJetStream(t)
	rec := &recorder{got: make(chan string, 64)}
	var invalid []error
	runUntilEnd(t, mo.NewNATSSubscriber(nc, rec, mo.SubscribeInvalidMessages(func(_ string, _ []byte, err error) { invalid = append(invalid, err) })).Run)
	publishAll(t, rec, mo.NewNATSPublisher(nc))
	require.Empty(t, invalid)
}

// TestNATSSubjectsMakeAStream makes a JetStream stream of NATSSubjects,
// which a stream accepts only when no two overlap, and consumes the
// messages from it, each once.
func TestNATSSubjectsMakeAStream(t *testing.T) {
	nc := brokertest.NATSWithJetStream(t)
	require.Equal(t, []string{"*"}, mo.NATSSubjects())
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx := context.Background()
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "OVERLAP", Subjects: mo.NATSSubjects()})
	require.NoError(t, err)
	cons, err := st.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "overlap", AckPolicy: jetstream.AckExplicitPolicy})
	require.NoError(t, err)
	rec := &recorder{got: make(chan string, 64)}
	runUntilEnd(t, mo.NewNATSJetStreamSubscriber(nc, cons, rec).Run)
	publishAll(t, rec, mo.NewNATSJetStreamPublisher(js))
}
