package support

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormats(t *testing.T) {
	cases := []struct {
		check func(string) bool
		good  []string
		bad   []string
	}{
		{isDateTime,
			[]string{"2025-03-15T10:00:00Z", "2023-06-26T00:00:00.000+00:00", "2024-02-29t23:59:60.5-05:30"},
			[]string{"2025-03-15", "2025-03-15T10:00:00", "2025-02-30T10:00:00Z", "2025-03-15T24:00:00Z", "2025-03-15T10:00:00+0100", "2025-03-15T10:00:00.Z"}},
		{isDate, []string{"2025-03-15", "2000-02-29"}, []string{"2025-3-15", "1900-02-29", "2025-13-01", "2025-03-15x", "２０２５-03-15"}},
		{isTime, []string{"10:00:00Z", "23:59:59.123+01:00"}, []string{"10:00:00", "10:00Z", "25:00:00Z"}},
		{isEmail,
			[]string{"billing@acme.example", "a.b+c@x.io", `"a b"@x.io`, "x@[127.0.0.1]", "x@[IPv6:::1]"},
			[]string{"plain", "@x.io", "a@", "a..b@x.io", ".a@x.io", "a@-x.io", "a b@x.io"}},
		{isHostname, []string{"example.com", "a", "xn--bcher-kva.example"}, []string{"", "-a.com", "a-.com", "a..b", "a.", "under_score.com"}},
		{isIPv4, []string{"127.0.0.1", "255.255.255.255"}, []string{"256.0.0.1", "1.2.3", "01.2.3.4", "::1"}},
		{isIPv6, []string{"::1", "2001:db8::8a2e:370:7334", "::ffff:1.2.3.4"}, []string{"1.2.3.4", "fe80::1%eth0", "2001:db8::g"}},
		{isUUID, []string{"5f2c1c8e-8b7a-4d2e-9c61-3f7a2b9d4e10"}, []string{"5f2c1c8e8b7a4d2e9c613f7a2b9d4e10", "5f2c1c8e-8b7a-4d2e-9c61-3f7a2b9d4e1g"}},
		{isURI, []string{"https://example.com/a?b=c#d", "urn:isbn:0451450523", "mailto:a@b.c", "x:%20"}, []string{"/relative", "no-scheme", "1http://x", "http://x y", "http://x/%zz"}},
	}
	for _, tc := range cases {
		for _, s := range tc.good {
			require.True(t, tc.check(s), "%q should pass", s)
		}
		for _, s := range tc.bad {
			require.False(t, tc.check(s), "%q should fail", s)
		}
	}
}

func TestPathString(t *testing.T) {
	var root *path
	require.Equal(t, "", root.String())
	a := root.at("a/b")
	i := a.elem(3)
	k := i.at("~x")
	require.Equal(t, "/a~1b/3/~0x", k.String())
}

func TestCollector(t *testing.T) {
	var c collector
	var root *path
	p := root.at("x")
	mark := c.try()
	c.fail(&p, "minimum", "quiet")
	require.False(t, c.passed(mark))
	require.Empty(t, c.violations, "quiet failures are only counted")
	require.NoError(t, c.err())

	c.fail(&p, "enum", "%q is not one of %s", "Gone", `"A"`)
	c.decoded = 1
	q := p.at("y")
	c.fail(&q, "minLength", "masked: under a value the decoder could not read")
	other := root.at("z")
	c.fail(&other, "required", "is required")
	err := c.err()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, []Violation{
		{Pointer: "/x", Keyword: "enum", Message: `"Gone" is not one of "A"`},
		{Pointer: "/z", Keyword: "required", Message: "is required"},
	}, ve.Violations)
	require.False(t, ve.OnlyUnknownEnumValues())
	require.Equal(t, `2 violations: /x: "Gone" is not one of "A"; /z: is required`, err.Error())
	require.True(t, (&ValidationError{Violations: ve.Violations[:1]}).OnlyUnknownEnumValues())
}

func TestMultipleOf(t *testing.T) {
	for _, tc := range []struct {
		x, m float64
		ok   bool
	}{{0.3, 0.1, true}, {10, 2.5, true}, {0.35, 0.1, false}, {7, 2, false}, {-6, 3, true}, {1e300, 1e-300, false}} {
		require.Equal(t, tc.ok, isMultipleOf(tc.x, tc.m), "%v multipleOf %v", tc.x, tc.m)
	}
}

func TestRuleTable(t *testing.T) {
	table := ruleTable{
		{},
		// 1: an object with a required name, a short code, closed.
		{types: typeObject, required: []string{"name"}, properties: []propertyRule{{"name", 2}, {"code", 3}}, noAdditional: true},
		{types: typeString, minLength: count(1)},
		{types: typeString | typeNull, pattern: regexp.MustCompile(`^[a-z]{3}$`)},
		// 4: oneOf a number >= 5 or a string.
		{oneOf: []int{5, 6}},
		{types: typeNumber, minimum: bound(5)},
		{types: typeString},
		// 7: not an integer, an enum.
		{not: 8, enum: []any{1.5, "x", nil, []any{1.0}, 2.0}},
		{types: typeInteger},
	}
	check := func(v any, i int) []Violation {
		var c collector
		table.check(&c, nil, v, i)
		return c.violations
	}
	require.Empty(t, check(map[string]any{"name": "a", "code": "usd"}, 1))
	require.Empty(t, check(map[string]any{"name": "a", "code": nil}, 1))
	got := check(map[string]any{"code": "USD", "extra": 1}, 1)
	require.Equal(t, []string{"/name required", "/code pattern", "/extra additionalProperties"}, pointersAndKeywords(got))
	require.Empty(t, check(7.0, 4))
	require.Empty(t, check("x", 4))
	require.Equal(t, []string{" oneOf"}, pointersAndKeywords(check(3.0, 4)))
	require.Empty(t, check(1.5, 7))
	require.Empty(t, check([]any{1}, 7), "1 and 1.0 are the same JSON number")
	require.Equal(t, []string{" enum"}, pointersAndKeywords(check("y", 7)))
	require.Empty(t, check(nil, 7), "nil is in the enum and not an integer")
	require.Equal(t, []string{" not"}, pointersAndKeywords(check(2.0, 7)))
}

func pointersAndKeywords(vs []Violation) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Pointer+" "+v.Keyword)
	}
	return out
}
