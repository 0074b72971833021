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

// mqttFilters are the topic filters of the channels.
func mqttFilters(chans []brokerChannel) []string {
	out := make([]string, 0, len(chans))
	for _, ch := range chans {
		out = append(out, mqttFilter(ch.address))
	}
	return out
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

// subscribe subscribes to the channels' filters, each with the QoS of its
// channel, on the connection that just came up.
func (c *mqttConsumer) subscribe(cm *autopaho.ConnectionManager) {
	sub := &paho.Subscribe{}
	for _, ch := range c.channels {
		sub.Subscriptions = append(sub.Subscriptions, paho.SubscribeOptions{Topic: mqttFilter(ch.address), QoS: ch.qos})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cm.Subscribe(ctx, sub); err != nil {
		c.settings.failed(strings.Join(mqttFilters(c.channels), " "), fmt.Errorf("subscribe: %w", err))
	}
}

// received handles a PUBLISH on one of the channels once Run has started,
// and acknowledges it once handled; it leaves other topics to the other
// handlers, and a message arriving after Run returned unacknowledged.
func (c *mqttConsumer) received(pr paho.PublishReceived) (bool, error) {
	if pr.AlreadyHandled {
		return false, nil
	}
	if _, _, ok := brokerMatch(c.channels, pr.Packet.Topic); !ok {
		return false, nil
	}
	<-c.started
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.message(c.ctx, pr.Packet) {
		return false, nil
	}
	if err := pr.Client.Ack(pr.Packet); err != nil && !errors.Is(err, paho.ErrManualAcknowledgmentDisabled) {
		c.settings.failed(pr.Packet.Topic, fmt.Errorf("ack: %w", err))
	}
	return true, nil
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
