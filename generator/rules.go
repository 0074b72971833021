package generator

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/internal/ordered"
)

// checkedFormats are the formats the generated validators check.
var checkedFormats = []string{"date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6", "hostname"}

// rulesBuilder turns schemas into model.Rules, once per schema, so that
// shared schemas share their rules and recursive ones make cycles.
type rulesBuilder struct {
	done map[*document.Schema]*model.Rules
	// dispatch holds, per channel, the discriminator found for it; the
	// names are given when every type is named.
	dispatch map[*model.Channel]*model.Dispatch
}

// addRules gives every type and message built so far the rules of its
// schema, and finds each new channel's discriminator. It runs at the end
// of addDocument, while b.doc is the document the schemas come from.
func (b *builder) addRules(channels []*model.Channel) error {
	if b.rules == nil {
		b.rules = &rulesBuilder{done: map[*document.Schema]*model.Rules{}, dispatch: map[*model.Channel]*model.Dispatch{}}
	}
	schemas := b.ruleSchemas()
	for _, t := range b.pkg.Types {
		v := schemas[t]
		if v == nil {
			continue
		}
		r, err := b.schemaRules(v)
		if err != nil {
			return err
		}
		t.Rules = r
	}
	if err := b.addVariantRules(); err != nil {
		return err
	}
	for _, m := range b.doc.Messages {
		msg := b.messageOf[m]
		if msg == nil || m.Payload == nil || m.Payload.Value == nil {
			continue
		}
		r, err := b.schemaRules(m.Payload.Value)
		if err != nil {
			return err
		}
		msg.PayloadRules = r
	}
	for i, ch := range b.doc.Channels {
		if i < len(channels) {
			b.findDispatch(channels[i], ch)
		}
	}
	return nil
}

// ruleSchemas returns the schema each type without rules takes them
// from. A type made from a schema whose one allOf part gives its type
// ("composedAs") is mapped from both schemas, and from a chain of them;
// its rules are the outermost schema's, which holds its parts' keywords
// and its own beside them.
func (b *builder) ruleSchemas() map[*model.Type]*document.Schema {
	candidates := map[*model.Type][]*document.Schema{}
	for v, t := range b.named {
		if t.Rules == nil && b.doc.SchemaInfo[v] != nil {
			candidates[t] = append(candidates[t], v)
		}
	}
	out := make(map[*model.Type]*document.Schema, len(candidates))
	for t, schemas := range candidates {
		out[t] = b.outermost(schemas)
	}
	return out
}

// outermost returns the schema of schemas that is no part of another;
// when that does not decide, the first by place in the document.
func (b *builder) outermost(schemas []*document.Schema) *document.Schema {
	if len(schemas) == 1 {
		return schemas[0]
	}
	slices.SortFunc(schemas, func(x, y *document.Schema) int {
		return strings.Compare(b.doc.SchemaInfo[x].Loc.String(), b.doc.SchemaInfo[y].Loc.String())
	})
	var roots []*document.Schema
	for _, v := range schemas {
		if !slices.ContainsFunc(schemas, func(o *document.Schema) bool { return o != v && isPartOf(v, o) }) {
			roots = append(roots, v)
		}
	}
	if len(roots) > 0 {
		return roots[0]
	}
	return schemas[0]
}

// isPartOf reports whether v is one of o's allOf, oneOf or anyOf parts.
func isPartOf(v, o *document.Schema) bool {
	for _, parts := range []document.SchemaRefs{o.AllOf, o.OneOf, o.AnyOf} {
		for _, part := range parts {
			if part != nil && part.Value == v {
				return true
			}
		}
	}
	return false
}

// addVariantRules gives every union variant built so far the rules of its
// schema.
func (b *builder) addVariantRules() error {
	for _, pv := range b.pendingVariants {
		r, err := b.schemaRules(pv.schema)
		if err != nil {
			return err
		}
		pv.variant.Rules = r
	}
	b.pendingVariants = nil
	return nil
}

// schemaRules returns the rules of schema v.
func (b *builder) schemaRules(v *document.Schema) (*model.Rules, error) {
	if r, ok := b.rules.done[v]; ok {
		return r, nil
	}
	r := &model.Rules{}
	pointer := ""
	if info := b.doc.SchemaInfo[v]; info != nil {
		r.Source = b.source(info.Loc)
		pointer = info.Loc.Pointer
	}
	b.nameRuleConsts(r, pointer)
	b.rules.done[v] = r
	if v.Always != nil {
		r.Never = !*v.Always
		return r, nil
	}
	leafRules(r, v)
	if r.Pattern != "" {
		if err := checkPattern(v.KeywordLoc("pattern"), "pattern", r.Pattern); err != nil {
			return nil, err
		}
		b.usePattern(r.Pattern, &r.PatternVar)
	}
	if err := b.objectRules(r, v); err != nil {
		return nil, err
	}
	return r, b.composedRules(r, v)
}

// leafRules copies the keywords that hold no subschema.
func leafRules(r *model.Rules, v *document.Schema) {
	if v.Type != nil {
		r.Types = slices.Clone([]string(*v.Type))
		if v.Nullable && !slices.Contains(r.Types, "null") {
			r.Types = append(r.Types, "null")
		}
	}
	r.Enum = modelValues(v.Enum)
	if v.Const != nil {
		r.Const = &model.Const{Value: modelValue(v.Const)}
	}
	if slices.Contains(checkedFormats, v.Format) {
		r.Format = v.Format
	}
	r.Pattern = v.Pattern
	if v.MinLength > 0 {
		r.MinLength = ptr(v.MinLength)
	}
	r.MaxLength = v.MaxLength
	numberRules(r, v)
	if v.MinItems > 0 {
		r.MinItems = ptr(v.MinItems)
	}
	r.MaxItems = v.MaxItems
	r.UniqueItems = v.UniqueItems
	if v.MinProps > 0 {
		r.MinProperties = ptr(v.MinProps)
	}
	r.MaxProperties = v.MaxProps
}

// numberRules reads the bounds in both spellings: draft-07's numeric
// exclusiveMinimum, and OpenAPI 3.0's boolean that makes minimum exclusive.
// Each bound is kept as a float64 and, when whole, as an int64 too.
func numberRules(r *model.Rules, v *document.Schema) {
	r.Minimum, r.Maximum = floatOf(v.Min), floatOf(v.Max)
	r.MinimumInt, r.MaximumInt = intOf(v.Min), intOf(v.Max)
	if x := v.ExclusiveMin; x.Value != nil {
		r.ExclusiveMinimum, r.ExclusiveMinimumInt = floatOf(x.Value), intOf(x.Value)
	} else if x.IsTrue() && v.Min != nil {
		r.ExclusiveMinimum, r.Minimum = floatOf(v.Min), nil
		r.ExclusiveMinimumInt, r.MinimumInt = intOf(v.Min), nil
	}
	if x := v.ExclusiveMax; x.Value != nil {
		r.ExclusiveMaximum, r.ExclusiveMaximumInt = floatOf(x.Value), intOf(x.Value)
	} else if x.IsTrue() && v.Max != nil {
		r.ExclusiveMaximum, r.Maximum = floatOf(v.Max), nil
		r.ExclusiveMaximumInt, r.MaximumInt = intOf(v.Max), nil
	}
	if m := floatOf(v.MultipleOf); m != nil && *m > 0 && !math.IsInf(*m, 0) {
		r.MultipleOf = m
		if n := intOf(v.MultipleOf); n != nil && *n > 0 {
			r.MultipleOfInt = n
		}
	}
}

// floatOf is the float64 nearest to n, nil for none.
func floatOf(n *document.Number) *float64 {
	if n == nil {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

// intOf is n to the digit when its literal is a whole number that fits an
// int64: digits, and perhaps a fraction of zeros (5.0). Literals with an
// exponent are left to the float64. nil otherwise.
func intOf(n *document.Number) *int64 {
	if n == nil {
		return nil
	}
	text := n.String()
	if whole, fraction, found := strings.Cut(text, "."); found {
		if strings.Trim(fraction, "0") != "" {
			return nil
		}
		text = whole
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil
	}
	return &i
}

func ptr[T any](v T) *T { return &v }

// objectRules reads required, properties, patternProperties and
// additionalProperties.
func (b *builder) objectRules(r *model.Rules, v *document.Schema) error {
	r.Required = slices.Clone(v.Required)
	for _, name := range b.propertyOrder(v) {
		p := v.Properties[name]
		if p == nil || p.Value == nil {
			continue
		}
		pr, err := b.schemaRules(p.Value)
		if err != nil {
			return err
		}
		r.Properties = append(r.Properties, &model.PropertyRules{Name: name, Rules: pr})
	}
	if err := b.patternRules(r, v); err != nil {
		return err
	}
	if err := b.dependencyRules(r, v); err != nil {
		return err
	}
	ap := v.AdditionalProperties
	if ap.Has != nil && !*ap.Has {
		r.NoAdditionalProperties = true
	}
	if ap.Schema != nil && ap.Schema.Value != nil {
		s := ap.Schema.Value
		if s.Always != nil && !*s.Always {
			r.NoAdditionalProperties = true
			return nil
		}
		pr, err := b.schemaRules(s)
		if err != nil {
			return err
		}
		r.AdditionalProperties = pr
	}
	return nil
}

// patternRules reads patternProperties, in pattern order, and
// propertyNames.
func (b *builder) patternRules(r *model.Rules, v *document.Schema) error {
	patterns := make([]string, 0, len(v.PatternProperties))
	for pattern := range v.PatternProperties {
		patterns = append(patterns, pattern)
	}
	slices.Sort(patterns)
	for _, pattern := range patterns {
		p := v.PatternProperties[pattern]
		if p == nil || p.Value == nil {
			continue
		}
		if err := checkPattern(v.KeywordLoc("patternProperties", pattern), "patternProperties", pattern); err != nil {
			return err
		}
		rules := &model.PatternRules{Pattern: pattern}
		b.usePattern(pattern, &rules.Var)
		pr, err := b.schemaRules(p.Value)
		if err != nil {
			return err
		}
		rules.Rules = pr
		r.PatternProperties = append(r.PatternProperties, rules)
	}
	var err error
	r.PropertyNames, err = b.optionalRules(v.PropertyNames)
	return err
}

// dependencyRules reads dependentRequired and dependentSchemas, sorted by
// property.
func (b *builder) dependencyRules(r *model.Rules, v *document.Schema) error {
	for _, name := range slices.Sorted(maps.Keys(v.DependentRequired)) {
		if required := v.DependentRequired[name]; len(required) > 0 {
			r.DependentRequired = append(r.DependentRequired, &model.Dependency{Property: name, Required: slices.Clone(required)})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(v.DependentSchemas)) {
		s := v.DependentSchemas[name]
		if s == nil || s.Value == nil {
			continue
		}
		pr, err := b.schemaRules(s.Value)
		if err != nil {
			return err
		}
		r.DependentSchemas = append(r.DependentSchemas, &model.PropertyRules{Name: name, Rules: pr})
	}
	return nil
}

// optionalRules returns the rules of ref's schema, nil when there is none.
func (b *builder) optionalRules(ref *document.SchemaRef) (*model.Rules, error) {
	if ref == nil || ref.Value == nil {
		return nil, nil
	}
	return b.schemaRules(ref.Value)
}

// arrayRules reads items, prefixItems and contains.
func (b *builder) arrayRules(r *model.Rules, v *document.Schema) error {
	var err error
	if r.Items, err = b.optionalRules(v.Items); err != nil {
		return err
	}
	if r.PrefixItems, err = b.rulesList(v.PrefixItems); err != nil {
		return err
	}
	if r.Contains, err = b.optionalRules(v.Contains); err != nil || r.Contains == nil {
		return err
	}
	r.MinContains, r.MaxContains = v.MinContains, v.MaxContains
	return nil
}

// conditionalRules reads if, then and else; if alone checks nothing.
func (b *builder) conditionalRules(r *model.Rules, v *document.Schema) error {
	if v.If == nil || v.If.Value == nil || (v.Then == nil && v.Else == nil) {
		return nil
	}
	var err error
	if r.If, err = b.schemaRules(v.If.Value); err != nil {
		return err
	}
	if r.Then, err = b.optionalRules(v.Then); err != nil {
		return err
	}
	r.Else, err = b.optionalRules(v.Else)
	return err
}

// composedRules reads items and the composing keywords.
func (b *builder) composedRules(r *model.Rules, v *document.Schema) error {
	if err := b.arrayRules(r, v); err != nil {
		return err
	}
	if err := b.conditionalRules(r, v); err != nil {
		return err
	}
	var err error
	if r.AllOf, err = b.rulesList(v.AllOf); err != nil {
		return err
	}
	if r.AnyOf, err = b.rulesList(v.AnyOf); err != nil {
		return err
	}
	if r.OneOf, err = b.rulesList(v.OneOf); err != nil {
		return err
	}
	r.Discriminator = b.discriminatorRules(v)
	if v.Not != nil && v.Not.Value != nil {
		r.Not, err = b.schemaRules(v.Not.Value)
	}
	return err
}

func (b *builder) rulesList(refs document.SchemaRefs) ([]*model.Rules, error) {
	var out []*model.Rules
	for _, ref := range refs {
		if ref == nil || ref.Value == nil {
			continue
		}
		r, err := b.schemaRules(ref.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// findDispatch finds how to tell apart the messages of a channel that
// carries several: the payloads' AsyncAPI discriminator, else a property
// every payload fixes to a distinct string, integer or boolean with const
// or a one-value enum.
func (b *builder) findDispatch(c *model.Channel, ch *document.Channel) {
	msgs := channelMessages(ch).Items()
	if len(msgs) == 0 {
		msgs = replyMessages(b.doc, ch)
	}
	if len(msgs) < 2 || !b.distinctPayloadTypes(msgs) {
		return
	}
	if d := b.discriminatorDispatch(msgs); d != nil {
		b.rules.dispatch[c] = d
		return
	}
	if d := b.constDispatch(msgs); d != nil {
		b.rules.dispatch[c] = d
	}
}

// channelMessages lists the messages of a channel's operations, each once,
// in the order they are first named.
func channelMessages(ch *document.Channel) *ordered.Set[*document.Message] {
	var msgs ordered.Set[*document.Message]
	for _, op := range ch.AllOperations() {
		for _, m := range op.Messages {
			msgs.Add(m)
		}
	}
	return &msgs
}

// distinctPayloadTypes reports whether every message has a payload of its
// own named type that can carry methods, so that a type switch on the
// decoded value tells the messages apart.
func (b *builder) distinctPayloadTypes(msgs []*document.Message) bool {
	seen := map[string]bool{}
	for _, m := range msgs {
		msg := b.messageOf[m]
		if msg == nil || msg.Payload == nil || msg.Payload.Kind != model.NamedRef || seen[msg.Payload.Name] {
			return false
		}
		if t := b.byName[msg.Payload.Name]; t == nil || t.Kind == model.AliasKind {
			return false
		}
		seen[msg.Payload.Name] = true
	}
	return true
}

// discriminatorDispatch uses the AsyncAPI discriminator the payloads (or
// their allOf bases) declare. The value naming a message is the one the
// payload fixes for the property, else, for a string property, the
// payload schema's name. Every value must be of one JSON type.
func (b *builder) discriminatorDispatch(msgs []*document.Message) *model.Dispatch {
	prop := ""
	for _, m := range msgs {
		p := schemaDiscriminator(m.Payload.Value, map[*document.Schema]bool{})
		if p == "" || (prop != "" && p != prop) {
			return nil
		}
		prop = p
	}
	d := &model.Dispatch{Property: prop}
	for _, m := range msgs {
		value, jsonType, ok := b.fixedValue(m.Payload.Value, prop)
		if !ok {
			if t := b.propertyType(m.Payload.Value, prop); t != "" && t != "string" {
				return nil
			}
			value, jsonType = b.doc.SchemaInfo[m.Payload.Value].Name, "string"
		}
		if !addDispatchCase(d, value, jsonType, b.messageOf[m]) {
			return nil
		}
	}
	return distinctCases(d)
}

// propertyType is the JSON type property name of payload schema v
// allows, "" when it does not say.
func (b *builder) propertyType(v *document.Schema, name string) string {
	for _, p := range b.properties(v) {
		if p.name == name && p.schema != nil && p.schema.Value != nil {
			return baseType(p.schema.Value)
		}
	}
	return ""
}

func schemaDiscriminator(v *document.Schema, seen map[*document.Schema]bool) string {
	if v == nil || seen[v] {
		return ""
	}
	seen[v] = true
	if v.Discriminator != nil && v.Discriminator.PropertyName != "" {
		return v.Discriminator.PropertyName
	}
	for _, part := range v.AllOf {
		if p := schemaDiscriminator(part.Value, seen); p != "" {
			return p
		}
	}
	return ""
}

// constDispatch picks the first property, in the first payload's order,
// that every payload fixes to a different value, all of one JSON type.
func (b *builder) constDispatch(msgs []*document.Message) *model.Dispatch {
	for _, p := range b.properties(msgs[0].Payload.Value) {
		d := &model.Dispatch{Property: p.name}
		for _, m := range msgs {
			value, jsonType, ok := b.fixedValue(m.Payload.Value, p.name)
			if !ok || !addDispatchCase(d, value, jsonType, b.messageOf[m]) {
				d = nil
				break
			}
		}
		if d != nil && distinctCases(d) != nil {
			return d
		}
	}
	return nil
}

// fixedValue is the value a payload schema fixes property name to, with
// const or an enum of one value, in its own properties or those of its
// allOf parts (where a derived schema fixes the property of its base), as
// a dispatch case writes it, and its JSON type: a string, an integer or a
// boolean. ok is false when the schema fixes no such value.
func (b *builder) fixedValue(v *document.Schema, name string) (value, jsonType string, ok bool) {
	return fixedValueIn(v, name, map[*document.Schema]bool{})
}

func fixedValueIn(v *document.Schema, name string, seen map[*document.Schema]bool) (value, jsonType string, ok bool) {
	if v == nil || seen[v] {
		return "", "", false
	}
	seen[v] = true
	if p := v.Properties[name]; p != nil && p.Value != nil {
		if s := p.Value; s.Const != nil {
			return dispatchValue(s.Const)
		} else if values := enumValues(s); len(values) == 1 {
			return dispatchValue(values[0])
		}
	}
	for _, part := range v.AllOf {
		if value, jsonType, ok = fixedValueIn(part.Value, name, seen); ok {
			return value, jsonType, ok
		}
	}
	return "", "", false
}

// dispatchValue writes a fixed value a channel may dispatch on.
func dispatchValue(v any) (value, jsonType string, ok bool) {
	switch x := v.(type) {
	case string:
		return x, "string", true
	case bool:
		return strconv.FormatBool(x), "boolean", true
	}
	if n, whole := wholeNumber(v); whole {
		return strconv.FormatInt(n, 10), "integer", true
	}
	return "", "", false
}

// addDispatchCase adds the case of msg to d, unless its value is of
// another JSON type than the cases before it.
func addDispatchCase(d *model.Dispatch, value, jsonType string, msg *model.Message) bool {
	if d.Type != "" && d.Type != jsonType {
		return false
	}
	d.Type = jsonType
	d.Cases = append(d.Cases, &model.DispatchCase{Value: value, Message: msg})
	return true
}

func distinctCases(d *model.Dispatch) *model.Dispatch {
	seen := map[string]bool{}
	for _, c := range d.Cases {
		if seen[c.Value] {
			return nil
		}
		seen[c.Value] = true
	}
	return d
}

// nameDecoders names the decode functions and channel interfaces, once
// every type has its name.
func (b *builder) nameDecoders() {
	for _, msg := range b.pkg.Messages {
		if msg.Payload != nil {
			msg.DecodeFunc = b.values.claim("Decode" + msg.Name)
		}
		if h := msg.Headers; h != nil && h.Kind == model.NamedRef {
			if t := b.byName[h.Name]; t != nil && t.Kind == model.StructKind {
				msg.HeadersDecodeFunc = b.values.claim("Decode" + msg.Name + "Headers")
			}
		}
	}
	if b.rules == nil {
		return
	}
	for _, c := range b.pkg.Channels {
		d := b.rules.dispatch[c]
		if d == nil {
			continue
		}
		d.Func = b.values.claim("Decode" + c.GoName)
		d.Interface = b.values.claim(c.GoName + "Message")
		d.Marker = "is" + d.Interface
		c.Dispatch = d
	}
}
