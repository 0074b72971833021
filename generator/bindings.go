package generator

import (
	"reflect"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// messageBindings gives a message the type of its Kafka record key and the
// names of the bindings asyncgen ignores.
func (b *builder) messageBindings(msg *model.Message, bs *document.Bindings) error {
	if bs == nil {
		return nil
	}
	msg.IgnoredBindings = bs.Ignored
	if bs.Kafka.Key == nil {
		return nil
	}
	key, err := b.typeRef(bs.Kafka.Key, msg.Name+"Key")
	if err == nil && key.Kind == model.BuiltinRef && bs.Kafka.Key.Ref == "" && carriesChecks(bs.Kafka.Key.Value) {
		// Only a named type has a Validate method to check them with.
		key, err = b.rootRef(bs.Kafka.Key, msg.Name+"Key")
	}
	if err != nil {
		return err
	}
	msg.KafkaKey = key
	return nil
}

// carriesChecks reports whether a scalar schema says more than its type:
// a pattern, a format asyncgen checks, a length, a bound or an enum, which
// a Go string, integer or boolean cannot hold.
func carriesChecks(v *document.Schema) bool {
	var r model.Rules
	leafRules(&r, v)
	r.Types = nil
	return !reflect.ValueOf(r).IsZero()
}

// channelBindings gives a channel its Kafka topic, partitions, replicas
// and topic configuration, and the names of the bindings asyncgen
// ignores.
func channelBindings(c *model.Channel, bs *document.Bindings) {
	if bs == nil {
		return
	}
	c.KafkaTopic, c.KafkaPartitions, c.KafkaReplicas, c.IgnoredBindings = bs.Kafka.Topic, bs.Kafka.Partitions, bs.Kafka.Replicas, bs.Ignored
	for _, tc := range bs.Kafka.TopicConfiguration {
		c.KafkaTopicConfig = append(c.KafkaTopicConfig, model.KafkaTopicConfig{Name: tc.Name, Value: tc.Value})
	}
}

// operationBindings gives an operation its Kafka group and client IDs, its
// MQTT QoS and retain flag, its NATS queue and the names of the bindings
// asyncgen ignores.
func operationBindings(o *model.Operation, bs *document.Bindings) {
	if bs == nil {
		return
	}
	o.KafkaGroupID, o.KafkaClientID = bs.Kafka.GroupID, bs.Kafka.ClientID
	o.MQTTQoS, o.MQTTRetain = bs.MQTT.QoS, bs.MQTT.Retain
	o.NATSQueue = bs.NATS.Queue
	o.IgnoredBindings = bs.Ignored
}
