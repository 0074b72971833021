package support

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// past53 is 2^53 + 1, the first integer a float64 cannot hold.
const past53 = 9007199254740993

func TestIntegerChecksAreExact(t *testing.T) {
	check := func(f func(*collector)) []string {
		var c collector
		f(&c)
		out := []string{}
		for _, v := range c.violations {
			out = append(out, v.Keyword+": "+v.Message)
		}
		return out
	}
	require.Empty(t, check(func(c *collector) { checkMinimumInt(c, nil, int64(past53), past53) }))
	require.Equal(t, []string{"minimum: 9007199254740992 is less than 9007199254740993"},
		check(func(c *collector) { checkMinimumInt(c, nil, int64(past53-1), past53) }))
	require.Empty(t, check(func(c *collector) { checkMaximumInt(c, nil, int64(past53), past53) }))
	require.Equal(t, []string{"maximum: 9007199254740994 is greater than 9007199254740993"},
		check(func(c *collector) { checkMaximumInt(c, nil, int64(past53+1), past53) }))
	require.Empty(t, check(func(c *collector) { checkExclusiveMinimumInt(c, nil, int64(past53+1), past53) }))
	require.Equal(t, []string{"exclusiveMinimum: 9007199254740993 is not greater than 9007199254740993"},
		check(func(c *collector) { checkExclusiveMinimumInt(c, nil, int64(past53), past53) }))
	require.Empty(t, check(func(c *collector) { checkExclusiveMaximumInt(c, nil, int64(past53-1), past53) }))
	require.Equal(t, []string{"exclusiveMaximum: 9007199254740993 is not less than 9007199254740993"},
		check(func(c *collector) { checkExclusiveMaximumInt(c, nil, int64(past53), past53) }))
	require.Empty(t, check(func(c *collector) { checkMultipleOfInt(c, nil, int64(2*past53), past53) }))
	require.Equal(t, []string{"multipleOf: 18014398509481987 is not a multiple of 9007199254740993"},
		check(func(c *collector) { checkMultipleOfInt(c, nil, int64(2*past53+1), past53) }))
	require.Empty(t, check(func(c *collector) { checkMultipleOfInt(c, nil, int32(-6), 3) }))
}

func TestCompareInteger(t *testing.T) {
	for _, tc := range []struct {
		literal string
		n       int64
		want    int
	}{
		{"9007199254740993", past53, 0},
		{"9007199254740992", past53, -1},
		{"9007199254740994", past53, 1},
		{"-9223372036854775808", -9223372036854775808, 0},
		{"9223372036854775808", 9223372036854775807, 1},
		{"-9223372036854775809", -9223372036854775808, -1},
		{"123456789012345678901234567890", 0, 1},
	} {
		require.Equal(t, tc.want, compareInteger(tc.literal, tc.n), "%s vs %d", tc.literal, tc.n)
	}
}

func TestIsIntegerMultipleOf(t *testing.T) {
	for _, tc := range []struct {
		literal string
		m       int64
		want    bool
	}{
		{"18014398509481986", past53, true},
		{"18014398509481987", past53, false},
		{"-18014398509481986", past53, true},
		{"0", 7, true},
		// 2^64 * 3 + 0 digits past uint64: 55340232221128654848 = 3 * 2^64.
		{"55340232221128654848", 3, true},
		{"55340232221128654849", 3, false},
		{"55340232221128654848", 9223372036854775807, false},
		{"73786976294838206464", 9223372036854775807 + 0, false}, // 4 * 2^64 = 8 * 2^63 + 8
		{"73786976294838206456", 9223372036854775807, true},      // 8 * (2^63 - 1)
	} {
		require.Equal(t, tc.want, isIntegerMultipleOf(tc.literal, tc.m), "%s multipleOf %d", tc.literal, tc.m)
	}
}

func TestIntegerLiteral(t *testing.T) {
	for v, want := range map[any]string{
		json.Number("9007199254740993"): "9007199254740993",
		json.Number("-0"):               "0",
		json.Number("1.0"):              "",
		json.Number("1e3"):              "",
		json.Number("01"):               "",
		json.Number("-"):                "",
		int64(-5):                       "-5",
		7:                               "7",
		7.0:                             "",
	} {
		require.Equal(t, want, integerLiteral(v), "%#v", v)
	}
}

// TestRuleTableBoundsAreExact: a value held as any whose integer digits
// are known is compared with whole bounds to the digit; a float64 is
// compared as before.
func TestRuleTableBoundsAreExact(t *testing.T) {
	table := ruleTable{
		{},
		{types: typeInteger, minimum: bound(past53), minimumInt: exactBound(past53)},
		{exclusiveMaximum: bound(past53), exclusiveMaximumInt: exactBound(past53)},
		{multipleOf: bound(past53), multipleOfInt: exactBound(past53)},
		{maximum: bound(past53), maximumInt: exactBound(past53), exclusiveMinimum: bound(past53 - 2), exclusiveMinimumInt: exactBound(past53 - 2)},
		{enum: []any{1.0, int64(past53)}},
		{hasConst: true, constant: int64(past53)},
		{multipleOf: bound(2), minimum: bound(1.5)},
	}
	check := func(v any, i int) []string {
		var c collector
		table.check(&c, nil, v, i)
		out := []string{}
		for _, v := range c.violations {
			out = append(out, v.Keyword+": "+v.Message)
		}
		return out
	}
	require.Empty(t, check(json.Number("9007199254740993"), 1))
	require.Empty(t, check(int64(past53), 1))
	require.Equal(t, []string{"minimum: 9007199254740992 is less than 9007199254740993"}, check(json.Number("9007199254740992"), 1))
	require.Empty(t, check(json.Number("9007199254740992"), 2))
	require.Equal(t, []string{"exclusiveMaximum: 9007199254740993 is not less than 9007199254740993"}, check(json.Number("9007199254740993"), 2))
	require.Equal(t, []string{"exclusiveMaximum: 9007199254740994 is not less than 9007199254740993"}, check(int64(past53+1), 2))
	require.Empty(t, check(json.Number("27021597764222979"), 3))
	require.Equal(t, []string{"multipleOf: 27021597764222978 is not a multiple of 9007199254740993"}, check(json.Number("27021597764222978"), 3))
	require.Empty(t, check(json.Number("9007199254740992"), 4))
	require.Equal(t, []string{"exclusiveMinimum: 9007199254740991 is not greater than 9007199254740991"}, check(json.Number("9007199254740991"), 4))
	require.Equal(t, []string{"maximum: 9007199254740994 is greater than 9007199254740993"}, check(json.Number("9007199254740994"), 4))
	// A float64 holds no digits past 2^53: it is compared as a float64.
	require.Empty(t, check(9007199254740992.0, 1))
	require.Equal(t, []string{"minimum: 9.007199254740988e+15 is less than 9.007199254740992e+15"}, check(9007199254740988.0, 1))
	// Enum and const: exact where the digits are known, and the message
	// quotes the spec's digits.
	require.Empty(t, check(json.Number("9007199254740993"), 5))
	require.Empty(t, check(json.Number("1"), 5))
	require.Equal(t, []string{"enum: 9007199254740992 is not one of 1, 9007199254740993"}, check(json.Number("9007199254740992"), 5))
	require.Empty(t, check(int64(past53), 6))
	require.Equal(t, []string{"const: 9007199254740994 is not 9007199254740993"}, check(json.Number("9007199254740994"), 6))
	// A small whole bound is exact as a float64: odd digits past 2^53 are
	// no multiple of 2 (as a float64 the value would be even); a fraction
	// stays a float64 bound.
	require.Equal(t, []string{"multipleOf: 9007199254740995 is not a multiple of 2"}, check(json.Number("9007199254740995"), 7))
	require.Empty(t, check(json.Number("9007199254740996"), 7))
	require.Equal(t, []string{"minimum: 1 is less than 1.5", "multipleOf: 1 is not a multiple of 2"}, check(json.Number("1"), 7))
}
