package generator

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
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

// addedRuleTableProperty is inserted into the first schema of the
// validate-composition case, before its first property: a string whose
// not is checked with the rule table, which gets two entries for it.
const addedRuleTableProperty = `        label:
          type: string
          description: Any text but the empty one.
          not: {const: ""}
`

// oneMoreProperty is a spec and where one more property goes in it.
type oneMoreProperty struct {
	spec, anchor, property string
}

// TestOnePropertyGivesASmallDiff generates a spec, and the same spec
// with one more property in its first schema, and counts, per generated
// file, the lines that one output has and the other has not: names of
// temporaries, helpers and rule table entries come from what they are,
// so no line of another property or type changes. The GrowPanel spec has
// no rule table; the validate-composition one checks most properties with
// it.
func TestOnePropertyGivesASmallDiff(t *testing.T) {
	for name, c := range map[string]oneMoreProperty{
		"growpanel": {
			spec:     filepath.Join("..", "specs", "growpanel.yaml"),
			anchor:   "        account_id:\n          type: string\n          description: Your GrowPanel account ID.\n",
			property: addedProperty,
		},
		"rule table": {
			spec:     filepath.Join("..", "testdata", "golden", "validate-composition", "spec.yaml"),
			anchor:   "        code:\n          type: string\n",
			property: addedRuleTableProperty,
		},
	} {
		t.Run(name, func(t *testing.T) {
			spec, err := os.ReadFile(c.spec)
			require.NoError(t, err)
			at := strings.Index(string(spec), c.anchor)
			require.GreaterOrEqual(t, at, 0, "the spec has the anchor")
			grown := string(spec[:at]) + c.property + string(spec[at:])

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
		})
	}
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

// pickSpec is a channel whose messages have no discriminator, so that its
// decoding function tries each; %s is where another message goes, first.
const pickSpec = `asyncapi: 2.6.0
info: {title: Pick, version: 1.0.0}
channels:
  notes:
    publish:
      message:
        oneOf:%s
          - name: Note
            payload: {type: object, required: [text], properties: {text: {type: string}}}
          - name: Count
            payload: {type: object, required: [n], properties: {n: {type: integer}}}
`

// addedMessage goes first among pickSpec's messages.
const addedMessage = `
          - name: Flag
            payload: {type: object, required: [on], properties: {on: {type: boolean}}}`

// TestOneMessageGivesASmallDiff adds a message in front of a channel's
// messages: the lines of the others that change in the decoding function
// are only the call choosing among them and the numbers of its cases,
// since the locals holding each message are named from it.
func TestOneMessageGivesASmallDiff(t *testing.T) {
	before, err := Generate(memoryConfig(fmt.Appendf(nil, pickSpec, "")))
	require.NoError(t, err)
	after, err := Generate(memoryConfig(fmt.Appendf(nil, pickSpec, addedMessage)))
	require.NoError(t, err)
	oldFunc := funcLines(t, string(before["receiver.gen.go"]), "func receiveNotes(")
	newFunc := funcLines(t, string(after["receiver.gen.go"]), "func receiveNotes(")
	expected := regexp.MustCompile(`^\t*case \d+:$|receiverPick\(`)
	var changed []string
	for _, line := range oldFunc {
		if !slices.Contains(newFunc, line) && !expected.MatchString(line) {
			changed = append(changed, line)
		}
	}
	require.Empty(t, changed, "lines of receiveNotes that one more message changed")
	require.Contains(t, newFunc, "\tflag, flagErr := DecodeFlag(data)")
}

// funcLines returns the lines of the function of src whose declaration
// starts with decl, up to its closing brace.
func funcLines(t *testing.T, src, decl string) []string {
	t.Helper()
	at := strings.Index(src, decl)
	require.GreaterOrEqual(t, at, 0, "the output declares %s", decl)
	end := strings.Index(src[at:], "\n}\n")
	require.GreaterOrEqual(t, end, 0)
	return strings.Split(src[at:at+end], "\n")
}

// patternsSpec has patterns without letters or digits and patterns whose
// letters meet; %s is where one more property goes, first.
const patternsSpec = `asyncapi: 2.6.0
info: {title: Patterns, version: 1.0.0}
channels:
  codes:
    publish:
      message:
        name: Codes
        payload:
          $ref: '#/components/schemas/Codes'
components:
  schemas:
    Codes:
      type: object
      properties:
%s        dashed: {type: string, pattern: '^x-'}
        underscored: {type: string, pattern: '^X_'}
        any: {type: string, pattern: '^.*$'}
        some: {type: string, pattern: '^.+$'}
        maybe: {type: string, pattern: '^.?$'}
        word: {type: string, pattern: '^word$'}
`

// TestOnePatternRenamesNoOther adds a property with a new pattern in
// front of the others: one without letters or digits, one whose letters
// two patterns share already, and one whose letters one pattern has. The
// variables of the others keep their names, but for the one pattern whose
// letters the new one now shares, so the diff of each file is the new
// property's lines and that pattern's. Numbering such patterns in the
// order met renamed every one after the new one.
func TestOnePatternRenamesNoOther(t *testing.T) {
	for name, c := range map[string]struct {
		property string
		renamed  int
	}{
		"no letters":         {"        first: {type: string, pattern: '^[.]*$'}\n", 0},
		"letters of two":     {"        first: {type: string, pattern: '^x_'}\n", 0},
		"the letters of one": {"        first: {type: string, pattern: '^Word'}\n", 1},
	} {
		t.Run(name, func(t *testing.T) {
			spec, grown := fmt.Appendf(nil, patternsSpec, ""), fmt.Appendf(nil, patternsSpec, c.property)
			oldPkg, err := Build(memoryConfig(spec))
			require.NoError(t, err)
			newPkg, err := Build(memoryConfig(grown))
			require.NoError(t, err)
			require.Len(t, newPkg.Patterns, len(oldPkg.Patterns)+1)
			kept := map[string]string{}
			for _, p := range newPkg.Patterns {
				kept[p.Expr] = p.Var
			}
			var renamed []string
			for _, p := range oldPkg.Patterns {
				if kept[p.Expr] != p.Var {
					renamed = append(renamed, p.Expr)
				}
			}
			require.Len(t, renamed, c.renamed, "patterns renamed: %q", renamed)

			before, err := Generate(memoryConfig(spec))
			require.NoError(t, err)
			after, err := Generate(memoryConfig(grown))
			require.NoError(t, err)
			for name, old := range before {
				changed := changedLines(string(old), string(after[name]))
				require.LessOrEqual(t, changed, maxChangedLines, "%s: %d lines changed by one pattern", name, changed)
			}
			require.Positive(t, changedLines(string(before["validate.gen.go"]), string(after["validate.gen.go"])))
		})
	}
}
