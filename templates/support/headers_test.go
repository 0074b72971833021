package support

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHeaderValue(t *testing.T) {
	h := http.Header{}
	h.Add("x-delivery-id", "a")
	_, ok := headerValue(h, "X-Other")
	require.False(t, ok)
	v, ok := headerValue(h, "X-DELIVERY-ID")
	require.True(t, ok)
	require.Equal(t, "a", v)
	h.Add("X-Delivery-Id", "b")
	v, _ = headerValue(h, "x-delivery-id")
	require.Equal(t, "a, b", v, "several lines are joined as a list")
	h.Set("Empty", "")
	v, ok = headerValue(h, "empty")
	require.True(t, ok, "an empty header is present")
	require.Empty(t, v)
}

func TestHeaderParsers(t *testing.T) {
	root := headersPath()
	p := root.at("X")
	var c collector
	n, ok := headerInt64(&c, &p, "-42")
	require.True(t, ok)
	require.Equal(t, int64(-42), n)
	_, ok = headerInt32(&c, &p, "2147483648")
	require.False(t, ok)
	f, ok := headerFloat64(&c, &p, "1.5e3")
	require.True(t, ok)
	require.Equal(t, 1500.0, f)
	for _, bad := range []string{"", "NaN", "Inf", "-infinity", "0x1p3", "1_000", "1e400"} {
		_, ok := headerFloat64(&c, &p, bad)
		require.False(t, ok, "%q", bad)
	}
	b, ok := headerBool(&c, &p, "false")
	require.True(t, ok)
	require.False(t, b)
	_, ok = headerBool(&c, &p, "TRUE")
	require.False(t, ok)
	_, ok = headerTime(&c, &p, "2024-01-02T03:04:05+01:00")
	require.True(t, ok)
	err := c.err()
	require.Error(t, err)
	var got []string
	for _, v := range err.(*ValidationError).Violations {
		require.Equal(t, "/headers/X", v.Pointer)
		got = append(got, v.Keyword+": "+v.Message)
	}
	require.Equal(t, []string{
		`format: 2147483648 does not fit in a 32-bit integer`,
		`type: "" is not a number`, `type: "NaN" is not a number`, `type: "Inf" is not a number`,
		`type: "-infinity" is not a number`, `type: "0x1p3" is not a number`, `type: "1_000" is not a number`,
		`type: "1e400" is not a number`,
		`type: "TRUE" is not a boolean (true or false)`,
	}, got)
}

func TestHeaderJSON(t *testing.T) {
	root := headersPath()
	p := root.at("X-List")
	var c collector
	d := headerJSON(&c, `[1, 2`)
	d.skip()
	headerJSONEnd(d, &p)
	require.Len(t, c.violations, 1)
	require.Equal(t, "/headers/X-List", c.violations[0].Pointer)
	require.Equal(t, "type", c.violations[0].Keyword)
}

func TestReceiverHeaders(t *testing.T) {
	hv := &ValidationError{Violations: []Violation{{Pointer: "/headers/A", Keyword: "required"}}}
	pv := &ValidationError{Violations: []Violation{{Pointer: "/id", Keyword: "type"}}}
	decode := func(err error) func(http.Header) (any, error) {
		return func(http.Header) (any, error) { return "decoded", err }
	}
	v, err := receiverHeaders(decode(nil), nil, nil)
	require.Equal(t, "decoded", v)
	require.NoError(t, err)
	_, err = receiverHeaders(decode(nil), nil, pv)
	require.Same(t, pv, err)
	_, err = receiverHeaders(decode(hv), nil, nil)
	require.Same(t, hv, err)
	_, err = receiverHeaders(decode(hv), nil, pv)
	require.Equal(t, &ValidationError{Violations: []Violation{hv.Violations[0], pv.Violations[0]}}, err)
	require.Len(t, hv.Violations, 1, "the headers' error is not changed")
	se := &SyntaxError{Offset: 3}
	_, err = receiverHeaders(decode(hv), nil, se)
	require.Same(t, se, err)
}
