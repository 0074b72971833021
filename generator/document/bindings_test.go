package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const bindings2x = header + `servers:
  s: {url: 'localhost:9092', protocol: kafka, bindings: {kafka: {schemaRegistryUrl: 'http://r'}}}
channels:
  lights:
    bindings:
      kafka:
        topic: lights.v1
        partitions: 3
        replicas: 2
        topicConfiguration:
          retention.ms: 604800000
          cleanup.policy: [compact, delete]
          retention.bytes: -1
          delete.retention.ms: 86400000
          max.message.bytes: 1048588
          confluent.value.schema.validation: true
          min.cleanable.dirty.ratio: 0.5
          compression.type: zstd
          x-note: extensions are skipped
        bindingVersion: '0.5.0'
      amqp: {is: routingKey}
    publish:
      bindings:
        kafka: {groupId: {type: string, enum: [lighting]}, clientId: my-app}
        mqtt: {qos: 2, retain: true}
        nats: {queue: workers}
      message:
        bindings:
          kafka: {key: {type: string, enum: [a, b]}}
        payload: {type: object}
`

func TestLoadReadsBindings2x(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": bindings2x}))
	require.NoError(t, err)
	ch := doc.Channels[0]
	require.Equal(t, "lights.v1", ch.Bindings.Kafka.Topic)
	require.Equal(t, 3, ch.Bindings.Kafka.Partitions)
	require.Equal(t, 2, ch.Bindings.Kafka.Replicas)
	require.Equal(t, []KafkaTopicConfig{
		{"cleanup.policy", "compact,delete"},
		{"compression.type", "zstd"},
		{"confluent.value.schema.validation", "true"},
		{"delete.retention.ms", "86400000"},
		{"max.message.bytes", "1048588"},
		{"min.cleanable.dirty.ratio", "0.5"},
		{"retention.bytes", "-1"},
		{"retention.ms", "604800000"},
	}, ch.Bindings.Kafka.TopicConfiguration)
	require.Equal(t, []string{"amqp"}, ch.Bindings.Ignored)
	op := ch.Publish
	require.Equal(t, "lighting", op.Bindings.Kafka.GroupID)
	require.Equal(t, "my-app", op.Bindings.Kafka.ClientID)
	require.Equal(t, 2, *op.Bindings.MQTT.QoS)
	require.True(t, op.Bindings.MQTT.Retain)
	require.Equal(t, "workers", op.Bindings.NATS.Queue)
	require.Empty(t, op.Bindings.Ignored)
	key := op.Messages[0].Bindings.Kafka.Key
	require.NotNil(t, key)
	require.Len(t, key.Value.Enum, 2)
	require.Equal(t, []string{"kafka.schemaRegistryUrl"}, doc.Servers[0].Bindings.Ignored)
}

const bindings3x = `asyncapi: 3.0.0
info: {title: T, version: '1'}
channels:
  lights:
    address: lights
    messages:
      m:
        payload: {type: object}
        bindings: {$ref: '#/components/messageBindings/keyed'}
    bindings:
      kafka: {partitions: 4}
operations:
  receiveLights:
    action: receive
    channel: {$ref: '#/channels/lights'}
    bindings:
      mqtt: {qos: 0}
      nats: {queue: q1}
      ws: {}
components:
  messageBindings:
    keyed:
      kafka:
        key: {type: integer}
`

func TestLoadReadsBindings3x(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": bindings3x}))
	require.NoError(t, err)
	ch := doc.Channels[0]
	require.Equal(t, 4, ch.Bindings.Kafka.Partitions)
	op := ch.Operations[0]
	require.Equal(t, 0, *op.Bindings.MQTT.QoS)
	require.Equal(t, "q1", op.Bindings.NATS.Queue)
	require.Equal(t, []string{"ws"}, op.Bindings.Ignored)
	require.NotNil(t, doc.Messages[0].Bindings.Kafka.Key)
	require.True(t, doc.Messages[0].Bindings.Kafka.Key.Value.Type.Is("integer"))
}

func TestLoadBindingErrors(t *testing.T) {
	op := func(bindings string) string {
		return header + "channels:\n  a:\n    publish:\n      bindings: " + bindings + "\n      message: {payload: {}}\n"
	}
	channel := func(bindings string) string {
		return header + "channels:\n  a:\n    bindings: " + bindings + "\n    publish:\n      message: {payload: {}}\n"
	}
	tests := []struct{ name, doc, want string }{
		{"qos 3", op("{mqtt: {qos: 3}}"), `api.yaml:6:30 (#/channels/a/publish/bindings/mqtt/qos): mqtt qos must be 0, 1 or 2, not 3`},
		{"qos text", op("{mqtt: {qos: high}}"), `(#/channels/a/publish/bindings/mqtt/qos): mqtt qos must be 0, 1 or 2, not "high"`},
		{"qos fraction", op("{mqtt: {qos: 1.5}}"), `mqtt qos must be 0, 1 or 2, not 1.5`},
		{"retain text", op("{mqtt: {retain: 'yes'}}"), `(#/channels/a/publish/bindings/mqtt/retain): mqtt retain must be a boolean, not string`},
		{"queue blank", op("{nats: {queue: 'a b'}}"), `nats queue "a b" is not a queue group name (1 to 255 characters without white space)`},
		{"group id number", op("{kafka: {groupId: {const: 7}}}"), `(#/channels/a/publish/bindings/kafka/groupId/const): kafka.groupId must name a non-empty string, not 7`},
		{"group id not schema", op("{kafka: {groupId: [g]}}"), `kafka.groupId (a schema or a string) must be an object, not array`},
		{"bindings not map", op("[kafka]"), `(#/channels/a/publish/bindings): operation bindings must be an object, not array`},
		{"protocol not map", op("{kafka: 1}"), `the kafka bindings of a operation must be an object, not number`},
		{"partitions zero", header + "channels:\n  a:\n    bindings: {kafka: {partitions: 0}}\n    publish:\n      message: {payload: {}}\n",
			`(#/channels/a/bindings/kafka/partitions): kafka.partitions must be a whole number from 1 to 2147483647, not 0`},
		{"replicas fraction", channel("{kafka: {replicas: 1.5}}"),
			`(#/channels/a/bindings/kafka/replicas): kafka.replicas must be a whole number from 1 to 32767, not 1.5`},
		{"replicas too many", channel("{kafka: {replicas: 40000}}"), `kafka.replicas must be a whole number from 1 to 32767, not 40000`},
		{"config not map", channel("{kafka: {topicConfiguration: [a]}}"),
			`(#/channels/a/bindings/kafka/topicConfiguration): kafka topicConfiguration must be an object, not array`},
		{"config unknown", channel("{kafka: {topicConfiguration: {retention.hours: 1}}}"),
			`api.yaml:5:45 (#/channels/a/bindings/kafka/topicConfiguration/retention.hours): kafka topicConfiguration: "retention.hours" is not a topic configuration Kafka defines`},
		{"retention below -1", channel("{kafka: {topicConfiguration: {retention.ms: -2}}}"),
			`(#/channels/a/bindings/kafka/topicConfiguration/retention.ms): kafka topicConfiguration retention.ms must be a whole number from -1, not -2`},
		{"retention text", channel("{kafka: {topicConfiguration: {retention.bytes: '10'}}}"),
			`kafka topicConfiguration retention.bytes must be a whole number from -1, not "10"`},
		{"max message bytes fraction", channel("{kafka: {topicConfiguration: {max.message.bytes: 1.5}}}"),
			`kafka topicConfiguration max.message.bytes must be a whole number from 0, not 1.5`},
		{"delete retention past int64", channel("{kafka: {topicConfiguration: {delete.retention.ms: 1e30}}}"),
			`kafka topicConfiguration delete.retention.ms must be a whole number from 0, not 1e30`},
		{"cleanup policy unknown", channel("{kafka: {topicConfiguration: {cleanup.policy: [compact, keep]}}}"),
			`(#/channels/a/bindings/kafka/topicConfiguration/cleanup.policy/1): kafka topicConfiguration cleanup.policy must be compact or delete, not "keep"`},
		{"cleanup policy twice", channel("{kafka: {topicConfiguration: {cleanup.policy: [delete, delete]}}}"),
			`kafka topicConfiguration cleanup.policy lists delete twice`},
		{"cleanup policy empty", channel("{kafka: {topicConfiguration: {cleanup.policy: []}}}"),
			`kafka topicConfiguration cleanup.policy must list compact, delete or both, not an empty list`},
		{"schema validation text", channel("{kafka: {topicConfiguration: {confluent.key.schema.validation: 'yes'}}}"),
			`kafka topicConfiguration confluent.key.schema.validation must be true or false, not "yes"`},
		{"strategy empty", channel("{kafka: {topicConfiguration: {confluent.key.subject.name.strategy: ''}}}"),
			`kafka topicConfiguration confluent.key.subject.name.strategy must be a non-empty string, not ""`},
		{"bad topic", header + "channels:\n  a:\n    bindings: {kafka: {topic: 'a/b'}}\n    publish:\n      message: {payload: {}}\n",
			`kafka topic "a/b" is not a Kafka topic name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": tt.doc}))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}
