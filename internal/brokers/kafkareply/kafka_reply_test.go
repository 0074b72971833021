package kafkareply_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
	kr "github.com/asyncgen/asyncgen/internal/brokers/kafkareply"
)

// topics are the topics the tests use, made when the cluster starts.
var topics = []string{"quotes.north", "quotes.south", "stock-queries", "quote-replies", "stock-levels", "raw-replies"}

// newRequester makes a KafkaPublisher with a replies client.
func newRequester(t *testing.T, addrs []string) *kr.KafkaPublisher {
	t.Helper()
	return kr.NewKafkaRequester(brokertest.KafkaClient(t, addrs), brokertest.KafkaClient(t, addrs, kr.KafkaReplyOptions()...))
}

// pricing answers quotes with quote(v) and stock queries with stock(v),
// recording the shop and headers each quote came with.
type pricing struct {
	kr.NopHandler
	quote   func(v *kr.QuoteRequestedPayload) *kr.QuotedPayload
	stock   func(v *kr.StockQueryPayload) *kr.StockLevelPayload
	mu      sync.Mutex
	shops   []string
	headers []kr.QuoteRequestedHeaders
	// heard, when not nil, gets each Quoted message of the reply channel
	// quote-replies, which the subscriber consumes too (hearQuotes).
	heard chan *kr.QuotedPayload
}

func (p *pricing) HandleQuoted(_ context.Context, v *kr.QuotedPayload) error {
	if p.heard != nil {
		p.heard <- v
	}
	return nil
}

func (p *pricing) HandleQuoteRequested(ctx context.Context, v *kr.QuoteRequestedPayload) (*kr.QuotedPayload, error) {
	p.mu.Lock()
	if params, ok := kr.QuotesParametersFromContext(ctx); ok {
		p.shops = append(p.shops, params.Shop)
	}
	if h, ok := kr.QuoteRequestedHeadersFromContext(ctx); ok && h != nil {
		p.headers = append(p.headers, *h)
	}
	p.mu.Unlock()
	return p.quote(v), nil
}

func (p *pricing) HandleStockQuery(_ context.Context, v *kr.StockQueryPayload) (*kr.StockLevelPayload, error) {
	return p.stock(v), nil
}

// price is the quote of a well-behaved pricing service.
func price(v *kr.QuoteRequestedPayload) *kr.QuotedPayload {
	return &kr.QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: kr.QuotedPayloadCurrencyEur}
}

// level is the stock level of a well-behaved stock service.
func level(v *kr.StockQueryPayload) *kr.StockLevelPayload {
	return &kr.StockLevelPayload{Sku: v.Sku, Available: 7}
}

// reports collects what SubscribeInvalidMessages and SubscribeErrors
// report.
type reports struct {
	mu      sync.Mutex
	invalid []error
	failed  []error
}

func (r *reports) options() []kr.SubscriberOption {
	return []kr.SubscriberOption{
		kr.SubscribeInvalidMessages(func(_ string, _ []byte, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.invalid = append(r.invalid, err)
		}),
		kr.SubscribeErrors(func(_ string, err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.failed = append(r.failed, err)
		}),
	}
}

func (r *reports) invalids() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.invalid...)
}

// serve runs a KafkaSubscriber with h until the test ends.
func serve(t *testing.T, addrs []string, h kr.Handler, opts ...kr.SubscriberOption) {
	t.Helper()
	consumer := brokertest.KafkaClient(t, addrs, kr.KafkaConsumeOptions("pricing")...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kr.NewKafkaSubscriber(consumer, h, opts...).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})
}

// testCtx is a context for a request that ends with the test, or after a
// minute, so that a broken test fails rather than hangs.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// someID is a correlation ID of the format the spec asks for.
const someID = "0b7c7e0e-3b1e-4b8a-9d0c-5d2f3e4a5b6c"

// uuid is what a random correlation ID looks like.
var uuid = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestKafkaRequestGetsTheHandlersReply(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	p := &pricing{quote: price, stock: level}
	serve(t, addrs, p)
	req := newRequester(t, addrs)

	got, err := req.RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 4}, nil)
	require.NoError(t, err)
	require.Equal(t, &kr.QuotedPayload{Product: "tea", Price: 10, Currency: kr.QuotedPayloadCurrencyEur}, got)

	stock, err := req.RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
	require.NoError(t, err, "a request whose correlation ID and reply topic travel in asyncgen's headers")
	require.Equal(t, &kr.StockLevelPayload{Sku: "TEA-1", Available: 7}, stock)

	p.mu.Lock()
	defer p.mu.Unlock()
	require.Equal(t, []string{"north"}, p.shops)
	require.Len(t, p.headers, 1)
	require.NotNil(t, p.headers[0].CorrelationID)
	require.Regexp(t, uuid, *p.headers[0].CorrelationID, "the correlation ID travels in the header correlationId names")
	require.Equal(t, "quote-replies", *p.headers[0].ReplyTo, "the reply topic travels in the header the reply's address location names")
	require.Zero(t, req.PendingRequests())
	require.Zero(t, req.DroppedReplies())
}

func TestKafkaRequestKeepsTheCallersCorrelationIDAndReplyTopic(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	p := &pricing{quote: price}
	serve(t, addrs, p)
	producer := brokertest.KafkaClient(t, addrs)
	replies := brokertest.KafkaClient(t, addrs, kgo.ConsumeTopics("raw-replies"))
	req := kr.NewKafkaRequester(producer, replies)

	id, topic := someID, "raw-replies"
	got, err := req.RequestQuoteRequested(testCtx(t), "south", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 2},
		&kr.QuoteRequestedHeaders{CorrelationID: &id, ReplyTo: &topic})
	require.NoError(t, err)
	require.Equal(t, 5.0, got.Price)
	p.mu.Lock()
	defer p.mu.Unlock()
	require.Equal(t, []kr.QuoteRequestedHeaders{{CorrelationID: &id, ReplyTo: &topic}}, p.headers)
}

func TestKafkaInvalidReplyIsAnErrorAtTheRequester(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	var r reports
	serve(t, addrs, &pricing{quote: func(v *kr.QuoteRequestedPayload) *kr.QuotedPayload {
		return &kr.QuotedPayload{Product: v.Product, Price: -1, Currency: "GBP"}
	}}, r.options()...)
	_, err := newRequester(t, addrs).RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 1}, nil)
	require.ErrorContains(t, err, "the subscriber refused it")
	require.ErrorContains(t, err, "the handler's reply Quoted is invalid and was not sent")
	invalid := r.invalids()
	require.Len(t, invalid, 1)
	var ve *kr.ValidationError
	require.ErrorAs(t, invalid[0], &ve, "the subscriber reports the invalid reply with its violations")
}

func TestKafkaNilReplyIsAnErrorAtTheRequester(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	serve(t, addrs, &pricing{stock: func(*kr.StockQueryPayload) *kr.StockLevelPayload { return nil }})
	_, err := newRequester(t, addrs).RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
	require.ErrorContains(t, err, "the handler returned neither a reply nor an error")
}

// rawRecords consumes topic from its start with a client of its own.
func rawRecords(t *testing.T, addrs []string, topic string) *kgo.Client {
	return brokertest.KafkaClient(t, addrs, kgo.ConsumeTopics(topic))
}

// next is the next record cl reads.
func next(t *testing.T, cl *kgo.Client) *kgo.Record {
	t.Helper()
	for {
		fetches := cl.PollRecords(testCtx(t), 1)
		require.NoError(t, fetches.Err0())
		if recs := fetches.Records(); len(recs) > 0 {
			return recs[0]
		}
	}
}

// header is the value of a record's header key.
func header(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func TestKafkaInvalidRequestIsAnsweredWithAnError(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	var r reports
	serve(t, addrs, &pricing{quote: func(*kr.QuoteRequestedPayload) *kr.QuotedPayload {
		t.Error("the handler got an invalid request")
		return nil
	}}, r.options()...)
	out := rawRecords(t, addrs, "raw-replies")
	rec := &kgo.Record{Topic: "quotes.north", Value: []byte(`{"product":"","quantity":0}`), Headers: []kgo.RecordHeader{
		{Key: "correlationId", Value: []byte(someID)}, {Key: "replyTo", Value: []byte("raw-replies")},
	}}
	require.NoError(t, brokertest.KafkaClient(t, addrs).ProduceSync(testCtx(t), rec).FirstErr())
	answer := next(t, out)
	require.Empty(t, answer.Value)
	require.Equal(t, someID, header(answer, "correlationId"))
	require.Contains(t, header(answer, "asyncgen-error"), "payload")
	require.Len(t, r.invalids(), 1)
}

func TestKafkaReplyToABadTopicIsReportedAndTheSubscriberGoesOn(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	var r reports
	serve(t, addrs, &pricing{quote: price}, r.options()...)
	bad := &kgo.Record{Topic: "quotes.north", Value: []byte(`{"product":"tea","quantity":1}`), Headers: []kgo.RecordHeader{
		{Key: "correlationId", Value: []byte(someID)}, {Key: "replyTo", Value: []byte("no such/topic")},
	}}
	require.NoError(t, brokertest.KafkaClient(t, addrs).ProduceSync(testCtx(t), bad).FirstErr())
	got, err := newRequester(t, addrs).RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 4}, nil)
	require.NoError(t, err, "the record after the one naming a bad reply topic is answered")
	require.Equal(t, 10.0, got.Price)
	invalid := r.invalids()
	require.Len(t, invalid, 1)
	require.ErrorContains(t, invalid[0], `"no such/topic", from header replyTo or the spec, is not a Kafka topic`)
}

// responder answers each record of topic with answer(record), producing
// the result with the record's correlation ID.
func responder(t *testing.T, addrs []string, topic string, answer func(*kgo.Record) *kgo.Record) {
	t.Helper()
	in := rawRecords(t, addrs, topic)
	out := brokertest.KafkaClient(t, addrs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		<-done
	})
	go func() {
		defer close(done)
		for {
			fetches := in.PollFetches(ctx)
			if ctx.Err() != nil {
				return
			}
			fetches.EachRecord(func(r *kgo.Record) {
				if reply := answer(r); reply != nil {
					_ = out.ProduceSync(ctx, reply).FirstErr()
				}
			})
		}
	}()
}

// replyTo makes the reply record to request r with value.
func replyTo(r *kgo.Record, value string) *kgo.Record {
	id := header(r, "asyncgen-correlation-id")
	return &kgo.Record{Topic: header(r, "asyncgen-reply-to"), Value: []byte(value),
		Headers: []kgo.RecordHeader{{Key: "asyncgen-correlation-id", Value: []byte(id)}}}
}

func TestKafkaRequestValidatesTheReplyItGets(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	// A responder that is not a generated subscriber answers an invalid reply.
	responder(t, addrs, "stock-queries", func(r *kgo.Record) *kgo.Record { return replyTo(r, `{"sku":"TEA-1","available":-3}`) })
	_, err := newRequester(t, addrs).RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
	require.ErrorContains(t, err, "the reply is not a valid StockLevel message")
	var ve *kr.ValidationError
	require.ErrorAs(t, err, &ve)
}

func TestKafkaRequestWaitsUntilTheContextEnds(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	requests := make(chan *kgo.Record, 1)
	responder(t, addrs, "stock-queries", func(r *kgo.Record) *kgo.Record {
		requests <- r
		return nil
	})
	req := newRequester(t, addrs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := req.RequestStockQuery(ctx, "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
		done <- err
	}()
	request := <-requests
	require.Equal(t, "tea", string(request.Key), "the request travels with its record key")
	require.Regexp(t, uuid, header(request, "asyncgen-correlation-id"))
	require.Equal(t, "stock-levels", header(request, "asyncgen-reply-to"))
	require.Equal(t, 1, req.PendingRequests(), "the request waits for its reply")
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled, "nobody answers: the context bounds the wait")
	require.ErrorContains(t, err, "no reply on stock-levels before the context ended")
	require.Zero(t, req.PendingRequests(), "the request that gave up no longer waits")
}

func TestKafkaLateReplyIsDroppedAndCounted(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	requests := make(chan *kgo.Record, 1)
	responder(t, addrs, "stock-queries", func(r *kgo.Record) *kgo.Record {
		requests <- r
		return nil
	})
	req := newRequester(t, addrs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := req.RequestStockQuery(ctx, "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
		done <- err
	}()
	request := <-requests
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Zero(t, req.PendingRequests())

	require.NoError(t, brokertest.KafkaClient(t, addrs).ProduceSync(testCtx(t), replyTo(request, `{"sku":"TEA-1","available":1}`)).FirstErr())
	require.Eventually(t, func() bool { return req.DroppedReplies() == 1 }, time.Minute, 10*time.Millisecond,
		"the late reply is dropped and counted")
	require.Zero(t, req.PendingRequests())

	// The requester goes on: the next request gets its own reply.
	responder(t, addrs, "stock-queries", func(r *kgo.Record) *kgo.Record { return replyTo(r, `{"sku":"TEA-2","available":2}`) })
	got, err := req.RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-2"})
	require.NoError(t, err)
	require.Equal(t, int64(2), got.Available)
}

func TestKafkaConcurrentRequestsGetTheirOwnReplies(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	serve(t, addrs, &pricing{quote: price})
	req := newRequester(t, addrs)
	const n = 40
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := 1; i <= n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shop := []string{"north", "south"}[i%2]
			got, err := req.RequestQuoteRequested(testCtx(t), shop, &kr.QuoteRequestedPayload{Product: fmt.Sprint("item-", i), Quantity: int64(i)}, nil)
			switch {
			case err != nil:
				errs <- err
			case got.Product != fmt.Sprint("item-", i) || got.Price != 2.5*float64(i):
				errs <- fmt.Errorf("request %d got the reply %+v", i, got)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.Zero(t, req.PendingRequests())
	require.Zero(t, req.DroppedReplies())
}

func TestKafkaRequestersSharingAReplyTopicDropEachOthersReplies(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	serve(t, addrs, &pricing{stock: level})
	a, b := newRequester(t, addrs), newRequester(t, addrs)
	_, err := a.RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
	require.NoError(t, err)
	_, err = b.RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-2"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return a.DroppedReplies() == 1 }, time.Minute, 10*time.Millisecond, "a reads b's reply and drops it")
	require.Equal(t, int64(1), b.DroppedReplies(), "b read a's reply before its own, and dropped it")
}

func TestKafkaRequestWithoutARepliesClientIsAnError(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	_, err := kr.NewKafkaPublisher(brokertest.KafkaClient(t, addrs)).RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
	require.ErrorContains(t, err, "make it with NewKafkaRequester")
}

func TestKafkaRequestEndsWhenTheRepliesClientCloses(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	requests := make(chan *kgo.Record, 1)
	responder(t, addrs, "stock-queries", func(r *kgo.Record) *kgo.Record {
		requests <- r
		return nil
	})
	replies := brokertest.KafkaClient(t, addrs, kr.KafkaReplyOptions()...)
	req := kr.NewKafkaRequester(brokertest.KafkaClient(t, addrs), replies)
	done := make(chan error, 1)
	go func() {
		_, err := req.RequestStockQuery(testCtx(t), "tea", &kr.StockQueryPayload{Sku: "TEA-1"})
		done <- err
	}()
	<-requests
	replies.Close()
	err := <-done
	require.ErrorContains(t, err, "the client consuming the replies was closed")
	require.False(t, errors.Is(err, context.Canceled))
	require.Zero(t, req.PendingRequests())
}

func TestKafkaRequestRefusesACorrelationIDAlreadyWaiting(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	requests := make(chan *kgo.Record, 1)
	responder(t, addrs, "quotes.north", func(r *kgo.Record) *kgo.Record {
		requests <- r
		return nil
	})
	req := newRequester(t, addrs)
	id := someID
	headers := &kr.QuoteRequestedHeaders{CorrelationID: &id}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := req.RequestQuoteRequested(ctx, "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 1}, headers)
		done <- err
	}()
	<-requests
	_, err := req.RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 2}, headers)
	require.ErrorContains(t, err, `correlation ID "`+someID+`" is already waiting for a reply`)
	require.Equal(t, 1, req.PendingRequests(), "the refused request leaves the first one waiting")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Zero(t, req.PendingRequests())
}

// heardUntil reads the Quoted messages p hears until one for product,
// and returns those before it.
func heardUntil(t *testing.T, p *pricing, product string) []*kr.QuotedPayload {
	t.Helper()
	var before []*kr.QuotedPayload
	for {
		select {
		case v := <-p.heard:
			if v.Product == product {
				return before
			}
			before = append(before, v)
		case <-testCtx(t).Done():
			t.Fatalf("no Quoted message for %s was heard", product)
		}
	}
}

// TestKafkaInvalidReplyIsReportedOnceWhenItsTopicIsConsumed: the reply
// channel quote-replies has a receiving operation of its own, so the
// subscriber consumes the error record it answers an invalid reply with.
// That record is the requester's, not a message: it is neither handled
// nor reported again. A real Quoted message on the topic, and a valid
// reply, still reach the handler.
func TestKafkaInvalidReplyIsReportedOnceWhenItsTopicIsConsumed(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	var r reports
	p := &pricing{heard: make(chan *kr.QuotedPayload, 16), quote: func(v *kr.QuoteRequestedPayload) *kr.QuotedPayload {
		if v.Product == "bad" {
			return &kr.QuotedPayload{Product: v.Product, Price: -1, Currency: "GBP"}
		}
		return price(v)
	}}
	serve(t, addrs, p, r.options()...)
	req := newRequester(t, addrs)

	_, err := req.RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "bad", Quantity: 1}, nil)
	require.ErrorContains(t, err, "the handler's reply Quoted is invalid and was not sent")
	got, err := req.RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 2}, nil)
	require.NoError(t, err)
	require.Equal(t, 5.0, got.Price)
	// A Quoted message someone else publishes on the reply channel, after
	// the error record and the reply: once the subscriber hears it, it has
	// processed both (one partition, in order).
	require.NoError(t, kr.NewKafkaPublisher(brokertest.KafkaClient(t, addrs)).PublishQuoted(testCtx(t),
		&kr.QuotedPayload{Product: "marker", Price: 1, Currency: kr.QuotedPayloadCurrencyUsd}))
	before := heardUntil(t, p, "marker")

	require.Equal(t, []*kr.QuotedPayload{{Product: "tea", Price: 5, Currency: kr.QuotedPayloadCurrencyEur}}, before,
		"the valid reply reaches HandleQuoted; the error record does not")
	invalid := r.invalids()
	require.Len(t, invalid, 1, "the invalid reply is reported once: %v", invalid)
	require.ErrorContains(t, invalid[0], "the handler's reply Quoted is invalid")
}

// stallingStore is an idempotency store that, once it recorded a
// delivery, says so on completed and holds the subscriber until release
// is closed: a subscriber that stopped after recording the delivery and
// before producing the reply.
type stallingStore struct {
	kr.IdempotencyStore
	completed, release chan struct{}
}

func (s *stallingStore) Complete(ctx context.Context, key, token string) error {
	err := s.IdempotencyStore.Complete(ctx, key, token)
	close(s.completed)
	<-s.release
	return err
}

// TestKafkaRequestHandledBeforeIsAnsweredWithAnError: a subscriber handles
// a request and records it in the store, then stops before producing the
// reply or committing the offset. Another subscriber of the group gets the
// record again; the store says it was handled, so it is not handled again,
// and the requester, still waiting, learns at once that its reply was not
// kept, rather than when its context ends.
func TestKafkaRequestHandledBeforeIsAnsweredWithAnError(t *testing.T) {
	addrs := brokertest.Kafka(t, topics...)
	store := kr.NewMemoryIdempotencyStore(time.Hour, 100)
	stall := &stallingStore{IdempotencyStore: store, completed: make(chan struct{}), release: make(chan struct{})}
	var handled atomic.Int32
	p := &pricing{quote: func(v *kr.QuoteRequestedPayload) *kr.QuotedPayload {
		handled.Add(1)
		return price(v)
	}}

	first := brokertest.KafkaClient(t, addrs, kr.KafkaConsumeOptions("pricing")...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kr.NewKafkaSubscriber(first, p, kr.SubscribeIdempotency(stall)).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		close(stall.release)
		<-done
	})

	result := make(chan error, 1)
	go func() {
		_, err := newRequester(t, addrs).RequestQuoteRequested(testCtx(t), "north", &kr.QuoteRequestedPayload{Product: "tea", Quantity: 4}, nil)
		result <- err
	}()
	<-stall.completed
	first.Close() // the first subscriber leaves the group, its offset not committed

	var r reports
	serve(t, addrs, p, append(r.options(), kr.SubscribeIdempotency(store))...)
	err := <-result
	require.ErrorContains(t, err, "the subscriber refused it: the request was handled before, and its reply was not kept")
	require.False(t, errors.Is(err, context.DeadlineExceeded), "the requester learns it at once, not when its context ends")
	require.Empty(t, r.invalids(), "a request handled before is no invalid message")
	require.Equal(t, int32(1), handled.Load(), "the request is handled once")
}
