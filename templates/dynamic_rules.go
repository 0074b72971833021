package templates

import (
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates/support"
)

// DynamicRules turns the rules the generated validators check into the
// plain form support's DynamicValidator checks at run time (asyncgen send
// and listen), converting each once: shared rules stay shared, recursive
// ones a cycle. nil rules are nil, which accepts every value.
type DynamicRules struct {
	done map[*model.Rules]*support.DynamicSchema
}

// NewDynamicRules returns a converter that has converted nothing yet.
func NewDynamicRules() *DynamicRules {
	return &DynamicRules{done: map[*model.Rules]*support.DynamicSchema{}}
}

// Convert returns the plain form of r.
func (c *DynamicRules) Convert(r *model.Rules) *support.DynamicSchema {
	if r == nil {
		return nil
	}
	if out, ok := c.done[r]; ok {
		return out
	}
	out := &support.DynamicSchema{}
	c.done[r] = out
	if r.Never {
		out.Never = true
		return out
	}
	c.leaf(out, r)
	c.arrays(out, r)
	c.objects(out, r)
	c.composed(out, r)
	return out
}

// leaf copies the rules that hold no other rules.
func (c *DynamicRules) leaf(out *support.DynamicSchema, r *model.Rules) {
	out.Types, out.Enum, out.Format, out.Pattern = r.Types, r.Enum, r.Format, r.Pattern
	if r.Const != nil {
		out.HasConst, out.Const = true, r.Const.Value
	}
	out.MinLength, out.MaxLength = r.MinLength, r.MaxLength
	out.Minimum, out.Maximum = r.Minimum, r.Maximum
	out.ExclusiveMinimum, out.ExclusiveMaximum, out.MultipleOf = r.ExclusiveMinimum, r.ExclusiveMaximum, r.MultipleOf
}

func (c *DynamicRules) arrays(out *support.DynamicSchema, r *model.Rules) {
	out.MinItems, out.MaxItems, out.UniqueItems = r.MinItems, r.MaxItems, r.UniqueItems
	out.Items = c.Convert(r.Items)
	out.PrefixItems = c.list(r.PrefixItems)
	if r.Contains != nil {
		out.Contains = c.Convert(r.Contains)
		out.MinContains, out.MaxContains = r.MinContains, r.MaxContains
	}
}

func (c *DynamicRules) objects(out *support.DynamicSchema, r *model.Rules) {
	out.Required = r.Required
	for _, p := range r.Properties {
		out.Properties = append(out.Properties, support.DynamicProperty{Name: p.Name, Schema: c.Convert(p.Rules)})
	}
	for _, p := range r.PatternProperties {
		out.PatternProperties = append(out.PatternProperties, support.DynamicPattern{Pattern: p.Pattern, Schema: c.Convert(p.Rules)})
	}
	out.AdditionalProperties, out.NoAdditionalProperties = c.Convert(r.AdditionalProperties), r.NoAdditionalProperties
	out.MinProperties, out.MaxProperties = r.MinProperties, r.MaxProperties
	out.PropertyNames = c.Convert(r.PropertyNames)
	for _, d := range r.DependentRequired {
		out.DependentRequired = append(out.DependentRequired, support.DynamicDependency{Name: d.Property, Required: d.Required})
	}
	for _, d := range r.DependentSchemas {
		out.DependentSchemas = append(out.DependentSchemas, support.DynamicProperty{Name: d.Name, Schema: c.Convert(d.Rules)})
	}
}

func (c *DynamicRules) composed(out *support.DynamicSchema, r *model.Rules) {
	out.AllOf, out.AnyOf, out.OneOf = c.list(r.AllOf), c.list(r.AnyOf), c.list(r.OneOf)
	out.Not = c.Convert(r.Not)
	if d := r.Discriminator; d != nil {
		out.Discriminator = &support.DynamicDiscriminator{Property: d.Property}
		for _, dc := range d.Cases {
			out.Discriminator.Cases = append(out.Discriminator.Cases, support.DynamicCase{Value: dc.Value, Variant: dc.Variant})
		}
	}
	if r.If != nil {
		out.If, out.Then, out.Else = c.Convert(r.If), c.Convert(r.Then), c.Convert(r.Else)
	}
}

// list converts a list of rules; nil rules accept every value.
func (c *DynamicRules) list(rules []*model.Rules) []*support.DynamicSchema {
	var out []*support.DynamicSchema
	for _, r := range rules {
		if s := c.Convert(r); s != nil {
			out = append(out, s)
		} else {
			out = append(out, &support.DynamicSchema{})
		}
	}
	return out
}
