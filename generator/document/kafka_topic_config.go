package document

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// kafkaTopicConfigs are the topic-level configuration entries Kafka
// (Apache Kafka 3.x and 4.x) and Confluent Server define, with what each
// value must be: the kafka channel binding (0.4.0 and 0.5.0) names some
// of them, and 0.5.0 lets a document give the others.
var kafkaTopicConfigs = map[string]kafkaConfigKind{
	"cleanup.policy":                          configCleanupPolicy,
	"compression.type":                        configText,
	"confluent.key.schema.validation":         configBool,
	"confluent.key.subject.name.strategy":     configText,
	"confluent.value.schema.validation":       configBool,
	"confluent.value.subject.name.strategy":   configText,
	"delete.retention.ms":                     configNonNegative,
	"file.delete.delay.ms":                    configNonNegative,
	"flush.messages":                          configPositive,
	"flush.ms":                                configNonNegative,
	"follower.replication.throttled.replicas": configText,
	"index.interval.bytes":                    configNonNegative,
	"leader.replication.throttled.replicas":   configText,
	"local.retention.bytes":                   configFromMinusTwo,
	"local.retention.ms":                      configFromMinusTwo,
	"max.compaction.lag.ms":                   configPositive,
	"max.message.bytes":                       configNonNegative,
	"message.downconversion.enable":           configBool,
	"message.format.version":                  configText,
	"message.timestamp.after.max.ms":          configNonNegative,
	"message.timestamp.before.max.ms":         configNonNegative,
	"message.timestamp.difference.max.ms":     configNonNegative,
	"message.timestamp.type":                  configText,
	"min.cleanable.dirty.ratio":               configNumber,
	"min.compaction.lag.ms":                   configNonNegative,
	"min.insync.replicas":                     configPositive,
	"preallocate":                             configBool,
	"remote.storage.enable":                   configBool,
	"retention.bytes":                         configFromMinusOne,
	"retention.ms":                            configFromMinusOne,
	"segment.bytes":                           configPositive,
	"segment.index.bytes":                     configPositive,
	"segment.jitter.ms":                       configNonNegative,
	"segment.ms":                              configPositive,
	"unclean.leader.election.enable":          configBool,
}

// kafkaConfigKind is what the value of a topic config must be.
type kafkaConfigKind int

// The kinds of topic config values.
const (
	// configText is a non-empty string.
	configText kafkaConfigKind = iota
	// configBool is true or false.
	configBool
	// configNumber is any number.
	configNumber
	// configPositive, configNonNegative, configFromMinusOne and
	// configFromMinusTwo are whole numbers from 1, 0, -1 (no limit) and
	// -2.
	configPositive
	configNonNegative
	configFromMinusOne
	configFromMinusTwo
	// configCleanupPolicy is a list of "compact" and "delete", each once.
	configCleanupPolicy
)

// topicConfiguration reads a kafka channel binding's topicConfiguration:
// the entries Kafka defines, each value as Kafka reads it (a list joined
// with commas), sorted by name.
func (r bindingsReader) topicConfiguration(v *Node) ([]KafkaTopicConfig, error) {
	n, err := r.follow(v)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, "kafka topicConfiguration", KindMap); err != nil {
		return nil, err
	}
	var out []KafkaTopicConfig
	for i, name := range n.Keys {
		if isExtension(name) {
			continue
		}
		kind, known := kafkaTopicConfigs[name]
		if !known {
			return nil, n.KeyNodes[i].Errorf("kafka topicConfiguration: %q is not a topic configuration Kafka defines (such as cleanup.policy, retention.ms, retention.bytes, delete.retention.ms, max.message.bytes)", shown(name))
		}
		value, err := topicConfigValue(n.Values[i], name, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, KafkaTopicConfig{Name: name, Value: value})
	}
	slices.SortFunc(out, func(a, b KafkaTopicConfig) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// topicConfigValue reads the value of topic config name as Kafka's text.
func topicConfigValue(v *Node, name string, kind kafkaConfigKind) (string, error) {
	switch kind {
	case configText:
		if v.Kind != KindString || v.Str == "" {
			return "", v.Errorf("kafka topicConfiguration %s must be a non-empty string, not %s", name, shownValue(v))
		}
		return v.Str, nil
	case configBool:
		if v.Kind != KindBool {
			return "", v.Errorf("kafka topicConfiguration %s must be true or false, not %s", name, shownValue(v))
		}
		return strconv.FormatBool(v.Bool), nil
	case configNumber:
		if _, ok := v.Float(); !ok || v.Kind != KindNumber {
			return "", v.Errorf("kafka topicConfiguration %s must be a number, not %s", name, shownValue(v))
		}
		return v.Str, nil
	case configCleanupPolicy:
		return cleanupPolicy(v)
	}
	least := map[kafkaConfigKind]int64{configPositive: 1, configNonNegative: 0, configFromMinusOne: -1, configFromMinusTwo: -2}[kind]
	n, ok := wholeNumber(v)
	if !ok || n < least {
		return "", v.Errorf("kafka topicConfiguration %s must be a whole number from %d, not %s", name, least, shownValue(v))
	}
	return strconv.FormatInt(n, 10), nil
}

// wholeNumber reads a number node holding a whole number that fits an
// int64.
func wholeNumber(v *Node) (int64, bool) {
	if v.Kind != KindNumber {
		return 0, false
	}
	if n, err := strconv.ParseInt(v.Str, 10, 64); err == nil {
		return n, true
	}
	f, ok := v.Float()
	if !ok || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// cleanupPolicy reads a cleanup.policy: a list of "compact" and
// "delete", each once, or one of them as a string.
func cleanupPolicy(v *Node) (string, error) {
	items := []*Node{v}
	if v.Kind == KindList {
		items = v.Items
	}
	if len(items) == 0 {
		return "", v.Errorf("kafka topicConfiguration cleanup.policy must list compact, delete or both, not an empty list")
	}
	var policies []string
	for _, item := range items {
		if item.Kind != KindString || (item.Str != "compact" && item.Str != "delete") {
			return "", item.Errorf("kafka topicConfiguration cleanup.policy must be compact or delete, not %s", shownValue(item))
		}
		if slices.Contains(policies, item.Str) {
			return "", item.Errorf("kafka topicConfiguration cleanup.policy lists %s twice", item.Str)
		}
		policies = append(policies, item.Str)
	}
	return strings.Join(policies, ","), nil
}
