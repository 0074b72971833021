package document

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// This file reads schemas from the node tree into the schema model, with
// no detour through JSON: every keyword is checked where it is written,
// then read into its field. AsyncAPI's and draft-07's spellings are read
// into the model's one spelling: a tuple items becomes prefixItems (with
// additionalItems as items), dependencies splits into dependentRequired and
// dependentSchemas, definitions joins $defs, and a string discriminator
// becomes one with a property name.

// schemaSet reads schema nodes into schemas, once per place: every $ref to
// the same place gets the same *Schema, which is how recursive schemas
// become pointer cycles.
type schemaSet struct {
	loader *Loader
	byKey  map[string]*Schema
	info   map[*Schema]*SchemaInfo
}

func newSchemaSet(l *Loader, info map[*Schema]*SchemaInfo) *schemaSet {
	return &schemaSet{loader: l, byKey: map[string]*Schema{}, info: info}
}

// schema reads the schema at n (a schema or a reference to one).
func (s *schemaSet) schema(n *Node) (*SchemaRef, error) {
	if !IsRef(n) {
		v, err := s.at(n)
		if err != nil {
			return nil, err
		}
		return &SchemaRef{Value: v}, nil
	}
	target, err := s.loader.Follow(n)
	if err != nil {
		return nil, err
	}
	v, err := s.at(target)
	if err != nil {
		return nil, err
	}
	return &SchemaRef{Ref: nodeKey(target), Value: v}, nil
}

func nodeKey(n *Node) string { return n.File.Path + "#" + n.Pointer }

// at reads the schema written at n, or returns the one already read. The
// schema written inline is read first, whole; then the $refs inside it are
// linked to their targets, in a fixed order (schemaChildren's), so which
// error is reported first never depends on map order.
func (s *schemaSet) at(n *Node) (*Schema, error) {
	key := nodeKey(n)
	if v, ok := s.byKey[key]; ok {
		return v, nil
	}
	rd := &schemaReader{set: s, values: valueReader{budget: s.loader.budget}}
	v, err := rd.read(n)
	if err != nil {
		return nil, err
	}
	s.byKey[key] = v
	return v, s.link(v, map[*Schema]bool{})
}

// link points every $ref inside v's inline tree at the schema it names.
func (s *schemaSet) link(v *Schema, done map[*Schema]bool) error {
	if done[v] {
		return nil
	}
	done[v] = true
	for _, child := range schemaChildren(v) {
		r := child.ref
		if r.target != nil {
			linked, err := s.at(r.target)
			if err != nil {
				return err
			}
			r.Value, r.target = linked, nil
			continue
		}
		if r.Ref != "" || r.Value == nil {
			continue
		}
		if err := s.link(r.Value, done); err != nil {
			return err
		}
	}
	return nil
}

// schemaName is the name a schema is known by when it is referenced: its
// key under components.schemas, or the last token of its pointer.
func schemaName(n *Node) string {
	if k := componentKey(n, "schemas"); k != "" {
		return k
	}
	if n.Pointer == "" {
		base := n.File.Path
		if i := strings.LastIndexAny(base, `/\`); i >= 0 {
			base = base[i+1:]
		}
		base, _, _ = strings.Cut(base, ".")
		return base
	}
	i := strings.LastIndex(n.Pointer, "/")
	return unescapePointer(n.Pointer[i+1:])
}

// child is one subschema position of a schema.
type child struct {
	path string
	ref  *SchemaRef
}

// schemaChildren lists the direct subschemas of v with their relative
// paths, in a fixed order.
func schemaChildren(v *Schema) []child {
	var out []child
	add := func(path string, r *SchemaRef) {
		if r != nil {
			out = append(out, child{path: path, ref: r})
		}
	}
	addList := func(kw string, list SchemaRefs) {
		for i, r := range list {
			add("/"+kw+"/"+strconv.Itoa(i), r)
		}
	}
	addMap := func(kw string, m Schemas) {
		// Sorted, so that which error is reported first never depends on
		// map order.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			add("/"+kw+"/"+escapePointer(k), m[k])
		}
	}
	addMap("properties", v.Properties)
	addMap("patternProperties", v.PatternProperties)
	addMap("dependentSchemas", v.DependentSchemas)
	addMap("$defs", v.Defs)
	add("/additionalProperties", v.AdditionalProperties.Schema)
	add("/items", v.Items)
	addList("prefixItems", v.PrefixItems)
	addList("allOf", v.AllOf)
	addList("anyOf", v.AnyOf)
	addList("oneOf", v.OneOf)
	add("/not", v.Not)
	add("/if", v.If)
	add("/then", v.Then)
	add("/else", v.Else)
	add("/contains", v.Contains)
	add("/propertyNames", v.PropertyNames)
	add("/contentSchema", v.ContentSchema)
	add("/unevaluatedItems", v.UnevaluatedItems.Schema)
	add("/unevaluatedProperties", v.UnevaluatedProperties.Schema)
	return out
}

// schemaReader reads one schema node and the schemas written inside it.
type schemaReader struct {
	set    *schemaSet
	values valueReader
}

// ref reads a subschema: a $ref or a YAML alias becomes a reference to be
// linked once the whole inline tree is read; any other node is read here.
func (rd *schemaReader) ref(n *Node) (*SchemaRef, error) {
	if err := rd.values.budget.spend(n); err != nil {
		return nil, err
	}
	if IsRef(n) {
		target, err := rd.set.loader.Follow(n)
		if err != nil {
			return nil, err
		}
		return &SchemaRef{Ref: nodeKey(target), target: target}, nil
	}
	if n.aliased && n.Kind == KindMap {
		// A YAML alias names the same schema, as a $ref would: it becomes
		// one shared schema instead of a copy in every place.
		return &SchemaRef{Ref: nodeKey(n), target: n}, nil
	}
	v, err := rd.schema(n)
	if err != nil {
		return nil, err
	}
	return &SchemaRef{Value: v}, nil
}

// read reads the schema at the root of an inline tree.
func (rd *schemaReader) read(n *Node) (*Schema, error) {
	if err := rd.values.budget.spend(n); err != nil {
		return nil, err
	}
	return rd.schema(n)
}

// schema reads the schema written at n (not a $ref), recording its facts.
func (rd *schemaReader) schema(n *Node) (*Schema, error) {
	v := &Schema{node: n}
	switch n.Kind {
	case KindBool:
		always := n.Bool
		v.Always = &always
		rd.record(v, n)
		return v, nil
	case KindMap:
	default:
		return nil, n.Errorf("a schema must be an object or a boolean, not %s", described(n.Kind))
	}
	rd.record(v, n)
	for i, key := range n.Keys {
		if err := rd.keyword(v, n, key, n.Values[i]); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// record remembers where v is written, what it is called and the order of
// its properties.
func (rd *schemaReader) record(v *Schema, n *Node) {
	info := &SchemaInfo{Loc: n.Loc(), Name: schemaName(n), GoName: n.Get("x-go-name").Loc()}
	if props := n.Get("properties"); props != nil && props.Kind == KindMap {
		info.PropertyOrder = props.Keys
	}
	rd.set.info[v] = info
}

// keyword checks the value of one keyword of the schema at parent and
// reads it into v. Keywords the model does not hold are only checked;
// JSON Schema's keywords are case-sensitive, so "Type" is one of those.
func (rd *schemaReader) keyword(v *Schema, parent *Node, key string, n *Node) error {
	if err := checkKeyword(key, n); err != nil {
		return err
	}
	if strings.HasPrefix(key, "x-") {
		return rd.extension(v, key, n)
	}
	if ok, err := rd.subschemaKeyword(v, key, n); ok {
		return err
	}
	switch key {
	case "items":
		return rd.items(v, n, parent.Get("additionalItems"))
	case "dependencies":
		return rd.dependencies(v, n)
	case "dependentRequired":
		return rd.dependentRequired(v, n)
	case "discriminator":
		v.Discriminator = readDiscriminator(n)
		return nil
	}
	return rd.valueKeyword(v, key, n)
}

// extension keeps an x- keyword's value.
func (rd *schemaReader) extension(v *Schema, key string, n *Node) error {
	value, err := rd.values.data(n)
	if err != nil {
		return err
	}
	if v.Extensions == nil {
		v.Extensions = map[string]any{}
	}
	v.Extensions[key] = value
	return nil
}

// subschemaKeyword reads a keyword whose value is a schema, a list of
// schemas or a map of schemas; ok is false for any other keyword.
func (rd *schemaReader) subschemaKeyword(v *Schema, key string, n *Node) (ok bool, err error) {
	if dst := listField(v, key); dst != nil {
		*dst, err = rd.list(key, n)
		return true, err
	}
	if dst := refField(v, key); dst != nil {
		*dst, err = rd.ref(n)
		return true, err
	}
	if dst := boolSchemaField(v, key); dst != nil {
		*dst, err = rd.boolSchema(n)
		return true, err
	}
	if dst := mapField(v, key); dst != nil {
		return true, rd.mapInto(dst, key, n)
	}
	return false, nil
}

// listField is v's field for a keyword whose value is a list of schemas.
func listField(v *Schema, key string) *SchemaRefs {
	switch key {
	case "allOf":
		return &v.AllOf
	case "anyOf":
		return &v.AnyOf
	case "oneOf":
		return &v.OneOf
	case "prefixItems":
		return &v.PrefixItems
	}
	return nil
}

// refField is v's field for a keyword whose value is one schema.
func refField(v *Schema, key string) **SchemaRef {
	switch key {
	case "not":
		return &v.Not
	case "if":
		return &v.If
	case "then":
		return &v.Then
	case "else":
		return &v.Else
	case "contains":
		return &v.Contains
	case "propertyNames":
		return &v.PropertyNames
	case "contentSchema":
		return &v.ContentSchema
	}
	return nil
}

// boolSchemaField is v's field for a keyword whose value is a boolean or
// a schema.
func boolSchemaField(v *Schema, key string) *BoolSchema {
	switch key {
	case "additionalProperties":
		return &v.AdditionalProperties
	case "unevaluatedItems":
		return &v.UnevaluatedItems
	case "unevaluatedProperties":
		return &v.UnevaluatedProperties
	}
	return nil
}

// mapField is v's field for a keyword whose value maps names to schemas.
func mapField(v *Schema, key string) *Schemas {
	switch key {
	case "properties":
		return &v.Properties
	case "patternProperties":
		return &v.PatternProperties
	case "dependentSchemas":
		return &v.DependentSchemas
	case "$defs", "definitions":
		return &v.Defs
	}
	return nil
}

// list reads a keyword whose value is a list of schemas.
func (rd *schemaReader) list(key string, n *Node) (SchemaRefs, error) {
	if err := wantKind(key, n, KindList); err != nil {
		return nil, err
	}
	out := make(SchemaRefs, len(n.Items))
	for i, item := range n.Items {
		var err error
		if out[i], err = rd.ref(item); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mapInto reads a keyword whose value maps names to schemas into *dst,
// joining it with what another spelling of the keyword (definitions and
// $defs, dependencies and dependentSchemas) put there already: both apply,
// so two schemas for one name become their allOf.
func (rd *schemaReader) mapInto(dst *Schemas, key string, n *Node) error {
	if err := wantKind(key, n, KindMap); err != nil {
		return err
	}
	for i, name := range n.Keys {
		r, err := rd.ref(n.Values[i])
		if err != nil {
			return err
		}
		rd.addSchema(dst, name, r, n)
	}
	return nil
}

// addSchema sets (*dst)[name] to r, or to the allOf of r and the schema
// already there. That allOf is placed at keyword, the map where the
// second spelling names it (a place no other schema has), so that the
// checks that walk every schema see it, in a fixed order.
func (rd *schemaReader) addSchema(dst *Schemas, name string, r *SchemaRef, keyword *Node) {
	if *dst == nil {
		*dst = Schemas{}
	}
	if prev, ok := (*dst)[name]; ok {
		both := &Schema{AllOf: SchemaRefs{prev, r}}
		rd.record(both, keyword)
		rd.set.info[both].Name = name
		r = &SchemaRef{Value: both}
	}
	(*dst)[name] = r
}

// boolSchema reads a keyword whose value is a boolean or a schema.
func (rd *schemaReader) boolSchema(n *Node) (BoolSchema, error) {
	if n.Kind == KindBool {
		has := n.Bool
		return BoolSchema{Has: &has}, rd.values.budget.spend(n)
	}
	r, err := rd.ref(n)
	return BoolSchema{Schema: r}, err
}

// items reads draft-07 "items": one schema, or a tuple (a list) that
// becomes prefixItems, with additionalItems as the schema for the rest.
func (rd *schemaReader) items(v *Schema, n, additional *Node) error {
	var err error
	if n.Kind != KindList {
		v.Items, err = rd.ref(n)
		return err
	}
	if v.PrefixItems, err = rd.list("items", n); err != nil {
		return err
	}
	if additional == nil {
		return nil
	}
	if err := checkKeyword("additionalItems", additional); err != nil {
		return err
	}
	v.Items, err = rd.ref(additional)
	return err
}

// dependencies splits draft-07 "dependencies" into dependentRequired (lists
// of names) and dependentSchemas.
func (rd *schemaReader) dependencies(v *Schema, n *Node) error {
	for i, name := range n.Keys {
		dep := n.Values[i]
		if dep.Kind == KindList {
			if err := rd.addRequired(v, name, dep); err != nil {
				return err
			}
			continue
		}
		r, err := rd.ref(dep)
		if err != nil {
			return err
		}
		rd.addSchema(&v.DependentSchemas, name, r, n)
	}
	return nil
}

// dependentRequired reads "dependentRequired", joining it with the lists
// of names dependencies gave.
func (rd *schemaReader) dependentRequired(v *Schema, n *Node) error {
	if err := rd.values.budget.spend(n); err != nil {
		return err
	}
	for i, name := range n.Keys {
		if err := rd.addRequired(v, name, n.Values[i]); err != nil {
			return err
		}
	}
	return nil
}

// addRequired adds the property names of the list names to the ones
// property name requires.
func (rd *schemaReader) addRequired(v *Schema, name string, names *Node) error {
	if err := rd.values.budget.spend(names); err != nil {
		return err
	}
	if v.DependentRequired == nil {
		v.DependentRequired = map[string][]string{}
	}
	list := v.DependentRequired[name]
	if list == nil {
		list = []string{}
	}
	for _, item := range names.Items {
		if err := rd.values.budget.spend(item); err != nil {
			return err
		}
		list = append(list, item.Str)
	}
	v.DependentRequired[name] = list
	return nil
}

// readDiscriminator reads AsyncAPI's string discriminator and OpenAPI's
// object one, already checked.
func readDiscriminator(n *Node) *Discriminator {
	if n.Kind == KindString {
		return &Discriminator{PropertyName: n.Str}
	}
	d := &Discriminator{PropertyName: n.Get("propertyName").strOrEmpty()}
	if mapping := n.Get("mapping"); mapping != nil {
		d.Mapping = make(map[string]MappingRef, len(mapping.Keys))
		for i, key := range mapping.Keys {
			d.Mapping[key] = MappingRef{Ref: mapping.Values[i].Str}
		}
	}
	return d
}

// strOrEmpty is a string node's text, "" for nil.
func (n *Node) strOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.Str
}
