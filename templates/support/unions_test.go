package support

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// idOrName is a union as the generator writes it: anyOf (or, exclusive,
// oneOf) a string of at least 3 runes and an integer of at least 1.
type idOrName struct {
	name *string
	id   *int64
}

func (v *idOrName) decodeJSON(d *decoder, p *path, exclusive bool) {
	*v = idOrName{}
	a, ok := d.union(exclusive)
	if !ok {
		return
	}
	if d.variant(&a) {
		x := new(string)
		if s, ok := d.str(p); ok {
			*x = s
		}
		if d.readAs(&a) {
			checkLength(d.c, p, *x, 3, -1)
		}
		if d.matched(&a) {
			v.name = x
		}
	}
	if d.variant(&a) {
		x := new(int64)
		if n, ok := d.int64(p); ok {
			*x = n
		}
		if d.readAs(&a) {
			checkMinimum(d.c, p, *x, 1)
		}
		if d.matched(&a) {
			v.id = x
		}
	}
	d.unionEnd(p, &a, 2)
}

// decodeUnion decodes data as an idOrName inside an array, so that the
// decoder must also find its way past the union.
func decodeUnion(data string, exclusive bool) ([]idOrName, *collector, error) {
	var c collector
	d := decoder{data: []byte(data), c: &c}
	var out []idOrName
	if d.array(nil) {
		for i := 0; d.item(i); i++ {
			p := (*path)(nil).elem(i)
			var v idOrName
			v.decodeJSON(&d, &p, exclusive)
			out = append(out, v)
		}
	}
	return out, &c, d.finish()
}

func TestUnionVariants(t *testing.T) {
	got, c, err := decodeUnion(`["abc", 7, null, "ab", 0, true, 100000000000000000000, 1e20, {"a":[1]}]`, false)
	require.NoError(t, err)
	require.Len(t, got, 9)
	require.Equal(t, "abc", *got[0].name)
	require.Nil(t, got[0].id)
	require.Equal(t, int64(7), *got[1].id)
	require.Nil(t, got[1].name)
	require.Equal(t, idOrName{}, got[2], "null sets no variant")
	require.Equal(t, []Violation{
		{Pointer: "/3", Keyword: "anyOf", Message: "matches none of the 2 schemas of anyOf"},
		{Pointer: "/4", Keyword: "anyOf", Message: "matches none of the 2 schemas of anyOf"},
		{Pointer: "/5", Keyword: "anyOf", Message: "matches none of the 2 schemas of anyOf"},
		{Pointer: "/6", Keyword: "type", Message: "100000000000000000000 does not fit in a 64-bit integer"},
		{Pointer: "/7", Keyword: "type", Message: "1e20 does not fit in a 64-bit integer"},
		{Pointer: "/8", Keyword: "anyOf", Message: "matches none of the 2 schemas of anyOf"},
	}, c.violations)
}

func TestUnionOneOfKeepsTheOnlyMatch(t *testing.T) {
	got, c, err := decodeUnion(`["abcd", 12]`, true)
	require.NoError(t, err)
	require.Empty(t, c.violations)
	require.Equal(t, "abcd", *got[0].name)
	require.Equal(t, int64(12), *got[1].id)
	_, c, err = decodeUnion(`[false]`, true)
	require.NoError(t, err)
	require.Equal(t, []Violation{{Pointer: "/0", Keyword: "oneOf", Message: "matches none of the 2 schemas of oneOf"}}, c.violations)
}

func TestUnionSyntaxError(t *testing.T) {
	_, _, err := decodeUnion(`["abc", {"a":}]`, false)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 13, se.Offset)
}

// TestNestedComposition checks that a check failing inside an anyOf that
// passes does not count against the oneOf around it.
func TestNestedComposition(t *testing.T) {
	table := ruleTable{
		{},
		{oneOf: []int{2, 3}},
		{anyOf: []int{4, 5}},
		{types: typeBoolean},
		{types: typeString},
		{types: typeInteger},
	}
	for _, v := range []any{"x", 1.0, true} {
		var c collector
		table.check(&c, nil, v, 1)
		require.NoError(t, c.err(), "%v", v)
	}
	var c collector
	table.check(&c, nil, 1.5, 1)
	require.Error(t, c.err())
}
