package generator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// operationNamed finds an operation by its Go name.
func operationNamed(pkg *model.Package, name string) *model.Operation {
	for _, ch := range pkg.Channels {
		for _, op := range ch.Operations {
			if op.GoName == name {
				return op
			}
		}
	}
	return nil
}

func messageNamed(pkg *model.Package, name string) *model.Message {
	for _, m := range pkg.Messages {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// TestRepliesInTheModel: a 3.x reply becomes the operation's Reply and its
// messages'; a reply of several messages gets its channel's dispatch.
func TestRepliesInTheModel(t *testing.T) {
	pkg, err := Build(Config{Package: "rr", OutDir: "out", Specs: []string{filepath.Join("..", "testdata", "golden", "v3-request-reply", "spec.yaml")}})
	require.NoError(t, err)

	answer := operationNamed(pkg, "AnswerQuote")
	require.NotNil(t, answer)
	quoted := messageNamed(pkg, "Quoted")
	require.Equal(t, &model.Reply{Messages: []*model.Message{quoted}, Channel: "quoteReplies", AddressLocation: "$message.header#/replyTo"}, answer.Reply,
		"a null address names the reply channel by its key")
	require.Same(t, answer.Reply, messageNamed(pkg, "QuoteRequested").Reply)
	require.Same(t, quoted, answer.Reply.Message())

	ask := operationNamed(pkg, "AskStock")
	require.Equal(t, "stock/replies", ask.Reply.Channel)
	require.Equal(t, []*model.Message{messageNamed(pkg, "StockLevel")}, ask.Reply.Messages, "a reply without messages has its channel's")
	require.Empty(t, ask.Reply.AddressLocation)

	compare := operationNamed(pkg, "Compare")
	require.Nil(t, compare.Reply.Message(), "several messages")
	require.NotNil(t, compare.Reply.Dispatch)
	require.Equal(t, "DecodeComparisonResults", compare.Reply.Dispatch.Func)
	require.Equal(t, "kind", compare.Reply.Dispatch.Property)
	require.Nil(t, quoted.Reply, "a reply message answers nothing itself")
}

// TestRepliesWithoutDispatch: a reply of several messages that nothing
// tells apart has no dispatch, and a 2.x operation no reply.
func TestRepliesWithoutDispatch(t *testing.T) {
	pkg := buildSpec(t, undispatchedReply)
	op := operationNamed(pkg, "Ask")
	require.Len(t, op.Reply.Messages, 2)
	require.Nil(t, op.Reply.Dispatch)

	pkg = buildSpec(t, `asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  a:
    publish:
      operationId: onA
      message: {payload: {type: string}}
`)
	require.Nil(t, operationNamed(pkg, "OnA").Reply)
}

// TestUnansweredRepliesWarn: a reply whose code is not generated says so,
// at its place.
func TestUnansweredRepliesWarn(t *testing.T) {
	for _, tt := range []struct{ name, spec, want string }{
		{"several messages, no discriminator", undispatchedReply,
			"api.yaml:18:7 (#/operations/ask/reply): the reply's messages are several, and no discriminator tells them apart: the Handle and Send methods of its request return no reply"},
		{"no payload", `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  ask:
    address: ask
    messages:
      q: {payload: {type: string}}
  answers:
    address: answers
    messages:
      done: {name: Done}
operations:
  ask:
    action: send
    channel: {$ref: '#/channels/ask'}
    reply: {channel: {$ref: '#/channels/answers'}}
`, "api.yaml:16:12 (#/operations/ask/reply): the reply's message Done has no payload: the Handle and Send methods of its request return no reply"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			_, err := Build(Config{Package: "p", OutDir: "out", Specs: []string{"api.yaml"}, Load: document.Options{
				ReadFile: func(string) ([]byte, error) { return []byte(tt.spec), nil },
				Warn:     func(w *document.Error) { warnings = append(warnings, w.Error()) },
			}})
			require.NoError(t, err)
			require.Equal(t, []string{tt.want}, warnings)
		})
	}
}

const undispatchedReply = `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  ask:
    address: ask
    messages:
      q: {payload: {type: string}}
  answers:
    address: answers
    messages:
      a: {payload: {type: string}}
      b: {payload: {type: integer}}
operations:
  ask:
    action: send
    channel: {$ref: '#/channels/ask'}
    reply:
      channel: {$ref: '#/channels/answers'}
`

// kafkaReplySpec is a 3.0 document whose receive operation answers on a
// reply channel whose address is address (a YAML value, and any fields
// after it), served by a server speaking protocol.
func kafkaReplySpec(protocol, address string) string {
	return `asyncapi: 3.0.0
info: {title: t, version: '1'}
servers:
  main: {host: 'localhost:9092', protocol: ` + protocol + `}
channels:
  quotes:
    address: quotes
    messages:
      q: {name: Quote, payload: {type: string}}
  replies:
    address: ` + address + `
    messages:
      r: {name: Quoted, payload: {type: string}}
operations:
  answer:
    action: receive
    channel: {$ref: '#/channels/quotes'}
    reply:
      address: {location: '$message.header#/replyTo'}
      channel: {$ref: '#/channels/replies'}
`
}

// withShop is a reply channel's address with a parameter, declared.
const withShop = "'replies.{shop}'\n    parameters: {shop: {}}"

// TestKafkaRequestWithoutTopicWarns: a reply channel whose address is not
// a Kafka topic gets its request no Kafka Request method, and says so at
// the reply, in packages that generate Kafka code only.
func TestKafkaRequestWithoutTopicWarns(t *testing.T) {
	for _, tt := range []struct {
		name, spec string
		concerns   []string
		want       []string
	}{
		{"parameters", kafkaReplySpec("kafka", withShop), nil, []string{
			`api.yaml:20:7 (#/operations/answer/reply): the reply's address "replies.{shop}" has parameters, so it is not one Kafka topic: KafkaPublisher gets no RequestQuote method. Give the reply channel an address without parameters to get it; a KafkaSubscriber still answers each request to the topic its replyTo header names`}},
		{"null address", kafkaReplySpec("kafka", "null"), nil, []string{
			`api.yaml:19:7 (#/operations/answer/reply): the reply's channel "replies" has no address, so no Kafka topic: KafkaPublisher gets no RequestQuote method. Give the reply channel an address that is a topic to get it; a KafkaSubscriber still answers each request to the topic its replyTo header names`}},
		{"not a topic name", kafkaReplySpec("kafka", "replies/all"), nil, []string{
			`api.yaml:19:7 (#/operations/answer/reply): the reply's address "replies/all" is not a Kafka topic name (1 to 249 ASCII letters, digits, '.', '_' and '-'): KafkaPublisher gets no RequestQuote method. Give the reply channel an address that is a topic name to get it; a KafkaSubscriber still answers each request to the topic its replyTo header names`}},
		{"a topic", kafkaReplySpec("kafka", "replies"), nil, nil},
		{"no Kafka server", kafkaReplySpec("nats", withShop), nil, nil},
		{"no broker code", kafkaReplySpec("kafka", withShop), []string{"types", "validation", "decoding"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			pkg, err := Build(Config{Package: "p", OutDir: "out", Specs: []string{"api.yaml"}, Concerns: tt.concerns, Load: document.Options{
				ReadFile: func(string) ([]byte, error) { return []byte(tt.spec), nil },
				Warn:     func(w *document.Error) { warnings = append(warnings, w.Error()) },
			}})
			require.NoError(t, err)
			require.Equal(t, tt.want, warnings)
			files, err := Emit(pkg, tt.concerns)
			require.NoError(t, err)
			kafka := strings.Contains(string(files["brokers.gen.go"]), "func NewKafkaSubscriber(")
			request := strings.Contains(string(files["brokers.gen.go"]), "func (p *KafkaPublisher) RequestQuote(")
			require.Equal(t, kafka && !request, len(warnings) > 0, "a warning exactly when Kafka code lacks the Request method")
		})
	}
}
