package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kafkaErrorHeader is the header of a record saying what went wrong: in
// an empty answer to a request, why it gets no reply (the request or the
// handler's reply breaks the spec, or the request was handled before); in
// a dead-lettered record, why it was not delivered.
const kafkaErrorHeader = "asyncgen-error"

// kafkaAddressHeader is the header of a dead-lettered record naming the
// topic it came from.
const kafkaAddressHeader = "asyncgen-address"

// kafkaMaxErrorHeader is the longest asyncgen-error header a reply record
// carries, in bytes.
const kafkaMaxErrorHeader = 1024

// kafkaReplyAttempts is how many times a Subscriber tries to produce a
// reply before it drops it, so that a reply topic that cannot be written
// to never blocks the request's partition.
const kafkaReplyAttempts = 5

// maxKafkaTopicName is how long a Kafka topic's name may be.
const maxKafkaTopicName = 249

// isKafkaTopicName reports whether a topic a request names for its reply
// is a legal Kafka topic name: 1 to 249 ASCII letters, digits, dots,
// underscores and hyphens, and neither "." nor "..". (A regular
// expression would compile {1,249} to some 500 instructions, 227 KB, at
// every start of the program.)
func isKafkaTopicName(topic string) bool {
	if topic == "" || len(topic) > maxKafkaTopicName || topic == "." || topic == ".." {
		return false
	}
	for i := 0; i < len(topic); i++ {
		if c := topic[i]; !isKafkaTopicByte(c) {
			return false
		}
	}
	return true
}

// isKafkaTopicByte reports whether c may be in a Kafka topic's name.
func isKafkaTopicByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
}

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
	defer q.forget(id, wait)
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

// forget removes the request waiting on wait with correlation ID id, when
// its reply did not come; a later request with the same ID keeps its
// entry.
func (q *kafkaRequester) forget(id string, wait chan *kgo.Record) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.waiting[id] == wait {
		delete(q.waiting, id)
	}
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

// brokerReplyRoute is where the reply to a request goes over Kafka, and
// how the request and its reply are matched.
type brokerReplyRoute struct {
	// address is the reply channel's address, where a reply goes when the
	// request names no other; "" when the spec gives none.
	address string
	// addressHeader is the header of a request naming where its reply
	// goes: the one the reply's address location points to, else
	// asyncgen-reply-to.
	addressHeader string
	// correlationHeader is the header carrying the correlation ID, in a
	// request and in its reply: the one the message's correlationId
	// location points to, else asyncgen-correlation-id.
	correlationHeader string
}

// kafkaAnswerer returns the respond function of a kafkaConsumer whose
// channels' messages have replies: answerRequest with routes, the routes
// of the replies by channel address.
func kafkaAnswerer(routes map[string]brokerReplyRoute) func(c *kafkaConsumer, ctx context.Context, r *kgo.Record, header http.Header, reply *brokerReply, cause error) error {
	return func(c *kafkaConsumer, ctx context.Context, r *kgo.Record, header http.Header, reply *brokerReply, cause error) error {
		return c.answerRequest(ctx, routes, r, header, reply, cause)
	}
}

// answerRequest produces the reply to a record of a channel whose
// messages have a reply, once processed: the handler's reply, or, when
// the record carries a correlation ID and cause is not nil (the request
// or the handler's reply breaks the spec) or the request was handled
// before (its reply was not kept), an empty record with an asyncgen-error
// header saying why. The reply goes to the topic the record's reply
// address header names, else to the reply's address, with the record's
// correlation ID. A record handled without a reply (a message without
// one) is not answered, nor is an answer (a record with an asyncgen-error
// header) or a record whose reply would go back to its own topic. It
// returns an error only when ctx ends first.
func (c *kafkaConsumer) answerRequest(ctx context.Context, routes map[string]brokerReplyRoute, r *kgo.Record, header http.Header, reply *brokerReply, cause error) error {
	cause = reply.refusal(cause)
	ch, _, ok := brokerMatch(c.channels, r.Topic)
	route, routed := routes[ch.address]
	id := header.Get(route.correlationHeader)
	if !ok || !routed || cause == nil && reply.body == nil || cause != nil && id == "" {
		return nil
	}
	topic, ok := c.replyTopic(r, header, route)
	if !ok {
		return nil
	}
	var headers [][2]string
	if id != "" {
		headers = append(headers, [2]string{route.correlationHeader, id})
	}
	body := reply.body
	if cause != nil {
		body = nil
		headers = append(headers, [2]string{kafkaErrorHeader, clipText(cause.Error(), kafkaMaxErrorHeader)})
	}
	return c.produceReply(ctx, r.Topic, topic, body, headers)
}

// replyTopic is the topic the reply to r goes to: the one its route's
// address header names, else the reply's address. It reports, and returns
// false for, a topic that is not a Kafka topic, and a record that is an
// answer or whose reply would go to its own topic: answering those would
// feed answers to themselves when a channel's topics match the reply
// topic.
func (c *kafkaConsumer) replyTopic(r *kgo.Record, header http.Header, route brokerReplyRoute) (string, bool) {
	topic := header.Get(route.addressHeader)
	if topic == "" {
		topic = route.address
	}
	if topic == r.Topic || header.Get(kafkaErrorHeader) != "" {
		c.settings.invalid(r.Topic, r.Value, fmt.Errorf("the reply is not sent: the record is an answer, or its reply would go to the topic it came on (%s)", topic))
		return "", false
	}
	if !isKafkaTopicName(topic) {
		c.settings.invalid(r.Topic, r.Value, fmt.Errorf("the reply is not sent: %q, from header %s or the spec, is not a Kafka topic", topic, route.addressHeader))
		return "", false
	}
	return topic, true
}

// isKafkaAnswer reports whether r is the answer of a KafkaSubscriber to a
// request it did not answer with a reply (see answerRequest): an empty
// record with an asyncgen-error header, and without the asyncgen-address
// header of a dead-lettered record. It is meant for the requester alone:
// a Subscriber that consumes its topic (a reply channel with a receiving
// operation of its own) commits it without handling or reporting it, as
// it is no message of the spec and its cause was reported where it
// arose.
func isKafkaAnswer(r *kgo.Record) bool {
	return len(r.Value) == 0 && kafkaRecordHeader(r, kafkaErrorHeader) != "" && kafkaRecordHeader(r, kafkaAddressHeader) == ""
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
