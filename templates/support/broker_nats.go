package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsSegment is what a parameter value may be in a NATS subject: one
// token, without the separator, the wildcards or white space.
var natsSegment = regexp.MustCompile(`^[^.*>\s]+$`)

// natsSegmentPattern is natsSegment without its anchors.
const natsSegmentPattern = `[^.*>\s]+`

// natsPublisher sends a message, on core NATS or JetStream.
type natsPublisher func(ctx context.Context, msg *nats.Msg) error

// natsCorePublisher publishes with conn, without waiting for anything.
func natsCorePublisher(conn *nats.Conn) natsPublisher {
	return func(_ context.Context, msg *nats.Msg) error { return conn.PublishMsg(msg) }
}

// natsJetStreamPublisher publishes with js and waits for the stream's
// acknowledgement.
func natsJetStreamPublisher(js jetstream.JetStream) natsPublisher {
	return func(ctx context.Context, msg *nats.Msg) error {
		_, err := js.PublishMsg(ctx, msg)
		return err
	}
}

// natsPublish builds and sends one message.
func natsPublish(ctx context.Context, publish natsPublisher, subject string, payload []byte, headers [][2]string) error {
	msg := nats.NewMsg(subject)
	msg.Data = payload
	for _, h := range headers {
		msg.Header.Add(h[0], h[1])
	}
	if err := publish(ctx, msg); err != nil {
		return fmt.Errorf("publish to %s: %w", subject, err)
	}
	return nil
}

// natsErrorHeader is the header of an answer to a request that was not
// handled, saying why: the request or the handler's reply breaks the
// spec.
const natsErrorHeader = "asyncgen-error"

// natsRequest sends one request with conn and waits for its answer until
// ctx ends; it returns the answer's payload, or an error saying why the
// subscriber refused the request.
func natsRequest(ctx context.Context, conn *nats.Conn, subject string, payload []byte, headers [][2]string) ([]byte, error) {
	msg := nats.NewMsg(subject)
	msg.Data = payload
	for _, h := range headers {
		msg.Header.Add(h[0], h[1])
	}
	answer, err := conn.RequestMsgWithContext(ctx, msg)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("request on %s: no answer before the context ended: %w", subject, ctx.Err())
		}
		return nil, fmt.Errorf("request on %s: %w", subject, err)
	}
	if why := answer.Header.Get(natsErrorHeader); why != "" {
		return nil, fmt.Errorf("request on %s: the subscriber refused it: %s", subject, why)
	}
	return answer.Data, nil
}

// natsRespond answers a request: with body, or, when cause is not nil,
// with an empty payload and an asyncgen-error header saying what is
// wrong.
func natsRespond(msg *nats.Msg, body []byte, cause error) error {
	answer := nats.NewMsg(msg.Reply)
	answer.Data = body
	if cause != nil {
		answer.Data = nil
		answer.Header.Set(natsErrorHeader, clipText(cause.Error(), natsMaxErrorHeader))
	}
	if err := msg.RespondMsg(answer); err != nil {
		return fmt.Errorf("answer the request on %s: %w", msg.Subject, err)
	}
	return nil
}

// natsMaxErrorHeader is the longest asyncgen-error header an answer
// carries, in bytes.
const natsMaxErrorHeader = 1024

// natsWildcard is the subject a channel's subscription uses: the address
// with each token holding a {parameter} as *.
func natsWildcard(address string) string {
	tokens := strings.Split(address, ".")
	for i, t := range tokens {
		if strings.Contains(t, "{") && strings.Contains(t, "}") {
			tokens[i] = "*"
		}
	}
	return strings.Join(tokens, ".")
}

// natsSubjects are the wildcard subjects of the channels, with subjects
// that overlap (a subject matches both) merged into one that matches what
// either matches: subjects a JetStream stream accepts.
func natsSubjects(chans []brokerChannel) []string {
	var out []string
	for _, ch := range chans {
		subject := natsWildcard(ch.address)
		for {
			i := slices.IndexFunc(out, func(o string) bool { return natsOverlap(o, subject) })
			if i < 0 {
				break
			}
			subject = natsJoin(out[i], subject)
			out = slices.Delete(out, i, i+1)
		}
		out = append(out, subject)
	}
	return out
}

// natsOverlap reports whether some subject matches both wildcard
// subjects a and b. It reads them token by token, without splitting them:
// NATSSubjects compares every pair of its channels' subjects.
func natsOverlap(a, b string) bool {
	doneA, doneB := false, false
	for !doneA && !doneB {
		var x, y string
		var more bool
		x, a, more = strings.Cut(a, ".")
		doneA = !more
		y, b, more = strings.Cut(b, ".")
		doneB = !more
		switch {
		case x == ">" || y == ">":
			return true
		case x != y && x != "*" && y != "*":
			return false
		}
	}
	// > stands for one token or more, so a subject that ends matches
	// nothing longer.
	return doneA && doneB
}

// natsJoin is a wildcard subject matching every subject that overlapping
// subjects a or b match: their equal tokens, * where they differ, and >
// from where either has >.
func natsJoin(a, b string) string {
	ta, tb := strings.Split(a, "."), strings.Split(b, ".")
	var out []string
	for i := range min(len(ta), len(tb)) {
		switch x, y := ta[i], tb[i]; {
		case x == ">" || y == ">":
			return strings.Join(append(out, ">"), ".")
		case x == y:
			out = append(out, x)
		default:
			out = append(out, "*")
		}
	}
	return strings.Join(out, ".")
}

// natsMatch reports whether subject matches the wildcard subject
// wildcard.
func natsMatch(wildcard, subject string) bool {
	tw, ts := strings.Split(wildcard, "."), strings.Split(subject, ".")
	for i, w := range tw {
		switch {
		case w == ">":
			return i < len(ts)
		case i == len(ts), w != "*" && w != ts[i]:
			return false
		}
	}
	return len(tw) == len(ts)
}

// natsOwns reports whether the subscription of channel i handles a
// message on subject: i is its natsOwner, or it has none.
func natsOwns(chans []brokerChannel, subject string, i int) bool {
	owner := natsOwner(chans, subject)
	return owner < 0 || owner == i
}

// natsOwner is the index of the channel whose subscription handles a
// message on subject: the first channel whose address matches it, else
// the first whose wildcard subject does; -1 for none. Core NATS sends the
// message to every subscription it matches, and the others let it pass.
func natsOwner(chans []brokerChannel, subject string) int {
	if i := slices.IndexFunc(chans, func(ch brokerChannel) bool { return ch.pattern.MatchString(subject) }); i >= 0 {
		return i
	}
	return slices.IndexFunc(chans, func(ch brokerChannel) bool { return natsMatch(natsWildcard(ch.address), subject) })
}

// natsHeader turns a message's NATS headers into an http.Header.
func natsHeader(h nats.Header) http.Header {
	out := http.Header{}
	for k, vs := range h {
		for _, v := range vs {
			out.Add(k, v)
		}
	}
	return out
}

// natsDeadLetter republishes an invalid message to the dead-letter
// subject, with what is wrong in its headers.
func natsDeadLetter(conn *nats.Conn, dest, subject string, payload []byte, header http.Header, cause error) error {
	msg := nats.NewMsg(dest)
	msg.Data = payload
	for k, vs := range header {
		if !strings.HasPrefix(strings.ToLower(k), "asyncgen-") {
			msg.Header[k] = vs
		}
	}
	msg.Header.Set("asyncgen-error", cause.Error())
	msg.Header.Set("asyncgen-address", subject)
	if err := conn.PublishMsg(msg); err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}

// natsBuffer is how many messages a core NATS Subscriber holds while its
// handler works, as many as nats.go holds for a subscription by default
// (nats.DefaultSubPendingMsgsLimit is 512 Ki): past that, nats.go drops
// them as a slow consumer's.
const natsBuffer = 64 * 1024

// natsCoreConsumer subscribes with core NATS: the server does not keep
// messages, so a failing handler is retried here until it succeeds or the
// context ends.
type natsCoreConsumer struct {
	conn     *nats.Conn
	channels []brokerChannel
	settings brokerSettings
}

// run subscribes to the channels' subjects and handles their messages one
// at a time until ctx ends.
func (c *natsCoreConsumer) run(ctx context.Context) error {
	msgs := make(chan *nats.Msg, natsBuffer)
	// channelOf is the index of the channel each subscription is for: a
	// wildcard (a token holding a parameter and text, such as
	// audit/{shop}, is a whole *) may match the subjects of other
	// channels, and core NATS sends a message to every subscription it
	// matches; the subscription of the channel natsOwner names handles it.
	channelOf := map[*nats.Subscription]int{}
	for i, ch := range c.channels {
		subject, queue := natsWildcard(ch.address), c.settings.queue
		if queue == "" {
			queue = ch.queue
		}
		sub, err := c.conn.ChanQueueSubscribe(subject, queue, msgs)
		if err != nil {
			return fmt.Errorf("subscribe to %s: %w", subject, err)
		}
		defer func() { _ = sub.Unsubscribe() }()
		channelOf[sub] = i
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case msg := <-msgs:
			if i, ok := channelOf[msg.Sub]; ok && !natsOwns(c.channels, msg.Subject, i) {
				continue
			}
			if err := c.message(ctx, msg); err != nil {
				return err
			}
		}
	}
}

// message handles one message, trying again after a pause while the
// handler fails; it returns an error only when ctx ends first.
func (c *natsCoreConsumer) message(ctx context.Context, msg *nats.Msg) error {
	header := natsHeader(msg.Header)
	for attempt := 1; ; attempt++ {
		pctx, reply := ctx, (*brokerReply)(nil)
		if msg.Reply != "" {
			pctx, reply = brokerExpectReply(ctx)
		}
		outcome, err := brokerProcess(pctx, &c.settings, c.channels, "", msg.Subject, msg.Data, header)
		switch outcome {
		case brokerHandled:
			c.respond(msg, reply, nil)
			return nil
		case brokerInvalid:
			c.settings.invalid(msg.Subject, msg.Data, err)
			if c.settings.deadLetter != "" {
				if err := natsDeadLetter(c.conn, c.settings.deadLetter, msg.Subject, msg.Data, header, err); err != nil {
					c.settings.failed(msg.Subject, err)
				}
			}
			c.respond(msg, reply, err)
			return nil
		}
		c.settings.failed(msg.Subject, err)
		if !brokerSleep(ctx, brokerBackoff(attempt)) {
			return ctx.Err()
		}
	}
}

// respond answers a request (reply is nil for a message that is not
// one): with the handler's reply, an empty payload for a message without
// a reply in the spec, or an asyncgen-error header saying why it was not
// handled, or, for a request handled before, why its reply is not sent.
func (c *natsCoreConsumer) respond(msg *nats.Msg, reply *brokerReply, cause error) {
	if reply == nil {
		return
	}
	if err := natsRespond(msg, reply.body, reply.refusal(cause)); err != nil {
		c.settings.failed(msg.Subject, err)
	}
}

// natsJetStreamConsumer consumes from a JetStream consumer, acknowledging
// each message once handled.
type natsJetStreamConsumer struct {
	conn     *nats.Conn
	consumer jetstream.Consumer
	channels []brokerChannel
	settings brokerSettings
	// mu is held while a message is handled; stopped, once set, makes
	// the messages still arriving be left for redelivery.
	mu      sync.Mutex
	stopped bool
}

// run consumes until ctx ends, and returns once no message is being
// handled.
func (c *natsJetStreamConsumer) run(ctx context.Context) error {
	cc, err := c.consumer.Consume(func(msg jetstream.Msg) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if !c.stopped && ctx.Err() == nil {
			c.message(ctx, msg)
		}
	})
	if err != nil {
		return fmt.Errorf("consume: %w", err)
	}
	<-ctx.Done()
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	cc.Stop()
	return ctx.Err()
}

// message handles one message: ack when handled or dead-lettered, nak
// with a pause growing with its deliveries when the handler failed.
func (c *natsJetStreamConsumer) message(ctx context.Context, msg jetstream.Msg) {
	header := natsHeader(msg.Headers())
	key := ""
	if meta, err := msg.Metadata(); err == nil {
		key = fmt.Sprintf("nats:%s:%d", meta.Stream, meta.Sequence.Stream)
	}
	outcome, err := brokerProcess(ctx, &c.settings, c.channels, key, msg.Subject(), msg.Data(), header)
	switch outcome {
	case brokerHandled:
		c.ack(ctx, msg)
		return
	case brokerInvalid:
		c.settings.invalid(msg.Subject(), msg.Data(), err)
		if c.settings.deadLetter != "" {
			if err := natsDeadLetter(c.conn, c.settings.deadLetter, msg.Subject(), msg.Data(), header, err); err != nil {
				c.settings.failed(msg.Subject(), err)
				_ = msg.NakWithDelay(brokerBackoff(1))
				return
			}
		}
		_ = msg.Term()
		return
	}
	c.settings.failed(msg.Subject(), err)
	deliveries := 1
	if meta, err := msg.Metadata(); err == nil && meta.NumDelivered < 64 {
		deliveries = int(meta.NumDelivered)
	}
	_ = msg.NakWithDelay(brokerBackoff(deliveries))
}

// ack acknowledges a handled message and waits for the server to confirm,
// so that a message handled before the Subscriber stops is not delivered
// again.
func (c *natsJetStreamConsumer) ack(ctx context.Context, msg jetstream.Msg) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := msg.DoubleAck(actx); err != nil {
		c.settings.failed(msg.Subject(), fmt.Errorf("ack: %w", err))
	}
}
