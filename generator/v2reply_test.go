package generator

import (
	"bytes"
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
