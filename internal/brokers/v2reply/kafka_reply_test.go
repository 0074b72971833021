package v2reply_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	v2 "github.com/asyncgen/asyncgen/internal/brokers/v2reply"
)

// newRequester makes a KafkaPublisher with a replies client.
func newRequester(t *testing.T, addrs []string) *v2.KafkaPublisher {
	t.Helper()
	return v2.NewKafkaRequester(brokertest.KafkaClient(t, addrs), brokertest.KafkaClient(t, addrs, v2.KafkaReplyOptions()...))
}

// serveKafka runs a KafkaSubscriber with h until the test ends.
func serveKafka(t *testing.T, addrs []string, h v2.Handler, opts ...v2.SubscriberOption) {
	t.Helper()
	consumer := brokertest.KafkaClient(t, addrs, v2.KafkaConsumeOptions("pricing")...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v2.NewKafkaSubscriber(consumer, h, opts...).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})
}

// uuid is what a random correlation ID looks like.
var uuid = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// header is the value of a record's header key.
func header(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func TestKafkaRequestGetsTheHandlersReply(t *testing.T) {
	addrs := brokertest.Kafka(t, "quotes.north", "quote-replies", "stock-queries", "stock-levels")
	p := &pricing{quote: price, stock: level}
	serveKafka(t, addrs, p)
	req := newRequester(t, addrs)

	got, err := req.RequestQuoteRequested(testCtx(t), "north", &v2.QuoteRequestedPayload{Product: "tea", Quantity: 4}, nil)
	require.NoError(t, err)
	require.Equal(t, &v2.QuotedPayload{Product: "tea", Price: 10, Currency: v2.QuotedPayloadCurrencyEur}, got)

	stock, err := req.RequestStockQuery(testCtx(t), &v2.StockQueryPayload{Sku: "TEA-1"}, nil)
	require.NoError(t, err, "the x-reply without messages answers with its channel's message")
	require.Equal(t, &v2.StockLevelPayload{Sku: "TEA-1", Available: 7}, stock)

	p.mu.Lock()
	defer p.mu.Unlock()
	require.Equal(t, []string{"north"}, p.shops)
	require.Zero(t, req.PendingRequests())
	require.Zero(t, req.DroppedReplies())
}

func TestKafkaInvalidReplyIsAnErrorAtTheRequester(t *testing.T) {
	addrs := brokertest.Kafka(t, "quotes.north", "quote-replies", "stock-queries", "stock-levels")
	var reports invalidReports
	serveKafka(t, addrs, &pricing{stock: func(v *v2.StockQueryPayload) *v2.StockLevelPayload {
		return &v2.StockLevelPayload{Sku: v.Sku, Available: -1}
	}}, v2.SubscribeInvalidMessages(reports.report))
	_, err := newRequester(t, addrs).RequestStockQuery(testCtx(t), &v2.StockQueryPayload{Sku: "TEA-1"}, nil)
	require.ErrorContains(t, err, "the subscriber refused it")
	require.ErrorContains(t, err, "the handler's reply StockLevel is invalid and was not sent")
	// The subscriber also consumes stock-levels, the channel of the
	// spec's sendStockLevel operation, where it reads the error record it
	// answered with: the invalid reply is the first report.
	errs := reports.all()
	require.NotEmpty(t, errs)
	require.ErrorContains(t, errs[0], "the handler's reply StockLevel is invalid")
	var ve *v2.ValidationError
	require.ErrorAs(t, errs[0], &ve, "the subscriber reports the invalid reply with its violations")
}

func TestKafkaRequestWaitsNoLongerThanItsContext(t *testing.T) {
	addrs := brokertest.Kafka(t, "quotes.north", "quote-replies", "stock-queries", "stock-levels")
	requests := brokertest.KafkaClient(t, addrs, kgo.ConsumeTopics("stock-queries"))
	req := newRequester(t, addrs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := req.RequestStockQuery(ctx, &v2.StockQueryPayload{Sku: "TEA-1"}, nil)
		done <- err
	}()
	var request *kgo.Record
	for request == nil {
		fetches := requests.PollRecords(testCtx(t), 1)
		require.NoError(t, fetches.Err0())
		if recs := fetches.Records(); len(recs) > 0 {
			request = recs[0]
		}
	}
	require.Regexp(t, uuid, header(request, "requestId"), "the correlation ID travels in the header the request's correlationId names")
	require.Equal(t, "stock-levels", header(request, "asyncgen-reply-to"), "the reply topic is the x-reply's channel")
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled, "nobody answers: the context bounds the wait")
	require.ErrorContains(t, err, "no reply on stock-levels before the context ended")
	require.Zero(t, req.PendingRequests())
}
