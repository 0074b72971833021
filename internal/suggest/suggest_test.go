package suggest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClosest(t *testing.T) {
	flags := []string{"config", "package", "out", "initialisms", "emit", "allow-remote-refs"}
	for _, tc := range []struct {
		word       string
		candidates []string
		want       string
	}{
		{"pakage", flags, "package"},
		{"pacakge", flags, "package"},
		{"Package", flags, "package"},
		{"ot", flags, "out"},
		{"emitt", flags, "emit"},
		{"allow-remote-ref", flags, "allow-remote-refs"},
		{"verbose", flags, ""},
		{"x", flags, ""},
		{"", flags, ""},
		{"generat", []string{"generate", "check", "version", "help"}, "generate"},
		{"chek", []string{"generate", "check", "version", "help"}, "check"},
		{"htpp", []string{"decoding", "http", "types", "validation"}, "http"},
		{"MrrMovmentPayload", []string{"MrrMovementPayload", "CustomerPayload"}, "MrrMovementPayload"},
		{"Customer", []string{"Customer"}, ""},
		{"né", []string{"ne"}, "ne"},
	} {
		require.Equal(t, tc.want, Closest(tc.word, tc.candidates), "%q", tc.word)
	}
}

// TestClosestHostile: very long names are not compared (bounded cost) and
// give no suggestion.
func TestClosestHostile(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	require.Empty(t, Closest(long, []string{long + "b"}))
	require.Empty(t, Closest("aaaa", []string{long}))
}
