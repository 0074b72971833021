package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// kafkaSegment is what a parameter value may be in a Kafka topic: the
// characters of a topic name but the dot, which separates its parts.
var kafkaSegment = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// kafkaSegmentPattern is kafkaSegment without its anchors.
const kafkaSegmentPattern = `[A-Za-z0-9_-]+`

// kafkaPublish produces one record and waits for the broker's
// acknowledgement.
func kafkaPublish(ctx context.Context, client *kgo.Client, topic string, key, payload []byte, headers [][2]string) error {
	r := &kgo.Record{Topic: topic, Key: key, Value: payload}
	for _, h := range headers {
		r.Headers = append(r.Headers, kgo.RecordHeader{Key: h[0], Value: []byte(h[1])})
	}
	if err := client.ProduceSync(ctx, r).FirstErr(); err != nil {
		return fmt.Errorf("produce to %s: %w", topic, err)
	}
	return nil
}

// kafkaKeyBytes encodes a record key: a value whose JSON is a string as
// that string's text, any other as its JSON.
func kafkaKeyBytes(key any) ([]byte, error) {
	data, err := json.Marshal(key)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	var text string
	if json.Unmarshal(data, &text) == nil {
		return []byte(text), nil
	}
	return data, nil
}

// kafkaKeyDecode reads a record key into target, a pointer, as
// kafkaKeyBytes wrote it: the text of a value whose JSON is a string, the
// JSON of any other. A key that is not JSON is read as text when the type
// can hold a string.
func kafkaKeyDecode(data []byte, target any) error {
	text, _ := json.Marshal(string(data))
	if zero, err := json.Marshal(target); err == nil && len(zero) > 0 && zero[0] == '"' {
		data = text
	}
	err := json.Unmarshal(data, target)
	if err != nil && !json.Valid(data) && json.Unmarshal(text, target) == nil {
		return nil
	}
	var ve *ValidationError
	var te *json.UnmarshalTypeError
	switch {
	case err == nil, errors.As(err, &ve):
		return err
	case errors.As(err, &te):
		return fmt.Errorf("%q holds a JSON %s where its schema wants another type", clipText(string(data), kafkaMaxKeyQuote), te.Value)
	}
	return fmt.Errorf("%q is neither JSON nor text its schema accepts", clipText(string(data), kafkaMaxKeyQuote))
}

// kafkaKeyDecodeObject reads a record key whose type is a struct: read is
// the type's decodeJSON, which checks the type of every property and every
// required one, however deep; validate, unless nil, the type's validate.
// A key that is not JSON is an error; one that breaks the schema gives a
// *ValidationError.
func kafkaKeyDecodeObject(data []byte, read func(*decoder, *path), validate func(*collector, *path)) error {
	c := new(collector)
	d := &decoder{c: c, data: data}
	read(d, nil)
	if err := d.finish(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return err
		}
		return fmt.Errorf("%q is not JSON: %w", clipText(string(data), kafkaMaxKeyQuote), err)
	}
	if validate != nil {
		validate(c, nil)
	}
	return c.err()
}

// kafkaMaxKeyQuote is the most bytes of a record key an error quotes.
const kafkaMaxKeyQuote = 256

// kafkaTopicPatterns are the regular expressions of the channels' topics,
// for kgo.ConsumeTopics with kgo.ConsumeRegex.
func kafkaTopicPatterns(chans []brokerChannel) []string {
	out := make([]string, 0, len(chans))
	for _, ch := range chans {
		out = append(out, ch.pattern.String())
	}
	return out
}

// kafkaConsumer takes records from a client, hands them to the Handler and
// commits their offsets once handled.
type kafkaConsumer struct {
	client   *kgo.Client
	channels []brokerChannel
	settings brokerSettings
	// respond answers a request once processed (see kafkaAnswerer); nil
	// when no message of the channels has a reply.
	respond func(c *kafkaConsumer, ctx context.Context, r *kgo.Record, header http.Header, reply *brokerReply, cause error) error
}

// run polls until ctx ends or the client is closed.
func (c *kafkaConsumer) run(ctx context.Context) error {
	for {
		fetches := c.client.PollFetches(ctx)
		if fetches.IsClientClosed() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fetches.EachError(func(topic string, _ int32, err error) {
			if !errors.Is(err, context.Canceled) {
				c.settings.failed(topic, fmt.Errorf("fetch: %w", err))
			}
		})
		var done []*kgo.Record
		var stopped error
		fetches.EachRecord(func(r *kgo.Record) {
			if stopped != nil {
				return
			}
			if isKafkaAnswer(r) {
				done = append(done, r) // the requester's, not a message
				return
			}
			if stopped = c.record(ctx, r, done); stopped == nil {
				done = append(done, r)
			}
		})
		if len(done) > 0 {
			if err := c.client.CommitRecords(context.WithoutCancel(ctx), done...); err != nil {
				c.settings.failed(done[0].Topic, fmt.Errorf("commit: %w", err))
			}
		}
		if stopped != nil {
			return stopped
		}
	}
}

// record processes one record until it is handled or dead-lettered,
// trying again after a pause while the handler fails; it returns an error
// only when ctx ends first. Before pausing it commits done, the records
// handled before this one.
func (c *kafkaConsumer) record(ctx context.Context, r *kgo.Record, done []*kgo.Record) error {
	header := http.Header{}
	for _, h := range r.Headers {
		header.Add(h.Key, string(h.Value))
	}
	ctx = context.WithValue(ctx, brokerRecordKeyKey{}, brokerRecordKey{data: r.Key})
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		pctx, reply := ctx, (*brokerReply)(nil)
		if c.respond != nil {
			pctx, reply = brokerExpectReply(ctx)
		}
		outcome, err := brokerProcess(pctx, &c.settings, c.channels, fmt.Sprintf("kafka:%s:%d:%d", r.Topic, r.Partition, r.Offset), r.Topic, r.Value, header)
		cause := err
		if outcome == brokerInvalid {
			c.settings.invalid(r.Topic, r.Value, err)
			err = c.deadLetter(ctx, r, err)
		}
		if err == nil || outcome == brokerInvalid && c.settings.deadLetter == "" {
			if c.respond != nil {
				return c.respond(c, ctx, r, header, reply, cause)
			}
			return nil
		}
		if outcome != brokerInvalid {
			c.settings.failed(r.Topic, err)
		}
		if attempt == 1 && len(done) > 0 {
			_ = c.client.CommitRecords(ctx, done...)
		}
		if !brokerSleep(ctx, brokerBackoff(attempt)) {
			return ctx.Err()
		}
	}
}

// deadLetter republishes an invalid record to the dead-letter topic, when
// there is one.
func (c *kafkaConsumer) deadLetter(ctx context.Context, r *kgo.Record, cause error) error {
	if c.settings.deadLetter == "" {
		return nil
	}
	headers := make([][2]string, 0, len(r.Headers)+2)
	for _, h := range r.Headers {
		if !strings.HasPrefix(h.Key, "asyncgen-") {
			headers = append(headers, [2]string{h.Key, string(h.Value)})
		}
	}
	headers = append(headers, [2]string{kafkaErrorHeader, cause.Error()}, [2]string{kafkaAddressHeader, r.Topic})
	if err := kafkaPublish(ctx, c.client, c.settings.deadLetter, r.Key, r.Value, headers); err != nil {
		c.settings.failed(r.Topic, fmt.Errorf("dead letter: %w", err))
		return err
	}
	return nil
}

// KafkaTopic is a topic of the spec with the settings its channel's kafka
// binding gives, as CreateKafkaTopics creates it.
type KafkaTopic struct {
	// Name is the topic's name.
	Name string
	// Partitions is the topic's number of partitions; -1 for the
	// cluster's default.
	Partitions int32
	// Replicas is the topic's replication factor; -1 for the cluster's
	// default.
	Replicas int16
	// Configs are the topic's configuration entries (cleanup.policy,
	// retention.ms, ...), with their values as Kafka reads them.
	Configs map[string]string
}

// kafkaCreateTopics creates the topics the cluster client talks to does
// not have, and returns the names of those it already had.
func kafkaCreateTopics(ctx context.Context, client *kgo.Client, topics []KafkaTopic) ([]string, error) {
	if len(topics) == 0 {
		return nil, nil
	}
	req := kmsg.NewPtrCreateTopicsRequest()
	for _, t := range topics {
		rt := kmsg.NewCreateTopicsRequestTopic()
		rt.Topic, rt.NumPartitions, rt.ReplicationFactor = t.Name, t.Partitions, t.Replicas
		names := make([]string, 0, len(t.Configs))
		for name := range t.Configs {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			c := kmsg.NewCreateTopicsRequestTopicConfig()
			c.Name, c.Value = name, kmsg.StringPtr(t.Configs[name])
			rt.Configs = append(rt.Configs, c)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, client)
	if err != nil {
		return nil, fmt.Errorf("create topics: %w", err)
	}
	var existing []string
	var failures []error
	for _, rt := range resp.Topics {
		err := kerr.ErrorForCode(rt.ErrorCode)
		switch {
		case err == nil:
		case errors.Is(err, kerr.TopicAlreadyExists):
			existing = append(existing, rt.Topic)
		case rt.ErrorMessage != nil && *rt.ErrorMessage != "":
			failures = append(failures, fmt.Errorf("create topic %s: %s: %w", rt.Topic, *rt.ErrorMessage, err))
		default:
			failures = append(failures, fmt.Errorf("create topic %s: %w", rt.Topic, err))
		}
	}
	return existing, errors.Join(failures...)
}
