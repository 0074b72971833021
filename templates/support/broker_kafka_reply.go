package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kafkaErrorHeader is the header of a reply record saying why the request
// was not answered: the request or the handler's reply breaks the spec.
const kafkaErrorHeader = "asyncgen-error"

// kafkaMaxErrorHeader is the longest asyncgen-error header a reply record
// carries, in bytes.
const kafkaMaxErrorHeader = 1024

// kafkaReplyAttempts is how many times a Subscriber tries to produce a
// reply before it drops it, so that a reply topic that cannot be written
// to never blocks the request's partition.
const kafkaReplyAttempts = 5

// kafkaTopicName is what a topic a request names for its reply may be: a
// legal Kafka topic name.
var kafkaTopicName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)

// errKafkaNoReplies is the error of a Request method of a KafkaPublisher
// that has no client consuming the replies.
var errKafkaNoReplies = errors.New("this KafkaPublisher has no client consuming the replies: make it with NewKafkaRequester")

// errKafkaRepliesClosed is the error of a request whose replies client
// was closed before its reply came.
var errKafkaRepliesClosed = errors.New("the client consuming the replies was closed before the reply came")

// kafkaRequester sends requests over Kafka and hands each reply, which one
// goroutine reads from the replies client, to the request with its
// correlation ID.
type kafkaRequester struct {
	producer, replies *kgo.Client
	// correlationHeaders are the headers a reply's correlation ID may
	// travel in: those of the spec's requests.
	correlationHeaders []string
	// start starts the goroutine reading the replies, at the first
	// request; done is closed when it returns, the replies client being
	// closed.
	start sync.Once
	done  chan struct{}
	// mu guards waiting, the requests waiting for their reply by
	// correlation ID; a request removes its entry when it returns.
	mu      sync.Mutex
	waiting map[string]chan *kgo.Record
	// dropped counts the replies no waiting request had: unknown, or
	// late.
	dropped atomic.Int64
}

// newKafkaRequester returns a requester producing with producer and
// reading replies with replies.
func newKafkaRequester(producer, replies *kgo.Client, correlationHeaders []string) *kafkaRequester {
	return &kafkaRequester{
		producer:           producer,
		replies:            replies,
		correlationHeaders: correlationHeaders,
		done:               make(chan struct{}),
		waiting:            map[string]chan *kgo.Record{},
	}
}

// request produces a request to topic with a correlation ID and the topic
// of its reply in its headers, and waits for the reply until ctx ends; it
// returns the reply's payload, or an error saying why the subscriber
// refused the request.
func (q *kafkaRequester) request(ctx context.Context, topic string, key, payload []byte, headers [][2]string, route brokerReplyRoute) ([]byte, error) {
	if q == nil || q.replies == nil {
		return nil, errKafkaNoReplies
	}
	headers, id := kafkaCorrelate(headers, route.correlationHeader)
	headers, replyTopic := kafkaReplyTo(headers, route)
	if replyTopic == "" {
		return nil, fmt.Errorf("no reply topic: the spec gives the reply no address and the headers no %s", route.addressHeader)
	}
	wait, err := q.expect(id)
	if err != nil {
		return nil, err
	}
	defer q.forget(id)
	q.start.Do(func() { go q.readReplies() })
	if err := kafkaPublish(ctx, q.producer, topic, key, payload, headers); err != nil {
		return nil, err
	}
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("no reply on %s before the context ended: %w", replyTopic, ctx.Err())
	case <-q.done:
		return nil, errKafkaRepliesClosed
	case r := <-wait:
		if why := kafkaRecordHeader(r, kafkaErrorHeader); why != "" {
			return nil, fmt.Errorf("the subscriber refused it: %s", why)
		}
		return r.Value, nil
	}
}

// expect registers a request waiting for the reply with correlation ID
// id.
func (q *kafkaRequester) expect(id string) (chan *kgo.Record, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, taken := q.waiting[id]; taken {
		return nil, fmt.Errorf("correlation ID %q is already waiting for a reply", id)
	}
	wait := make(chan *kgo.Record, 1)
	q.waiting[id] = wait
	return wait, nil
}

// forget removes the request waiting with correlation ID id, when its
// reply did not come.
func (q *kafkaRequester) forget(id string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.waiting, id)
}

// readReplies hands each reply the replies client reads to its request,
// until the client is closed.
func (q *kafkaRequester) readReplies() {
	defer close(q.done)
	for {
		fetches := q.replies.PollFetches(context.Background())
		if fetches.IsClientClosed() {
			return
		}
		fetches.EachRecord(q.deliver)
	}
}

// deliver hands a reply to the request waiting with its correlation ID;
// a reply no request waits for is dropped and counted.
func (q *kafkaRequester) deliver(r *kgo.Record) {
	id := ""
	for _, h := range q.correlationHeaders {
		if id = kafkaRecordHeader(r, h); id != "" {
			break
		}
	}
	q.mu.Lock()
	wait, ok := q.waiting[id]
	delete(q.waiting, id)
	q.mu.Unlock()
	if !ok {
		q.dropped.Add(1)
		return
	}
	wait <- r
}

// pending is how many requests wait for their reply.
func (q *kafkaRequester) pending() int {
	if q == nil {
		return 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting)
}

// droppedReplies is how many replies came that no request waited for.
func (q *kafkaRequester) droppedReplies() int64 {
	if q == nil {
		return 0
	}
	return q.dropped.Load()
}

// kafkaCorrelate returns headers with a correlation ID in header name:
// the one headers hold, else a new random one.
func kafkaCorrelate(headers [][2]string, name string) ([][2]string, string) {
	for _, h := range headers {
		if strings.EqualFold(h[0], name) && h[1] != "" {
			return headers, h[1]
		}
	}
	id := kafkaCorrelationID()
	return append(headers, [2]string{name, id}), id
}

// kafkaReplyTo returns headers with the topic of the reply in the route's
// address header, and that topic: the one headers name, else the reply's
// address in the spec; "" when there is neither.
func kafkaReplyTo(headers [][2]string, route brokerReplyRoute) ([][2]string, string) {
	for _, h := range headers {
		if strings.EqualFold(h[0], route.addressHeader) && h[1] != "" {
			return headers, h[1]
		}
	}
	if route.address == "" {
		return headers, ""
	}
	return append(headers, [2]string{route.addressHeader, route.address}), route.address
}

// kafkaCorrelationID is a random correlation ID, a version 4 UUID.
func kafkaCorrelationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// kafkaRecordHeader is the value of a record's header name (in any case);
// "" when it has none.
func kafkaRecordHeader(r *kgo.Record, name string) string {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Key, name) {
			return string(h.Value)
		}
	}
	return ""
}

// kafkaReplyOptions are the options of a client consuming the reply
// topics: each partition from the first record of the last minute, so
// that a reply produced before the client found its position is read, and
// older ones mostly are not.
func kafkaReplyOptions(topics []string) []kgo.Opt {
	start := kgo.NewOffset().AfterMilli(time.Now().Add(-time.Minute).UnixMilli())
	return []kgo.Opt{kgo.ConsumeTopics(topics...), kgo.ConsumeResetOffset(start)}
}

// kafkaRequestRoute is the route of the first of routes whose correlation
// header header holds: where a request that did not decode is answered;
// nil when there is none.
func kafkaRequestRoute(routes []brokerReplyRoute, header http.Header) *brokerReplyRoute {
	for i := range routes {
		if header.Get(routes[i].correlationHeader) != "" {
			return &routes[i]
		}
	}
	return nil
}

// expectReply returns ctx carrying a *brokerReply for the reply of the
// record about to be processed, when the spec has replies over Kafka.
func (c *kafkaConsumer) expectReply(ctx context.Context) (context.Context, *brokerReply) {
	if len(c.routes) == 0 {
		return ctx, nil
	}
	return brokerExpectReply(ctx)
}

// answer produces the reply to a record that was processed: the
// handler's reply, or, when cause is not nil (the request or the reply
// breaks the spec) or the reply was not kept (a request handled before),
// an empty record with an asyncgen-error header saying why. The reply
// goes to the topic the request's address header names, else to the
// reply's address, with the request's correlation ID. It returns an
// error only when ctx ends first.
func (c *kafkaConsumer) answer(ctx context.Context, r *kgo.Record, header http.Header, reply *brokerReply, cause error) error {
	if reply == nil {
		return nil
	}
	route := reply.route
	if route == nil && cause != nil {
		route = kafkaRequestRoute(c.routes, header)
	}
	if route == nil {
		return nil
	}
	topic := header.Get(route.addressHeader)
	if topic == "" {
		topic = route.address
	}
	if !kafkaTopicName.MatchString(topic) {
		c.settings.invalid(r.Topic, r.Value, fmt.Errorf("the reply is not sent: %q, from header %s or the spec, is not a Kafka topic", topic, route.addressHeader))
		return nil
	}
	var headers [][2]string
	if id := header.Get(route.correlationHeader); id != "" {
		headers = append(headers, [2]string{route.correlationHeader, id})
	}
	body := reply.body
	switch {
	case cause != nil:
		body = nil
		headers = append(headers, [2]string{kafkaErrorHeader, clipText(cause.Error(), kafkaMaxErrorHeader)})
	case body == nil:
		headers = append(headers, [2]string{kafkaErrorHeader, "the request was handled before (SubscribeIdempotency): its reply is not kept"})
	}
	return c.produceReply(ctx, r.Topic, topic, body, headers)
}

// produceReply produces a reply record, trying again after a pause when
// producing fails, at most kafkaReplyAttempts times, after which the
// reply is dropped; it returns an error only when ctx ends first.
func (c *kafkaConsumer) produceReply(ctx context.Context, from, topic string, body []byte, headers [][2]string) error {
	for attempt := 1; ; attempt++ {
		err := kafkaPublish(ctx, c.client, topic, nil, body, headers)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt == kafkaReplyAttempts {
			c.settings.failed(from, fmt.Errorf("reply dropped after %d attempts: %w", attempt, err))
			return nil
		}
		c.settings.failed(from, fmt.Errorf("reply: %w", err))
		if !brokerSleep(ctx, brokerBackoff(attempt)) {
			return ctx.Err()
		}
	}
}
