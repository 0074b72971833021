package document

import (
	"maps"
	"slices"

	"github.com/asyncgen/asyncgen/templates/support"
)

// DynamicConverter turns schemas into the plain form support's
// DynamicValidator checks values against, converting each schema once,
// so that a shared schema stays shared and a recursive one a cycle.
type DynamicConverter struct {
	done map[*Schema]*support.DynamicSchema
}

// NewDynamicConverter returns a converter that has converted nothing yet.
func NewDynamicConverter() *DynamicConverter {
	return &DynamicConverter{done: map[*Schema]*support.DynamicSchema{}}
}

// Convert returns the plain form of s; nil, which accepts every value,
// for nil.
func (c *DynamicConverter) Convert(s *Schema) *support.DynamicSchema {
	if s == nil {
		return nil
	}
	if out, ok := c.done[s]; ok {
		return out
	}
	out := &support.DynamicSchema{}
	c.done[s] = out
	if s.Always != nil {
		out.Never = !*s.Always
		return out
	}
	c.leaf(out, s)
	c.arrays(out, s)
	c.objects(out, s)
	c.composed(out, s)
	return out
}

// leaf copies the keywords that hold no subschema.
func (c *DynamicConverter) leaf(out *support.DynamicSchema, s *Schema) {
	if s.Type != nil {
		out.Types = slices.Clone([]string(*s.Type))
		if s.Nullable && !slices.Contains(out.Types, "null") {
			out.Types = append(out.Types, "null")
		}
	}
	out.Enum = s.Enum
	out.HasConst, out.Const = s.Const != nil, s.Const
	out.Format = s.Format
	out.Pattern = s.Pattern
	if s.MinLength > 0 {
		out.MinLength = &s.MinLength
	}
	out.MaxLength = s.MaxLength
	out.Minimum, out.Maximum = numberOf(s.Min), numberOf(s.Max)
	if x := s.ExclusiveMin; x.Value != nil {
		out.ExclusiveMinimum = numberOf(x.Value)
	} else if x.IsTrue() && s.Min != nil {
		out.ExclusiveMinimum, out.Minimum = numberOf(s.Min), nil
	}
	if x := s.ExclusiveMax; x.Value != nil {
		out.ExclusiveMaximum = numberOf(x.Value)
	} else if x.IsTrue() && s.Max != nil {
		out.ExclusiveMaximum, out.Maximum = numberOf(s.Max), nil
	}
	out.MultipleOf = numberOf(s.MultipleOf)
}

// numberOf is the float64 nearest to n; nil for none, or for a literal
// that is no number.
func numberOf(n *Number) *float64 {
	if n == nil {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

// arrays converts the array keywords.
func (c *DynamicConverter) arrays(out *support.DynamicSchema, s *Schema) {
	if s.MinItems > 0 {
		out.MinItems = &s.MinItems
	}
	out.MaxItems, out.UniqueItems = s.MaxItems, s.UniqueItems
	out.Items = c.ref(s.Items)
	out.PrefixItems = c.list(s.PrefixItems)
	if out.Contains = c.ref(s.Contains); out.Contains != nil {
		out.MinContains, out.MaxContains = s.MinContains, s.MaxContains
	}
}

// objects converts the object keywords, properties sorted by name.
func (c *DynamicConverter) objects(out *support.DynamicSchema, s *Schema) {
	if s.MinProps > 0 {
		out.MinProperties = &s.MinProps
	}
	out.MaxProperties = s.MaxProps
	out.Required = slices.Clone(s.Required)
	out.Properties = c.properties(s.Properties)
	for _, pattern := range slices.Sorted(maps.Keys(s.PatternProperties)) {
		if p := c.ref(s.PatternProperties[pattern]); p != nil {
			out.PatternProperties = append(out.PatternProperties, support.DynamicPattern{Pattern: pattern, Schema: p})
		}
	}
	ap := s.AdditionalProperties
	out.NoAdditionalProperties = ap.Has != nil && !*ap.Has
	out.AdditionalProperties = c.ref(ap.Schema)
	out.PropertyNames = c.ref(s.PropertyNames)
	for _, name := range slices.Sorted(maps.Keys(s.DependentRequired)) {
		out.DependentRequired = append(out.DependentRequired, support.DynamicDependency{Name: name, Required: s.DependentRequired[name]})
	}
	out.DependentSchemas = c.properties(s.DependentSchemas)
}

// properties converts named schemas, sorted by name.
func (c *DynamicConverter) properties(schemas Schemas) []support.DynamicProperty {
	var out []support.DynamicProperty
	for _, name := range slices.Sorted(maps.Keys(schemas)) {
		if p := c.ref(schemas[name]); p != nil {
			out = append(out, support.DynamicProperty{Name: name, Schema: p})
		} else {
			// A property without a schema is still a known one.
			out = append(out, support.DynamicProperty{Name: name})
		}
	}
	return out
}

// composed converts allOf, anyOf, oneOf, not and if/then/else.
func (c *DynamicConverter) composed(out *support.DynamicSchema, s *Schema) {
	out.AllOf, out.AnyOf, out.OneOf = c.list(s.AllOf), c.list(s.AnyOf), c.list(s.OneOf)
	out.Not = c.ref(s.Not)
	if out.If = c.ref(s.If); out.If != nil {
		out.Then, out.Else = c.ref(s.Then), c.ref(s.Else)
	}
}

func (c *DynamicConverter) ref(r *SchemaRef) *support.DynamicSchema {
	if r == nil {
		return nil
	}
	return c.Convert(r.Value)
}

// list converts a list of schemas; one missing accepts every value.
func (c *DynamicConverter) list(refs SchemaRefs) []*support.DynamicSchema {
	var out []*support.DynamicSchema
	for _, r := range refs {
		if s := c.ref(r); s != nil {
			out = append(out, s)
		} else {
			out = append(out, &support.DynamicSchema{})
		}
	}
	return out
}
