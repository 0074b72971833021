package brokerreply_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	br "github.com/asyncgen/asyncgen/internal/brokers/brokerreply"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// TestKafkaReplyTopicMatchingTheRequestsIsNotAnsweredBack requests a
// quote over Kafka in a spec whose reply topic, pricing.quotes.replies,
// matches the request channel pricing.quotes.{shop}: the subscriber reads
// its own reply as a request, finds it invalid, and does not answer it,
// which would send answers round for ever.
func TestKafkaReplyTopicMatchingTheRequestsIsNotAnsweredBack(t *testing.T) {
	addrs := brokertest.Kafka(t, "pricing.quotes.north", "pricing.quotes.replies", "pricing.events")

	q := &quoter{reply: func(v *br.QuoteRequestedPayload) *br.QuotedPayload {
		return &br.QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: br.QuotedPayloadCurrencyEur}
	}}
	var reports invalidReports
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	consumer := brokertest.KafkaClient(t, addrs, br.KafkaConsumeOptions("pricing")...)
	go func() {
		done <- br.NewKafkaSubscriber(consumer, q, br.SubscribeInvalidMessages(reports.report)).Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})

	req := br.NewKafkaRequester(brokertest.KafkaClient(t, addrs), brokertest.KafkaClient(t, addrs, br.KafkaReplyOptions()...))
	got, err := req.RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 4})
	require.NoError(t, err)
	require.Equal(t, 10.0, got.Price)

	// The subscriber reads the reply on pricing.quotes.replies as a
	// request from shop "replies": invalid, and not answered.
	require.Eventually(t, func() bool { return len(reports.all()) == 2 }, time.Minute, 10*time.Millisecond)
	errs := reports.all()
	require.ErrorContains(t, errs[0], "payload")
	require.ErrorContains(t, errs[1], "its reply would go to the topic it came on (pricing.quotes.replies)")

	// A second request goes the same way, and no answer to a reply ever
	// reached the requester.
	_, err = req.RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(reports.all()) == 4 }, time.Minute, 10*time.Millisecond)
	require.Zero(t, req.DroppedReplies())
}
