package generator

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestV2ReplyMatchesV3Reply generates the 2.x golden spec whose operations
// answer through asyncgen's x-reply extension and its 3.0 translation,
// where each x-reply is a reply: the brokers file (Handler, requests over
// NATS and Kafka, replies) is the same below its header.
func TestV2ReplyMatchesV3Reply(t *testing.T) {
	dir := filepath.Join("..", "testdata", "golden", "v2-request-reply")
	out := filepath.Join(dir, "want")
	v2, err := Generate(Config{Package: "v2requestreply", OutDir: out, Specs: []string{filepath.Join(dir, "spec.yaml")}})
	require.NoError(t, err)
	v3, err := Generate(Config{Package: "v2requestreply", OutDir: out, Specs: []string{filepath.Join(dir, "spec3.yaml")}})
	require.NoError(t, err)
	want, got := v2["brokers.gen.go"], v3["brokers.gen.go"]
	require.NotEmpty(t, want)
	wantHead, wantBody, _ := bytes.Cut(want, []byte("\n"))
	gotHead, gotBody, _ := bytes.Cut(got, []byte("\n"))
	require.Contains(t, string(wantHead), "spec.yaml")
	require.Contains(t, string(gotHead), "spec3.yaml")
	require.Contains(t, string(wantBody), "RequestQuoteRequested", "the 2.x spec's x-reply makes a request method")
	require.Equal(t, string(wantBody), string(gotBody), "brokers.gen.go differs below its header")
}

// hostileV2ReplySpec is a 2.x spec answering over NATS and Kafka through
// x-reply whose correlationId and reply address locations, and reply
// channel, try to break out of the Go they become.
const hostileV2ReplySpec = `asyncapi: 2.6.0
info: {title: Hostile x-reply, version: 1.0.0}
servers:
  kafka: {url: localhost:9092, protocol: kafka}
  nats: {url: localhost:4222, protocol: nats}
channels:
  asks:
    publish:
      message:
        name: ask
        correlationId: {location: "$message.header#/id\"*/\nfunc init() { panic(\"INJECTED\") }\n/*"}
        payload: {type: object, properties: {id: {type: string}}}
      x-reply:
        address: {location: "$message.header#/to\"INJECTED` + "`" + `x` + "`" + `"}
        channel: {$ref: '#/channels/answers"*~1INJECTED'}
  answers"*/INJECTED:
    subscribe:
      message: {name: answer, payload: {type: object}}
`

// TestV2ReplyHostileTextStaysQuoted generates the hostile x-reply spec:
// the output parses, and its text appears only in literals and comments.
func TestV2ReplyHostileTextStaysQuoted(t *testing.T) {
	spec := filepath.Join("virtual", "hostile-v2-reply.yaml")
	cfg := Config{Package: "hostilev2reply", OutDir: filepath.Join("virtual", "out"), Specs: []string{spec}}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if path != spec {
			return nil, os.ErrNotExist
		}
		return []byte(hostileV2ReplySpec), nil
	}
	files, err := Generate(cfg)
	require.NoError(t, err)
	src := files["brokers.gen.go"]
	require.Contains(t, string(src), "func (p *NATSPublisher) RequestAsk(", "the x-reply is read")
	for name, src := range files {
		_, err = parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
		require.NoError(t, err, name)
		requireSpecTextQuoted(t, name, src)
	}
}
