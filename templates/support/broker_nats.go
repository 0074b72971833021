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
	subjects, _ := natsMerge(chans)
	return subjects
}

// natsMerge returns natsSubjects(chans), and the trie it found overlaps
// with. Channel after channel, the channel's wildcard subject is merged
// with the first subject kept so far that it overlaps, and the result
// again with the first it overlaps, until it overlaps none, and is kept,
// after the others. The trie finds the subjects a subject overlaps
// without reading the others: for subjects that rarely overlap, the work
// grows with the number of channels, not its square.
func natsMerge(chans []brokerChannel) ([]string, *brokerTrie) {
	trie := newBrokerTrie(".")
	// kept holds every subject kept, in order, by id; merged marks those
	// merged into a later one since.
	var kept []string
	var merged []bool
	for _, ch := range chans {
		subject := natsWildcard(ch.address)
		overlapping := trie.natsOverlapping(kept, subject)
		for len(overlapping) > 0 {
			i := overlapping[0]
			trie.remove(kept[i], i)
			merged[i] = true
			joined := natsJoin(kept[i], subject)
			if joined == subject {
				// The others it overlaps are the same, less i.
				overlapping = overlapping[1:]
				continue
			}
			subject = joined
			overlapping = trie.natsOverlapping(kept, subject)
		}
		trie.add(subject, len(kept))
		kept = append(kept, subject)
		merged = append(merged, false)
	}
	var out []string
	for i, subject := range kept {
		if !merged[i] {
			out = append(out, subject)
		}
	}
	return out, trie
}

// natsOverlapping are the ids of the subjects of the trie that subject
// overlaps (natsOverlap), in increasing order; kept holds the subjects by
// id.
func (t *brokerTrie) natsOverlapping(kept []string, subject string) []int {
	ids := t.natsCandidates(t.root, subject, false, nil)
	t.steps += len(ids)
	ids = slices.DeleteFunc(ids, func(id int) bool { return !natsOverlap(kept[id], subject) })
	slices.Sort(ids)
	return ids
}

// natsCandidates appends to out the ids of the subjects under n that may
// overlap a subject whose tokens from n on are rest (none when done):
// every subject that does, and maybe others, which natsOverlap tells
// apart.
func (t *brokerTrie) natsCandidates(n *brokerNode, rest string, done bool, out []int) []int {
	t.steps++
	if done {
		// > stands for one token or more: a subject under n is longer.
		return append(out, n.ids...)
	}
	token, rest, more := strings.Cut(rest, ".")
	if token == ">" || token == "*" {
		for key, child := range n.children {
			if token == ">" || key == ">" {
				out = t.subtree(child, out)
			} else {
				out = t.natsCandidates(child, rest, !more, out)
			}
		}
		return out
	}
	if child := n.children[token]; child != nil {
		out = t.natsCandidates(child, rest, !more, out)
	}
	if child := n.children["*"]; child != nil {
		out = t.natsCandidates(child, rest, !more, out)
	}
	if all := n.children[">"]; all != nil {
		out = t.subtree(all, out)
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

// natsOwners finds the channel whose subscription handles a message, for
// a core NATS subscriber: core NATS sends the message to every
// subscription it matches, and the others let it pass. It is built once,
// when the subscriber subscribes.
type natsOwners struct {
	chans []brokerChannel
	// wildcards holds the channels' wildcard subjects, by channel index.
	wildcards *brokerTrie
	// spanning are the indexes, in order, of the channels with a
	// {parameter} spanning a '.', whose address may match a subject their
	// wildcard subject does not.
	spanning []int
}

// newNATSOwners returns the natsOwners of chans.
func newNATSOwners(chans []brokerChannel) *natsOwners {
	o := &natsOwners{chans: chans, wildcards: newBrokerTrie(".")}
	for i, ch := range chans {
		o.wildcards.add(natsWildcard(ch.address), i)
		if !brokerParametersInLevels(ch.address, ".") {
			o.spanning = append(o.spanning, i)
		}
	}
	return o
}

// owns reports whether the subscription of channel i handles a message
// on subject: i is its owner, or it has none.
func (o *natsOwners) owns(subject string, i int) bool {
	owner := o.owner(subject)
	return owner < 0 || owner == i
}

// owner is the index of the channel whose subscription handles a message
// on subject: the first channel whose address matches it, else the first
// whose wildcard subject does; -1 for none. It reads only the channels
// whose wildcard subject matches, and those of spanning, and allocates
// nothing.
func (o *natsOwners) owner(subject string) int {
	first := o.firstUnder(o.wildcards.root, subject, subject, false, natsFirst{address: -1, wildcard: -1})
	for _, i := range o.spanning {
		if first.address >= 0 && i >= first.address {
			break
		}
		if o.chans[i].pattern.MatchString(subject) {
			first.address = i
			break
		}
	}
	if first.address >= 0 {
		return first.address
	}
	return first.wildcard
}

// natsFirst are the least index of a channel whose address matches a
// subject, and the least of one whose wildcard subject does; -1 for none.
type natsFirst struct{ address, wildcard int }

// firstUnder is first with the channels under n whose wildcard subject
// matches subject taken in; rest are the subject's tokens from n on (none
// when done).
func (o *natsOwners) firstUnder(n *brokerNode, subject, rest string, done bool, first natsFirst) natsFirst {
	if done {
		return o.consider(n.ids, subject, first)
	}
	if all := n.children[">"]; all != nil {
		// > matches the tokens left, one or more.
		first = o.firstAll(all, subject, first)
	}
	token, rest, more := strings.Cut(rest, ".")
	if child := n.children[token]; child != nil && token != ">" {
		first = o.firstUnder(child, subject, rest, !more, first)
	}
	if child := n.children["*"]; child != nil && token != "*" {
		first = o.firstUnder(child, subject, rest, !more, first)
	}
	return first
}

// firstAll is first with every channel at or under n taken in.
func (o *natsOwners) firstAll(n *brokerNode, subject string, first natsFirst) natsFirst {
	first = o.consider(n.ids, subject, first)
	for _, child := range n.children {
		first = o.firstAll(child, subject, first)
	}
	return first
}

// consider is first with the channels ids, whose wildcard subject matches
// subject, taken in.
func (o *natsOwners) consider(ids []int, subject string, first natsFirst) natsFirst {
	for _, i := range ids {
		if first.wildcard < 0 || i < first.wildcard {
			first.wildcard = i
		}
		if (first.address < 0 || i < first.address) && o.chans[i].pattern.MatchString(subject) {
			first.address = i
		}
	}
	return first
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
	// matches; the subscription of the channel owners names handles it.
	channelOf := map[*nats.Subscription]int{}
	owners := newNATSOwners(c.channels)
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
			if i, ok := channelOf[msg.Sub]; ok && !owners.owns(msg.Subject, i) {
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
