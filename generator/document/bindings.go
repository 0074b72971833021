package document

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Bindings is what asyncgen reads of the bindings of a server, channel,
// operation or message, in AsyncAPI 2.x and 3.x alike.
type Bindings struct {
	Kafka KafkaBindings
	MQTT  MQTTBindings
	NATS  NATSBindings
	// Ignored names the bindings asyncgen reads but does not act on, as
	// "protocol" (a protocol whose bindings it does not read) or
	// "protocol.field", in document order.
	Ignored []string
}

// KafkaBindings are the Kafka bindings asyncgen acts on.
type KafkaBindings struct {
	// Topic is a channel's topic when it differs from the channel's
	// address; "" when not given.
	Topic string
	// Partitions is a channel's number of partitions; 0 when not given.
	Partitions int
	// Replicas is a channel's replication factor; 0 when not given.
	Replicas int
	// TopicConfiguration is a channel's topic configuration, each entry
	// a Kafka topic config with its value as Kafka reads it, sorted by
	// name; empty when not given.
	TopicConfiguration []KafkaTopicConfig
	// GroupID and ClientID are an operation's consumer group and client
	// IDs, taken from their schemas (const, default or first enum value);
	// "" when not given.
	GroupID  string
	ClientID string
	// Key is a message's record key schema; nil when not given.
	Key *SchemaRef
}

// KafkaTopicConfig is one entry of a Kafka topic configuration.
type KafkaTopicConfig struct {
	Name, Value string
}

// MQTTBindings are the MQTT bindings asyncgen acts on.
type MQTTBindings struct {
	// QoS is an operation's quality of service, 0, 1 or 2; nil when not
	// given.
	QoS *int
	// Retain says whether the broker keeps an operation's last message.
	Retain bool
}

// NATSBindings are the NATS bindings asyncgen acts on.
type NATSBindings struct {
	// Queue is the queue group an operation's subscribers join; "" when
	// not given.
	Queue string
}

// bindingsReader reads bindings objects with a version's way of following
// $refs and reading schemas.
type bindingsReader struct {
	follow func(*Node) (*Node, error)
	schema func(*Node) (*SchemaRef, error)
}

// bindingFields are the fields each protocol's bindings on an object may
// hold that asyncgen acts on; a field not listed is ignored with a note.
var bindingFields = map[string]map[string][]string{
	"server":    {"kafka": nil, "mqtt": nil, "nats": nil},
	"channel":   {"kafka": {"topic", "partitions", "replicas", "topicConfiguration"}},
	"operation": {"kafka": {"groupId", "clientId"}, "mqtt": {"qos", "retain"}, "nats": {"queue"}},
	"message":   {"kafka": {"key"}},
}

// read reads the bindings member of n, an object of kind ("server",
// "channel", "operation" or "message"); nil when it has none.
func (r bindingsReader) read(n *Node, kind string) (*Bindings, error) {
	raw := n.Get("bindings")
	if raw == nil {
		return nil, nil
	}
	bn, err := r.follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(bn, kind+" bindings", KindMap); err != nil {
		return nil, err
	}
	b := &Bindings{}
	for i, protocol := range bn.Keys {
		if isExtension(protocol) {
			continue
		}
		pn, err := r.follow(bn.Values[i])
		if err != nil {
			return nil, err
		}
		if err := r.protocol(b, kind, protocol, pn); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// protocol reads the bindings of one protocol.
func (r bindingsReader) protocol(b *Bindings, kind, protocol string, n *Node) error {
	known, read := bindingFields[kind][protocol]
	if !read {
		b.Ignored = append(b.Ignored, protocol)
		return nil
	}
	if err := expectKind(n, fmt.Sprintf("the %s bindings of a %s", protocol, kind), KindMap); err != nil {
		return err
	}
	for i, field := range n.Keys {
		if field == "bindingVersion" || isExtension(field) {
			continue
		}
		if !slices.Contains(known, field) {
			b.Ignored = append(b.Ignored, protocol+"."+field)
			continue
		}
		if err := r.field(b, protocol+"."+field, n.Values[i]); err != nil {
			return err
		}
	}
	return nil
}

// field reads one binding field asyncgen acts on.
func (r bindingsReader) field(b *Bindings, name string, v *Node) error {
	var err error
	switch name {
	case "kafka.topic":
		b.Kafka.Topic, err = bindingTopic(v)
	case "kafka.partitions":
		b.Kafka.Partitions, err = positiveInt(v, name, math.MaxInt32)
	case "kafka.replicas":
		b.Kafka.Replicas, err = positiveInt(v, name, math.MaxInt16)
	case "kafka.topicConfiguration":
		b.Kafka.TopicConfiguration, err = r.topicConfiguration(v)
	case "kafka.groupId":
		b.Kafka.GroupID, err = r.schemaValue(v, name)
	case "kafka.clientId":
		b.Kafka.ClientID, err = r.schemaValue(v, name)
	case "kafka.key":
		b.Kafka.Key, err = r.schema(v)
	case "mqtt.qos":
		b.MQTT.QoS, err = bindingQoS(v)
	case "mqtt.retain":
		if err = expectKind(v, "mqtt retain", KindBool); err == nil {
			b.MQTT.Retain = v.Bool
		}
	case "nats.queue":
		b.NATS.Queue, err = bindingQueue(v)
	}
	return err
}

// bindingTopic reads a Kafka topic name: 1 to 249 letters, digits, '.',
// '_' and '-'.
func bindingTopic(v *Node) (string, error) {
	if err := expectKind(v, "kafka topic", KindString); err != nil {
		return "", err
	}
	valid := func(r rune) bool {
		return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r))
	}
	if v.Str == "" || len(v.Str) > 249 || strings.IndexFunc(v.Str, func(r rune) bool { return !valid(r) }) >= 0 || v.Str == "." || v.Str == ".." {
		return "", v.Errorf("kafka topic %q is not a Kafka topic name (1 to 249 letters, digits, '.', '_' and '-')", v.Str)
	}
	return v.Str, nil
}

// positiveInt reads a whole number from 1 to limit.
func positiveInt(v *Node, name string, limit float64) (int, error) {
	f, ok := v.Float()
	if !ok || f != math.Trunc(f) || f < 1 || f > limit {
		return 0, v.Errorf("%s must be a whole number from 1 to %d, not %s", name, int64(limit), shownValue(v))
	}
	return int(f), nil
}

// bindingQoS reads an MQTT quality of service: 0, 1 or 2.
func bindingQoS(v *Node) (*int, error) {
	f, ok := v.Float()
	if !ok || f != math.Trunc(f) || f < 0 || f > 2 {
		return nil, v.Errorf("mqtt qos must be 0, 1 or 2, not %s", shownValue(v))
	}
	q := int(f)
	return &q, nil
}

// bindingQueue reads a NATS queue group name: 1 to 255 characters without
// white space.
func bindingQueue(v *Node) (string, error) {
	if err := expectKind(v, "nats queue", KindString); err != nil {
		return "", err
	}
	if v.Str == "" || len(v.Str) > 255 || strings.IndexFunc(v.Str, unicode.IsSpace) >= 0 {
		return "", v.Errorf("nats queue %q is not a queue group name (1 to 255 characters without white space)", v.Str)
	}
	return v.Str, nil
}

// schemaValue reads the string a Kafka groupId or clientId schema gives:
// its const, else its default, else its first enum value; "" when it
// gives none. A plain string, which documents often write instead of a
// schema, is the value itself.
func (r bindingsReader) schemaValue(v *Node, name string) (string, error) {
	n, err := r.follow(v)
	if err != nil {
		return "", err
	}
	if n.Kind == KindString && n.Str != "" {
		return n.Str, nil
	}
	if err := expectKind(n, name+" (a schema or a string)", KindMap); err != nil {
		return "", err
	}
	for _, key := range []string{"const", "default", "enum"} {
		value := n.Get(key)
		if key == "enum" && value != nil && value.Kind == KindList && len(value.Items) > 0 {
			value = value.Items[0]
		} else if key == "enum" {
			value = nil
		}
		if value == nil {
			continue
		}
		if value.Kind != KindString || value.Str == "" {
			return "", value.Errorf("%s must name a non-empty string, not %s", name, shownValue(value))
		}
		return value.Str, nil
	}
	return "", nil
}

// shownValue renders a scalar node for an error message.
func shownValue(v *Node) string {
	switch v.Kind {
	case KindNumber:
		return v.Str
	case KindString:
		return fmt.Sprintf("%q", shown(v.Str))
	case KindBool:
		return fmt.Sprint(v.Bool)
	}
	return article(v.Kind)
}
