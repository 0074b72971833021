package support

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// vehicleRules: 1 and 2 are the variants car (wheels at least 3) and bike
// (wheels at most 2); 5 is their oneOf, picked by "kind".
var vehicleRules = ruleTable{
	{},
	{types: typeObject, properties: []propertyRule{{"wheels", 3}}},
	{types: typeObject, properties: []propertyRule{{"wheels", 4}}},
	{minimum: bound(3)},
	{maximum: bound(2)},
	{oneOf: []int{1, 2}, tagProperty: "kind", tags: []tagCase{{"bike", 1}, {"car", 0}}},
}

// vehicle is a discriminated union as the generator writes it, its
// variants read as any and checked with vehicleRules.
type vehicle struct {
	car, bike map[string]any
}

func (v *vehicle) readVariant(d *decoder, p *path, a *alternatives, rules int) (map[string]any, bool) {
	value := d.any(p)
	if d.readAs(a) {
		vehicleRules.check(d.c, p, value, rules)
	}
	x, ok := value.(map[string]any)
	return x, ok
}

func (v *vehicle) decodeJSON(d *decoder, p *path) {
	*v = vehicle{}
	a, ok := d.union(1, 0, true)
	if !ok {
		return
	}
	if tag, ok := d.readTag(p, &a, "kind"); ok {
		switch tag {
		case "car":
			v.car, _ = v.readVariant(d, p, &a, 1)
		case "bike":
			v.bike, _ = v.readVariant(d, p, &a, 2)
		default:
			d.unknownTag(p, &a, "kind", tag, "bike, car")
		}
	}
	if d.variant(&a) {
		if x, ok := v.readVariant(d, p, &a, 1); d.matched(&a) && ok {
			v.car = x
		}
	}
	if d.variant(&a) {
		if x, ok := v.readVariant(d, p, &a, 2); d.matched(&a) && ok {
			v.bike = x
		}
	}
	d.unionEnd(p, &a, 2)
}

func TestDecoderPicksTheVariantByTag(t *testing.T) {
	var v vehicle
	require.NoError(t, unmarshalUnion("Vehicle", []byte(`{"wheels":4,"kind":"car"}`), &v))
	require.NotNil(t, v.car, "both variants' shape, but the tag says car")
	require.Nil(t, v.bike)
	require.NoError(t, unmarshalUnion("Vehicle", []byte(`{"kind":"bike"}`), &v))
	require.NotNil(t, v.bike)
	require.NoError(t, unmarshalUnion("Vehicle", []byte(` null `), &v))
	require.Equal(t, vehicle{}, v)

	for _, c := range []struct{ in, err string }{
		{`{"kind":"bike","wheels":3}`, "decoding Vehicle: 1 violation: /wheels: 3 is greater than 2"},
		{`{"kind":"boat"}`, `decoding Vehicle: 1 violation: (root): its "kind" property, "boat", names none of the schemas of oneOf (it may be bike, car)`},
		{`{"wheels":2}`, `decoding Vehicle: 1 violation: (root): has no "kind" property, which names the schema of oneOf it is`},
		{`{"kind":["car"]}`, `decoding Vehicle: 1 violation: (root): its "kind" property is an array, not a string naming a schema of oneOf`},
		{`"car"`, "decoding Vehicle: 1 violation: (root): matches none of the 2 schemas of oneOf"},
		{`{"kind":"car"`, "decoding Vehicle: invalid JSON at offset 13: expected , or } after an object value"},
	} {
		v = vehicle{car: map[string]any{}}
		require.EqualError(t, unmarshalUnion("Vehicle", []byte(c.in), &v), c.err, c.in)
		require.Equal(t, vehicle{}, v, "a refused value leaves the union empty")
	}
}

func TestValidatorPicksTheSchemaByTag(t *testing.T) {
	check := func(v any) []Violation {
		var c collector
		vehicleRules.check(&c, nil, v, 5)
		return c.violations
	}
	require.Empty(t, check(map[string]any{"kind": "car", "wheels": 4.0}))
	require.Empty(t, check(map[string]any{"kind": "bike"}), "both schemas accept it: the tag decides")
	require.Equal(t, []Violation{{Pointer: "/wheels", Keyword: "maximum", Message: "4 is greater than 2"}},
		check(map[string]any{"kind": "bike", "wheels": 4.0}), "the chosen schema's own violations")
	require.Equal(t, []Violation{{Pointer: "/kind", Keyword: "discriminator", Message: `"boat" names none of the schemas of oneOf (it may be bike, car)`}},
		check(map[string]any{"kind": "boat"}))
	require.Equal(t, []Violation{{Pointer: "/kind", Keyword: "discriminator", Message: "it is a number, not a string naming a schema of oneOf"}},
		check(map[string]any{"kind": 1.0}))
	require.Equal(t, []Violation{{Keyword: "discriminator", Message: `has no "kind" property, which names the schema of oneOf it is`}},
		check(map[string]any{}))
	require.Equal(t, []Violation{{Keyword: "oneOf", Message: "matches 0 of the 2 schemas of oneOf, not exactly one"}},
		check("car"), "a value that is not an object is tried against every schema")
}

// TestSkipSpanPassesEachValueOnce checks that looking for the
// discriminator of objects nested in one another, each placed after the
// nested object, walks each object once: the second search passes the
// nested objects by the ends the first one remembered.
func TestSkipSpanPassesEachValueOnce(t *testing.T) {
	const depth = 50
	data := strings.Repeat(`{"inner":`, depth) + `{}` + strings.Repeat(`,"kind":"x"}`, depth)
	d := decoder{data: []byte(data), c: new(collector)}
	tag, found := d.findProperty("kind")
	require.True(t, found)
	require.Equal(t, "x", string(tag))
	require.Len(t, d.spans, depth, "every object under the outermost is remembered")
	walked := len(d.spans)
	for level := 1; level < depth; level++ {
		d.pos, d.depth = level*len(`{"inner":`), level
		tag, found = d.findProperty("kind")
		require.True(t, found)
		require.Equal(t, "x", string(tag))
	}
	require.Len(t, d.spans, walked, "no object is walked again")
}
