package generator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// shape is what Go declaration a schema needs.
type shape int

const (
	// shapeOther maps to a builtin, slice, map or any.
	shapeOther shape = iota
	shapeStruct
	shapeEnum
	// shapeUnion is a oneOf/anyOf sum type (sums.go).
	shapeUnion
	// shapeConstEnum is an enum made of constant variants (sums.go).
	shapeConstEnum
	// shapeTuple is an array with prefixItems (tuples.go).
	shapeTuple
)

func shapeOf(v *document.Schema) shape {
	if v.Always != nil {
		return shapeOther
	}
	if s, ok := composedShape(v); ok {
		return s
	}
	if isEnum(v) {
		return shapeEnum
	}
	if baseType(v) == "object" && (len(v.Properties) > 0 || hasObjectAllOf(v)) {
		return shapeStruct
	}
	return shapeOther
}

func needsName(v *document.Schema) bool { return shapeOf(v) != shapeOther }

// hasObjectAllOf reports whether v composes objects with allOf, which
// asyncgen merges into one struct: every part is an object or only
// constrains one (required, description), and one at least is an object.
func hasObjectAllOf(v *document.Schema) bool {
	return objectAllOf(v, map[*document.Schema]bool{})
}

// objectAllOf is hasObjectAllOf, guarded against allOf cycles.
func objectAllOf(v *document.Schema, visiting map[*document.Schema]bool) bool {
	if len(v.AllOf) == 0 || visiting[v] {
		return false
	}
	visiting[v] = true
	defer delete(visiting, v)
	object := false
	for _, part := range v.AllOf {
		switch {
		case part.Value == nil:
			return false
		case isNeutral(part.Value):
		case baseTypeOf(part.Value, visiting) == "object" || objectAlternatives(part.Value, visiting):
			object = true
		default:
			return false
		}
	}
	return object
}

// isEnum reports whether v is an enum of strings or of whole numbers,
// which become typed constants.
func isEnum(v *document.Schema) bool {
	values := enumValues(v)
	if len(values) == 0 {
		return false
	}
	switch baseType(v) {
	case "string":
		for _, e := range values {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	case "integer":
		for _, e := range values {
			if _, ok := wholeNumber(e); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// enumValues lists v's enum without null, in order, without repeats.
func enumValues(v *document.Schema) []any {
	var out []any
	seen := make(map[string]bool, len(v.Enum))
	for _, e := range v.Enum {
		key := enumKey(e)
		if e == nil || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, e)
	}
	return out
}

// enumKey is the JSON text of an enum value, so that equal values (also
// objects and arrays, which Go cannot compare with ==) share one key.
func enumKey(e any) string {
	data, err := json.Marshal(modelValue(e))
	if err != nil {
		return fmt.Sprintf("%T %v", e, e)
	}
	return string(data)
}

// wholeNumber returns v as an int64 when it is a whole number that one
// holds exactly: any integer literal within int64's range, kept to the
// digit, or a whole number written otherwise ("1.0", "1e3") up to 2^53.
func wholeNumber(v any) (int64, bool) {
	switch x := v.(type) {
	case document.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, true
		}
		f, err := x.Float64()
		return wholeFloat(f, err == nil)
	case float64:
		return wholeFloat(x, true)
	}
	return 0, false
}

func wholeFloat(f float64, ok bool) (int64, bool) {
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// modelValue converts a value read from the spec into the model's
// spelling of JSON values: whole numbers an int64 holds exactly become
// int64, other numbers float64.
func modelValue(v any) any {
	switch x := v.(type) {
	case document.Number:
		if n, ok := wholeNumber(x); ok {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = modelValue(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = modelValue(item)
		}
		return out
	}
	return v
}

// modelValues converts each of values with modelValue.
func modelValues(values []any) []any {
	if values == nil {
		return nil
	}
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = modelValue(v)
	}
	return out
}

// baseType is the one JSON type v allows besides null, inferred from its
// keywords when it has no type; "" when it allows several or any.
func baseType(v *document.Schema) string {
	return baseTypeOf(v, map[*document.Schema]bool{})
}

func baseTypeOf(v *document.Schema, visiting map[*document.Schema]bool) string {
	if v.Type != nil {
		var types []string
		for _, t := range *v.Type {
			if t != "null" {
				types = append(types, t)
			}
		}
		if len(types) == 1 {
			return types[0]
		}
		return ""
	}
	switch {
	case len(v.Properties) > 0 || v.AdditionalProperties.Schema != nil || len(v.PatternProperties) > 0 || objectAllOf(v, visiting):
		return "object"
	case v.Items != nil || len(v.PrefixItems) > 0:
		return "array"
	}
	if values := enumValues(v); len(values) > 0 {
		return commonJSONType(values)
	}
	if v.Const != nil {
		return jsonType(v.Const)
	}
	return ""
}

// commonJSONType is the JSON type every value has ("number" for a mix of
// whole and fractional numbers), or "" when they differ.
func commonJSONType(values []any) string {
	common := ""
	for _, value := range values {
		t := jsonType(value)
		switch {
		case common == "" || common == t:
			common = t
		case (common == "integer" || common == "number") && (t == "integer" || t == "number"):
			common = "number"
		default:
			return ""
		}
	}
	return common
}

func jsonType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case document.Number:
		if f, _ := x.Float64(); f == math.Trunc(f) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return ""
}

// isNullable reports whether v allows null.
func isNullable(v *document.Schema) bool {
	if v.Nullable || (v.Type != nil && v.Type.Includes("null")) || composedNullable(v) {
		return true
	}
	return slices.Contains(v.Enum, nil)
}

// property is one property of a struct, after allOf is merged.
type property struct {
	name     string
	schema   *document.SchemaRef
	required bool
}

// properties lists v's properties in document order, merging allOf parts
// first (a base schema's fields come before the ones that extend it).
func (b *builder) properties(v *document.Schema) []property {
	var out []property
	seen := map[string]bool{}
	required := map[string]bool{}
	b.collectProperties(v, &out, seen, required, map[*document.Schema]bool{})
	for i := range out {
		out[i].required = required[out[i].name]
	}
	return out
}

func (b *builder) collectProperties(v *document.Schema, out *[]property, seen, required map[string]bool, visiting map[*document.Schema]bool) {
	if visiting[v] {
		return
	}
	visiting[v] = true
	for _, part := range v.AllOf {
		if part.Value != nil {
			b.collectProperties(part.Value, out, seen, required, visiting)
		}
	}
	for _, r := range v.Required {
		required[r] = true
	}
	for _, name := range b.propertyOrder(v) {
		if !seen[name] {
			seen[name] = true
			*out = append(*out, property{name: name, schema: v.Properties[name]})
		}
	}
	b.collectConditional(v, out, seen, visiting)
}

// propertyOrder is the document order of v's properties.
func (b *builder) propertyOrder(v *document.Schema) []string {
	if info := b.doc.SchemaInfo[v]; info != nil && len(info.PropertyOrder) == len(v.Properties) {
		return info.PropertyOrder
	}
	names := make([]string, 0, len(v.Properties))
	for name := range v.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (b *builder) fillStruct(t *model.Type, v *document.Schema) error {
	fields := newScope(reservedFieldNames...)
	for _, p := range b.properties(v) {
		if err := b.checkPropertyName(v, p.name); err != nil {
			return err
		}
		if p.schema == nil || p.schema.Value == nil {
			return &document.Error{Loc: v.Loc(), Msg: fmt.Sprintf("property %q has no schema", p.name)}
		}
		f, err := b.field(t, p, fields)
		if err != nil {
			return err
		}
		t.Fields = append(t.Fields, f)
	}
	return nil
}

func (b *builder) field(t *model.Type, p property, fields *scope) (*model.Field, error) {
	v := p.schema.Value
	goName, err := b.fieldName(p, fields)
	if err != nil {
		return nil, err
	}
	ref, err := b.typeRef(p.schema, t.Name+goName)
	if err != nil {
		return nil, err
	}
	f := &model.Field{
		Name: goName, JSONName: p.name, Type: ref, Required: p.required,
		Nullable: isNullable(v), OmitEmpty: !p.required,
	}
	if p.schema.Ref == "" {
		f.Doc = schemaDoc(v)
	}
	if (!f.Required || f.Nullable) && b.pointerable(ref) {
		f.Type = &model.TypeRef{Kind: model.PointerRef, Elem: ref}
	}
	return f, nil
}

// pointerable reports whether an optional value of ref needs a pointer to
// tell absent from zero: slices, maps and interfaces have nil already.
func (b *builder) pointerable(ref *model.TypeRef) bool {
	switch ref.Kind {
	case model.BuiltinRef, model.TimeRef:
		return true
	case model.NamedRef:
		t := b.typeByName(ref.Name)
		if t == nil || t.Kind == model.StructKind || t.Kind == model.EnumKind || t.Kind == model.UnionKind || t.Kind == model.TupleKind {
			return true
		}
		return b.pointerable(t.Underlying)
	}
	return false
}

func (b *builder) typeByName(name string) *model.Type { return b.byName[name] }

func (b *builder) fillEnum(t *model.Type, v *document.Schema) error {
	t.Kind = model.EnumKind
	t.Enum = &model.Enum{}
	switch baseType(v) {
	case "string":
		t.Underlying = builtin("string")
	default:
		t.Underlying = builtin("int64")
	}
	for _, e := range enumValues(v) {
		value := e
		if n, ok := wholeNumber(e); ok {
			value = n
		}
		t.Enum.Values = append(t.Enum.Values, &model.EnumValue{Value: value})
	}
	b.enums = append(b.enums, t)
	return nil
}

// nameEnumValues names an enum's constants (Type + value) and its values
// function, after every type has its name.
func (b *builder) nameEnumValues(t *model.Type) {
	for i, ev := range t.Enum.Values {
		ev.Const = b.values.claim(t.Name + b.enumSuffix(ev.Value, i))
	}
	t.Enum.ValuesFunc = b.values.claim(t.Name + "Values")
}

func (b *builder) enumSuffix(v any, index int) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "Empty"
		}
		if s := b.names.pascal(x); s != "" {
			return s
		}
		return "Value" + strconv.Itoa(index+1)
	case int64:
		if x < 0 {
			// Not -x: the least int64 has no positive counterpart.
			return "Minus" + strings.TrimPrefix(strconv.FormatInt(x, 10), "-")
		}
		return strconv.FormatInt(x, 10)
	}
	return "Value" + strconv.Itoa(index+1)
}

// examples renders a message's examples as JSON.
func examples(m *document.Message) ([]*model.Example, error) {
	var out []*model.Example
	for _, ex := range m.Examples {
		if !ex.HasPayload {
			continue
		}
		data, err := json.Marshal(ex.Payload)
		if err != nil {
			return nil, &document.Error{Loc: m.Loc, Err: err,
				Msg: fmt.Sprintf("example %q cannot be written as JSON: %s", ex.Name, strings.TrimPrefix(err.Error(), "json: "))}
		}
		out = append(out, &model.Example{Name: ex.Name, Summary: ex.Summary, Payload: data})
	}
	return out, nil
}

// breakValueCycles makes pointers of the struct fields that hold, by
// value, a struct that holds the first one again: such types would have
// infinite size. It finds them as strongly connected components.
func breakValueCycles(types []*model.Type) {
	byName := make(map[string]*model.Type, len(types))
	for _, t := range types {
		byName[t.Name] = t
	}
	valueEdge := func(f *model.Field) *model.Type {
		if f.Type.Kind != model.NamedRef {
			return nil
		}
		if target := resolveAlias(byName, byName[f.Type.Name]); target != nil && (target.Kind == model.StructKind || target.Kind == model.TupleKind) {
			return target
		}
		return nil
	}
	comp := stronglyConnected(types, func(t *model.Type) []*model.Type {
		var out []*model.Type
		for _, f := range t.Fields {
			if target := valueEdge(f); target != nil {
				out = append(out, target)
			}
		}
		return out
	})
	for _, t := range types {
		for _, f := range t.Fields {
			if target := valueEdge(f); target != nil && comp[target] == comp[t] {
				f.Type = &model.TypeRef{Kind: model.PointerRef, Elem: f.Type}
			}
		}
	}
}

// stronglyConnected numbers the strongly connected components of the graph
// (Tarjan's algorithm, iterative over nodes, recursive over edges).
func stronglyConnected(nodes []*model.Type, edges func(*model.Type) []*model.Type) map[*model.Type]int {
	index := map[*model.Type]int{}
	low := map[*model.Type]int{}
	onStack := map[*model.Type]bool{}
	comp := map[*model.Type]int{}
	var stack []*model.Type
	next, compNext := 0, 0
	var visit func(*model.Type)
	visit = func(v *model.Type) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range edges(v) {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = compNext
				if w == v {
					break
				}
			}
			compNext++
		}
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return comp
}
