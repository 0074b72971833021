package generator

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKafkaHandlerDocSaysTheReplyIsProduced checks that the Handler method
// of a request in a Kafka-only package says its reply is produced to the
// reply topic, not dropped.
func TestKafkaHandlerDocSaysTheReplyIsProduced(t *testing.T) {
	spec := filepath.Join("..", "testdata", "golden", "kafka-request-reply", "spec.yaml")
	pkg, err := Build(Config{Package: "replies", OutDir: t.TempDir(), Specs: []string{spec}})
	require.NoError(t, err)
	files, err := Emit(pkg, nil)
	require.NoError(t, err)
	src := string(files["brokers.gen.go"])
	start := strings.Index(src, "// HandleQuoteRequested receives")
	end := strings.Index(src[start:], "HandleQuoteRequested(ctx")
	require.True(t, start >= 0 && end > 0, "brokers.gen.go declares HandleQuoteRequested")
	doc := strings.Join(strings.Fields(strings.ReplaceAll(src[start:start+end], "//", "")), " ")
	require.NotContains(t, doc, "drop")
	require.Contains(t, doc, "the Kafka Subscriber validates it and produces it to the reply topic with the request's correlation ID")
}

// hostileKafkaReplySpec is a 3.0 spec answering over Kafka whose
// correlationId and reply address locations, and reply addresses, try to
// break out of the Go they become.
const hostileKafkaReplySpec = `asyncapi: 3.0.0
info: {title: Hostile replies, version: 1.0.0}
servers:
  kafka: {host: localhost:9092, protocol: kafka}
channels:
  asks:
    address: asks
    messages:
      ask:
        name: ask
        correlationId: {location: "$message.header#/id\"*/\nfunc init() { panic(\"INJECTED\") }\n/*"}
        payload: {type: object, properties: {id: {type: string}}}
  answers:
    address: "answers\"*/\nINJECTED"
    messages:
      answer: {name: answer, payload: {type: object}}
  polls:
    address: polls
    messages:
      poll: {name: poll, payload: {type: object}}
  results:
    address: results
    messages:
      result: {name: result, payload: {type: object}}
operations:
  answerAsk:
    action: receive
    channel: {$ref: '#/channels/asks'}
    reply:
      address: {location: "$message.header#/to\"INJECTED` + "`" + `x` + "`" + `"}
      channel: {$ref: '#/channels/answers'}
  answerPoll:
    action: receive
    channel: {$ref: '#/channels/polls'}
    reply:
      address: {location: "$message.header#/to\nINJECTED"}
      channel: {$ref: '#/channels/results'}
`

// TestHostileKafkaReplyLocations generates a spec whose reply routes hold
// line breaks, quotes, backticks and "*/": the output parses, holds them
// only in literals and comments, and gives a Request method only to the
// request whose reply address is a Kafka topic.
func TestHostileKafkaReplyLocations(t *testing.T) {
	spec := filepath.Join("virtual", "spec.yaml")
	cfg := Config{Package: "hostilereplies", OutDir: filepath.Join("virtual", "out"), Specs: []string{spec}}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if path != spec {
			return nil, os.ErrNotExist
		}
		return []byte(hostileKafkaReplySpec), nil
	}
	files, err := Generate(cfg)
	require.NoError(t, err)
	src := files["brokers.gen.go"]
	require.NotEmpty(t, src)
	_, err = parser.ParseFile(token.NewFileSet(), "brokers.gen.go", src, parser.SkipObjectResolution)
	require.NoError(t, err)
	requireSpecTextQuoted(t, "brokers.gen.go", src)
	has := func(text string) bool { return strings.Contains(string(src), text) }
	require.True(t, has("func (p *KafkaPublisher) RequestPoll("))
	require.False(t, has("RequestAsk("), "the reply of ask goes to an address that is no Kafka topic")
	require.True(t, has("addressHeader:     \"to\\\"INJECTED`x`\","), "a header name travels as a quoted literal")
	require.False(t, has("panic(\\\"INJECTED"), "a location pointing into a header's members names no header")
}
