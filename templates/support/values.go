package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"cmp"
	"encoding/json"
	"math"
	"math/bits"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The JSON types a valueRules allows, as bits.
const (
	typeNull uint8 = 1 << iota
	typeBoolean
	typeObject
	typeArray
	typeNumber
	typeInteger
	typeString
)

// valueRules are a schema's rules in the table form the generated code
// declares for values it holds as any. Subschemas are indices into the
// same table; index 0 is the empty schema and means "none".
type valueRules struct {
	never    bool
	types    uint8
	enum     []any
	hasConst bool
	constant any
	format   string
	pattern  *regexp.Regexp

	minLength, maxLength *int
	minimum, maximum     *float64
	exclusiveMinimum     *float64
	exclusiveMaximum     *float64
	multipleOf           *float64
	// minimumInt to multipleOfInt are the bounds again, exactly, where the
	// spec writes them as whole numbers that fit an int64: a number whose
	// integer literal is known (json.Number, int64) is compared with them
	// to the digit.
	minimumInt, maximumInt                   *int64
	exclusiveMinimumInt, exclusiveMaximumInt *int64
	multipleOfInt                            *int64

	minItems, maxItems *int
	uniqueItems        bool
	items              int
	prefixItems        []int
	// contains applies when hasContains is set (index 0, the empty
	// schema, is a schema every item passes).
	hasContains              bool
	contains                 int
	minContains, maxContains *int

	required                     []string
	properties                   []propertyRule
	patternProperties            []patternRule
	additional                   int
	noAdditional                 bool
	minProperties, maxProperties *int
	propertyNames                int
	dependentRequired            []dependency
	dependentSchemas             []propertyRule

	allOf, anyOf, oneOf []int
	not                 int
	// tagProperty names the discriminator: the property whose value
	// picks, by tags (sorted by value), the schema of oneOf (else anyOf)
	// an object is checked against.
	tagProperty string
	tags        []tagCase
	// ifRule applies when hasIf is set; thenRule and elseRule are 0
	// when absent.
	hasIf                      bool
	ifRule, thenRule, elseRule int
}

// propertyRule names the rules of one property.
type propertyRule struct {
	name  string
	rules int
}

// patternRule gives the rules of the properties whose names match pattern.
type patternRule struct {
	pattern *regexp.Regexp
	rules   int
}

// dependency lists the properties an object with property name must have.
type dependency struct {
	name     string
	required []string
}

// ruleTable holds every valueRules of a package.
type ruleTable []valueRules

// count is a *int for a table literal.
func count(n int) *int { return &n }

// bound is a *float64 for a table literal.
func bound(f float64) *float64 { return &f }

// exactBound is a *int64 for a table literal.
func exactBound(n int64) *int64 { return &n }

// check validates a JSON value (nil, bool, float64, string, []any,
// map[string]any) against rules i.
func (t ruleTable) check(c *collector, p *path, v any, i int) {
	if c.judged != nil {
		// A union the decoder read: its verdict stands. A failure is
		// recorded already, but for the count of a quiet check.
		if failed, ok := c.judged[[2]any{unionValue(v), i}]; ok {
			if failed && c.quiet > 0 {
				c.failures++
			}
			return
		}
	}
	r := &t[i]
	if r.never {
		failNever(c, p)
		return
	}
	literal := integerLiteral(v)
	v = jsonValue(v)
	// shown is v as enum and const compare it and messages quote it: an
	// integer to the digit when its digits are known.
	shown := v
	if literal != "" {
		shown = json.Number(literal)
	}
	if r.types != 0 && !typeAllowed(r.types, v) {
		failType(c, p, jsonTypeName(v), typeNames(r.types)...)
		return
	}
	if len(r.enum) > 0 && !slices.ContainsFunc(r.enum, func(e any) bool { return equalJSON(e, shown) }) {
		failEnum(c, p, shown, r.enum)
	}
	if r.hasConst && !equalJSON(r.constant, shown) {
		failConst(c, p, shown, r.constant)
	}
	switch x := v.(type) {
	case string:
		t.checkString(c, p, x, r)
	case float64:
		t.checkNumber(c, p, x, literal, r)
	case []any:
		t.checkArray(c, p, x, r)
	case map[string]any:
		t.checkObject(c, p, x, r)
	}
	t.checkComposed(c, p, v, r)
}

func (t ruleTable) checkString(c *collector, p *path, s string, r *valueRules) {
	if r.minLength != nil || r.maxLength != nil {
		checkLength(c, p, s, orNone(r.minLength), orNone(r.maxLength))
	}
	if r.pattern != nil {
		checkPattern(c, p, s, r.pattern)
	}
	if valid := formatChecker(r.format); valid != nil {
		checkFormat(c, p, s, r.format, valid)
	}
}

func orNone(n *int) int {
	if n == nil {
		return -1
	}
	return *n
}

// formatChecker is the checker of a format, nil for one not checked.
func formatChecker(format string) func(string) bool {
	switch format {
	case "date-time":
		return isDateTime
	case "date":
		return isDate
	case "time":
		return isTime
	case "email":
		return isEmail
	case "uri":
		return isURI
	case "uuid":
		return isUUID
	case "ipv4":
		return isIPv4
	case "ipv6":
		return isIPv6
	case "hostname":
		return isHostname
	}
	return nil
}

// checkNumber checks the numeric bounds. literal is the value's integer
// literal when it is known (json.Number, int64): whole bounds then compare
// to the digit. Else x compares as a float64.
func (t ruleTable) checkNumber(c *collector, p *path, x float64, literal string, r *valueRules) {
	if literal == "" {
		t.checkFloat(c, p, x, r)
		return
	}
	if n, ok := integerBound(r.minimum, r.minimumInt); ok && compareInteger(literal, n) < 0 {
		failMinimum(c, p, literal, strconv.FormatInt(n, 10))
	} else if !ok && r.minimum != nil {
		checkMinimum(c, p, x, *r.minimum)
	}
	if n, ok := integerBound(r.maximum, r.maximumInt); ok && compareInteger(literal, n) > 0 {
		failMaximum(c, p, literal, strconv.FormatInt(n, 10))
	} else if !ok && r.maximum != nil {
		checkMaximum(c, p, x, *r.maximum)
	}
	if n, ok := integerBound(r.exclusiveMinimum, r.exclusiveMinimumInt); ok && compareInteger(literal, n) <= 0 {
		failExclusiveMinimum(c, p, literal, strconv.FormatInt(n, 10))
	} else if !ok && r.exclusiveMinimum != nil {
		checkExclusiveMinimum(c, p, x, *r.exclusiveMinimum)
	}
	if n, ok := integerBound(r.exclusiveMaximum, r.exclusiveMaximumInt); ok && compareInteger(literal, n) >= 0 {
		failExclusiveMaximum(c, p, literal, strconv.FormatInt(n, 10))
	} else if !ok && r.exclusiveMaximum != nil {
		checkExclusiveMaximum(c, p, x, *r.exclusiveMaximum)
	}
	if n, ok := integerBound(r.multipleOf, r.multipleOfInt); ok && !isIntegerMultipleOf(literal, n) {
		failMultipleOf(c, p, literal, strconv.FormatInt(n, 10))
	} else if !ok && r.multipleOf != nil {
		checkMultipleOf(c, p, x, *r.multipleOf)
	}
}

// checkFloat checks the numeric bounds on a float64.
func (t ruleTable) checkFloat(c *collector, p *path, x float64, r *valueRules) {
	if r.minimum != nil {
		checkMinimum(c, p, x, *r.minimum)
	}
	if r.maximum != nil {
		checkMaximum(c, p, x, *r.maximum)
	}
	if r.exclusiveMinimum != nil {
		checkExclusiveMinimum(c, p, x, *r.exclusiveMinimum)
	}
	if r.exclusiveMaximum != nil {
		checkExclusiveMaximum(c, p, x, *r.exclusiveMaximum)
	}
	if r.multipleOf != nil {
		checkMultipleOf(c, p, x, *r.multipleOf)
	}
}

// integerBound is a bound as an int64, when it is whole: exact when
// given, else the float64 when it holds a whole number no larger than
// 2^53 (which it then holds exactly). ok is false for a fraction, a bound
// past int64, or none.
func integerBound(f *float64, exact *int64) (n int64, ok bool) {
	switch {
	case exact != nil:
		return *exact, true
	case f != nil && *f == math.Trunc(*f) && math.Abs(*f) <= 1<<53:
		return int64(*f), true
	}
	return 0, false
}

func (t ruleTable) checkArray(c *collector, p *path, a []any, r *valueRules) {
	if r.minItems != nil || r.maxItems != nil {
		checkItems(c, p, len(a), orNone(r.minItems), orNone(r.maxItems))
	}
	if r.uniqueItems {
		checkUniqueJSON(c, p, a)
	}
	for i, item := range a {
		rules := r.items
		if i < len(r.prefixItems) {
			rules = r.prefixItems[i]
		}
		if rules != 0 {
			ip := p.elem(i)
			t.check(c, &ip, item, rules)
		}
	}
	if r.hasContains {
		t.checkContains(c, p, a, r)
	}
}

// checkContains counts the items that pass contains.
func (t ruleTable) checkContains(c *collector, p *path, a []any, r *valueRules) {
	n := 0
	for _, item := range a {
		mark := c.try()
		t.check(c, p, item, r.contains)
		if c.passed(mark) {
			n++
		}
	}
	least := 1
	if r.minContains != nil {
		least = *r.minContains
	}
	switch {
	case n < least:
		c.fail(p, "contains", "%d items match contains, fewer than %d", n, least)
	case r.maxContains != nil && n > *r.maxContains:
		c.fail(p, "maxContains", "%d items match contains, more than %d", n, *r.maxContains)
	}
}

func (t ruleTable) checkObject(c *collector, p *path, m map[string]any, r *valueRules) {
	if r.minProperties != nil || r.maxProperties != nil {
		checkProperties(c, p, len(m), orNone(r.minProperties), orNone(r.maxProperties))
	}
	for _, name := range r.required {
		if _, ok := m[name]; !ok {
			kp := p.at(name)
			failRequired(c, &kp)
		}
	}
	for _, prop := range r.properties {
		if v, ok := m[prop.name]; ok {
			kp := p.at(prop.name)
			t.check(c, &kp, v, prop.rules)
		}
	}
	t.checkDependencies(c, p, m, r)
	if !r.noAdditional && r.additional == 0 && r.propertyNames == 0 && len(r.patternProperties) == 0 {
		return
	}
	c.unordered(len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.checkKey(c, p, k, m[k], r)
	}
}

// checkKey checks one property of an object against propertyNames,
// patternProperties and, unless it is named or matches a pattern,
// additionalProperties.
func (t ruleTable) checkKey(c *collector, p *path, k string, v any, r *valueRules) {
	kp := p.at(k)
	if r.propertyNames != 0 {
		t.check(c, &kp, k, r.propertyNames)
	}
	named := slices.ContainsFunc(r.properties, func(prop propertyRule) bool { return prop.name == k })
	for _, pr := range r.patternProperties {
		if pr.pattern.MatchString(k) {
			named = true
			if pr.rules != 0 {
				t.check(c, &kp, v, pr.rules)
			}
		}
	}
	switch {
	case named:
	case r.noAdditional:
		failAdditional(c, &kp)
	case r.additional != 0:
		t.check(c, &kp, v, r.additional)
	}
}

// checkDependencies checks dependentRequired and dependentSchemas.
func (t ruleTable) checkDependencies(c *collector, p *path, m map[string]any, r *valueRules) {
	for _, dep := range r.dependentRequired {
		if _, ok := m[dep.name]; !ok {
			continue
		}
		for _, name := range dep.required {
			if _, ok := m[name]; !ok {
				kp := p.at(name)
				c.fail(&kp, "dependentRequired", "is required when %q is present", dep.name)
			}
		}
	}
	for _, dep := range r.dependentSchemas {
		if _, ok := m[dep.name]; ok {
			t.check(c, p, m, dep.rules)
		}
	}
}

func (t ruleTable) checkComposed(c *collector, p *path, v any, r *valueRules) {
	for _, part := range r.allOf {
		t.check(c, p, v, part)
	}
	discriminated := t.checkDiscriminated(c, p, v, r)
	if len(r.anyOf) > 0 && !(discriminated && len(r.oneOf) == 0) && t.matching(c, p, v, r.anyOf) == 0 {
		c.fail(p, "anyOf", "matches none of the %d schemas of anyOf", len(r.anyOf))
	}
	if len(r.oneOf) > 0 && !discriminated {
		if n := t.matching(c, p, v, r.oneOf); n != 1 {
			c.fail(p, "oneOf", "matches %d of the %d schemas of oneOf, not exactly one", n, len(r.oneOf))
		}
	}
	if r.not != 0 && t.matching(c, p, v, []int{r.not}) == 1 {
		c.fail(p, "not", "matches the schema of not")
	}
	if !r.hasIf {
		return
	}
	if t.matching(c, p, v, []int{r.ifRule}) == 1 {
		t.check(c, p, v, r.thenRule)
	} else {
		t.check(c, p, v, r.elseRule)
	}
}

// matching counts the rules v passes, quietly. Whether rules passed an
// object or array is remembered until the outermost matching returns (the
// values it walks stay alive, so their addresses name them), so that a
// recursive oneOf or anyOf whose schemas accept the same nested values
// checks each value against each schema once, not once per way to it.
func (t ruleTable) matching(c *collector, p *path, v any, rules []int) int {
	if c.matchedRules == nil {
		c.matchedRules = map[[3]uintptr]bool{}
		defer func() { c.matchedRules = nil }()
	}
	ptr, size, composite := valueAddress(v)
	n := 0
	for _, i := range rules {
		key := [3]uintptr{uintptr(i), ptr, size}
		passed, known := c.matchedRules[key]
		if !known || !composite {
			mark := c.try()
			t.check(c, p, v, i)
			passed = c.passed(mark)
			if composite {
				c.matchedRules[key] = passed
			}
		}
		if passed {
			n++
		}
	}
	return n
}

// valueAddress is the address and length of an object or a non-empty
// array; composite is false for other values.
func valueAddress(v any) (ptr, size uintptr, composite bool) {
	switch x := v.(type) {
	case map[string]any:
		return reflect.ValueOf(x).Pointer(), uintptr(len(x)), true
	case []any:
		if len(x) > 0 {
			return reflect.ValueOf(x).Pointer(), uintptr(len(x)), true
		}
	}
	return 0, 0, false
}

// jsonValue turns the numbers a Go caller may put in an any into float64,
// and values of other Go types into their JSON form.
func jsonValue(v any) any {
	switch x := v.(type) {
	case nil, bool, float64, string, []any, map[string]any:
		return v
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return v
		}
		return f
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	}
	return toJSONValue(v)
}

// toJSONValue is the JSON value a Go value encodes to, as encoding/json
// decodes it into an any; nil when it cannot be encoded.
func toJSONValue(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return out
}

func typeAllowed(types uint8, v any) bool {
	switch x := v.(type) {
	case nil:
		return types&typeNull != 0
	case bool:
		return types&typeBoolean != 0
	case string:
		return types&typeString != 0
	case float64:
		if types&typeNumber != 0 {
			return true
		}
		return types&typeInteger != 0 && x == math.Trunc(x) && !math.IsInf(x, 0)
	case []any:
		return types&typeArray != 0
	case map[string]any:
		return types&typeObject != 0
	}
	return false
}

func typeNames(types uint8) []string {
	var out []string
	for i, name := range []string{"null", "boolean", "object", "array", "number", "integer", "string"} {
		if types&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value"
}

// equalJSON reports whether two JSON values are equal; numbers compare by
// value, so 1 and 1.0 are equal, and two integers whose digits are known
// (int64, json.Number) compare exactly.
func equalJSON(a, b any) bool {
	if la, lb := integerLiteral(a), integerLiteral(b); la != "" && lb != "" {
		return la == lb // to the digit, past float64's 2^53
	}
	a, b = jsonValue(a), jsonValue(b)
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equalJSON)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equalJSON(xv, yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

// integerLiteral is the decimal text of v when v is an integer whose
// digits are known: an int, int32 or int64, or a json.Number written
// without fraction or exponent. Else it is "".
func integerLiteral(v any) string {
	switch x := v.(type) {
	case json.Number:
		switch {
		case x == "-0":
			return "0"
		case isIntegerText(string(x)):
			return string(x)
		}
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	}
	return ""
}

// isIntegerText reports whether s is an integer as JSON writes one: an
// optional minus, then 0 or digits not starting with 0.
func isIntegerText(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || (digits[0] == '0' && len(digits) > 1) {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// compareInteger compares the integer written literal (as
// isIntegerText accepts) with n: -1, 0 or +1. A literal past int64 is
// beyond every n, on the side of its sign.
func compareInteger(literal string, n int64) int {
	x, err := strconv.ParseInt(literal, 10, 64)
	switch {
	case err != nil && literal[0] == '-':
		return -1
	case err != nil:
		return 1
	}
	return cmp.Compare(x, n)
}

// isIntegerMultipleOf reports whether the integer written literal is a
// multiple of m (m > 0), reading its digits once whatever their number.
func isIntegerMultipleOf(literal string, m int64) bool {
	if m <= 0 {
		return false
	}
	divisor := uint64(m)
	var rem uint64
	for i := 0; i < len(literal); i++ {
		if literal[i] == '-' {
			continue
		}
		// rem*10 + digit, which may pass 2^64, modulo divisor: the high
		// word is below 10, and so below divisor whenever it is not 0.
		hi, lo := bits.Mul64(rem, 10)
		lo, carry := bits.Add64(lo, uint64(literal[i]-'0'), 0)
		_, rem = bits.Div64(hi+carry, lo, divisor)
	}
	return rem == 0
}
