package v2reply_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	v2 "github.com/asyncgen/asyncgen/internal/brokers/v2reply"
)

// pricing answers quotes with quote(v) and stock queries with stock(v),
// recording the shop each quote came from.
type pricing struct {
	v2.NopHandler
	quote func(v *v2.QuoteRequestedPayload) *v2.QuotedPayload
	stock func(v *v2.StockQueryPayload) *v2.StockLevelPayload
	mu    sync.Mutex
	shops []string
}

func (p *pricing) HandleQuoteRequested(ctx context.Context, v *v2.QuoteRequestedPayload) (*v2.QuotedPayload, error) {
	if params, ok := v2.QuotesShopParametersFromContext(ctx); ok {
		p.mu.Lock()
		p.shops = append(p.shops, params.Shop)
		p.mu.Unlock()
	}
	return p.quote(v), nil
}

func (p *pricing) HandleStockQuery(_ context.Context, v *v2.StockQueryPayload) (*v2.StockLevelPayload, error) {
	return p.stock(v), nil
}

// price is the quote of a well-behaved pricing service.
func price(v *v2.QuoteRequestedPayload) *v2.QuotedPayload {
	return &v2.QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: v2.QuotedPayloadCurrencyEur}
}

// level is the stock level of a well-behaved stock service.
func level(v *v2.StockQueryPayload) *v2.StockLevelPayload {
	return &v2.StockLevelPayload{Sku: v.Sku, Available: 7}
}

// invalidReports collects what SubscribeInvalidMessages reports.
type invalidReports struct {
	mu   sync.Mutex
	errs []error
}

func (r *invalidReports) report(_ string, _ []byte, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

func (r *invalidReports) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

// serveNATS runs a NATSSubscriber with h until the test ends, once it has
// subscribed.
func serveNATS(t *testing.T, nc *nats.Conn, h v2.Handler, opts ...v2.SubscriberOption) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v2.NewNATSSubscriber(nc, h, opts...).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})
	// The subscriber answers the probe's empty payload with an error header.
	require.Eventually(t, func() bool {
		_, err := nc.Request("quotes.probe", nil, time.Second)
		return !errors.Is(err, nats.ErrNoResponders) && !errors.Is(err, nats.ErrTimeout)
	}, 30*time.Second, 20*time.Millisecond)
}

// testCtx is a context for a request that ends with the test, or after a
// minute, so that a broken test fails rather than hangs.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestNATSRequestGetsTheHandlersReply(t *testing.T) {
	nc := brokertest.NATS(t)
	p := &pricing{quote: price, stock: level}
	serveNATS(t, nc, p)
	pub := v2.NewNATSPublisher(nc)

	got, err := pub.RequestQuoteRequested(testCtx(t), "north", &v2.QuoteRequestedPayload{Product: "tea", Quantity: 4}, nil)
	require.NoError(t, err)
	require.Equal(t, &v2.QuotedPayload{Product: "tea", Price: 10, Currency: v2.QuotedPayloadCurrencyEur}, got)

	stock, err := pub.RequestStockQuery(testCtx(t), &v2.StockQueryPayload{Sku: "TEA-1"}, nil)
	require.NoError(t, err, "the x-reply without messages answers with its channel's message")
	require.Equal(t, &v2.StockLevelPayload{Sku: "TEA-1", Available: 7}, stock)

	p.mu.Lock()
	defer p.mu.Unlock()
	require.Equal(t, []string{"north"}, p.shops)
}

func TestNATSInvalidReplyIsAnErrorAtTheRequester(t *testing.T) {
	nc := brokertest.NATS(t)
	var reports invalidReports
	serveNATS(t, nc, &pricing{quote: func(v *v2.QuoteRequestedPayload) *v2.QuotedPayload {
		return &v2.QuotedPayload{Product: v.Product, Price: -1, Currency: "GBP"}
	}}, v2.SubscribeInvalidMessages(reports.report))
	before := len(reports.all())
	_, err := v2.NewNATSPublisher(nc).RequestQuoteRequested(testCtx(t), "north", &v2.QuoteRequestedPayload{Product: "tea", Quantity: 1}, nil)
	require.ErrorContains(t, err, "the handler's reply Quoted is invalid and was not sent")
	errs := reports.all()[before:]
	require.Len(t, errs, 1)
	var ve *v2.ValidationError
	require.ErrorAs(t, errs[0], &ve, "the subscriber reports the invalid reply with its violations")
}

func TestNATSRequestValidatesTheReplyItGets(t *testing.T) {
	nc := brokertest.NATS(t)
	// A responder that is not a generated subscriber answers an invalid reply.
	sub, err := nc.Subscribe("stock-queries", func(m *nats.Msg) {
		_ = m.Respond([]byte(`{"sku":"TEA-1","available":-3}`))
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	_, err = v2.NewNATSPublisher(nc).RequestStockQuery(testCtx(t), &v2.StockQueryPayload{Sku: "TEA-1"}, nil)
	require.ErrorContains(t, err, "the reply is not a valid StockLevel message")
	var ve *v2.ValidationError
	require.ErrorAs(t, err, &ve)
}

func TestNATSRequestWaitsNoLongerThanItsContext(t *testing.T) {
	nc := brokertest.NATS(t)
	// A responder that never answers, and ends the requester's context
	// once the request has reached it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub, err := nc.Subscribe("quotes.north", func(*nats.Msg) { cancel() })
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	require.NoError(t, nc.Flush())
	_, err = v2.NewNATSPublisher(nc).RequestQuoteRequested(ctx, "north", &v2.QuoteRequestedPayload{Product: "tea", Quantity: 1}, nil)
	require.ErrorIs(t, err, context.Canceled)
}
