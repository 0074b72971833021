package generator

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/asyncgen/asyncgen/generator/document"
)

// collapseSelfReferences removes, before anything is built, the schemas
// that apply to a value through themselves without reading any part of
// it: a decoder or validator following them would never stop.
//
// Where the meaning is clear it collapses them. A base schema with a
// discriminator whose variants name it in their allOf (the polymorphism
// of OpenAPI and of generators such as Springwolf: Pet is oneOf Cat or
// Dog, picked by "type", and Cat is allOf Pet and its own properties)
// means by that allOf the base's own keywords, not the choice again: the
// variants get a copy of the base without its oneOf, anyOf and
// discriminator (see inheritBase). An anyOf variant or an
// allOf part that is the schema itself (directly, through a $ref, or
// through schemas that only name it) adds nothing to what the schema
// accepts or requires, and is dropped. Any other such cycle (a oneOf or
// not that holds the schema itself, an anyOf whose only variant is
// itself, or a loop through several unions) is refused at the schema's
// position.
func collapseSelfReferences(doc *document.Document) error {
	schemas := sortedSchemas(doc)
	for _, base := range schemas {
		inheritBase(doc, base)
	}
	for _, v := range schemas {
		if err := dropSelfParts(doc, v); err != nil {
			return err
		}
	}
	return refuseSameValueCycles(doc, schemas)
}

// sortedSchemas lists every schema of doc in the order of their places,
// so that the first problem reported does not depend on map order.
func sortedSchemas(doc *document.Document) []*document.Schema {
	out := make([]*document.Schema, 0, len(doc.SchemaInfo))
	for v := range doc.SchemaInfo {
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y *document.Schema) int {
		lx, ly := doc.SchemaInfo[x].Loc, doc.SchemaInfo[y].Loc
		return cmp.Or(cmp.Compare(lx.File, ly.File), cmp.Compare(lx.Pointer, ly.Pointer))
	})
	return out
}

// dropSelfParts drops v's anyOf variants and allOf parts that are v
// itself, and refuses a oneOf or not that is.
func dropSelfParts(doc *document.Document, v *document.Schema) error {
	if len(v.AnyOf) > 0 {
		kept := withoutSelf(v, v.AnyOf)
		if len(kept) == 0 {
			return selfError(doc, v, "anyOf", "its only variant is the schema itself, so it accepts no value")
		}
		v.AnyOf = kept
	}
	if len(v.AllOf) > 0 {
		v.AllOf = withoutSelf(v, v.AllOf)
	}
	for i, r := range v.OneOf {
		if isSelf(v, r) {
			return selfError(doc, v, "oneOf", fmt.Sprintf("variant %d is the schema itself: a value that matches another variant matches it too, so oneOf has no clear meaning", i+1))
		}
	}
	if v.Not != nil && isSelf(v, v.Not) {
		return selfError(doc, v, "not", "it is the schema itself: no value can both match and not match it")
	}
	return nil
}

// withoutSelf returns parts without those that are v itself; parts
// itself when there is none, so that nothing is copied.
func withoutSelf(v *document.Schema, parts document.SchemaRefs) document.SchemaRefs {
	if !slices.ContainsFunc(parts, func(r *document.SchemaRef) bool { return isSelf(v, r) }) {
		return parts
	}
	kept := make(document.SchemaRefs, 0, len(parts))
	for _, r := range parts {
		if !isSelf(v, r) {
			kept = append(kept, r)
		}
	}
	return kept
}

// isSelf reports whether r is v: the same schema, or one that only names
// another (a lone allOf part, anyOf or oneOf variant, with nothing else
// but annotations) that is v.
func isSelf(v *document.Schema, r *document.SchemaRef) bool {
	seen := map[*document.Schema]bool{}
	for cur := r; cur != nil && cur.Value != nil && !seen[cur.Value]; cur = onlyNamed(cur.Value) {
		if cur.Value == v {
			return true
		}
		seen[cur.Value] = true
	}
	return false
}

// onlyNamed returns the schema s only names: its one allOf, anyOf or
// oneOf entry when s says nothing else about a value. nil otherwise.
func onlyNamed(s *document.Schema) *document.SchemaRef {
	var only *document.SchemaRef
	switch {
	case len(s.AllOf) == 1 && len(s.AnyOf)+len(s.OneOf) == 0:
		only = s.AllOf[0]
	case len(s.AnyOf) == 1 && len(s.AllOf)+len(s.OneOf) == 0:
		only = s.AnyOf[0]
	case len(s.OneOf) == 1 && len(s.AllOf)+len(s.AnyOf) == 0:
		only = s.OneOf[0]
	default:
		return nil
	}
	rest := *s
	rest.AllOf, rest.AnyOf, rest.OneOf = nil, nil, nil
	rest.Title, rest.Description, rest.Extensions, rest.Deprecated = "", "", nil, false
	rest.Example, rest.Examples, rest.ExternalDocs = nil, nil, nil
	if !rest.IsEmpty() {
		return nil
	}
	return only
}

// sameValueParts are the schemas that apply to the very value v applies
// to, without reading any part of it.
func sameValueParts(v *document.Schema) []*document.Schema {
	var out []*document.Schema
	add := func(r *document.SchemaRef) {
		if r != nil && r.Value != nil {
			out = append(out, r.Value)
		}
	}
	for _, parts := range []document.SchemaRefs{v.AllOf, v.AnyOf, v.OneOf} {
		for _, r := range parts {
			add(r)
		}
	}
	add(v.Not)
	add(v.If)
	add(v.Then)
	add(v.Else)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range v.DependentSchemas {
			if !yield(k) {
				return
			}
		}
	}) {
		add(v.DependentSchemas[name])
	}
	return out
}

// refuseSameValueCycles refuses a schema that still applies to a value
// through itself once the clear cases are collapsed: a loop through
// several unions, or through not, if, then, else or dependentSchemas.
// The walk keeps its own stack, so that a long chain of schemas cannot
// exhaust the goroutine's.
func refuseSameValueCycles(doc *document.Document, schemas []*document.Schema) error {
	const (
		unvisited = iota
		open
		done
	)
	state := make(map[*document.Schema]int, len(schemas))
	type frame struct {
		schema *document.Schema
		parts  []*document.Schema
	}
	for _, root := range schemas {
		if state[root] != unvisited {
			continue
		}
		state[root] = open
		stack := []frame{{root, sameValueParts(root)}}
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if len(top.parts) == 0 {
				state[top.schema] = done
				stack = stack[:len(stack)-1]
				continue
			}
			next := top.parts[0]
			top.parts = top.parts[1:]
			switch state[next] {
			case open:
				return selfError(doc, next, "", "the schema applies to a value through itself (through allOf, anyOf, oneOf, not, if/then/else or dependentSchemas) without reading any part of it, so checking a value against it would never end")
			case unvisited:
				state[next] = open
				stack = append(stack, frame{next, sameValueParts(next)})
			}
		}
	}
	return nil
}

// selfError is a positioned error about schema v, its keyword if any.
func selfError(doc *document.Document, v *document.Schema, keyword, problem string) error {
	var loc document.Location
	if info := doc.SchemaInfo[v]; info != nil {
		loc = info.Loc
	}
	if keyword != "" {
		problem = keyword + ": " + problem
	}
	return &document.Error{Loc: loc, Msg: problem}
}

// inheritBase gives the variants of base that name base in their allOf
// (directly or through schemas that only name it) a copy of base without
// its oneOf, anyOf and discriminator in its place, when base picks its
// variant by a discriminator: the variant inherits the base's properties
// instead of applying the whole choice to itself again.
func inheritBase(doc *document.Document, base *document.Schema) {
	if base.Discriminator == nil || len(base.OneOf)+len(base.AnyOf) == 0 {
		return
	}
	var own *document.SchemaRef
	for _, variants := range []document.SchemaRefs{base.OneOf, base.AnyOf} {
		for _, r := range variants {
			if r == nil || r.Value == nil {
				continue
			}
			for i, part := range r.Value.AllOf {
				if !isSelf(base, part) {
					continue
				}
				if own == nil {
					own = baseOwnKeywords(doc, base)
				}
				r.Value.AllOf[i] = own
			}
		}
	}
}

// baseOwnKeywords is a copy of base without its oneOf, anyOf and
// discriminator, registered with base's place and property order but no
// name, so that it adds base's properties to the variants that inherit it
// without becoming a type of its own.
func baseOwnKeywords(doc *document.Document, base *document.Schema) *document.SchemaRef {
	own := *base
	own.OneOf, own.AnyOf, own.Discriminator = nil, nil, nil
	if info := doc.SchemaInfo[base]; info != nil {
		doc.SchemaInfo[&own] = &document.SchemaInfo{Loc: info.Loc, PropertyOrder: info.PropertyOrder}
	}
	return &document.SchemaRef{Value: &own}
}
