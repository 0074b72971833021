package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkLength checks a string's length in runes; a limit below zero is
// not checked.
func checkLength(c *collector, p *path, s string, minLength, maxLength int) {
	n := utf8.RuneCountInString(s)
	if minLength >= 0 && n < minLength {
		c.fail(p, "minLength", "%q is shorter than %d characters", s, minLength)
	}
	if maxLength >= 0 && n > maxLength {
		c.fail(p, "maxLength", "%q is longer than %d characters", s, maxLength)
	}
}

// checkPattern checks that s matches re.
func checkPattern(c *collector, p *path, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		c.fail(p, "pattern", "%q does not match %s", s, re)
	}
}

// checkFormat checks s with the checker of a format.
func checkFormat(c *collector, p *path, s, format string, valid func(string) bool) {
	if !valid(s) {
		c.fail(p, "format", "%q is not a valid %s", s, format)
	}
}

// number is what the numeric checks accept.
type number interface {
	~int64 | ~int32 | ~float64
}

// checkMinimum checks x >= limit.
func checkMinimum[T number](c *collector, p *path, x T, limit float64) {
	if !(float64(x) >= limit) {
		c.fail(p, "minimum", "%s is less than %s", formatNumber(float64(x)), formatNumber(limit))
	}
}

// checkMaximum checks x <= limit.
func checkMaximum[T number](c *collector, p *path, x T, limit float64) {
	if !(float64(x) <= limit) {
		c.fail(p, "maximum", "%s is greater than %s", formatNumber(float64(x)), formatNumber(limit))
	}
}

// checkExclusiveMinimum checks x > limit.
func checkExclusiveMinimum[T number](c *collector, p *path, x T, limit float64) {
	if !(float64(x) > limit) {
		c.fail(p, "exclusiveMinimum", "%s is not greater than %s", formatNumber(float64(x)), formatNumber(limit))
	}
}

// checkExclusiveMaximum checks x < limit.
func checkExclusiveMaximum[T number](c *collector, p *path, x T, limit float64) {
	if !(float64(x) < limit) {
		c.fail(p, "exclusiveMaximum", "%s is not less than %s", formatNumber(float64(x)), formatNumber(limit))
	}
}

// checkMultipleOf checks that x is a multiple of m (m > 0), allowing for
// the rounding of binary floating point: 0.3 is a multiple of 0.1.
func checkMultipleOf[T number](c *collector, p *path, x T, m float64) {
	if !isMultipleOf(float64(x), m) {
		c.fail(p, "multipleOf", "%s is not a multiple of %s", formatNumber(float64(x)), formatNumber(m))
	}
}

func isMultipleOf(x, m float64) bool {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return false
	}
	q := x / m
	if math.IsInf(q, 0) {
		return false
	}
	k := math.Round(q)
	return math.Abs(x-k*m) <= math.Abs(x)*0x1p-50
}

// checkInteger checks that a float64 holds a whole number.
func checkInteger(c *collector, p *path, x float64) {
	if x != math.Trunc(x) || math.IsInf(x, 0) {
		c.fail(p, "type", "%s is not an integer", formatNumber(x))
	}
}

// checkItems checks an array's length; a limit below zero is not checked.
func checkItems(c *collector, p *path, n, minItems, maxItems int) {
	if minItems >= 0 && n < minItems {
		c.fail(p, "minItems", "has %d items, fewer than %d", n, minItems)
	}
	if maxItems >= 0 && n > maxItems {
		c.fail(p, "maxItems", "has %d items, more than %d", n, maxItems)
	}
}

// checkProperties checks an object's number of properties; a limit below
// zero is not checked.
func checkProperties(c *collector, p *path, n, minProperties, maxProperties int) {
	if minProperties >= 0 && n < minProperties {
		c.fail(p, "minProperties", "has %d properties, fewer than %d", n, minProperties)
	}
	if maxProperties >= 0 && n > maxProperties {
		c.fail(p, "maxProperties", "has %d properties, more than %d", n, maxProperties)
	}
}

// checkUnique checks that no two items of s are equal.
func checkUnique[T comparable](c *collector, p *path, s []T) {
	for i := 1; i < len(s); i++ {
		for j := 0; j < i; j++ {
			if s[i] == s[j] {
				c.fail(p, "uniqueItems", "items %d and %d are equal", j, i)
				return
			}
		}
	}
}

// checkUniqueJSON checks that no two items of s encode to equal JSON
// values, for items Go cannot compare.
func checkUniqueJSON[T any](c *collector, p *path, s []T) {
	if len(s) < 2 {
		return
	}
	values := make([]any, len(s))
	for i := range s {
		values[i] = toJSONValue(s[i])
	}
	for i := 1; i < len(values); i++ {
		for j := 0; j < i; j++ {
			if equalJSON(values[i], values[j]) {
				c.fail(p, "uniqueItems", "items %d and %d are equal", j, i)
				return
			}
		}
	}
}

// failRequired reports a missing required property at p.
func failRequired(c *collector, p *path) {
	c.fail(p, "required", "is required")
}

// failAdditional reports a property the schema does not allow.
func failAdditional(c *collector, p *path) {
	c.fail(p, "additionalProperties", "is not allowed")
}

// failType reports a value of a type the schema does not allow.
func failType(c *collector, p *path, got string, want ...string) {
	c.fail(p, "type", "%s is not %s", got, typeList(want))
}

// failNever reports a value where the schema false allows none.
func failNever(c *collector, p *path) {
	c.fail(p, "false", "no value is allowed here")
}

// failEnum reports a value outside an enum.
func failEnum[T any](c *collector, p *path, got any, allowed []T) {
	c.failWith(p, "enum", func() string {
		var b strings.Builder
		b.WriteString(jsonText(got) + " is not one of ")
		for i, a := range allowed {
			if b.Len() > maxMessage {
				break // the message is cut there anyway
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(jsonText(a))
		}
		return b.String()
	})
}

// failConst reports a value other than the const.
func failConst(c *collector, p *path, got, want any) {
	c.failWith(p, "const", func() string { return jsonText(got) + " is not " + jsonText(want) })
}

func typeList(types []string) string {
	if len(types) == 1 {
		return article(types[0])
	}
	list := make([]string, len(types))
	for i, t := range types {
		list[i] = article(t)
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

func article(jsonType string) string {
	switch jsonType {
	case "null":
		return "null"
	case "integer", "object", "array":
		return "an " + jsonType
	}
	return "a " + jsonType
}

// jsonText renders a value as JSON for a message.
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return formatNumber(x)
	case nil:
		return "null"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return "(unprintable)"
	}
	return string(data)
}

func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// integer is what the exact integer checks accept.
type integer interface {
	~int64 | ~int32
}

// checkMinimumInt checks x >= limit, exactly.
func checkMinimumInt[T integer](c *collector, p *path, x T, limit int64) {
	if int64(x) < limit {
		failMinimum(c, p, strconv.FormatInt(int64(x), 10), strconv.FormatInt(limit, 10))
	}
}

// checkMaximumInt checks x <= limit, exactly.
func checkMaximumInt[T integer](c *collector, p *path, x T, limit int64) {
	if int64(x) > limit {
		failMaximum(c, p, strconv.FormatInt(int64(x), 10), strconv.FormatInt(limit, 10))
	}
}

// checkExclusiveMinimumInt checks x > limit, exactly.
func checkExclusiveMinimumInt[T integer](c *collector, p *path, x T, limit int64) {
	if int64(x) <= limit {
		failExclusiveMinimum(c, p, strconv.FormatInt(int64(x), 10), strconv.FormatInt(limit, 10))
	}
}

// checkExclusiveMaximumInt checks x < limit, exactly.
func checkExclusiveMaximumInt[T integer](c *collector, p *path, x T, limit int64) {
	if int64(x) >= limit {
		failExclusiveMaximum(c, p, strconv.FormatInt(int64(x), 10), strconv.FormatInt(limit, 10))
	}
}

// checkMultipleOfInt checks that x is a multiple of m (m > 0), exactly.
func checkMultipleOfInt[T integer](c *collector, p *path, x T, m int64) {
	if int64(x)%m != 0 {
		failMultipleOf(c, p, strconv.FormatInt(int64(x), 10), strconv.FormatInt(m, 10))
	}
}

func failMinimum(c *collector, p *path, x, limit string) {
	c.fail(p, "minimum", "%s is less than %s", x, limit)
}

func failMaximum(c *collector, p *path, x, limit string) {
	c.fail(p, "maximum", "%s is greater than %s", x, limit)
}

func failExclusiveMinimum(c *collector, p *path, x, limit string) {
	c.fail(p, "exclusiveMinimum", "%s is not greater than %s", x, limit)
}

func failExclusiveMaximum(c *collector, p *path, x, limit string) {
	c.fail(p, "exclusiveMaximum", "%s is not less than %s", x, limit)
}

func failMultipleOf(c *collector, p *path, x, m string) {
	c.fail(p, "multipleOf", "%s is not a multiple of %s", x, m)
}
