package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// headersPath is the JSON pointer under which the violations of a
// message's headers are reported: /headers/<name as the spec spells it>,
// the place of the headers in an AsyncAPI message.
func headersPath() path { return path{key: "headers", index: -1} }

// headerValue returns the value of header name in h, found by its
// canonical key as HTTP matches names without regard to case, and whether
// h has it. Several lines of the header are joined with ", ", as HTTP
// joins the values of a list.
func headerValue(h http.Header, name string) (string, bool) {
	values := h.Values(name)
	switch len(values) {
	case 0:
		return "", false
	case 1:
		return values[0], true
	}
	return strings.Join(values, ", "), true
}

// headerInt64 reads a header's text as a decimal integer.
func headerInt64(c *collector, p *path, text string) (int64, bool) {
	n, err := strconv.ParseInt(text, 10, 64)
	if err == nil {
		return n, true
	}
	if f, ok := headerNumber(text); ok && f == math.Trunc(f) {
		c.fail(p, "type", "%s does not fit in a 64-bit integer", strconv.Quote(text))
		return 0, false
	}
	c.fail(p, "type", "%s is not an integer", strconv.Quote(text))
	return 0, false
}

// headerInt32 reads a header's text as an integer of format int32.
func headerInt32(c *collector, p *path, text string) (int32, bool) {
	n, ok := headerInt64(c, p, text)
	if ok && (n < math.MinInt32 || n > math.MaxInt32) {
		c.fail(p, "format", "%d does not fit in a 32-bit integer", n)
		return 0, false
	}
	return int32(n), ok
}

// headerFloat64 reads a header's text as a decimal number.
func headerFloat64(c *collector, p *path, text string) (float64, bool) {
	f, ok := headerNumber(text)
	if !ok {
		c.fail(p, "type", "%s is not a number", strconv.Quote(text))
	}
	return f, ok
}

// headerNumber parses a decimal number, refusing what strconv accepts but
// JSON has no number for: NaN, infinities and hexadecimal.
func headerNumber(text string) (float64, bool) {
	if text == "" || strings.Trim(text, "0123456789+-.eE") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	return f, err == nil
}

// headerBool reads a header's text as a boolean: true or false.
func headerBool(c *collector, p *path, text string) (bool, bool) {
	switch text {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	c.fail(p, "type", "%s is not a boolean (true or false)", strconv.Quote(text))
	return false, false
}

// headerTime reads a header's text as an RFC 3339 date-time.
func headerTime(c *collector, p *path, text string) (time.Time, bool) {
	var t time.Time
	if err := t.UnmarshalText([]byte(text)); err != nil {
		c.fail(p, "format", "%s is not a valid date-time", strconv.Quote(text))
		return t, false
	}
	return t, true
}

// headerJSON starts reading a header's text as JSON, for a header whose
// schema is an object or an array.
func headerJSON(c *collector, text string) *decoder {
	return &decoder{data: []byte(text), c: c}
}

// headerJSONEnd reports a header that is not one JSON value.
func headerJSONEnd(d *decoder, p *path) {
	if err := d.finish(); err != nil {
		d.c.fail(p, "type", "is not one JSON value: %s", err.Error())
	}
}
