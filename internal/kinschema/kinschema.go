// Package kinschema converts the loader's schema model into kin-openapi's,
// for the tests that hold the generated validators to kin-openapi's
// verdicts (internal/validation). No package of the CLI imports it, so that
// the CLI links neither kin-openapi nor the JSON Schema validator it
// imports (cmd/asyncgen's TestCLILinksNoSchemaLibraries). The conversion is structural (no JSON in
// between); recursive schemas stay pointer cycles.
package kinschema

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/asyncgen/asyncgen/generator/document"
)

// Convert returns kin-openapi's form of r; nil for nil.
func Convert(r *document.SchemaRef) *openapi3.SchemaRef {
	c := converter{done: map[*document.Schema]*openapi3.Schema{}}
	return c.ref(r)
}

// converter remembers each schema converted, so a schema named twice is
// converted once.
type converter struct {
	done map[*document.Schema]*openapi3.Schema
}

func (c *converter) ref(r *document.SchemaRef) *openapi3.SchemaRef {
	if r == nil {
		return nil
	}
	return &openapi3.SchemaRef{Ref: r.Ref, Value: c.schema(r.Value)}
}

func (c *converter) schema(v *document.Schema) *openapi3.Schema {
	if v == nil {
		return nil
	}
	if out, ok := c.done[v]; ok {
		return out
	}
	out := &openapi3.Schema{}
	c.done[v] = out
	c.leaf(out, v)
	c.children(out, v)
	return out
}

// leaf copies the keywords that hold no subschema.
func (c *converter) leaf(out *openapi3.Schema, v *document.Schema) {
	out.Extensions = plainMap(v.Extensions)
	if v.Type != nil {
		t := openapi3.Types(slices.Clone(*v.Type))
		out.Type = &t
	}
	out.Title, out.Format, out.Description, out.Pattern = v.Title, v.Format, v.Description, v.Pattern
	out.Enum, out.Examples = plainList(v.Enum), plainList(v.Examples)
	out.Default, out.Example, out.Const = plain(v.Default), plain(v.Example), plain(v.Const)
	out.UniqueItems, out.Nullable, out.ReadOnly, out.WriteOnly = v.UniqueItems, v.Nullable, v.ReadOnly, v.WriteOnly
	out.AllowEmptyValue, out.Deprecated = v.AllowEmptyValue, v.Deprecated
	out.ExclusiveMin = openapi3.ExclusiveBound{Bool: v.ExclusiveMin.Bool, Value: float(v.ExclusiveMin.Value)}
	out.ExclusiveMax = openapi3.ExclusiveBound{Bool: v.ExclusiveMax.Bool, Value: float(v.ExclusiveMax.Value)}
	out.Min, out.Max, out.MultipleOf = float(v.Min), float(v.Max), float(v.MultipleOf)
	out.MinLength, out.MaxLength = v.MinLength, v.MaxLength
	out.MinItems, out.MaxItems, out.MinContains, out.MaxContains = v.MinItems, v.MaxItems, v.MinContains, v.MaxContains
	out.Required = slices.Clone(v.Required)
	out.MinProps, out.MaxProps = v.MinProps, v.MaxProps
	if v.DependentRequired != nil {
		out.DependentRequired = maps.Clone(v.DependentRequired)
	}
	if d := v.Discriminator; d != nil {
		out.Discriminator = &openapi3.Discriminator{PropertyName: d.PropertyName}
		if d.Mapping != nil {
			out.Discriminator.Mapping = make(map[string]openapi3.MappingRef, len(d.Mapping))
			for k, m := range d.Mapping {
				out.Discriminator.Mapping[k] = openapi3.MappingRef{Ref: m.Ref}
			}
		}
	}
	if v.ExternalDocs != nil {
		out.ExternalDocs = &openapi3.ExternalDocs{URL: v.ExternalDocs.URL, Description: v.ExternalDocs.Description}
	}
	out.Always = v.Always
}

// children converts the subschemas.
func (c *converter) children(out *openapi3.Schema, v *document.Schema) {
	out.OneOf, out.AnyOf, out.AllOf, out.PrefixItems = c.list(v.OneOf), c.list(v.AnyOf), c.list(v.AllOf), c.list(v.PrefixItems)
	out.Not, out.Items, out.Contains, out.PropertyNames = c.ref(v.Not), c.ref(v.Items), c.ref(v.Contains), c.ref(v.PropertyNames)
	out.If, out.Then, out.Else, out.ContentSchema = c.ref(v.If), c.ref(v.Then), c.ref(v.Else), c.ref(v.ContentSchema)
	out.Properties, out.PatternProperties = c.schemas(v.Properties), c.schemas(v.PatternProperties)
	out.DependentSchemas, out.Defs = c.schemas(v.DependentSchemas), c.schemas(v.Defs)
	out.AdditionalProperties = c.boolSchema(v.AdditionalProperties)
	out.UnevaluatedItems = c.boolSchema(v.UnevaluatedItems)
	out.UnevaluatedProperties = c.boolSchema(v.UnevaluatedProperties)
}

func (c *converter) list(refs document.SchemaRefs) openapi3.SchemaRefs {
	if refs == nil {
		return nil
	}
	out := make(openapi3.SchemaRefs, len(refs))
	for i, r := range refs {
		out[i] = c.ref(r)
	}
	return out
}

func (c *converter) schemas(m document.Schemas) openapi3.Schemas {
	if m == nil {
		return nil
	}
	out := make(openapi3.Schemas, len(m))
	for k, r := range m {
		out[k] = c.ref(r)
	}
	return out
}

func (c *converter) boolSchema(b document.BoolSchema) openapi3.BoolSchema {
	return openapi3.BoolSchema{Has: b.Has, Schema: c.ref(b.Schema)}
}

// float is n's nearest float64, as kin-openapi holds numbers.
func float(n *document.Number) *float64 {
	if n == nil {
		return nil
	}
	f, _ := n.Float64()
	return &f
}

// plain converts a value read from the spec into the form encoding/json
// decodes JSON into (numbers as float64), which kin-openapi compares.
func plain(v any) any {
	switch x := v.(type) {
	case document.Number:
		f, _ := x.Float64()
		return f
	case []any:
		return plainList(x)
	case map[string]any:
		return plainMap(x)
	}
	return v
}

func plainList(values []any) []any {
	if values == nil {
		return nil
	}
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = plain(v)
	}
	return out
}

func plainMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = plain(v)
	}
	return out
}
