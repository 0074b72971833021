package brokerreply_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	br "github.com/asyncgen/asyncgen/internal/brokers/brokerreply"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// quoter answers quote requests with reply(v), recording the shop each
// came from.
type quoter struct {
	br.NopHandler
	reply func(v *br.QuoteRequestedPayload) *br.QuotedPayload
	mu    sync.Mutex
	shops []string
}

func (q *quoter) HandleQuoteRequested(ctx context.Context, v *br.QuoteRequestedPayload) (*br.QuotedPayload, error) {
	if p, ok := br.QuotesParametersFromContext(ctx); ok {
		q.mu.Lock()
		q.shops = append(q.shops, p.Shop)
		q.mu.Unlock()
	}
	return q.reply(v), nil
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

// serve runs a NATSSubscriber with h until the test ends, once it has
// subscribed.
func serve(t *testing.T, nc *nats.Conn, h br.Handler, opts ...br.SubscriberOption) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- br.NewNATSSubscriber(nc, h, opts...).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})
	waitSubscribed(t, nc, "pricing.quotes.probe")
}

// waitSubscribed waits until a request on subject has a responder: the
// subscriber answers the probe's empty payload with an error header.
func waitSubscribed(t *testing.T, nc *nats.Conn, subject string) {
	t.Helper()
	require.Eventually(t, func() bool {
		_, err := nc.Request(subject, nil, time.Second)
		return !errors.Is(err, nats.ErrNoResponders) && !errors.Is(err, nats.ErrTimeout)
	}, 30*time.Second, 20*time.Millisecond)
}

func requestCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestNATSRequestGetsTheHandlersReply(t *testing.T) {
	nc := brokertest.NATS(t)
	q := &quoter{reply: func(v *br.QuoteRequestedPayload) *br.QuotedPayload {
		return &br.QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: br.QuotedPayloadCurrencyEur}
	}}
	serve(t, nc, q)
	pub := br.NewNATSPublisher(nc)
	got, err := pub.RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 4})
	require.NoError(t, err)
	require.Equal(t, &br.QuotedPayload{Product: "tea", Price: 10, Currency: br.QuotedPayloadCurrencyEur}, got)
	q.mu.Lock()
	defer q.mu.Unlock()
	require.Equal(t, []string{"north"}, q.shops)
}

func TestNATSInvalidReplyIsAnErrorAtTheRequester(t *testing.T) {
	nc := brokertest.NATS(t)
	q := &quoter{reply: func(v *br.QuoteRequestedPayload) *br.QuotedPayload {
		return &br.QuotedPayload{Product: v.Product, Price: -1, Currency: "GBP"}
	}}
	var reports invalidReports
	serve(t, nc, q, br.SubscribeInvalidMessages(reports.report))
	before := len(reports.all())
	_, err := br.NewNATSPublisher(nc).RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorContains(t, err, "the subscriber refused it")
	require.ErrorContains(t, err, "the handler's reply Quoted is invalid and was not sent")
	errs := reports.all()[before:]
	require.Len(t, errs, 1)
	var ve *br.ValidationError
	require.ErrorAs(t, errs[0], &ve, "the subscriber reports the invalid reply with its violations")
}

func TestNATSNilReplyIsAnErrorAtTheRequester(t *testing.T) {
	nc := brokertest.NATS(t)
	serve(t, nc, &quoter{reply: func(*br.QuoteRequestedPayload) *br.QuotedPayload { return nil }})
	_, err := br.NewNATSPublisher(nc).RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorContains(t, err, "the handler returned neither a reply nor an error")
}

func TestNATSInvalidRequestIsAnsweredWithAnError(t *testing.T) {
	nc := brokertest.NATS(t)
	serve(t, nc, &quoter{reply: func(*br.QuoteRequestedPayload) *br.QuotedPayload {
		t.Error("the handler got an invalid request")
		return nil
	}})
	msg, err := nc.Request("pricing.quotes.north", []byte(`{"product":"","quantity":0}`), 30*time.Second)
	require.NoError(t, err)
	require.Empty(t, msg.Data)
	require.Contains(t, msg.Header.Get("asyncgen-error"), "payload")
}

func TestNATSRequestValidatesTheReplyItGets(t *testing.T) {
	nc := brokertest.NATS(t)
	// A responder that is not a generated subscriber answers an invalid reply.
	sub, err := nc.Subscribe("pricing.quotes.north", func(m *nats.Msg) {
		_ = m.Respond([]byte(`{"product":"tea","price":0,"currency":"EUR"}`))
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	_, err = br.NewNATSPublisher(nc).RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorContains(t, err, "the reply is not a valid Quoted message")
	var ve *br.ValidationError
	require.ErrorAs(t, err, &ve)
}

func TestNATSRequestWaitsNoLongerThanItsContext(t *testing.T) {
	nc := brokertest.NATS(t)
	// A responder that never answers.
	sub, err := nc.Subscribe("pricing.quotes.north", func(*nats.Msg) {})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	require.NoError(t, nc.Flush())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = br.NewNATSPublisher(nc).RequestQuoteRequested(ctx, "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = br.NewNATSPublisher(nc).RequestQuoteRequested(ctx, "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorIs(t, err, context.Canceled)
}

func TestNATSInvalidRequestIsNeverSent(t *testing.T) {
	nc := brokertest.NATS(t)
	_, err := br.NewNATSPublisher(nc).RequestQuoteRequested(requestCtx(t), "north", &br.QuoteRequestedPayload{Product: "tea", Quantity: 0})
	var ve *br.ValidationError
	require.ErrorAs(t, err, &ve)
	_, err = br.NewNATSPublisher(nc).RequestQuoteRequested(requestCtx(t), "no.rth", &br.QuoteRequestedPayload{Product: "tea", Quantity: 1})
	require.ErrorContains(t, err, "cannot be part of the address")
}

// TestNATSRequestHandledBeforeIsAnsweredWithAnError sends the same request
// twice to a subscriber with an idempotency store. Over core NATS a
// message's key is the SHA-256 of its subject and payload, so the second
// is a request handled before: it is not handled again, and its requester
// learns at once that its reply was not kept. A message without a reply
// in the spec, handled before, is still answered with an empty payload.
func TestNATSRequestHandledBeforeIsAnsweredWithAnError(t *testing.T) {
	nc := brokertest.NATS(t)
	var calls atomic.Int32
	q := &quoter{reply: func(v *br.QuoteRequestedPayload) *br.QuotedPayload {
		calls.Add(1)
		return &br.QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: br.QuotedPayloadCurrencyEur}
	}}
	serve(t, nc, q, br.SubscribeIdempotency(br.NewMemoryIdempotencyStore(time.Hour, 100)))
	pub := br.NewNATSPublisher(nc)
	v := &br.QuoteRequestedPayload{Product: "tea", Quantity: 4}
	got, err := pub.RequestQuoteRequested(requestCtx(t), "north", v)
	require.NoError(t, err)
	require.Equal(t, 10.0, got.Price)

	_, err = pub.RequestQuoteRequested(requestCtx(t), "north", v)
	require.ErrorContains(t, err, "the subscriber refused it: the request was handled before, and its reply was not kept")
	require.False(t, errors.Is(err, context.DeadlineExceeded))
	require.Equal(t, int32(1), calls.Load(), "the request is handled once")

	for i := range 2 {
		msg, err := nc.Request("pricing.events", []byte(`{"product":"tea"}`), 30*time.Second)
		require.NoError(t, err)
		require.Empty(t, msg.Data, "answer %d", i)
		require.Empty(t, msg.Header.Get("asyncgen-error"), "answer %d: a message without a reply in the spec", i)
	}
}
