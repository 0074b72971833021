package validation

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	polymorphism "github.com/asyncgen/asyncgen/testdata/golden/polymorphism/want"
	recursion "github.com/asyncgen/asyncgen/testdata/golden/union-recursion/want"
)

// nested is a Nest value n deep whose every level has the shape of both
// of Nest's variants (Left and Right, open to the same nested objects):
// reading each level as each variant in turn, and each variant's nested
// value again so, takes 2^n readings. (No level is one of the oneOf: the
// innermost matches both.)
func nested(n int) []byte {
	return []byte(strings.Repeat(`{"next":`, n) + `{}` + strings.Repeat(`}`, n))
}

// allocsToUnmarshal is how many allocations json.Unmarshal makes to read
// data into a struct holding a union.
func allocsToUnmarshal(t *testing.T, data []byte) float64 {
	t.Helper()
	var holder struct{ Nest recursion.Nest }
	doc := []byte(`{"Nest":` + string(data) + `}`)
	require.ErrorContains(t, json.Unmarshal(doc, &holder), "decoding Nest: ", "the innermost level is not one of the oneOf")
	return testing.AllocsPerRun(3, func() {
		_ = json.Unmarshal(doc, &holder)
	})
}

// TestUnionUnmarshalJSONIsLinear checks that a union's UnmarshalJSON reads
// a recursive union in work linear in its nesting depth, counted in
// allocations (not time): reading every variant of every level in turn,
// as it did with encoding/json, doubles the work at each level.
func TestUnionUnmarshalJSONIsLinear(t *testing.T) {
	at8, at16 := allocsToUnmarshal(t, nested(8)), allocsToUnmarshal(t, nested(16))
	t.Logf("allocations at depth 8: %v, at 16: %v", at8, at16)
	require.LessOrEqual(t, at16, 3*at8, "8 more levels must not multiply the work (%v allocations at 8, %v at 16)", at8, at16)
	at10, at1000 := allocsToUnmarshal(t, nested(10)), allocsToUnmarshal(t, nested(1000))
	t.Logf("allocations at depth 10: %v, at 1000: %v", at10, at1000)
	require.LessOrEqual(t, at1000, 150*at10, "100 times as deep, at most 150 times the allocations (%v at 10, %v at 1000)", at10, at1000)

	var holder struct{ Nest recursion.Nest }
	require.NoError(t, json.Unmarshal([]byte(`{"Nest":{"left":1,"next":{"right":"x","next":{"left":2}}}}`), &holder))
	n := holder.Nest
	require.NotNil(t, n.Left)
	require.NotNil(t, n.Left.Next.Right)
	require.Equal(t, int64(2), *n.Left.Next.Right.Next.Left.Left)
}

// TestUnionUnmarshalJSONReportsLikeDecode checks what a union's
// UnmarshalJSON refuses: what its Decode function refuses, with the
// union's name.
func TestUnionUnmarshalJSONReportsLikeDecode(t *testing.T) {
	var n recursion.Nest
	err := json.Unmarshal([]byte(`{"next":{"left":1}}`), &n)
	require.EqualError(t, err, "decoding Nest: 1 violation: (root): matches 2 of the 2 schemas of oneOf, not exactly one")
	require.Nil(t, n.Left, "a refused value leaves the union empty")
	err = json.Unmarshal(nested(3), &n)
	require.EqualError(t, err, "decoding Nest: 1 violation: (root): matches none of the 2 schemas of oneOf")
	require.NoError(t, json.Unmarshal([]byte(`null`), &n))

	var v polymorphism.Vehicle
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"bike","wheels":2}`), &v))
	require.NotNil(t, v.Bike)
	err = json.Unmarshal([]byte(`{"kind":"boat"}`), &v)
	require.EqualError(t, err, `decoding Vehicle: 1 violation: (root): its "kind" property, "boat", names none of the schemas of oneOf (it may be bike, car)`)
	err = json.Unmarshal([]byte(`{"kind":"car","wheels":2}`), &v)
	require.EqualError(t, err, `decoding Vehicle: 1 violation: /wheels: 2 is less than 3`)
}

// boxes is a Box n deep whose discriminator comes after the nested box,
// so that finding each level's tag passes every level under it.
func boxes(n int) []byte {
	return []byte(`{"box":` + strings.Repeat(`{"inner":`, n) + `{"shape":"crate"}` + strings.Repeat(`,"shape":"envelope"}`, n) + `}`)
}

// TestDiscriminatedUnionDecodingIsLinear checks, counting allocations,
// that a recursive discriminated union whose tags come last is read in
// work linear in its depth: looking for a tag passes the nested objects
// by the ends remembered the first time.
func TestDiscriminatedUnionDecodingIsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		data := boxes(n)
		_, err := polymorphism.DecodeParcel(data)
		require.NoError(t, err)
		return testing.AllocsPerRun(3, func() { _, _ = polymorphism.DecodeParcel(data) })
	}
	at10, at1000 := allocs(10), allocs(1000)
	t.Logf("allocations at depth 10: %v, at 1000: %v", at10, at1000)
	require.LessOrEqual(t, at1000, 150*at10, "100 times as deep, at most 150 times the allocations")
}
