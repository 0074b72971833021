package support

import (
	"strings"
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
	a, ok := d.union(1, 0, exclusive)
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

// nest is a recursive oneOf as the generator writes it: both variants are
// an object whose property "n" is a nest again, so every variant of every
// level accepts the same nested objects. calls counts the values read as
// a nest without recalling them.
type nest struct {
	first, second *nestObject
}

type nestObject struct {
	n *nest
}

func (v *nest) decodeJSON(d *decoder, p *path, calls *int) {
	*v = nest{}
	if recallUnion(d, 7, v) {
		return
	}
	*calls++
	a, ok := d.union(7, 0, true)
	if !ok {
		return
	}
	if d.variant(&a) {
		x := new(nestObject)
		x.decodeJSON(d, p, calls)
		if d.matched(&a) {
			v.first = x
		}
	}
	if d.variant(&a) {
		x := new(nestObject)
		x.decodeJSON(d, p, calls)
		if d.matched(&a) {
			v.second = x
		}
	}
	d.unionEnd(p, &a, 2)
	rememberUnion(d, &a, *v)
}

func (v *nestObject) decodeJSON(d *decoder, p *path, calls *int) {
	if !d.object(p) {
		return
	}
	for n := 0; ; n++ {
		key, ok := d.field(n)
		if !ok {
			break
		}
		if string(key) != "n" {
			d.unknown(p, key, false)
			continue
		}
		kp := p.at("n")
		v.n = new(nest)
		v.n.decodeJSON(d, &kp, calls)
	}
}

// TestRecursiveUnionIsLinear reads a nest 2,000 levels deep: trying both
// variants at every level without remembering would read the innermost
// value 2^2000 times. Each value must be read as a nest once.
func TestRecursiveUnionIsLinear(t *testing.T) {
	const depth = 2000
	data := strings.Repeat(`{"n":`, depth) + `{}` + strings.Repeat(`}`, depth)
	var c collector
	d := decoder{data: []byte(data), c: &c}
	var v nest
	calls := 0
	v.decodeJSON(&d, nil, &calls)
	require.NoError(t, d.finish())
	require.Equal(t, depth+1, calls, "values read as a nest")
	// The innermost {} matches both variants, which oneOf refuses; so
	// every level around it matches none.
	require.Equal(t, []Violation{{Pointer: "", Keyword: "oneOf", Message: "matches none of the 2 schemas of oneOf"}}, c.violations)
	require.Nil(t, v.first)
}

// TestRecalledUnionKeepsOutcome checks that a union read again at the same
// place, inside a later variant, gives what it gave the first time: its
// value, and the failure that makes the enclosing variant fail.
func TestRecalledUnionKeepsOutcome(t *testing.T) {
	var c collector
	d := decoder{data: []byte(`[{"n":{}}, {"n":{"n":{}}}]`), c: &c}
	calls := 0
	// As inside a variant of a union that checked the whole input.
	mark := c.try()
	d.checked = len(d.data)
	require.True(t, d.array(nil))
	for i := 0; d.item(i); i++ {
		start, before := d.pos, c.failures
		var first, again nest
		first.decodeJSON(&d, nil, &calls)
		end, failed := d.pos, c.failures-before
		d.pos = start
		again.decodeJSON(&d, nil, &calls)
		require.Equal(t, end, d.pos)
		require.Equal(t, first, again)
		require.Equal(t, before+2*failed, c.failures, "the recalled union fails as the first reading did")
	}
	require.Equal(t, 2+3, calls, "each nest read once")
	require.False(t, c.passed(mark))
	require.NoError(t, d.finish())
}
