package generator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/internal/ordered"
)

// compositionKind says how a schema built with allOf, oneOf or anyOf maps
// to Go.
type compositionKind int

const (
	// notComposed: the schema maps by its own keywords; any oneOf or
	// anyOf it has only constrains values (validation).
	notComposed compositionKind = iota
	// composedAs: the schema takes the Go type of one schema, part: the
	// only allOf part that says anything about the type, the only variant
	// that is not null, or the first of variants that all map to the same
	// builtin.
	composedAs
	// composedAny: a variant accepts anything the others do not, or only
	// null is allowed: any.
	composedAny
	// composedConstEnum: every variant is one constant: an enum.
	composedConstEnum
	// composedUnion: a sum type with one field per variant.
	composedUnion
)

// composition is what compositionOf found.
type composition struct {
	kind compositionKind
	part *document.SchemaRef
	// variants are the variants that are neither null nor false.
	variants []*document.SchemaRef
	// oneOf is true when the variants come from oneOf, false for anyOf.
	oneOf bool
}

// compositionOf classifies v. It looks only at v and its direct parts, so
// it terminates on recursive schemas.
func compositionOf(v *document.Schema) composition {
	if part := soleAllOfPart(v); part != nil {
		return composition{kind: composedAs, part: part}
	}
	all, oneOf := alternatives(v)
	if len(all) == 0 {
		return composition{}
	}
	live := liveVariants(all)
	if choices := constChoices(live); choices != nil && len(v.Properties) == 0 && len(v.Enum) == 0 {
		if bt := baseType(v); bt == "" || bt == jsonType(choices[0].value) {
			return composition{kind: composedConstEnum, variants: live, oneOf: oneOf}
		}
	}
	if !unionCandidate(v) {
		return composition{}
	}
	return classifyVariants(live, oneOf)
}

// liveVariants drops the variants that are null or false.
func liveVariants(all document.SchemaRefs) []*document.SchemaRef {
	var live []*document.SchemaRef
	for _, r := range all {
		if r.Value != nil && !isNullSchema(r.Value) && !isFalseSchema(r.Value) {
			live = append(live, r)
		}
	}
	return live
}

// classifyVariants decides what a union candidate's live variants make.
func classifyVariants(live []*document.SchemaRef, oneOf bool) composition {
	neutral := 0
	for _, r := range live {
		if isNeutral(r.Value) {
			neutral++
		}
	}
	switch {
	case len(live) == 0:
		return composition{kind: composedAny}
	case neutral == len(live):
		return composition{}
	case neutral > 0:
		return composition{kind: composedAny}
	case len(live) == 1:
		return composition{kind: composedAs, part: live[0]}
	case sameScalar(live):
		return composition{kind: composedAs, part: live[0]}
	}
	return composition{kind: composedUnion, variants: live, oneOf: oneOf}
}

// alternatives returns v's oneOf (oneOf = true), else its anyOf.
func alternatives(v *document.Schema) (document.SchemaRefs, bool) {
	if len(v.OneOf) > 0 {
		return v.OneOf, true
	}
	return v.AnyOf, false
}

// unionCandidate reports whether v's oneOf or anyOf decides its type: v
// declares no properties, items, enum or object allOf of its own, and is
// an object or untyped.
func unionCandidate(v *document.Schema) bool {
	if len(v.Properties) > 0 || v.AdditionalProperties.Schema != nil || len(v.PatternProperties) > 0 || len(v.Enum) > 0 || hasObjectAllOf(v) {
		return false
	}
	bt := baseType(v)
	return bt == "" || bt == "object"
}

// soleAllOfPart returns the one allOf part of v that says anything about
// its type, when every other part only annotates or constrains it
// ("$ref plus description"); nil otherwise.
func soleAllOfPart(v *document.Schema) *document.SchemaRef {
	if len(v.AllOf) == 0 || len(v.Properties) > 0 || v.Items != nil || len(v.PrefixItems) > 0 ||
		v.AdditionalProperties.Schema != nil || len(v.OneOf) > 0 || len(v.AnyOf) > 0 || len(v.Enum) > 0 || v.Const != nil {
		return nil
	}
	var sole *document.SchemaRef
	for _, part := range v.AllOf {
		if part.Value == nil || isNeutral(part.Value) {
			continue
		}
		if sole != nil || part.Value == v {
			return nil
		}
		sole = part
	}
	return sole
}

// isNeutral reports whether v says nothing about the type of a value: it
// only describes or constrains it (description, required, minLength, not,
// if/then/else ...), or is the schema true.
func isNeutral(v *document.Schema) bool {
	if v.Always != nil {
		return *v.Always
	}
	return v.Type == nil && len(v.Properties) == 0 && v.Items == nil && len(v.PrefixItems) == 0 &&
		v.AdditionalProperties.Schema == nil && len(v.PatternProperties) == 0 &&
		len(v.AllOf) == 0 && len(v.OneOf) == 0 && len(v.AnyOf) == 0 && len(v.Enum) == 0 && v.Const == nil
}

// isNullSchema reports whether v allows only null.
func isNullSchema(v *document.Schema) bool {
	if v.Type != nil && len(*v.Type) == 1 && (*v.Type)[0] == "null" {
		return true
	}
	return len(v.Enum) == 1 && v.Enum[0] == nil
}

func isFalseSchema(v *document.Schema) bool { return v.Always != nil && !*v.Always }

// composedNullable reports whether one of v's oneOf or anyOf variants is
// null: oneOf [T, null] is a nullable T.
func composedNullable(v *document.Schema) bool {
	all, _ := alternatives(v)
	for _, r := range all {
		if r.Value != nil && isNullSchema(r.Value) {
			return true
		}
	}
	return false
}

// choice is one value of an enum made of constant variants.
type choice struct {
	value any
	doc   string
}

// constChoices returns the values of variants that are each one constant
// (const, or an enum of one value) of the same type, string or whole
// number; nil when they are not.
func constChoices(variants []*document.SchemaRef) []choice {
	var out []choice
	kind := ""
	for _, r := range variants {
		v := r.Value
		value, ok := constValue(v)
		if !ok || len(v.Properties) > 0 || len(v.AllOf)+len(v.OneOf)+len(v.AnyOf) > 0 {
			return nil
		}
		k := jsonType(value)
		if k != "string" && k != "integer" {
			return nil
		}
		if kind != "" && k != kind {
			return nil
		}
		kind = k
		out = append(out, choice{value: value, doc: schemaDoc(v)})
	}
	return out
}

// constValue returns the one value v allows by const or a one-value enum.
func constValue(v *document.Schema) (any, bool) {
	if v.Const != nil {
		return v.Const, true
	}
	if len(v.Enum) == 1 && v.Enum[0] != nil {
		return v.Enum[0], true
	}
	return nil, false
}

// sameScalar reports whether every variant is a plain scalar mapping to
// the same Go builtin: oneOf [{format: email}, {format: uri}] is a string.
func sameScalar(variants []*document.SchemaRef) bool {
	first := ""
	for _, r := range variants {
		v := r.Value
		if len(v.AllOf)+len(v.OneOf)+len(v.AnyOf) > 0 || len(enumValues(v)) > 0 {
			return false
		}
		goType := scalarGoType(v)
		if goType == "" || (first != "" && goType != first) {
			return false
		}
		first = goType
	}
	return true
}

// scalarGoType is the builtin a scalar schema maps to, or "".
func scalarGoType(v *document.Schema) string {
	switch baseType(v) {
	case "string":
		if v.Format == "date-time" {
			return "time.Time"
		}
		return "string"
	case "integer":
		if v.Format == "int32" {
			return "int32"
		}
		return "int64"
	case "number":
		return "float64"
	case "boolean":
		return "bool"
	}
	return ""
}

// composedShape is the shape of a composed schema or a tuple, if v is one.
func composedShape(v *document.Schema) (shape, bool) {
	switch compositionOf(v).kind {
	case composedConstEnum:
		return shapeConstEnum, true
	case composedUnion:
		return shapeUnion, true
	case composedAs, composedAny:
		return shapeOther, true
	}
	if len(v.PrefixItems) > 0 && baseType(v) == "array" {
		return shapeTuple, true
	}
	return shapeOther, false
}

// composedRef maps a composed schema that needs no name of its own: to
// the type of the one part that decides it, or to any.
func (b *builder) composedRef(v *document.Schema, hint string) (*model.TypeRef, bool, error) {
	c := compositionOf(v)
	switch c.kind {
	case composedAs:
		ref, err := b.typeRef(c.part, hint)
		return ref, true, err
	case composedAny:
		return &model.TypeRef{Kind: model.AnyRef}, true, nil
	}
	return nil, false, nil
}

// fillComposed fills t when v is composed or a tuple; done is false when
// fillType must map v by its own keywords.
func (b *builder) fillComposed(t *model.Type, v *document.Schema) (done bool, err error) {
	c := compositionOf(v)
	switch {
	case c.kind == composedAs && c.part.Ref == "" && needsName(c.part.Value) && b.named[c.part.Value] == nil:
		// An inline part that needs a name takes this type's name.
		b.named[c.part.Value] = t
		return true, b.fillType(t, c.part.Value)
	case c.kind == composedUnion:
		return true, b.fillUnion(t, v, c)
	case c.kind == composedConstEnum:
		b.fillConstEnum(t, v, constChoices(c.variants))
		return true, nil
	case c.kind == notComposed && len(v.PrefixItems) > 0 && baseType(v) == "array":
		return true, b.fillTuple(t, v)
	}
	return false, nil
}

// fillConstEnum makes t an enum of the constants its variants allow, each
// documented by its variant's description.
func (b *builder) fillConstEnum(t *model.Type, v *document.Schema, choices []choice) {
	t.Kind = model.EnumKind
	t.Enum = &model.Enum{}
	t.Underlying = builtin("int64")
	if jsonType(choices[0].value) == "string" {
		t.Underlying = builtin("string")
	}
	seen := map[any]bool{}
	for _, c := range choices {
		value := c.value
		if n, ok := wholeNumber(value); ok {
			value = n
		}
		if seen[value] {
			continue
		}
		seen[value] = true
		t.Enum.Values = append(t.Enum.Values, &model.EnumValue{Value: value, Doc: c.doc})
	}
	b.enums = append(b.enums, t)
}

// fillUnion makes t a sum type of v's variants.
func (b *builder) fillUnion(t *model.Type, v *document.Schema, c composition) error {
	t.Kind = model.UnionKind
	u := &model.Union{OneOf: c.oneOf}
	fields := newScope(unionMethods...)
	for i, r := range c.variants {
		suffix, titled := b.variantSuffix(r, v, i)
		ref, err := b.typeRef(r, t.Name+suffix)
		if err != nil {
			return err
		}
		field := suffix
		if !titled {
			field = variantField(ref, t.Name, suffix)
		}
		field = fields.claim(field)
		if ref.Kind != model.SliceRef && ref.Kind != model.MapRef && ref.Kind != model.AnyRef {
			ref = &model.TypeRef{Kind: model.PointerRef, Elem: ref}
		}
		variant := &model.Variant{Field: field, Type: ref, Match: b.match(r.Value, v)}
		b.pendingVariants = append(b.pendingVariants, pendingVariant{variant, r.Value})
		u.Variants = append(u.Variants, variant)
	}
	if v.Discriminator != nil && v.Discriminator.PropertyName != "" {
		b.discriminate(u, v, c.variants)
	}
	t.Union = u
	return nil
}

// unionMethods are the methods a union type has, which no variant field
// may be called.
var unionMethods = []string{"MarshalJSON", "UnmarshalJSON", "Validate"}

// variantSuffix names an inline variant after its title (titled), else its
// discriminating constant, else its position.
func (b *builder) variantSuffix(r *document.SchemaRef, parent *document.Schema, i int) (suffix string, titled bool) {
	if name := b.names.exported(r.Value.Title); name != "" {
		return name, true
	}
	if d := parent.Discriminator; d != nil {
		for _, pc := range b.match(r.Value, parent).Consts {
			var s string
			if pc.Name == d.PropertyName && json.Unmarshal([]byte(pc.JSON), &s) == nil {
				if name := b.names.exported(s); name != "" {
					return name, false
				}
			}
		}
	}
	return "Option" + strconv.Itoa(i+1), false
}

// variantField names the field holding a variant: its type's name, or
// what kind of value it holds.
func variantField(ref *model.TypeRef, union, suffix string) string {
	switch ref.Kind {
	case model.NamedRef:
		if ref.Name == union+suffix {
			return suffix
		}
		return ref.Name
	case model.BuiltinRef:
		switch ref.Name {
		case "string":
			return "String"
		case "int32", "int64":
			return "Integer"
		case "float64":
			return "Number"
		case "bool":
			return "Boolean"
		}
	case model.TimeRef:
		return "Time"
	case model.SliceRef:
		return "Array"
	case model.MapRef:
		return "Object"
	}
	return suffix
}

// match describes what a value of variant v (inside parent) looks like:
// its JSON type, required properties, properties with one allowed value
// and, when additional properties are refused, the known ones. allOf parts
// are read together, as the struct merges them.
func (b *builder) match(v, parent *document.Schema) model.Match {
	m := model.Match{JSONType: baseType(v)}
	if m.JSONType == "" {
		m.JSONType = baseType(parent)
	}
	if value, ok := constValue(v); ok {
		m.Values = []string{jsonText(value)}
	} else if values := enumValues(v); len(values) > 0 {
		for _, e := range values {
			m.Values = append(m.Values, jsonText(e))
		}
	}
	if m.JSONType != "object" {
		return m
	}
	parts := allOfClosure(v)
	required, consts := b.requiredAndConsts(parts.Items())
	m.Required, m.Consts = required.Items(), consts
	for _, s := range parts.Items() {
		if ap := s.AdditionalProperties.Has; ap != nil && !*ap && len(s.PatternProperties) == 0 {
			m.Closed = true
		}
	}
	if m.Closed {
		for _, p := range b.properties(v) {
			m.Known = append(m.Known, p.name)
		}
	}
	return m
}

// requiredAndConsts gathers what the schemas parts (read together, as
// allOf merges them) require, and their properties fixed to one value by
// const, each named once, the first part that names it winning.
func (b *builder) requiredAndConsts(parts []*document.Schema) (*ordered.Set[string], []model.PropertyConst) {
	var required, fixed ordered.Set[string]
	var consts []model.PropertyConst
	for _, s := range parts {
		for _, name := range s.Required {
			required.Add(name)
		}
		for _, name := range b.propertyOrder(s) {
			prop := s.Properties[name]
			if prop == nil || prop.Value == nil || fixed.Has(name) {
				continue
			}
			if value, ok := constValue(prop.Value); ok {
				fixed.Add(name)
				consts = append(consts, model.PropertyConst{Name: name, JSON: jsonText(value)})
			}
		}
	}
	return &required, consts
}

// allOfClosure lists v and every schema its allOf parts bring in, each
// once, in the order they are first reached.
func allOfClosure(v *document.Schema) *ordered.Set[*document.Schema] {
	var out ordered.Set[*document.Schema]
	var walk func(*document.Schema)
	walk = func(s *document.Schema) {
		if s == nil {
			return
		}
		if _, added := out.Add(s); !added {
			return
		}
		for _, part := range s.AllOf {
			walk(part.Value)
		}
	}
	walk(v)
	return &out
}

// jsonText encodes a value read from the spec.
func jsonText(v any) string {
	data, err := json.Marshal(modelValue(v))
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(data)
}

// discriminate gives each variant the discriminator values that select it:
// the OpenAPI mapping's names for it, else the constant its discriminator
// property has, else its schema name. The discriminator is used only when
// every variant has a value and no value selects two.
func (b *builder) discriminate(u *model.Union, v *document.Schema, variants []*document.SchemaRef) {
	d := v.Discriminator
	owner := map[string]int{}
	tags := make([][]string, len(variants))
	for i, r := range variants {
		tags[i] = b.discriminatorValues(d, r, u.Variants[i].Match)
		if len(tags[i]) == 0 {
			return
		}
		for _, tag := range tags[i] {
			if _, dup := owner[tag]; dup {
				return
			}
			owner[tag] = i
		}
	}
	u.Discriminator = d.PropertyName
	for i, variant := range u.Variants {
		variant.Tags = tags[i]
	}
}

// discriminatorRules is v's discriminator for its validator: the values
// that name each schema of its oneOf (else anyOf), as discriminate finds
// them, by the index the schema has in the rules' list (which leaves out
// unresolved references). nil when v has no discriminator, or when a
// schema that is not null or false has no value, or a value names two.
func (b *builder) discriminatorRules(v *document.Schema) *model.Discriminator {
	d := v.Discriminator
	variants, _ := alternatives(v)
	if d == nil || d.PropertyName == "" || len(variants) == 0 {
		return nil
	}
	out := &model.Discriminator{Property: d.PropertyName}
	seen := map[string]bool{}
	index := 0
	for _, r := range variants {
		if r == nil || r.Value == nil {
			continue
		}
		if isNullSchema(r.Value) || isFalseSchema(r.Value) {
			// No object is one: nothing to name, as for the union type.
			index++
			continue
		}
		values := b.discriminatorValues(d, r, b.match(r.Value, v))
		if len(values) == 0 {
			return nil
		}
		for _, value := range values {
			if seen[value] {
				return nil
			}
			seen[value] = true
			out.Cases = append(out.Cases, &model.DiscriminatorCase{Value: value, Variant: index})
		}
		index++
	}
	slices.SortFunc(out.Cases, func(x, y *model.DiscriminatorCase) int { return strings.Compare(x.Value, y.Value) })
	return out
}

func (b *builder) discriminatorValues(d *document.Discriminator, r *document.SchemaRef, m model.Match) []string {
	var out []string
	keys := make([]string, 0, len(d.Mapping))
	for key := range d.Mapping {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if b.mappingNames(d.Mapping[key].Ref, r) {
			out = append(out, key)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, pc := range m.Consts {
		var s string
		if pc.Name == d.PropertyName && json.Unmarshal([]byte(pc.JSON), &s) == nil {
			return []string{s}
		}
	}
	if r.Ref != "" {
		if info := b.doc.SchemaInfo[r.Value]; info != nil && info.Name != "" {
			return []string{info.Name}
		}
	}
	return nil
}

// mappingNames reports whether a discriminator mapping value ("Dog",
// "#/components/schemas/Dog" or "file.yaml#/Dog") names variant r.
func (b *builder) mappingNames(mapped string, r *document.SchemaRef) bool {
	if r.Ref == "" {
		return false
	}
	if !strings.Contains(mapped, "#") && !strings.Contains(mapped, "/") {
		info := b.doc.SchemaInfo[r.Value]
		return info != nil && info.Name == mapped
	}
	if strings.HasPrefix(mapped, "#") {
		_, fragment, _ := strings.Cut(r.Ref, "#")
		return "#"+fragment == mapped
	}
	return strings.HasSuffix(r.Ref, mapped) || strings.HasSuffix(r.Ref, strings.TrimPrefix(mapped, "./"))
}

// breakAliasCycles turns an alias that would name itself through other
// aliases (A = B, B = A) into any: such schemas say nothing about their
// values, and Go refuses the cycle.
func breakAliasCycles(types []*model.Type) {
	byName := make(map[string]*model.Type, len(types))
	for _, t := range types {
		byName[t.Name] = t
	}
	for _, t := range types {
		seen := map[*model.Type]bool{}
		for cur := t; cur != nil && cur.Kind == model.AliasKind && cur.Underlying.Kind == model.NamedRef; cur = byName[cur.Underlying.Name] {
			if seen[cur] {
				cur.Underlying = &model.TypeRef{Kind: model.AnyRef}
				break
			}
			seen[cur] = true
		}
	}
}

// resolveAlias follows aliases of named types to the type they name.
func resolveAlias(byName map[string]*model.Type, t *model.Type) *model.Type {
	for i := 0; t != nil && t.Kind == model.AliasKind && t.Underlying.Kind == model.NamedRef && i < len(byName); i++ {
		t = byName[t.Underlying.Name]
	}
	return t
}
