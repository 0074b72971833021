package generator

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// conditionalParts are the subschemas of v that may add properties to a
// value only sometimes: then, else, dependentSchemas, and the oneOf and
// anyOf variants of a struct. Their properties become optional fields, so
// that decoding never drops them; whatever they require is left to
// validation.
func conditionalParts(v *document.Schema) []*document.Schema {
	var out []*document.Schema
	add := func(r *document.SchemaRef) {
		if r != nil && r.Value != nil {
			out = append(out, r.Value)
		}
	}
	add(v.Then)
	add(v.Else)
	for _, name := range sortedSchemaNames(v.DependentSchemas) {
		add(v.DependentSchemas[name])
	}
	for _, r := range v.OneOf {
		add(r)
	}
	for _, r := range v.AnyOf {
		add(r)
	}
	return out
}

func sortedSchemaNames(m document.Schemas) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// collectConditional adds the properties of v's conditional parts (and of
// their allOf parts) that are not fields yet, as optional fields.
func (b *builder) collectConditional(v *document.Schema, out *[]property, seen map[string]bool, visiting map[*document.Schema]bool) {
	for _, part := range conditionalParts(v) {
		if baseType(part) != "object" && !isNeutral(part) {
			continue
		}
		b.collectProperties(part, out, seen, map[string]bool{}, visiting)
	}
}

// objectAlternatives reports whether v is only a oneOf or anyOf of objects
// (an allOf part that says "and one of these"): merged into a struct, their
// properties become optional fields.
func objectAlternatives(v *document.Schema, visiting map[*document.Schema]bool) bool {
	all, _ := alternatives(v)
	if len(all) == 0 || len(v.Properties) > 0 || v.Type != nil && !v.Type.Is("object") || len(v.AllOf) > 0 {
		return false
	}
	for _, r := range all {
		if r.Value == nil || baseTypeOf(r.Value, visiting) != "object" {
			return false
		}
	}
	return true
}

// mapValueType is the element type of an object that has no properties:
// the additionalProperties schema, else the one type every
// patternProperties schema maps to, else any.
func (b *builder) mapValueType(v *document.Schema, hint string) (*model.TypeRef, error) {
	var schemas []*document.SchemaRef
	if ap := v.AdditionalProperties.Schema; ap != nil {
		schemas = append(schemas, ap)
	}
	for _, pattern := range sortedSchemaNames(v.PatternProperties) {
		schemas = append(schemas, v.PatternProperties[pattern])
	}
	var elem *model.TypeRef
	for _, s := range schemas {
		ref, err := b.typeRef(s, hint+"Value")
		if err != nil {
			return nil, err
		}
		if elem != nil && !reflect.DeepEqual(elem, ref) {
			return &model.TypeRef{Kind: model.AnyRef}, nil
		}
		elem = ref
	}
	if elem == nil {
		return &model.TypeRef{Kind: model.AnyRef}, nil
	}
	return elem, nil
}

// jsonTagPunctuation is the punctuation encoding/json accepts in a struct
// tag's name; any other rune that is not a letter or digit makes it ignore
// the name.
const jsonTagPunctuation = "!#$%&()*+-./:;<=>?@[]^_{|}~ "

// checkPropertyName refuses a property that a json struct tag cannot name
// (the empty name, or one with a quote, backslash, comma or other symbol):
// encoding/json would silently use the Go field name instead.
func (b *builder) checkPropertyName(v *document.Schema, name string) error {
	bad := ""
	for _, r := range name {
		if !strings.ContainsRune(jsonTagPunctuation, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			bad = fmt.Sprintf("it contains %q", r)
			break
		}
	}
	if name == "" {
		bad = "it is empty"
	}
	if bad == "" {
		return nil
	}
	loc := document.Location{}
	if info := b.doc.SchemaInfo[v]; info != nil {
		loc = info.Loc
		loc.Pointer += "/properties/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
	}
	return &document.Error{Loc: loc, Msg: fmt.Sprintf("unsupported property name %q: a Go struct field's json tag cannot name it (%s)", name, bad)}
}
