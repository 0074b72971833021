package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"
)

// brokerDelivery is a decoded broker message ready for its Handler method.
type brokerDelivery struct {
	// message is the message's name in the spec.
	message string
	// unknownMessage is set when the payload names a message the spec
	// does not list.
	unknownMessage bool
	// handle passes the decoded value to the Handler; nil when decoding
	// found no message.
	handle func(ctx context.Context) error
	// answer, for a message with a reply, passes the decoded value to the
	// Handler and returns its reply, checked and encoded (see
	// receiverReplyEncoder); nil for a message without one.
	answer func(ctx context.Context) ([]byte, error)
	// headers decodes and validates the message's headers; nil for a
	// message without declared headers.
	headers func(http.Header) (any, error)
	// key decodes and validates a Kafka record key; nil for a message
	// whose kafka binding declares no key.
	key func([]byte) (any, error)
}

// brokerRecordKey is the key of the Kafka record being processed, which
// the Kafka consumer puts in the context under brokerRecordKeyKey; data
// is nil for a record without a key.
type brokerRecordKey struct{ data []byte }

// brokerRecordKeyKey is the context key of a brokerRecordKey.
type brokerRecordKeyKey struct{}

// brokerKafkaKeyKey is the context key of the decoded record key a
// handler is given.
type brokerKafkaKeyKey struct{}

// brokerReply is where brokerCall keeps the reply of a request: a
// message whose sender waits for an answer (a core NATS message with a
// reply subject).
type brokerReply struct {
	// body is the handler's reply, checked and encoded; nil when the
	// message has no reply in the spec or was not handled.
	body []byte
	// handledBefore is set for a request of a message with a reply in the
	// spec that the idempotency store says was handled before: its reply
	// was not kept, so it is answered with errBrokerHandledBefore.
	handledBefore bool
}

// errBrokerHandledBefore is why a request handled before (see
// SubscribeIdempotency) is answered without its reply.
var errBrokerHandledBefore = errors.New("the request was handled before, and its reply was not kept")

// refusal is why the request whose reply r keeps is answered without a
// reply: cause when it is not nil (the request or its reply breaks the
// spec), else errBrokerHandledBefore for a request handled before; nil
// for a request answered with its reply.
func (r *brokerReply) refusal(cause error) error {
	if cause == nil && r.handledBefore {
		return errBrokerHandledBefore
	}
	return cause
}

// brokerReplyKey is the context key of the *brokerReply a request's
// reply goes to.
type brokerReplyKey struct{}

// brokerExpectReply returns ctx carrying a *brokerReply for the reply of
// the message about to be processed with it, and that *brokerReply.
func brokerExpectReply(ctx context.Context) (context.Context, *brokerReply) {
	r := &brokerReply{}
	return context.WithValue(ctx, brokerReplyKey{}, r), r
}

// brokerChannel is one channel a Subscriber takes messages from.
type brokerChannel struct {
	// address is the channel's address in the spec, with its {parameters}.
	address string
	// pattern matches the concrete addresses of the channel; its groups
	// capture the parameters, in the order of the address. It is
	// brokerPattern(address, ...): brokerMatch relies on that.
	pattern *regexp.Regexp
	// params parses and validates the captured parameter values into the
	// channel's parameters struct; nil for a channel without parameters.
	params func(values []string) (any, error)
	// decode decodes and validates a payload.
	decode func(data []byte) (brokerDelivery, error)
	// queue is the NATS queue group the nats binding of the channel's
	// receiving operation names; "" for none.
	queue string
	// qos is the MQTT QoS a subscription to the channel asks for.
	qos byte
}

// brokerParametersKey is the context key of a channel's parsed parameters.
type brokerParametersKey struct{}

// brokerSettings are the options of a Subscriber that are the same for
// every spec and protocol.
type brokerSettings struct {
	// strictEnums refuses payloads whose only violations are unknown enum
	// values instead of delivering them.
	strictEnums bool
	// queue is the NATS queue group core subscriptions join; "" for none.
	queue string
	// deadLetter is where invalid messages are republished; "" for none.
	deadLetter string
	// onInvalid hears of messages that are not delivered because they are
	// invalid; nil logs them with log/slog.
	onInvalid func(address string, payload []byte, err error)
	// onError hears of handler errors, recovered panics and broker
	// failures; nil logs them with log/slog.
	onError func(address string, err error)
	// store remembers the messages handled; nil for none.
	store IdempotencyStore
}

// SubscriberOption configures a Subscriber of any protocol.
type SubscriberOption func(*brokerSettings)

// SubscribeStrictEnums refuses, as invalid, a payload whose only
// violations are enum values the spec does not list. By default such a
// payload is delivered to the handler, as by a Receiver.
func SubscribeStrictEnums() SubscriberOption {
	return func(s *brokerSettings) { s.strictEnums = true }
}

// SubscribeDeadLetter republishes every invalid message, unchanged, to
// the topic or subject dest, with an asyncgen-error header saying what is
// wrong and an asyncgen-address header naming where it came from. It is
// then acknowledged, so that it never blocks the messages after it.
func SubscribeDeadLetter(dest string) SubscriberOption {
	return func(s *brokerSettings) { s.deadLetter = dest }
}

// SubscribeQueue makes a core NATS Subscriber join the queue group queue
// on every channel, instead of the queue its nats binding names, so that
// each message goes to one member of the group. Other Subscribers ignore
// it.
func SubscribeQueue(queue string) SubscriberOption {
	return func(s *brokerSettings) { s.queue = queue }
}

// brokerIdempotencyLease is how long a Subscriber holds the key of a
// message it is handling before another may take it.
const brokerIdempotencyLease = 5 * time.Minute

// SubscribeIdempotency makes the Subscriber claim each message in store
// before calling the handler, and record it once handled, so that a
// message delivered again (after a restart, a lost acknowledgement or a
// redelivery) reaches the handler once: a message already handled is
// acknowledged without calling it, and one another Subscriber is handling
// is tried again later. The key is where the broker keeps the message
// when it says (Kafka: topic, partition and offset; JetStream: stream and
// sequence), else the SHA-256 of its address and payload (core NATS,
// MQTT): two messages with the same address and payload count as one.
func SubscribeIdempotency(store IdempotencyStore) SubscriberOption {
	return func(s *brokerSettings) { s.store = store }
}

// SubscribeInvalidMessages sets the function told of each message that is
// not delivered because its address, headers or payload break the spec,
// or it names a message the spec does not list (the error wraps
// ErrUnknownMessage). By default they are logged with log/slog.
func SubscribeInvalidMessages(report func(address string, payload []byte, err error)) SubscriberOption {
	return func(s *brokerSettings) { s.onInvalid = report }
}

// SubscribeErrors sets the function told of handler errors, recovered
// handler panics (with their stack) and broker failures, each of which
// makes the Subscriber try the message again after a pause. By default
// they are logged with log/slog.
func SubscribeErrors(report func(address string, err error)) SubscriberOption {
	return func(s *brokerSettings) { s.onError = report }
}

// newBrokerSettings applies opts.
func newBrokerSettings(opts []SubscriberOption) brokerSettings {
	var s brokerSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// invalid reports a message that is not delivered.
func (s *brokerSettings) invalid(address string, payload []byte, err error) {
	if s.onInvalid != nil {
		s.onInvalid(address, payload, err)
		return
	}
	slog.Warn("asyncgen subscriber: message not delivered", "address", address, "error", err)
}

// failed reports an error after which the message is tried again.
func (s *brokerSettings) failed(address string, err error) {
	if s.onError != nil {
		s.onError(address, err)
		return
	}
	slog.Error("asyncgen subscriber: message will be retried", "address", address, "error", err)
}

// brokerOutcome is what became of one message.
type brokerOutcome int

// The outcomes of brokerProcess.
const (
	// brokerHandled: the handler returned nil; acknowledge.
	brokerHandled brokerOutcome = iota
	// brokerInvalid: the message breaks the spec; dead-letter and
	// acknowledge.
	brokerInvalid
	// brokerFailed: the handler failed; try again later.
	brokerFailed
)

// brokerProcess finds the channel of address, parses its parameters,
// decodes and validates the payload and headers, and calls the handler;
// with an idempotency store, once per key ("" for the hash of address
// and payload).
func brokerProcess(ctx context.Context, s *brokerSettings, chans []brokerChannel, key, address string, payload []byte, header http.Header) (brokerOutcome, error) {
	ch, values, ok := brokerMatch(chans, address)
	if !ok {
		return brokerInvalid, fmt.Errorf("address %q is not one of the spec's channels", address)
	}
	if ch.params != nil {
		params, err := ch.params(values)
		if err != nil {
			return brokerInvalid, fmt.Errorf("channel %s: parameters: %w", ch.address, err)
		}
		ctx = context.WithValue(ctx, brokerParametersKey{}, params)
	}
	d, err := ch.decode(payload)
	if err != nil && !(d.handle != nil && !s.strictEnums && brokerOnlyUnknownEnums(err)) {
		if d.unknownMessage {
			return brokerInvalid, fmt.Errorf("channel %s: %w", ch.address, err)
		}
		return brokerInvalid, fmt.Errorf("channel %s: payload: %w", ch.address, err)
	}
	if d.headers != nil {
		h, err := d.headers(header)
		if err != nil && !(!s.strictEnums && brokerOnlyUnknownEnums(err)) {
			return brokerInvalid, fmt.Errorf("channel %s: message %s: headers: %w", ch.address, d.message, err)
		}
		ctx = context.WithValue(ctx, receiverHeadersKey{}, h)
	}
	if rk, ok := ctx.Value(brokerRecordKeyKey{}).(brokerRecordKey); ok && d.key != nil {
		k, err := brokerDecodeKey(s, d, rk)
		if err != nil {
			return brokerInvalid, fmt.Errorf("channel %s: message %s: record key: %w", ch.address, d.message, err)
		}
		ctx = context.WithValue(ctx, brokerKafkaKeyKey{}, k)
	}
	if s.store != nil {
		handle := func() error { return brokerHandlerError(ch, d, brokerCall(ctx, d)) }
		handledBefore := func() { brokerHandledBefore(ctx, d) }
		return brokerInvalidReply(brokerOnce(ctx, s, brokerKey(key, address, payload), payload, handle, handledBefore))
	}
	if err := brokerCall(ctx, d); err != nil {
		return brokerInvalidReply(brokerFailed, brokerHandlerError(ch, d, err))
	}
	return brokerHandled, nil
}

// brokerDecodeKey decodes and validates the record key of a message
// whose kafka binding declares one; a key whose only violations are
// unknown enum values passes, unless strictEnums.
func brokerDecodeKey(s *brokerSettings, d brokerDelivery, rk brokerRecordKey) (any, error) {
	if rk.data == nil {
		return nil, errors.New("the record has no key")
	}
	k, err := d.key(rk.data)
	if err != nil && !(k != nil && !s.strictEnums && brokerOnlyUnknownEnums(err)) {
		return nil, err
	}
	return k, nil
}

// brokerInvalidReply makes a failure caused by a reply the handler gave
// that breaks the spec (nil, or invalid) count as an invalid message:
// trying it again would call the handler again for the same answer.
func brokerInvalidReply(outcome brokerOutcome, err error) (brokerOutcome, error) {
	var re *receiverReplyError
	if outcome == brokerFailed && errors.As(err, &re) {
		return brokerInvalid, err
	}
	return outcome, err
}

// brokerHandlerError says which channel and message a handler failed on;
// nil for nil.
func brokerHandlerError(ch brokerChannel, d brokerDelivery, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("channel %s: message %s: %w", ch.address, d.message, err)
}

// brokerKey is the idempotency key of a message: key when the broker
// gives one, else the SHA-256 of address and payload.
func brokerKey(key, address string, payload []byte) string {
	if key != "" {
		return key
	}
	h := sha256.New()
	h.Write([]byte(address))
	h.Write([]byte{0})
	h.Write(payload)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// brokerOnce calls handle unless the store says key was handled, when it
// calls handledBefore instead, and records it once handled.
func brokerOnce(ctx context.Context, s *brokerSettings, key string, payload []byte, handle func() error, handledBefore func()) (brokerOutcome, error) {
	sum := sha256.Sum256(payload)
	state, token, err := s.store.Claim(ctx, key, hex.EncodeToString(sum[:]), brokerIdempotencyLease)
	switch {
	case err != nil:
		return brokerFailed, fmt.Errorf("idempotency store: claim %s: %w", key, err)
	case state == IdempotencyDelivered:
		handledBefore()
		return brokerHandled, nil
	case state == IdempotencyInFlight:
		return brokerFailed, fmt.Errorf("idempotency store: %s is being handled elsewhere", key)
	case state == IdempotencyConflict:
		return brokerInvalid, fmt.Errorf("idempotency store: %s was handled with another payload", key)
	}
	after := context.WithoutCancel(ctx)
	if err := handle(); err != nil {
		_ = s.store.Release(after, key, token)
		return brokerFailed, err
	}
	if err := s.store.Complete(after, key, token); err != nil {
		s.failed(key, fmt.Errorf("idempotency store: complete %s (the message was handled): %w", key, err))
	}
	return brokerHandled, nil
}

// brokerHandledBefore marks the reply of a request (ctx carries a
// *brokerReply, see brokerExpectReply) of a message with a reply in the
// spec as handled before: the store says so, and the reply was not kept.
func brokerHandledBefore(ctx context.Context, d brokerDelivery) {
	if r, ok := ctx.Value(brokerReplyKey{}).(*brokerReply); ok && d.answer != nil {
		r.handledBefore = true
	}
}

// brokerOnlyUnknownEnums reports whether err is a validation error whose
// only violations are unknown enum values.
func brokerOnlyUnknownEnums(err error) bool {
	var ve *ValidationError
	return errors.As(err, &ve) && ve.OnlyUnknownEnumValues()
}

// brokerCall calls the handler, turning a panic into an error. For a
// request (ctx carries a *brokerReply, see brokerExpectReply) of a
// message with a reply, it keeps the reply, checked and encoded, in the
// *brokerReply; a nil or invalid reply is an error wrapping a
// *receiverReplyError.
func brokerCall(ctx context.Context, d brokerDelivery) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v\n%s", p, debug.Stack())
		}
	}()
	if r, ok := ctx.Value(brokerReplyKey{}).(*brokerReply); ok && d.answer != nil {
		body, err := d.answer(ctx)
		if err != nil {
			return err
		}
		r.body = body
		return nil
	}
	return d.handle(ctx)
}

// brokerMatch returns the first channel whose address matches address,
// with the parameter values it captures. A channel without parameters
// matches its own address only, which comparing the two tells, without
// its pattern: a message costs a regular expression only for the
// channels with parameters before its own.
func brokerMatch(chans []brokerChannel, address string) (brokerChannel, []string, bool) {
	for _, ch := range chans {
		if strings.IndexByte(ch.address, '{') < 0 {
			if ch.address == address {
				return ch, nil, true
			}
			continue
		}
		if m := ch.pattern.FindStringSubmatch(address); m != nil {
			return ch, m[1:], true
		}
	}
	return brokerChannel{}, nil, false
}

// brokerTrie holds addresses, topic filters or wildcard subjects level by
// level (levels end at sep: '/' for MQTT, '.' for NATS), each as an id,
// so that those a filter or a subject concerns are found without reading
// the others. Wildcards are levels like the others: what they match is
// for each protocol's walks to say (mqttCandidates, natsCandidates, ...).
type brokerTrie struct {
	sep  string
	root *brokerNode
	// steps counts the nodes visited and the ids compared, for the tests
	// that bound the work of merging.
	steps int
}

// brokerNode is a level of the entries of a brokerTrie: children by next
// level, and the ids of the entries ending here. Every node but the root
// has an entry ending at it or under it.
type brokerNode struct {
	children map[string]*brokerNode
	ids      []int
}

// newBrokerTrie returns an empty brokerTrie whose levels end at sep.
func newBrokerTrie(sep string) *brokerTrie {
	return &brokerTrie{sep: sep, root: &brokerNode{}}
}

// add adds entry as id.
func (t *brokerTrie) add(entry string, id int) {
	n := t.root
	for rest, more := entry, true; more; {
		var level string
		level, rest, more = strings.Cut(rest, t.sep)
		child := n.children[level]
		if child == nil {
			if n.children == nil {
				n.children = map[string]*brokerNode{}
			}
			child = &brokerNode{}
			n.children[level] = child
		}
		n = child
	}
	n.ids = append(n.ids, id)
}

// remove removes entry id, and the nodes left without an entry.
func (t *brokerTrie) remove(entry string, id int) {
	t.removeUnder(t.root, entry, id)
}

// removeUnder removes id from the node under n that rest, the entry's
// levels from n on, leads to; it reports whether n is left without an
// entry at or under it.
func (t *brokerTrie) removeUnder(n *brokerNode, rest string, id int) bool {
	level, rest, more := strings.Cut(rest, t.sep)
	child := n.children[level]
	if child == nil {
		return false
	}
	if more {
		if t.removeUnder(child, rest, id) {
			delete(n.children, level)
		}
	} else {
		child.ids = slices.DeleteFunc(child.ids, func(x int) bool { return x == id })
		if len(child.ids) == 0 && len(child.children) == 0 {
			delete(n.children, level)
		}
	}
	return len(n.ids) == 0 && len(n.children) == 0
}

// subtree appends to out the ids of the entries at and under n.
func (t *brokerTrie) subtree(n *brokerNode, out []int) []int {
	t.steps++
	out = append(out, n.ids...)
	for _, child := range n.children {
		out = t.subtree(child, out)
	}
	return out
}

// brokerParametersInLevels reports whether every {parameter} of address,
// read as brokerPattern reads them, lies within one level (levels end at
// sep): then an address its pattern matches has its levels, and its
// filter or wildcard subject matches it.
func brokerParametersInLevels(address, sep string) bool {
	rest := address
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			return true
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return true
		}
		if strings.Contains(rest[open:open+end], sep) {
			return false
		}
		rest = rest[open+end+1:]
	}
}

// brokerPattern compiles a channel address into an anchored regular
// expression in which each {parameter} is a group matching segment, a
// regular expression for one parameter value.
func brokerPattern(address, segment string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	rest := address
	for {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest[max(open, 0):], '}')
		if open < 0 || end < 0 {
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:open]))
		b.WriteString("(" + segment + ")")
		rest = rest[open+end+1:]
	}
	b.WriteString(regexp.QuoteMeta(rest) + "$")
	return regexp.MustCompile(b.String())
}

// brokerAddress fills the {name} parameters of address with values, pairs
// of a name and its value, each value matching segment.
func brokerAddress(address string, segment *regexp.Regexp, pairs ...string) (string, error) {
	for i := 0; i+1 < len(pairs); i += 2 {
		name, value := pairs[i], pairs[i+1]
		if !segment.MatchString(value) {
			return "", fmt.Errorf("parameter %s: %q cannot be part of the address %s", name, value, address)
		}
		address = strings.ReplaceAll(address, "{"+name+"}", value)
	}
	return address, nil
}

// brokerHeaderValues turns a headers struct into header values: strings
// as they are, other values as their JSON text, keys sorted.
func brokerHeaderValues(v any) ([][2]string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode headers: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, nil
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		raw := fields[k]
		var s string
		switch {
		case string(raw) == "null":
		case json.Unmarshal(raw, &s) == nil:
			out = append(out, [2]string{k, s})
		default:
			out = append(out, [2]string{k, string(raw)})
		}
	}
	return out, nil
}

// brokerBackoff is how long to wait before the attempt after the n-th
// failed one (n >= 1): 100 ms doubling up to 30 s.
func brokerBackoff(n int) time.Duration {
	d := 100 * time.Millisecond
	for i := 1; i < n && d < 30*time.Second; i++ {
		d *= 2
	}
	return min(d, 30*time.Second)
}

// brokerSleep waits d or until ctx ends, and says whether ctx is still on.
func brokerSleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
