package generator

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// addedProperty is inserted into the first schema of the GrowPanel spec
// (MrrMovementPayload) before its first property: a string with a
// pattern, read, validated and documented like the others.
const addedProperty = `        region:
          type: string
          description: Region of the account.
          pattern: '^[a-z]{2}$'
`

// maxChangedLines is how many lines of one generated file adding one
// property may change: its field, its case in the decoder, its check in
// the validator, the variable of its pattern.
const maxChangedLines = 14

// TestOnePropertyGivesASmallDiff generates the GrowPanel spec, and the
// same spec with one more property in its first schema, and counts, per
// generated file, the lines that one output has and the other has not:
// names of temporaries and helpers come from what they are, so no line
// of another property or type changes.
func TestOnePropertyGivesASmallDiff(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("..", "specs", "growpanel.yaml"))
	require.NoError(t, err)
	anchor := "        account_id:\n          type: string\n          description: Your GrowPanel account ID.\n"
	at := strings.Index(string(spec), anchor)
	require.GreaterOrEqual(t, at, 0, "the spec has its first schema's account_id")
	grown := string(spec[:at]) + addedProperty + string(spec[at:])

	before, err := Generate(memoryConfig(spec))
	require.NoError(t, err)
	after, err := Generate(memoryConfig([]byte(grown)))
	require.NoError(t, err)
	require.ElementsMatch(t, slices.Collect(maps.Keys(before)), slices.Collect(maps.Keys(after)), "the same files")
	total := 0
	for name, old := range before {
		changed := changedLines(string(old), string(after[name]))
		total += changed
		require.LessOrEqual(t, changed, maxChangedLines, "%s: %d lines changed by one property", name, changed)
	}
	require.Positive(t, total, "the property shows in the output")
}

// changedLines counts the lines of a that b lacks plus those of b that a
// lacks, as multisets: a line renamed anywhere counts twice, a line moved
// not at all.
func changedLines(a, b string) int {
	count := map[string]int{}
	for _, line := range strings.Split(a, "\n") {
		count[line]++
	}
	for _, line := range strings.Split(b, "\n") {
		count[line]--
	}
	changed := 0
	for _, n := range count {
		changed += max(n, -n)
	}
	return changed
}
