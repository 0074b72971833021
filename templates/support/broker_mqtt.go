package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/eclipse/paho.golang/paho"
)

// mqttSegment is what a parameter value may be in an MQTT topic: one
// level, without the separator, the wildcards or NUL.
var mqttSegment = regexp.MustCompile(`^[^/+#\x00]+$`)

// mqttSegmentPattern is mqttSegment without its anchors.
const mqttSegmentPattern = `[^/+#\x00]+`

// mqttPublish publishes one message with QoS 1 and waits for the broker's
// acknowledgement.
func mqttPublish(ctx context.Context, cm *autopaho.ConnectionManager, topic string, payload []byte, headers [][2]string) error {
	props := &paho.PublishProperties{ContentType: "application/json"}
	for _, h := range headers {
		props.User = append(props.User, paho.UserProperty{Key: h[0], Value: h[1]})
	}
	if _, err := cm.Publish(ctx, &paho.Publish{Topic: topic, QoS: 1, Payload: payload, Properties: props}); err != nil {
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

// mqttConsumer subscribes with an autopaho connection manager and handles
// each message before it is acknowledged.
type mqttConsumer struct {
	cm       *autopaho.ConnectionManager
	channels []brokerChannel
	settings brokerSettings
}

// run subscribes to the channels' filters with QoS 1 and handles their
// messages until ctx ends.
func (c *mqttConsumer) run(ctx context.Context) error {
	remove := c.cm.AddOnPublishReceived(func(pr autopaho.PublishReceived) (bool, error) {
		if pr.AlreadyHandled || ctx.Err() != nil {
			return false, nil
		}
		if !c.message(ctx, pr.Packet) {
			return false, nil
		}
		if err := pr.Client.Ack(pr.Packet); err != nil && !errors.Is(err, paho.ErrManualAcknowledgmentDisabled) {
			c.settings.failed(pr.Packet.Topic, fmt.Errorf("ack: %w", err))
		}
		return true, nil
	})
	defer remove()
	sub := &paho.Subscribe{}
	for _, filter := range mqttFilters(c.channels) {
		sub.Subscriptions = append(sub.Subscriptions, paho.SubscribeOptions{Topic: filter, QoS: 1})
	}
	if _, err := c.cm.Subscribe(ctx, sub); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	<-ctx.Done()
	return ctx.Err()
}

// message handles one message, trying again after a pause while the
// handler fails; it reports whether to acknowledge the message, which it
// does not when ctx ends first.
func (c *mqttConsumer) message(ctx context.Context, p *paho.Publish) bool {
	header := mqttHeader(p)
	for attempt := 1; ; attempt++ {
		outcome, err := brokerProcess(ctx, &c.settings, c.channels, p.Topic, p.Payload, header)
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
	if err := mqttPublish(ctx, c.cm, c.settings.deadLetter, p.Payload, headers); err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}
