package templates

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// ruleTable numbers the rules checked on values held as any, and renders
// them as the table schemaRules of package support's ruleTable type, each
// entry's index a constant named by the builder (TableConst), so that a
// new entry renames none of the others.
type ruleTable struct {
	byRules map[*model.Rules]int
	list    []*model.Rules
	// usePattern records that an entry uses a pattern, and returns the
	// variable holding it compiled.
	usePattern func(pattern, name string) string
}

func newRuleTable() *ruleTable {
	return &ruleTable{byRules: map[*model.Rules]int{}, list: []*model.Rules{nil}}
}

// index is the table index of r; 0, the empty schema, when r checks
// nothing.
func (t *ruleTable) index(r *model.Rules) int {
	if isEmpty(r) {
		return 0
	}
	return t.entry(r)
}

// entry is the table index of r, a schema given as not's: unlike index, an
// empty r gets an entry of its own, since not's index 0 means "no not"
// while not of the empty schema allows no value.
func (t *ruleTable) entry(r *model.Rules) int {
	if i, ok := t.byRules[r]; ok {
		return i
	}
	t.byRules[r] = len(t.list)
	t.list = append(t.list, r)
	return len(t.list) - 1
}

// ref renders the table index of r in generated code: its constant, or 0
// for the empty schema.
func (t *ruleTable) ref(r *model.Rules) jen.Code {
	return t.code(t.index(r))
}

// code renders table index i: the constant of its entry, or 0.
func (t *ruleTable) code(i int) jen.Code {
	if i == 0 || t.list[i].TableConst == "" {
		return jen.Lit(i)
	}
	return jen.Id(t.list[i].TableConst)
}

// declaration renders the table and the constants of its indexes; nil
// when nothing uses it.
func (t *ruleTable) declaration() jen.Code {
	if len(t.list) == 1 {
		return nil
	}
	entries := []jen.Code{jen.Line().Values()}
	// Rendering an entry may number more rules, so the list grows here.
	for i := 1; i < len(t.list); i++ {
		r := t.list[i]
		entry := jen.Line()
		if r.Source != "" {
			entry.Add(lineComment(r.Source)).Line()
		}
		if r.TableConst != "" {
			// The key uses the constant even where nothing else does.
			entry.Id(r.TableConst).Op(":")
		}
		entries = append(entries, entry.Values(t.fields(r)...))
	}
	entries[len(entries)-1] = jen.Add(entries[len(entries)-1]).Op(",").Line()
	return jen.Null().
		Add(t.constants()).Line().Line().
		Comment("schemaRules are the rules of the values held as any, by index; 0 is").Line().
		Comment("the empty schema.").Line().
		Var().Id("schemaRules").Op("=").Id("ruleTable").Values(entries...)
}

// constants declares the index of each entry of the table but the first
// as a constant, in table order.
func (t *ruleTable) constants() jen.Code {
	consts := []jen.Code{jen.Id("_").Op("=").Iota().Comment("the empty schema")}
	for i := 1; i < len(t.list); i++ {
		if name := t.list[i].TableConst; name != "" {
			consts = append(consts, jen.Id(name))
		} else {
			consts = append(consts, jen.Id("_"))
		}
	}
	return jen.Null().
		Comment("The indexes of the entries of schemaRules.").Line().
		Const().Defs(consts...)
}

// fields renders one entry's fields, in a fixed order.
func (t *ruleTable) fields(r *model.Rules) []jen.Code {
	var out []jen.Code
	add := func(name string, v jen.Code) { out = append(out, jen.Id(name).Op(":").Add(v)) }
	if r.Never {
		add("never", jen.True())
	}
	if bits := typeBits(r.Types); bits != nil {
		add("types", bits)
	}
	if len(r.Enum) > 0 {
		add("enum", jen.Index().Any().Values(jsonLiterals(r.Enum)...))
	}
	if r.Const != nil {
		add("hasConst", jen.True())
		add("constant", jsonLiteral(r.Const.Value))
	}
	if r.Format != "" {
		add("format", jen.Lit(r.Format))
	}
	if r.Pattern != "" {
		add("pattern", jen.Id(t.usePattern(r.Pattern, r.PatternVar)))
	}
	counts := []struct {
		name string
		n    *uint64
	}{{"minLength", r.MinLength}, {"maxLength", r.MaxLength}, {"minItems", r.MinItems}, {"maxItems", r.MaxItems},
		{"minProperties", r.MinProperties}, {"maxProperties", r.MaxProperties}}
	for _, c := range counts {
		if c.n != nil {
			add(c.name, jen.Id("count").Call(bound(c.n)))
		}
	}
	bounds := []struct {
		name  string
		f     *float64
		exact *int64
	}{{"minimum", r.Minimum, r.MinimumInt}, {"maximum", r.Maximum, r.MaximumInt},
		{"exclusiveMinimum", r.ExclusiveMinimum, r.ExclusiveMinimumInt},
		{"exclusiveMaximum", r.ExclusiveMaximum, r.ExclusiveMaximumInt}, {"multipleOf", r.MultipleOf, r.MultipleOfInt}}
	for _, b := range bounds {
		if b.f != nil {
			add(b.name, jen.Id("bound").Call(jen.Op(floatText(*b.f))))
		}
		// The bound to the digit, for values whose integer digits are
		// known; needed only where a float64 cannot hold it.
		if b.exact != nil && (*b.exact < -(1<<53) || *b.exact > 1<<53) {
			add(b.name+"Int", jen.Id("exactBound").Call(jen.Op(strconv.FormatInt(*b.exact, 10))))
		}
	}
	if r.UniqueItems {
		add("uniqueItems", jen.True())
	}
	out = append(out, t.children(r)...)
	return out
}

// children renders the fields that refer to other entries.
func (t *ruleTable) children(r *model.Rules) []jen.Code {
	var out []jen.Code
	add := func(name string, v jen.Code) { out = append(out, jen.Id(name).Op(":").Add(v)) }
	if i := t.index(r.Items); i != 0 {
		add("items", t.code(i))
	}
	if len(r.PrefixItems) > 0 {
		add("prefixItems", t.indexList(r.PrefixItems))
	}
	if r.Contains != nil {
		add("hasContains", jen.True())
		if i := t.index(r.Contains); i != 0 {
			add("contains", t.code(i))
		}
		for _, c := range []struct {
			name string
			n    *uint64
		}{{"minContains", r.MinContains}, {"maxContains", r.MaxContains}} {
			if c.n != nil {
				add(c.name, jen.Id("count").Call(bound(c.n)))
			}
		}
	}
	if len(r.Required) > 0 {
		add("required", jen.Index().String().ValuesFunc(func(g *jen.Group) {
			for _, n := range r.Required {
				g.Lit(n)
			}
		}))
	}
	var props []jen.Code
	for _, p := range r.Properties {
		// A property without rules still counts as known where other
		// properties are checked.
		if i := t.index(p.Rules); i != 0 || r.NoAdditionalProperties || r.AdditionalProperties != nil || len(r.PatternProperties) > 0 {
			props = append(props, jen.Values(jen.Lit(p.Name), t.code(i)))
		}
	}
	if len(props) > 0 {
		add("properties", jen.Index().Id("propertyRule").Values(props...))
	}
	if len(r.PatternProperties) > 0 {
		add("patternProperties", jen.Index().Id("patternRule").ValuesFunc(func(g *jen.Group) {
			for _, pr := range r.PatternProperties {
				g.Values(jen.Id(t.usePattern(pr.Pattern, pr.Var)), t.ref(pr.Rules))
			}
		}))
	}
	if i := t.index(r.AdditionalProperties); i != 0 {
		add("additional", t.code(i))
	}
	if i := t.index(r.PropertyNames); i != 0 {
		add("propertyNames", t.code(i))
	}
	if len(r.DependentRequired) > 0 {
		add("dependentRequired", jen.Index().Id("dependency").ValuesFunc(func(g *jen.Group) {
			for _, d := range r.DependentRequired {
				g.Values(jen.Lit(d.Property), jen.Index().String().ValuesFunc(func(g *jen.Group) {
					for _, n := range d.Required {
						g.Lit(n)
					}
				}))
			}
		}))
	}
	var deps []jen.Code
	for _, d := range r.DependentSchemas {
		if i := t.index(d.Rules); i != 0 {
			deps = append(deps, jen.Values(jen.Lit(d.Name), t.code(i)))
		}
	}
	if len(deps) > 0 {
		add("dependentSchemas", jen.Index().Id("propertyRule").Values(deps...))
	}
	if r.NoAdditionalProperties {
		add("noAdditional", jen.True())
	}
	for _, list := range []struct {
		name  string
		rules []*model.Rules
	}{{"allOf", r.AllOf}, {"anyOf", r.AnyOf}, {"oneOf", r.OneOf}} {
		if len(list.rules) > 0 {
			add(list.name, jen.Index().Int().ValuesFunc(func(g *jen.Group) {
				for _, part := range list.rules {
					g.Add(t.ref(part))
				}
			}))
		}
	}
	if r.Not != nil {
		add("not", t.code(t.entry(r.Not)))
	}
	if dr := r.Discriminator; dr != nil {
		add("tagProperty", jen.Lit(dr.Property))
		add("tags", jen.Index().Id("tagCase").ValuesFunc(func(g *jen.Group) {
			for _, dc := range dr.Cases {
				g.Values(jen.Lit(dc.Value), jen.Lit(dc.Variant))
			}
		}))
	}
	if r.If != nil {
		add("hasIf", jen.True())
		for _, c := range []struct {
			name  string
			rules *model.Rules
		}{{"ifRule", r.If}, {"thenRule", r.Then}, {"elseRule", r.Else}} {
			if i := t.index(c.rules); i != 0 {
				add(c.name, t.code(i))
			}
		}
	}
	return out
}

// indexList renders the table indices of a list of rules.
func (t *ruleTable) indexList(rules []*model.Rules) jen.Code {
	return jen.Index().Int().ValuesFunc(func(g *jen.Group) {
		for _, r := range rules {
			g.Add(t.ref(r))
		}
	})
}

// typeBits renders a set of JSON types as the support type bits.
func typeBits(types []string) jen.Code {
	names := map[string]string{
		"null": "typeNull", "boolean": "typeBoolean", "object": "typeObject", "array": "typeArray",
		"number": "typeNumber", "integer": "typeInteger", "string": "typeString",
	}
	var bits []string
	for _, jt := range []string{"null", "boolean", "object", "array", "number", "integer", "string"} {
		if slices.Contains(types, jt) {
			bits = append(bits, names[jt])
		}
	}
	if len(bits) == 0 {
		return nil
	}
	return jen.Op(strings.Join(bits, " | "))
}
