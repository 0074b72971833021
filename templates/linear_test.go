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

// TestLocalNamesAreNumberedOnce: every name a function's scope gives is
// given once, whatever the number of claims, numbered from 1 for a name
// that says nothing without its number and from 2 for a repeat.
func TestLocalNamesAreNumberedOnce(t *testing.T) {
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
// shadow.
func TestLocalNamesMeetNoDeclaredName(t *testing.T) {
	names, err := DeclaredNames()
	require.NoError(t, err)
	local := regexp.MustCompile(`^(p|x|i|k|e|m|n|list|text)[A-Z0-9]`)
	for _, n := range names {
		require.False(t, local.MatchString(n), "%s could be a local variable's name", n)
	}
}

// TestFreshCountsWorkIsLinear: the optional values a Decode function
// allocates with its payload are counted once per struct type, however
// many fields refer to it. Each of n structs holds two optional fields of
// the next, so walking the fields anew at every reference took 2^n steps
// (it never finished for n = 64), and one optional string of its own.
func TestFreshCountsWorkIsLinear(t *testing.T) {
	const n = 64
	pkg := &model.Package{Name: "p"}
	str := &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}
	for i := range n {
		typ := &model.Type{Name: fmt.Sprintf("T%d", i), Kind: model.StructKind}
		typ.Fields = append(typ.Fields, &model.Field{Name: "S", JSONName: "s", Type: &model.TypeRef{Kind: model.PointerRef, Elem: str}})
		if i+1 < n {
			next := &model.TypeRef{Kind: model.PointerRef, Elem: &model.TypeRef{Kind: model.NamedRef, Name: fmt.Sprintf("T%d", i+1)}}
			typ.Fields = append(typ.Fields,
				&model.Field{Name: "A", JSONName: "a", Type: next},
				&model.Field{Name: "B", JSONName: "b", Type: next})
		}
		pkg.Types = append(pkg.Types, typ)
	}
	pl := makePlan(pkg)
	dc := &decoding{pl: pl, types: pl.g.types, freshMemo: map[string]map[string]int{}}
	counts := dc.freshCounts(&model.TypeRef{Kind: model.NamedRef, Name: "T0"})
	require.Equal(t, map[string]int{"string": maxFreshBlock}, counts)
	require.Len(t, dc.freshMemo, n)
	require.Equal(t, map[string]int{"string": 1}, dc.freshMemo[fmt.Sprintf("T%d", n-1)])
	require.Equal(t, map[string]int{"string": 3}, dc.freshMemo[fmt.Sprintf("T%d", n-2)])
}
