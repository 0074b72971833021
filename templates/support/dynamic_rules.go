package support

// The validator of values held as any, offered to callers that read
// schemas at run time (the loader checking examples and defaults, asyncgen
// send and listen) instead of generating code from them. No generated
// package uses these declarations, so none is copied into one.

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// DynamicSchema is one schema as plain data, with the keywords the
// generated validators check. Subschemas are pointers, which may form
// cycles (a recursive schema); a nil subschema is absent.
type DynamicSchema struct {
	// Never is set for the schema false, which accepts no value; the
	// other fields are then ignored.
	Never bool
	// Types lists the JSON types allowed ("null", "boolean", "object",
	// "array", "number", "integer", "string"); empty allows all.
	Types []string
	// Enum lists the allowed values as JSON values; empty allows all.
	Enum []any
	// HasConst says Const is the only allowed value.
	HasConst bool
	Const    any
	// Format is a format to check: date-time, date, time, email, uri,
	// uuid, ipv4, ipv6 or hostname; others are not checked.
	Format string
	// Pattern is a regular expression (RE2) strings must match; one that
	// does not compile is not checked.
	Pattern string

	MinLength, MaxLength *uint64
	Minimum, Maximum     *float64
	ExclusiveMinimum     *float64
	ExclusiveMaximum     *float64
	MultipleOf           *float64

	MinItems, MaxItems *uint64
	UniqueItems        bool
	Items              *DynamicSchema
	PrefixItems        []*DynamicSchema
	// Contains are rules some items must pass: at least MinContains (1
	// when nil) and at most MaxContains of them.
	Contains                 *DynamicSchema
	MinContains, MaxContains *uint64

	Required []string
	// Properties are the schemas of named properties.
	Properties []DynamicProperty
	// PatternProperties are the schemas of properties whose names match
	// a pattern (RE2); a pattern that does not compile matches nothing.
	PatternProperties []DynamicPattern
	// AdditionalProperties is the schema of the other properties;
	// NoAdditionalProperties forbids them.
	AdditionalProperties         *DynamicSchema
	NoAdditionalProperties       bool
	MinProperties, MaxProperties *uint64
	PropertyNames                *DynamicSchema
	// DependentRequired lists, by property, the properties an object
	// having it must have too.
	DependentRequired []DynamicDependency
	// DependentSchemas are the schemas an object having the named
	// property must pass.
	DependentSchemas []DynamicProperty

	AllOf, AnyOf, OneOf []*DynamicSchema
	Not                 *DynamicSchema
	// Discriminator, when set, picks by one property of an object the
	// schema of OneOf (else AnyOf) the object is checked against.
	Discriminator *DynamicDiscriminator
	// If, when set, picks Then or Else (either may be nil).
	If, Then, Else *DynamicSchema
}

// DynamicDiscriminator names the property whose value picks the schema an
// object is checked against.
type DynamicDiscriminator struct {
	Property string
	// Cases map each value to the index of its schema in OneOf (else
	// AnyOf); a case whose index is out of range is left out.
	Cases []DynamicCase
}

// DynamicCase is one value of a discriminator and the index of the schema
// it names.
type DynamicCase struct {
	Value   string
	Variant int
}

// DynamicProperty is the schema of one named property.
type DynamicProperty struct {
	Name   string
	Schema *DynamicSchema
}

// DynamicPattern is the schema of the properties whose names match
// Pattern.
type DynamicPattern struct {
	Pattern string
	Schema  *DynamicSchema
}

// DynamicDependency lists the properties an object with property Name
// must have.
type DynamicDependency struct {
	Name     string
	Required []string
}

// DynamicValidator checks JSON values against DynamicSchemas with the
// rules of the generated validators. Each schema is turned into rules
// once, on first use; a schema must not change after that. It is safe for
// concurrent use.
type DynamicValidator struct {
	mu      sync.RWMutex
	table   ruleTable
	indices map[*DynamicSchema]int
	regexps map[string]*regexp.Regexp
}

// NewDynamicValidator returns a validator holding no schemas yet.
func NewDynamicValidator() *DynamicValidator {
	return &DynamicValidator{table: ruleTable{{}}, indices: map[*DynamicSchema]int{}, regexps: map[string]*regexp.Regexp{}}
}

// Validate checks value, a JSON value (nil, bool, a number, string, []any,
// map[string]any), against s: nil when it passes, else a *ValidationError
// listing the violations. A nil s accepts every value.
func (d *DynamicValidator) Validate(s *DynamicSchema, value any) error {
	d.mu.RLock()
	i, ok := d.indices[s]
	d.mu.RUnlock()
	if !ok && s != nil {
		d.mu.Lock()
		i = d.index(s)
		d.mu.Unlock()
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	var c collector
	d.table.check(&c, nil, value, i)
	return c.err()
}

// index is the table index of s, adding it (and the schemas it refers
// to) on first use; 0, the empty schema, for nil. The caller holds the
// write lock.
func (d *DynamicValidator) index(s *DynamicSchema) int {
	if s == nil {
		return 0
	}
	if i, ok := d.indices[s]; ok {
		return i
	}
	i := len(d.table)
	d.indices[s] = i
	// The entry is reserved before its subschemas are numbered, so that a
	// cycle refers back to it.
	d.table = append(d.table, valueRules{})
	r := d.rules(s)
	d.table[i] = r
	return i
}

// rules turns s into a table entry.
func (d *DynamicValidator) rules(s *DynamicSchema) valueRules {
	if s.Never {
		return valueRules{never: true}
	}
	r := valueRules{
		types: dynamicTypeBits(s.Types), enum: dynamicValues(s.Enum), hasConst: s.HasConst, constant: dynamicValue(s.Const),
		format: s.Format, pattern: d.regexp(s.Pattern),
		minLength: dynamicCount(s.MinLength), maxLength: dynamicCount(s.MaxLength),
		minimum: s.Minimum, maximum: s.Maximum, exclusiveMinimum: s.ExclusiveMinimum, exclusiveMaximum: s.ExclusiveMaximum,
		minItems: dynamicCount(s.MinItems), maxItems: dynamicCount(s.MaxItems), uniqueItems: s.UniqueItems,
		minProperties: dynamicCount(s.MinProperties), maxProperties: dynamicCount(s.MaxProperties),
		required: slices.Clone(s.Required), noAdditional: s.NoAdditionalProperties,
	}
	if m := s.MultipleOf; m != nil && *m > 0 && !math.IsInf(*m, 0) {
		r.multipleOf = m
	}
	if r.format != "" && formatChecker(r.format) == nil {
		r.format = ""
	}
	d.arrayRules(&r, s)
	d.objectRules(&r, s)
	d.composedRules(&r, s)
	return r
}

func (d *DynamicValidator) arrayRules(r *valueRules, s *DynamicSchema) {
	r.items = d.index(s.Items)
	r.prefixItems = d.indexList(s.PrefixItems)
	if s.Contains != nil {
		r.hasContains = true
		r.contains = d.index(s.Contains)
		r.minContains, r.maxContains = dynamicCount(s.MinContains), dynamicCount(s.MaxContains)
	}
}

func (d *DynamicValidator) objectRules(r *valueRules, s *DynamicSchema) {
	for _, p := range s.Properties {
		r.properties = append(r.properties, propertyRule{name: p.Name, rules: d.index(p.Schema)})
	}
	for _, p := range s.PatternProperties {
		if re := d.regexp(p.Pattern); re != nil {
			r.patternProperties = append(r.patternProperties, patternRule{pattern: re, rules: d.index(p.Schema)})
		}
	}
	r.additional = d.index(s.AdditionalProperties)
	r.propertyNames = d.index(s.PropertyNames)
	for _, dep := range s.DependentRequired {
		r.dependentRequired = append(r.dependentRequired, dependency{name: dep.Name, required: slices.Clone(dep.Required)})
	}
	for _, p := range s.DependentSchemas {
		r.dependentSchemas = append(r.dependentSchemas, propertyRule{name: p.Name, rules: d.index(p.Schema)})
	}
}

func (d *DynamicValidator) composedRules(r *valueRules, s *DynamicSchema) {
	r.allOf, r.anyOf, r.oneOf = d.indexList(s.AllOf), d.indexList(s.AnyOf), d.indexList(s.OneOf)
	if s.Not != nil {
		// Never 0: a schema given gets an entry of its own.
		r.not = d.index(s.Not)
	}
	d.discriminator(r, s.Discriminator)
	if s.If != nil {
		r.hasIf = true
		r.ifRule, r.thenRule, r.elseRule = d.index(s.If), d.index(s.Then), d.index(s.Else)
	}
}

// discriminator reads dr into r's tags, sorted by value (the check
// searches them); the first case of a value counts.
func (d *DynamicValidator) discriminator(r *valueRules, dr *DynamicDiscriminator) {
	variants := len(r.oneOf)
	if variants == 0 {
		variants = len(r.anyOf)
	}
	if dr == nil || dr.Property == "" || variants == 0 {
		return
	}
	for _, dc := range dr.Cases {
		if dc.Variant >= 0 && dc.Variant < variants {
			r.tags = append(r.tags, tagCase{value: dc.Value, schema: dc.Variant})
		}
	}
	slices.SortStableFunc(r.tags, func(x, y tagCase) int { return strings.Compare(x.value, y.value) })
	r.tags = slices.CompactFunc(r.tags, func(x, y tagCase) bool { return x.value == y.value })
	if len(r.tags) > 0 {
		r.tagProperty = dr.Property
	}
}

func (d *DynamicValidator) indexList(list []*DynamicSchema) []int {
	var out []int
	for _, s := range list {
		out = append(out, d.index(s))
	}
	return out
}

// regexp compiles pattern once; nil for "" or a pattern that does not
// compile.
func (d *DynamicValidator) regexp(pattern string) *regexp.Regexp {
	if pattern == "" {
		return nil
	}
	re, ok := d.regexps[pattern]
	if !ok {
		re, _ = regexp.Compile(pattern)
		d.regexps[pattern] = re
	}
	return re
}

// dynamicTypeBits is a set of JSON type names as type bits.
func dynamicTypeBits(types []string) uint8 {
	var bits uint8
	for i, name := range []string{"null", "boolean", "object", "array", "number", "integer", "string"} {
		if slices.Contains(types, name) {
			bits |= 1 << i
		}
	}
	return bits
}

// dynamicCount is a count as the table holds it; counts past the largest
// int are the largest int.
func dynamicCount(n *uint64) *int {
	if n == nil {
		return nil
	}
	if *n > math.MaxInt {
		return count(math.MaxInt)
	}
	return count(int(*n))
}

func dynamicValues(values []any) []any {
	if values == nil {
		return nil
	}
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = dynamicValue(v)
	}
	return out
}

// dynamicValue is v with its numbers as float64, as the checks compare
// them.
func dynamicValue(v any) any {
	switch x := v.(type) {
	case []any:
		return dynamicValues(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = dynamicValue(item)
		}
		return out
	}
	return jsonValue(v)
}
