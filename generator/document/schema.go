package document

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// checkSchemaFormat refuses a message's schemaFormat unless it is one
// asyncgen reads: the AsyncAPI Schema Object, JSON Schema draft-07, or the
// OpenAPI 3.0 Schema Object. kin-openapi's schema model holds all three, so
// the only rewriting they need is done by rewriter for every schema:
// OpenAPI's nullable, boolean exclusive bounds and object discriminator are
// already its own spelling.
func checkSchemaFormat(msg *Node, format string) error {
	if format == "" {
		return nil
	}
	mediaType, _, _ := strings.Cut(format, ";")
	switch strings.TrimSpace(strings.ToLower(mediaType)) {
	case "application/vnd.aai.asyncapi", "application/vnd.aai.asyncapi+json", "application/vnd.aai.asyncapi+yaml",
		"application/schema+json", "application/schema+yaml",
		"application/vnd.oai.openapi", "application/vnd.oai.openapi+json", "application/vnd.oai.openapi+yaml":
		return nil
	}
	kind := "this schema format"
	switch {
	case strings.Contains(format, "avro"):
		kind = "Avro schemas"
	case strings.Contains(format, "raml"):
		kind = "RAML data types"
	case strings.Contains(format, "protobuf"):
		kind = "Protocol Buffers schemas"
	}
	return msg.Get("schemaFormat").Errorf("unsupported schemaFormat %q: %s are not supported (use AsyncAPI, JSON Schema draft-07 or OpenAPI 3.0 schemas)", format, kind)
}

// schemaSet converts schema nodes into kin-openapi schemas, once per place:
// every $ref to the same place gets the same *openapi3.Schema, which is how
// recursive schemas become pointer cycles.
type schemaSet struct {
	loader *Loader
	byKey  map[string]*openapi3.Schema
	info   map[*openapi3.Schema]*SchemaInfo
}

func newSchemaSet(l *Loader, info map[*openapi3.Schema]*SchemaInfo) *schemaSet {
	return &schemaSet{loader: l, byKey: map[string]*openapi3.Schema{}, info: info}
}

// schema reads the schema at n (a schema or a reference to one).
func (s *schemaSet) schema(n *Node) (*openapi3.SchemaRef, error) {
	if !IsRef(n) {
		v, err := s.at(n)
		if err != nil {
			return nil, err
		}
		return &openapi3.SchemaRef{Value: v}, nil
	}
	target, err := s.loader.Follow(n)
	if err != nil {
		return nil, err
	}
	v, err := s.at(target)
	if err != nil {
		return nil, err
	}
	return &openapi3.SchemaRef{Ref: nodeKey(target), Value: v}, nil
}

func nodeKey(n *Node) string { return n.File.Path + "#" + n.Pointer }

// at converts the schema written at n, or returns the one already made.
func (s *schemaSet) at(n *Node) (*openapi3.Schema, error) {
	key := nodeKey(n)
	if v, ok := s.byKey[key]; ok {
		return v, nil
	}
	rw := &rewriter{set: s, places: map[string]*Node{}, budget: s.loader.budget}
	raw, err := rw.schema(n, "")
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, n.Errorf("internal error: the schema cannot be converted")
	}
	v := &openapi3.Schema{}
	if err := json.Unmarshal(data, v); err != nil {
		// The keyword checks should have caught every value of the
		// wrong type; this is what remains.
		return nil, n.Errorf("the schema has a keyword whose value is of the wrong type")
	}
	s.byKey[key] = v
	if err := s.record(v, n, rw.places, ""); err != nil {
		return nil, err
	}
	return v, nil
}

// record remembers where each schema inside v came from, and links each
// $ref inside it to the schema it names.
func (s *schemaSet) record(v *openapi3.Schema, n *Node, places map[string]*Node, path string) error {
	info := &SchemaInfo{Loc: n.Loc(), Name: schemaName(n), GoName: n.Get("x-go-name").Loc()}
	if props := n.Get("properties"); props != nil && props.Kind == KindMap {
		info.PropertyOrder = props.Keys
	}
	if _, seen := s.info[v]; !seen {
		s.info[v] = info
	}
	for _, child := range schemaChildren(v) {
		childPath := path + child.path
		if child.ref.Ref != "" {
			target := places[childPath]
			if target == nil {
				return n.Errorf("internal error: no node for $ref at %s", childPath)
			}
			linked, err := s.at(target)
			if err != nil {
				return err
			}
			child.ref.Value = linked
			continue
		}
		childNode := places[childPath]
		if childNode == nil || child.ref.Value == nil {
			continue
		}
		if err := s.record(child.ref.Value, childNode, places, childPath); err != nil {
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
	ref  *openapi3.SchemaRef
}

// schemaChildren lists the direct subschemas of v with their relative
// paths, in a fixed order.
func schemaChildren(v *openapi3.Schema) []child {
	var out []child
	add := func(path string, r *openapi3.SchemaRef) {
		if r != nil {
			out = append(out, child{path: path, ref: r})
		}
	}
	addList := func(kw string, list openapi3.SchemaRefs) {
		for i, r := range list {
			add("/"+kw+"/"+strconv.Itoa(i), r)
		}
	}
	addMap := func(kw string, m openapi3.Schemas) {
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
	return out
}

// rewriter turns one schema node into the JSON kin-openapi reads, spelling
// AsyncAPI's and draft-07's keywords as kin-openapi expects them. It
// records the node behind every subschema path, and replaces each nested
// $ref with the key of its target.
type rewriter struct {
	set *schemaSet
	// budget bounds the values built, shared with the whole Load.
	budget *budget
	// places maps a subschema's rewritten path to its node.
	places map[string]*Node
}

// schemaKeywords are the keywords whose values are one schema.
var schemaKeywords = map[string]bool{
	"additionalProperties": true, "not": true, "if": true, "then": true, "else": true,
	"contains": true, "propertyNames": true, "contentSchema": true,
	"unevaluatedItems": true, "unevaluatedProperties": true,
}

// schemaListKeywords are the keywords whose values are lists of schemas.
var schemaListKeywords = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true}

// schemaMapKeywords are the keywords whose values map names to schemas.
var schemaMapKeywords = map[string]string{
	"properties": "properties", "patternProperties": "patternProperties",
	"dependentSchemas": "dependentSchemas", "$defs": "$defs", "definitions": "$defs",
}

func (rw *rewriter) schema(n *Node, path string) (any, error) {
	if err := rw.budget.spend(n); err != nil {
		return nil, err
	}
	rw.places[path] = n
	if IsRef(n) {
		target, err := rw.set.loader.Follow(n)
		if err != nil {
			return nil, err
		}
		rw.places[path] = target
		return map[string]any{"$ref": nodeKey(target)}, nil
	}
	if n.aliased && path != "" && n.Kind == KindMap {
		// A YAML alias names the same schema, as a $ref would: it becomes
		// one shared schema instead of a copy in every place.
		return map[string]any{"$ref": nodeKey(n)}, nil
	}
	switch n.Kind {
	case KindBool:
		return n.Bool, nil
	case KindMap:
	default:
		return nil, n.Errorf("a schema must be an object or a boolean, not %s", described(n.Kind))
	}
	out := make(map[string]any, len(n.Keys))
	for i, key := range n.Keys {
		if shadowsKeyword(key) {
			// JSON Schema's keywords are case-sensitive: "Type" is not
			// "type", and is ignored like any unknown keyword, not
			// handed to a decoder that matches names in any case.
			continue
		}
		if err := rw.keyword(out, n, key, n.Values[i], path); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (rw *rewriter) keyword(out map[string]any, parent *Node, key string, v *Node, path string) error {
	if err := checkKeyword(key, v); err != nil {
		return err
	}
	var err error
	switch {
	case schemaKeywords[key]:
		out[key], err = rw.schema(v, path+"/"+key)
	case schemaListKeywords[key]:
		out[key], err = rw.schemaList(key, v, path+"/"+key)
	case schemaMapKeywords[key] != "":
		name := schemaMapKeywords[key]
		var m any
		m, err = rw.schemaMap(key, v, path+"/"+name)
		mergeKeyword(out, name, m)
	case key == "items":
		err = rw.items(out, v, parent.Get("additionalItems"), path)
	case key == "additionalItems":
		// Read together with a tuple "items"; meaningless without one.
	case key == "dependencies":
		err = rw.dependencies(out, v, path)
	case key == "dependentRequired":
		var m any
		m, err = rw.data(v)
		mergeKeyword(out, key, m)
	case key == "discriminator" && v.Kind == KindString:
		out[key] = map[string]any{"propertyName": v.Str}
	default:
		out[key], err = rw.data(v)
	}
	return err
}

func (rw *rewriter) schemaList(key string, v *Node, path string) (any, error) {
	if err := wantKind(key, v, KindList); err != nil {
		return nil, err
	}
	out := make([]any, len(v.Items))
	for i, item := range v.Items {
		var err error
		if out[i], err = rw.schema(item, path+"/"+strconv.Itoa(i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (rw *rewriter) schemaMap(key string, v *Node, path string) (any, error) {
	if err := wantKind(key, v, KindMap); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(v.Keys))
	for i, k := range v.Keys {
		var err error
		if out[k], err = rw.schema(v.Values[i], path+"/"+escapePointer(k)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// items reads draft-07 "items": one schema, or a tuple (a list) that
// becomes prefixItems, with additionalItems as the schema for the rest.
func (rw *rewriter) items(out map[string]any, v, additional *Node, path string) error {
	if v.Kind != KindList {
		var err error
		out["items"], err = rw.schema(v, path+"/items")
		return err
	}
	tuple, err := rw.schemaList("items", v, path+"/prefixItems")
	if err != nil {
		return err
	}
	out["prefixItems"] = tuple
	if rest := additional; rest != nil {
		if err := checkKeyword("additionalItems", rest); err != nil {
			return err
		}
		out["items"], err = rw.schema(rest, path+"/items")
	}
	return err
}

// dependencies splits draft-07 "dependencies" into dependentRequired (lists
// of names) and dependentSchemas.
func (rw *rewriter) dependencies(out map[string]any, v *Node, path string) error {
	required := map[string]any{}
	schemas := map[string]any{}
	for i, k := range v.Keys {
		dep := v.Values[i]
		if dep.Kind == KindList {
			names, err := rw.data(dep)
			if err != nil {
				return err
			}
			required[k] = names
			continue
		}
		s, err := rw.schema(dep, path+"/dependentSchemas/"+escapePointer(k))
		if err != nil {
			return err
		}
		schemas[k] = s
	}
	if len(required) > 0 {
		mergeKeyword(out, "dependentRequired", required)
	}
	if len(schemas) > 0 {
		mergeKeyword(out, "dependentSchemas", schemas)
	}
	return nil
}

// mergeKeyword sets keyword key of out to value, merging it with a value
// already there from another spelling of the same keyword (dependencies
// and dependentRequired, definitions and $defs): both apply, so lists of
// names are joined and two schemas for one name become their allOf.
func mergeKeyword(out map[string]any, key string, value any) {
	old, ok1 := out[key].(map[string]any)
	add, ok2 := value.(map[string]any)
	if !ok1 || !ok2 {
		out[key] = value
		return
	}
	merged := make(map[string]any, len(old)+len(add))
	for k, v := range old {
		merged[k] = v
	}
	for k, v := range add {
		prev, ok := merged[k]
		if !ok {
			merged[k] = v
			continue
		}
		a, aList := prev.([]any)
		b, bList := v.([]any)
		if aList && bList {
			merged[k] = append(append([]any{}, a...), b...)
		} else {
			merged[k] = map[string]any{"allOf": []any{prev, v}}
		}
	}
	out[key] = merged
}

// data converts a non-schema value, counting what it expands to.
func (rw *rewriter) data(n *Node) (any, error) {
	if err := rw.budget.spend(n); err != nil {
		return nil, err
	}
	switch n.Kind {
	case KindList:
		out := make([]any, len(n.Items))
		for i, item := range n.Items {
			var err error
			if out[i], err = rw.data(item); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindMap:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			var err error
			if out[k], err = rw.data(n.Values[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindNumber:
		return json.Number(n.Str), nil
	}
	return n.Interface(), nil
}

// dataValue converts an example or other plain value, spending from b.
func dataValue(n *Node, b *budget) (any, error) {
	rw := &rewriter{budget: b}
	v, err := rw.data(n)
	if err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers turns json.Number into int64 or float64.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeNumbers(x[k])
		}
	}
	return v
}
