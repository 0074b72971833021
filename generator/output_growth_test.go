package generator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// channelSpec writes an AsyncAPI document with n channels, each receiving
// one message of its own with a small object payload.
func channelSpec(n int) []byte {
	var sb strings.Builder
	sb.WriteString("asyncapi: 2.6.0\ninfo:\n  title: Channels\n  version: 1.0.0\nchannels:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  channel%d:\n    publish:\n      message:\n        $ref: '#/components/messages/Event%d'\n", i, i)
	}
	sb.WriteString("components:\n  messages:\n")
	for i := range n {
		fmt.Fprintf(&sb, "    Event%d:\n      name: event_%d\n      payload:\n        type: object\n        required: [id]\n        properties:\n          id:\n            type: string\n          count:\n            type: integer\n", i, i)
	}
	return []byte(sb.String())
}

// generatedBytes is the size of every file generated from data, and of
// each file by name.
func generatedBytes(t *testing.T, data []byte) (int, map[string]int) {
	t.Helper()
	files, err := Generate(memoryConfig(data))
	require.NoError(t, err)
	total, byFile := 0, map[string]int{}
	for name, src := range files {
		total += len(src)
		byFile[name] = len(src)
	}
	return total, byFile
}

// TestOutputGrowsLinearlyWithChannels counts the bytes generated for 10,
// 100 and 1,000 channels: each channel added from 100 to 1,000 costs about
// what one added from 10 to 100 did, in every file. A doc comment that
// names every other channel (once quadratic in receiver.gen.go) makes the
// later channels cost ten times more.
func TestOutputGrowsLinearlyWithChannels(t *testing.T) {
	total10, files10 := generatedBytes(t, channelSpec(10))
	total100, files100 := generatedBytes(t, channelSpec(100))
	total1000, files1000 := generatedBytes(t, channelSpec(1000))
	perChannel := func(small, large, from, to int) float64 { return float64(large-small) / float64(to-from) }
	early := perChannel(total10, total100, 10, 100)
	late := perChannel(total100, total1000, 100, 1000)
	t.Logf("bytes per channel: %.0f from 10 to 100 channels, %.0f from 100 to 1,000", early, late)
	require.InDelta(t, early, late, early*0.1, "every channel should cost about the same bytes")
	for name, size := range files1000 {
		early := perChannel(files10[name], files100[name], 10, 100)
		late := perChannel(files100[name], size, 100, 1000)
		require.LessOrEqual(t, late, early*1.1+16, "%s: %.0f bytes per channel from 100 to 1,000 channels, %.0f from 10 to 100", name, late, early)
	}
}
