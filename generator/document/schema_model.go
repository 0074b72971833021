package document

import (
	"encoding/json"
	"slices"
)

// This file is the schema model: plain data read straight from the node
// tree, the same for AsyncAPI 2.x and 3.x, JSON Schema draft-07 and OpenAPI
// 3.0 schemas. Its field names follow kin-openapi's openapi3.Schema, which
// it replaces, so code written against one reads the other.

// Number is a number as the document writes it. Its text is the literal,
// kept to the digit (9007199254740993 stays 9007199254740993, which a
// float64 cannot hold); Float64 and Int64 parse it.
//
// In the values of enum, const, default and example, every number is a
// Number; Min, Max, MultipleOf and exclusive bounds are Numbers too.
type Number = json.Number

// Schema is one JSON schema. A schema written as a boolean has Always set
// and nothing else.
type Schema struct {
	// Extensions holds the schema's x- keywords, as plain values.
	Extensions map[string]any

	OneOf        SchemaRefs
	AnyOf        SchemaRefs
	AllOf        SchemaRefs
	Not          *SchemaRef
	Type         *Types
	Title        string
	Format       string
	Description  string
	Enum         []any
	Default      any
	Example      any
	Examples     []any
	ExternalDocs *ExternalDocs

	UniqueItems  bool
	ExclusiveMin ExclusiveBound
	ExclusiveMax ExclusiveBound

	Nullable        bool
	ReadOnly        bool
	WriteOnly       bool
	AllowEmptyValue bool
	Deprecated      bool

	Min        *Number
	Max        *Number
	MultipleOf *Number

	MinLength uint64
	MaxLength *uint64
	Pattern   string

	MinItems    uint64
	MaxItems    *uint64
	Items       *SchemaRef
	PrefixItems SchemaRefs
	Contains    *SchemaRef
	MinContains *uint64
	MaxContains *uint64

	Required             []string
	Properties           Schemas
	MinProps             uint64
	MaxProps             *uint64
	AdditionalProperties BoolSchema
	PatternProperties    Schemas
	PropertyNames        *SchemaRef
	DependentSchemas     Schemas
	DependentRequired    map[string][]string
	Discriminator        *Discriminator

	// Const is the only value allowed; nil when there is no const (a
	// const of null reads as none, as kin-openapi read it).
	Const any

	UnevaluatedItems      BoolSchema
	UnevaluatedProperties BoolSchema

	If   *SchemaRef
	Then *SchemaRef
	Else *SchemaRef

	Defs          Schemas
	ContentSchema *SchemaRef

	// Always is set for a schema written as a boolean: true accepts every
	// value, false none.
	Always *bool

	// node is where the schema is written; it answers for the positions
	// of its keywords and enum items. It is nil for the one schema the
	// reader makes itself, the allOf of two spellings of one entry
	// (definitions and $defs), whose place SchemaInfo holds.
	node *Node
}

// Loc returns where the schema is written (nothing for a schema the
// reader made).
func (s *Schema) Loc() Location {
	if s == nil {
		return Location{}
	}
	return s.node.Loc()
}

// KeywordLoc returns where the value of the schema's keyword is written,
// or of an entry inside it (KeywordLoc("patternProperties", "^a")); the
// schema's own place when it is not written (or comes from another
// spelling, such as draft-07's dependencies).
func (s *Schema) KeywordLoc(keyword string, inside ...string) Location {
	if s == nil {
		return Location{}
	}
	v := s.node.Get(keyword)
	for _, key := range inside {
		v = v.Get(key)
	}
	if v == nil {
		return s.Loc()
	}
	return v.Loc()
}

// EnumLoc returns where the schema's enum item i is written, or the
// enum's place when i is out of range.
func (s *Schema) EnumLoc(i int) Location {
	if s == nil {
		return Location{}
	}
	enum := s.node.Get("enum")
	if enum == nil || enum.Kind != KindList || i < 0 || i >= len(enum.Items) {
		return s.KeywordLoc("enum")
	}
	return enum.Items[i].Loc()
}

// SchemaRef is a schema, or a $ref to one: Ref names the schema's place
// (file#pointer) when it was referenced, and Value is the schema. Every
// $ref to one place has the same Value, so recursive schemas are pointer
// cycles.
type SchemaRef struct {
	Ref   string
	Value *Schema

	// target is the node a $ref names, until Value is linked to it.
	target *Node
}

// SchemaRefs is a list of schemas (allOf, anyOf, oneOf, prefixItems).
type SchemaRefs []*SchemaRef

// Schemas maps names to schemas (properties, patternProperties, $defs).
type Schemas map[string]*SchemaRef

// Types is the value of type: the JSON types a value may have.
type Types []string

// Is reports whether t allows exactly the one type name.
func (t *Types) Is(name string) bool {
	return t != nil && len(*t) == 1 && (*t)[0] == name
}

// Includes reports whether t lists the type name.
func (t *Types) Includes(name string) bool {
	return t != nil && slices.Contains(*t, name)
}

// Slice returns the type names, nil for none.
func (t *Types) Slice() []string {
	if t == nil {
		return nil
	}
	return *t
}

// ExclusiveBound is exclusiveMinimum or exclusiveMaximum: a number (JSON
// Schema draft-06 and later), or OpenAPI 3.0's boolean that makes minimum
// or maximum exclusive.
type ExclusiveBound struct {
	Bool  *bool
	Value *Number
}

// IsTrue reports whether the bound is the boolean true.
func (b ExclusiveBound) IsTrue() bool { return b.Bool != nil && *b.Bool }

// BoolSchema is a keyword whose value is a boolean or a schema
// (additionalProperties, unevaluatedItems): Has holds the boolean, Schema
// the schema.
type BoolSchema struct {
	Has    *bool
	Schema *SchemaRef
}

// Discriminator names the property that tells a union's variants apart,
// and optionally maps its values to schemas. AsyncAPI's string
// discriminator is read as one with no mapping.
type Discriminator struct {
	PropertyName string
	Mapping      map[string]MappingRef
}

// MappingRef is a discriminator mapping's value: a schema name or $ref,
// as written.
type MappingRef struct {
	Ref string
}

// ExternalDocs is a schema's externalDocs.
type ExternalDocs struct {
	URL         string
	Description string
}

// IsEmpty reports whether s has no keyword at all: it is written {} (or
// everything it said was cleared), and so accepts every value.
func (s *Schema) IsEmpty() bool {
	return len(s.Extensions) == 0 && s.Always == nil && s.Type == nil &&
		s.Title == "" && s.Format == "" && s.Description == "" && s.Pattern == "" &&
		len(s.Enum) == 0 && s.Const == nil && s.Default == nil && s.Example == nil && len(s.Examples) == 0 &&
		s.ExternalDocs == nil && s.Discriminator == nil &&
		!s.UniqueItems && !s.Nullable && !s.ReadOnly && !s.WriteOnly && !s.AllowEmptyValue && !s.Deprecated &&
		s.ExclusiveMin == (ExclusiveBound{}) && s.ExclusiveMax == (ExclusiveBound{}) &&
		s.Min == nil && s.Max == nil && s.MultipleOf == nil &&
		s.MinLength == 0 && s.MaxLength == nil && s.MinItems == 0 && s.MaxItems == nil &&
		s.MinContains == nil && s.MaxContains == nil && s.MinProps == 0 && s.MaxProps == nil &&
		len(s.Required) == 0 && len(s.DependentRequired) == 0 && s.noSubschemas()
}

// noSubschemas reports whether s has no keyword whose value is a schema.
func (s *Schema) noSubschemas() bool {
	return len(s.OneOf)+len(s.AnyOf)+len(s.AllOf)+len(s.PrefixItems) == 0 &&
		s.Not == nil && s.Items == nil && s.Contains == nil && s.PropertyNames == nil &&
		s.If == nil && s.Then == nil && s.Else == nil && s.ContentSchema == nil &&
		len(s.Properties)+len(s.PatternProperties)+len(s.DependentSchemas)+len(s.Defs) == 0 &&
		s.AdditionalProperties == (BoolSchema{}) && s.UnevaluatedItems == (BoolSchema{}) &&
		s.UnevaluatedProperties == (BoolSchema{})
}
