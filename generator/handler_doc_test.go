package generator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBrokerOnlyHandlerDocSpeaksOfSubscribers checks that a package with
// brokers and no HTTP server documents Handler by what calls it there: a
// Subscriber, not a Receiver answering 500 and writing a response body.
func TestBrokerOnlyHandlerDocSpeaksOfSubscribers(t *testing.T) {
	spec := filepath.Join("..", "testdata", "golden", "broker-request-reply", "spec.yaml")
	pkg, err := Build(Config{Package: "replies", OutDir: t.TempDir(), Specs: []string{spec}})
	require.NoError(t, err)
	files, err := Emit(pkg, nil)
	require.NoError(t, err)
	src := string(files["brokers.gen.go"])
	start := strings.Index(src, "// Handler is ")
	end := strings.Index(src, "type NopHandler")
	require.True(t, start >= 0 && end > start, "brokers.gen.go declares Handler and NopHandler")
	doc := src[start:end]
	require.NotContains(t, doc, "Receiver")
	require.NotContains(t, doc, "response")
	require.Contains(t, doc, "Subscriber")
}

// TestBrokerOnlyNopHandlerDocSpeaksOfSubscribers: in a package without
// HTTP, NopHandler's method for a message with a reply says what a
// Subscriber does with its error, not what a Receiver would answer.
func TestBrokerOnlyNopHandlerDocSpeaksOfSubscribers(t *testing.T) {
	spec := filepath.Join("..", "testdata", "golden", "broker-request-reply", "spec.yaml")
	pkg, err := Build(Config{Package: "replies", OutDir: t.TempDir(), Specs: []string{spec}})
	require.NoError(t, err)
	files, err := Emit(pkg, nil)
	require.NoError(t, err)
	src := string(files["brokers.gen.go"])
	start := strings.Index(src, "type NopHandler")
	require.True(t, start >= 0, "brokers.gen.go declares NopHandler")
	nop := src[start:]
	at := strings.Index(nop, "func (NopHandler) HandleQuoteRequested")
	require.True(t, at >= 0, "NopHandler has the reply method")
	doc := nop[strings.LastIndex(nop[:at], "}\n")+2 : at]
	require.NotContains(t, doc, "Receiver")
	require.Contains(t, doc, "Subscriber")
}
