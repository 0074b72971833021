package generator

import (
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
