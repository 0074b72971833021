package templates

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// TestRequiredNamesWorkIsLinear reads an object of n required properties,
// named again by an allOf part: each name is listed once, in the order
// first named, with one lookup per naming (comparing each with the names
// listed took n²/2: 1.5 s of CPU for 4,000 properties, 10.4 s for 16,000).
func TestRequiredNamesWorkIsLinear(t *testing.T) {
	const n = 16000
	part := &model.Rules{}
	typ := &model.Type{Name: "Big", Rules: &model.Rules{AllOf: []*model.Rules{part}}}
	for i := range n {
		name := fmt.Sprintf("p%d", i)
		typ.Rules.Required = append(typ.Rules.Required, name)
		part.Required = append(part.Required, name)
		typ.Fields = append(typ.Fields, &model.Field{Name: fmt.Sprintf("P%d", i), JSONName: name, Required: true})
	}
	part.Required = append(part.Required, "extra")
	got := requiredNames(typ)
	require.Equal(t, n+1, got.Len())
	require.Equal(t, "p0", got.Items()[0])
	require.Equal(t, "extra", got.Items()[n])
	require.Equal(t, 3*n+1, got.Probes())
	require.Equal(t, n-1, got.Index(fmt.Sprintf("p%d", n-1)))
}

// TestPatternVarWorkIsLinear names n patterns, each twice: each gets one
// variable, named from its letters and digits, with one lookup per naming.
func TestPatternVarWorkIsLinear(t *testing.T) {
	const n = 16000
	var g validation
	for round := range 2 {
		for i := range n {
			require.Equal(t, fmt.Sprintf("patternA%d", i), g.patternVar(fmt.Sprintf("^a{%d}$", i)), "round %d", round)
		}
	}
	require.Equal(t, n, g.patterns.Len())
	require.Equal(t, 2*n, g.patterns.Probes())
}

// TestPatternVarsAreNamedByWhatTheyMatch: a pattern's variable is named
// from its text, not from its place among the others; patterns with the
// same letters and digits, or with none, are numbered, and every name is
// given once, whatever the number of claims.
func TestPatternVarsAreNamedByWhatTheyMatch(t *testing.T) {
	var g validation
	for _, tc := range []struct{ pattern, want string }{
		{"^[a-z]{3}$", "patternAZ3"},
		{`^\s+\d{2}$`, "patternSD2"},
		{"^[a-z]{3}", "patternAZ32"},
		{"^.*$", "pattern1"},
		{"^.+$", "pattern2"},
		{"^aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa$", "patternAaaaaaaaaaaaaaaaaaaaaaaa"},
		{"^[a-z]{3}$", "patternAZ3"},
	} {
		require.Equal(t, tc.want, g.patternVar(tc.pattern), "patternVar(%q)", tc.pattern)
	}
	var claims localNames
	for i := range 1000 {
		require.Equal(t, fmt.Sprintf("x%d", i+1), claims.claim("x", true))
	}
	require.Equal(t, "pX", claims.claim("pX", false))
	require.Equal(t, "pX2", claims.claim("pX", false))
}

// TestPatternLiteral: a pattern is a raw string where one holds it
// unchanged, and an interpreted string where a backquote, a line break, a
// control character or invalid UTF-8 forbids that; both compile to the
// pattern.
func TestPatternLiteral(t *testing.T) {
	cases := map[string]string{
		`^\s+\d{2}$`:  "`^\\s+\\d{2}$`",
		"tab\there":   "`tab\there`",
		"a`b":         `"a` + "`" + `b"`,
		"line\nbreak": `"line\nbreak"`,
		"cr\r":        `"cr\r"`,
		"nul\x00":     `"nul\x00"`,
		"bad\xff":     `"bad\xff"`,
		"bom\ufeff":   `"bom\ufeff"`,
		`"quoted"\\`:  "`\"quoted\"\\\\`",
	}
	for pattern, want := range cases {
		got := render(t, jen.Var().Id("p").Op("=").Add(patternLiteral(pattern)))
		require.Contains(t, got, "var p = "+want+"\n", "pattern %q", pattern)
		unquoted, err := strconv.Unquote(want)
		require.NoError(t, err)
		require.Equal(t, pattern, unquoted)
	}
}

// TestLocalNamesMeetNoDeclaredName: the variables scopes name (a prefix,
// then a field's Go name, which starts with a capital) can never be a
// name the package declares whatever the spec says, which no local may
// shadow; a pattern variable that would be one is numbered.
func TestLocalNamesMeetNoDeclaredName(t *testing.T) {
	names, err := DeclaredNames()
	require.NoError(t, err)
	local := regexp.MustCompile(`^(p|x|i|k|e|m|n|list|text)[A-Z0-9]`)
	for _, n := range names {
		require.False(t, local.MatchString(n), "%s could be a local variable's name", n)
	}
	require.Contains(t, names, "patternRule")
	g := newValidation(&model.Package{Reserved: names})
	require.Equal(t, "patternRule2", g.patternVar("rule"))
}
