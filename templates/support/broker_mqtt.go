package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// mqttSegment is what a parameter value may be in an MQTT topic: one
// level, without the separator, the wildcards or NUL.
var mqttSegment = regexp.MustCompile(`^[^/+#\x00]+$`)

// mqttSegmentPattern is mqttSegment without its anchors.
const mqttSegmentPattern = `[^/+#\x00]+`

// mqttPublish publishes one message with qos (0 to 2) and retain, and
// waits for the broker's acknowledgement when qos asks for one.
func mqttPublish(ctx context.Context, cm *autopaho.ConnectionManager, topic string, qos byte, retain bool, payload []byte, headers [][2]string) error {
	props := &paho.PublishProperties{ContentType: "application/json"}
	for _, h := range headers {
		props.User = append(props.User, paho.UserProperty{Key: h[0], Value: h[1]})
	}
	if _, err := cm.Publish(ctx, &paho.Publish{Topic: topic, QoS: qos, Retain: retain, Payload: payload, Properties: props}); err != nil {
		return fmt.Errorf("publish to %s: %w", topic, err)
	}
	return nil
}

// mqttFilter is the topic filter a channel's subscription uses: the
// address with each level holding a {parameter} as +.
func mqttFilter(address string) string {
	levels := strings.Split(address, "/")
	for i, l := range levels {
		if strings.Contains(l, "{") && strings.Contains(l, "}") {
			levels[i] = "+"
		}
	}
	return strings.Join(levels, "/")
}

// mqttFilters are the topic filters a subscriber subscribes to.
func mqttFilters(chans []brokerChannel) []string {
	subs := mqttSubscriptions(chans)
	out := make([]string, 0, len(subs))
	for _, s := range subs {
		out = append(out, s.filter)
	}
	return out
}

// mqttSubscription is a topic filter a subscriber subscribes to, with
// the QoS it asks for.
type mqttSubscription struct {
	filter string
	qos    byte
}

// mqttSubscriptions are the subscriptions of the channels: their filters,
// with filters that overlap (a topic matches both) merged into one that
// matches what either matches, at the higher of their QoS. A broker sends
// a message once per subscription it matches, so without overlaps it
// sends each message once.
func mqttSubscriptions(chans []brokerChannel) []mqttSubscription {
	subs, _ := mqttMerge(chans)
	return subs
}

// mqttMerge returns mqttSubscriptions(chans), and a trie of their
// filters. Channel after channel, the channel's filter is merged with the
// first subscription kept so far that it overlaps, and the result again
// with the first it overlaps, until it overlaps none, and is kept, after
// the others. The trie finds the subscriptions a filter overlaps without
// reading the others: for filters that rarely overlap, the work grows
// with the number of channels, not its square.
func mqttMerge(chans []brokerChannel) ([]mqttSubscription, *brokerTrie) {
	trie := newBrokerTrie("/")
	// kept holds every subscription kept, in order, by id; merged marks
	// those merged into a later one since.
	var kept []mqttSubscription
	var merged []bool
	for _, ch := range chans {
		sub := mqttSubscription{filter: mqttFilter(ch.address), qos: ch.qos}
		overlapping := trie.mqttOverlapping(kept, sub.filter)
		for len(overlapping) > 0 {
			i := overlapping[0]
			trie.remove(kept[i].filter, i)
			merged[i] = true
			joined := mqttJoin(kept[i].filter, sub.filter)
			sub.qos = max(kept[i].qos, sub.qos)
			if joined == sub.filter {
				// The others it overlaps are the same, less i.
				overlapping = overlapping[1:]
				continue
			}
			sub.filter = joined
			overlapping = trie.mqttOverlapping(kept, sub.filter)
		}
		trie.add(sub.filter, len(kept))
		kept = append(kept, sub)
		merged = append(merged, false)
	}
	var out []mqttSubscription
	for i, sub := range kept {
		if !merged[i] {
			out = append(out, sub)
		}
	}
	return out, trie
}

// mqttOverlapping are the ids of the filters of the trie that filter
// overlaps (mqttOverlap), in increasing order; kept holds the filters by
// id.
func (t *brokerTrie) mqttOverlapping(kept []mqttSubscription, filter string) []int {
	ids := t.mqttCandidates(t.root, filter, false, nil)
	t.steps += len(ids)
	ids = slices.DeleteFunc(ids, func(id int) bool { return !mqttOverlap(kept[id].filter, filter) })
	slices.Sort(ids)
	return ids
}

// mqttCandidates appends to out the ids of the filters under n that may
// overlap a filter whose levels from n on are rest (none when done):
// every filter that does, and maybe others, which mqttOverlap tells
// apart.
func (t *brokerTrie) mqttCandidates(n *brokerNode, rest string, done bool, out []int) []int {
	t.steps++
	if done {
		// x/# matches x too.
		out = append(out, n.ids...)
		if all := n.children["#"]; all != nil {
			out = t.subtree(all, out)
		}
		return out
	}
	level, rest, more := strings.Cut(rest, "/")
	switch level {
	case "#":
		return t.subtree(n, out)
	case "+":
		for key, child := range n.children {
			if key == "#" {
				out = t.subtree(child, out)
			} else {
				out = t.mqttCandidates(child, rest, !more, out)
			}
		}
		return out
	}
	if child := n.children[level]; child != nil {
		out = t.mqttCandidates(child, rest, !more, out)
	}
	if child := n.children["+"]; child != nil {
		out = t.mqttCandidates(child, rest, !more, out)
	}
	if all := n.children["#"]; all != nil {
		out = t.subtree(all, out)
	}
	return out
}

// mqttMatches reports whether topic matches one of the filters of the trie,
// as mqttMatch says; it allocates nothing.
func (t *brokerTrie) mqttMatches(topic string) bool {
	return t.mqttMatchesUnder(t.root, topic, false, !strings.HasPrefix(topic, "$"))
}

// mqttMatchesUnder reports whether a filter under n matches a topic whose
// levels from n on are rest (none when done); wildcards is false at the
// first level of a topic starting with $, which no wildcard matches.
func (t *brokerTrie) mqttMatchesUnder(n *brokerNode, rest string, done, wildcards bool) bool {
	if wildcards && n.children["#"] != nil {
		// x/# matches x too; a filter goes on after # only as x/#/y,
		// which matches as x/# does.
		return true
	}
	if done {
		return len(n.ids) > 0
	}
	level, rest, more := strings.Cut(rest, "/")
	if child := n.children[level]; child != nil && t.mqttMatchesUnder(child, rest, !more, true) {
		return true
	}
	if child := n.children["+"]; wildcards && child != nil && t.mqttMatchesUnder(child, rest, !more, true) {
		return true
	}
	return false
}

// mqttWildcard reports whether a filter level is a wildcard.
func mqttWildcard(level string) bool {
	return level == "+" || level == "#"
}

// mqttOverlap reports whether some topic matches both filters a and b.
// It reads them level by level, without splitting them: a subscriber
// compares every pair of its channels' filters.
func mqttOverlap(a, b string) bool {
	doneA, doneB := false, false
	for i := 0; ; i++ {
		if doneA || doneB {
			// x/# matches x too.
			rest := a
			if doneA {
				rest = b
			}
			return doneA && doneB || rest == "#"
		}
		var x, y string
		var more bool
		x, a, more = strings.Cut(a, "/")
		doneA = !more
		y, b, more = strings.Cut(b, "/")
		doneB = !more
		switch {
		case i == 0 && (strings.HasPrefix(x, "$") && mqttWildcard(y) || strings.HasPrefix(y, "$") && mqttWildcard(x)):
			// A wildcard first level matches no topic starting with $.
			return false
		case x == "#" || y == "#":
			return true
		case x != y && x != "+" && y != "+":
			return false
		}
	}
}

// mqttJoin is a filter matching every topic that overlapping filters a or
// b match: their equal levels, + where they differ, and # from where
// either has #, or where the shorter ends.
func mqttJoin(a, b string) string {
	la, lb := strings.Split(a, "/"), strings.Split(b, "/")
	var out []string
	for i := 0; ; i++ {
		if i == len(la) || i == len(lb) {
			if len(la) != len(lb) {
				out = append(out, "#")
			}
			return strings.Join(out, "/")
		}
		switch x, y := la[i], lb[i]; {
		case x == "#" || y == "#":
			return strings.Join(append(out, "#"), "/")
		case x == y:
			out = append(out, x)
		default:
			out = append(out, "+")
		}
	}
}

// mqttAddresses tells whether a topic is the address of one of the
// channels, which a topic a merged filter matches need not be. It is
// built once, when the subscriber is configured.
type mqttAddresses struct {
	chans []brokerChannel
	// filters holds the channels' filters, by channel index.
	filters *brokerTrie
	// spanning are the indexes of the channels with a {parameter}
	// spanning a '/', whose address may match a topic their filter does
	// not.
	spanning []int
}

// newMQTTAddresses returns the mqttAddresses of chans.
func newMQTTAddresses(chans []brokerChannel) *mqttAddresses {
	a := &mqttAddresses{chans: chans, filters: newBrokerTrie("/")}
	for i, ch := range chans {
		a.filters.add(mqttFilter(ch.address), i)
		if !brokerParametersInLevels(ch.address, "/") {
			a.spanning = append(a.spanning, i)
		}
	}
	return a
}

// has reports whether topic is the address of one of the channels. It
// tries the patterns of only the channels whose filter matches topic
// level by level (a pattern may match a topic starting with $ that a
// wildcard does not), and of those of spanning, and allocates nothing.
func (a *mqttAddresses) has(topic string) bool {
	if a.hasUnder(a.filters.root, topic, topic, false) {
		return true
	}
	return slices.ContainsFunc(a.spanning, func(i int) bool { return a.chans[i].pattern.MatchString(topic) })
}

// hasUnder reports whether the address of a channel under n, whose filter
// matches topic level by level, matches topic; rest are the topic's
// levels from n on (none when done).
func (a *mqttAddresses) hasUnder(n *brokerNode, topic, rest string, done bool) bool {
	if all := n.children["#"]; all != nil && a.hasAll(all, topic) {
		return true
	}
	if done {
		return a.matches(n.ids, topic)
	}
	level, rest, more := strings.Cut(rest, "/")
	if child := n.children[level]; child != nil && level != "#" && a.hasUnder(child, topic, rest, !more) {
		return true
	}
	if child := n.children["+"]; child != nil && level != "+" && a.hasUnder(child, topic, rest, !more) {
		return true
	}
	return false
}

// hasAll reports whether the address of a channel at or under n matches
// topic.
func (a *mqttAddresses) hasAll(n *brokerNode, topic string) bool {
	if a.matches(n.ids, topic) {
		return true
	}
	for _, child := range n.children {
		if a.hasAll(child, topic) {
			return true
		}
	}
	return false
}

// matches reports whether the address of one of the channels ids matches
// topic.
func (a *mqttAddresses) matches(ids []int, topic string) bool {
	return slices.ContainsFunc(ids, func(i int) bool { return a.chans[i].pattern.MatchString(topic) })
}

// mqttHeader turns a message's user properties into an http.Header.
func mqttHeader(p *paho.Publish) http.Header {
	out := http.Header{}
	if p.Properties != nil {
		for _, u := range p.Properties.User {
			out.Add(u.Key, u.Value)
		}
	}
	return out
}

// mqttConsumer is installed in an autopaho client configuration: it
// subscribes on every connection the manager makes, and handles each
// message before it is acknowledged.
type mqttConsumer struct {
	channels []brokerChannel
	settings brokerSettings
	// cm is the manager of the latest connection, which dead letters are
	// published with.
	cm atomic.Pointer[autopaho.ConnectionManager]
	// subscriptions are what the consumer subscribes to, and filters
	// their filters, set by configure.
	subscriptions []mqttSubscription
	filters       *brokerTrie
	// addresses tells the topics of the channels, set by configure.
	addresses *mqttAddresses
	// started is closed when Run starts; once closes it.
	started chan struct{}
	once    sync.Once
	// mu is held while a message is handled, and guards ctx, Run's
	// context, and stopped, set when Run returns.
	mu      sync.Mutex
	ctx     context.Context
	stopped bool
}

// configure returns cfg with the consumer's handlers added: a PUBLISH
// handler, which every connection autopaho makes is given, and an
// OnConnectionUp that subscribes again on each connection, after calling
// the one cfg had.
func (c *mqttConsumer) configure(cfg autopaho.ClientConfig) autopaho.ClientConfig {
	c.subscriptions, c.filters = mqttMerge(c.channels)
	c.addresses = newMQTTAddresses(c.channels)
	up := cfg.OnConnectionUp
	cfg.OnConnectionUp = func(cm *autopaho.ConnectionManager, ack *paho.Connack) {
		if up != nil {
			up(cm, ack)
		}
		c.cm.Store(cm)
		go c.subscribe(cm)
	}
	cfg.OnPublishReceived = append(slices.Clone(cfg.OnPublishReceived), c.received)
	return cfg
}

// subscribe subscribes to the consumer's subscriptions on the connection
// that just came up.
func (c *mqttConsumer) subscribe(cm *autopaho.ConnectionManager) {
	sub := &paho.Subscribe{}
	var filters []string
	for _, s := range c.subscriptions {
		sub.Subscriptions = append(sub.Subscriptions, paho.SubscribeOptions{Topic: s.filter, QoS: s.qos})
		filters = append(filters, s.filter)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cm.Subscribe(ctx, sub); err != nil {
		c.settings.failed(strings.Join(filters, " "), fmt.Errorf("subscribe: %w", err))
	}
}

// subscribed reports whether topic matches one of the consumer's
// subscriptions.
func (c *mqttConsumer) subscribed(topic string) bool {
	return c.filters.mqttMatches(topic)
}

// received handles a PUBLISH on one of the consumer's subscriptions once
// Run has started, and acknowledges it once handled; a topic of no
// channel, which a merged filter lets through, it acknowledges without
// handling or reporting it. It leaves other topics to the other
// handlers, and a message arriving after Run returned unacknowledged.
func (c *mqttConsumer) received(pr paho.PublishReceived) (bool, error) {
	if pr.AlreadyHandled || !c.subscribed(pr.Packet.Topic) {
		return false, nil
	}
	if !c.ofAChannel(pr.Packet.Topic) {
		// Only a merged filter let it through: it is no message of the
		// spec's, so it is acknowledged and left alone.
		c.ack(pr)
		return true, nil
	}
	<-c.started
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.message(c.ctx, pr.Packet) {
		return false, nil
	}
	c.ack(pr)
	return true, nil
}

// ack acknowledges a received message, reporting a failure to ack.
func (c *mqttConsumer) ack(pr paho.PublishReceived) {
	if err := pr.Client.Ack(pr.Packet); err != nil && !errors.Is(err, paho.ErrManualAcknowledgmentDisabled) {
		c.settings.failed(pr.Packet.Topic, fmt.Errorf("ack: %w", err))
	}
}

// ofAChannel reports whether topic is the address of one of the
// consumer's channels, which a topic a merged filter matches need not be.
func (c *mqttConsumer) ofAChannel(topic string) bool {
	return c.addresses.has(topic)
}

// run lets messages be handled until ctx ends, and returns once none is
// being handled.
func (c *mqttConsumer) run(ctx context.Context) error {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	c.once.Do(func() { close(c.started) })
	<-ctx.Done()
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	return ctx.Err()
}

// message handles one message, trying again after a pause while the
// handler fails; it reports whether to acknowledge the message, which it
// does not when ctx ends first.
func (c *mqttConsumer) message(ctx context.Context, p *paho.Publish) bool {
	header := mqttHeader(p)
	for attempt := 1; ; attempt++ {
		outcome, err := brokerProcess(ctx, &c.settings, c.channels, "", p.Topic, p.Payload, header)
		switch outcome {
		case brokerHandled:
			return true
		case brokerInvalid:
			c.settings.invalid(p.Topic, p.Payload, err)
			if c.settings.deadLetter == "" {
				return true
			}
			err = c.deadLetter(ctx, p, header, err)
			if err == nil {
				return true
			}
		}
		c.settings.failed(p.Topic, err)
		if !brokerSleep(ctx, brokerBackoff(attempt)) {
			return false
		}
	}
}

// deadLetter republishes an invalid message to the dead-letter topic, with
// what is wrong in its user properties.
func (c *mqttConsumer) deadLetter(ctx context.Context, p *paho.Publish, header http.Header, cause error) error {
	var headers [][2]string
	for k, vs := range header {
		if !strings.HasPrefix(strings.ToLower(k), "asyncgen-") {
			for _, v := range vs {
				headers = append(headers, [2]string{k, v})
			}
		}
	}
	headers = append(headers, [2]string{"asyncgen-error", cause.Error()}, [2]string{"asyncgen-address", p.Topic})
	cm := c.cm.Load()
	if cm == nil {
		return errors.New("dead letter: no connection")
	}
	if err := mqttPublish(ctx, cm, c.settings.deadLetter, 1, false, p.Payload, headers); err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}
