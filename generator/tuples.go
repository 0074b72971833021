package generator

import (
	"strconv"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// fillTuple makes t a tuple: one field per prefixItems position (named
// after the item's title, else Item0, Item1 ...), values for the first
// minItems and pointers after, and Rest for the items after them.
func (b *builder) fillTuple(t *model.Type, v *document.Schema) error {
	t.Kind = model.TupleKind
	tuple := &model.Tuple{MinItems: min(int(v.MinItems), len(v.PrefixItems))}
	fields := newScope(append(reservedFieldNames, "Rest")...)
	for i, item := range v.PrefixItems {
		if item.Value == nil {
			continue
		}
		name := b.names.exported(item.Value.Title)
		if name == "" {
			name = "Item" + strconv.Itoa(i)
		}
		name = fields.claim(name)
		ref, err := b.typeRef(item, t.Name+name)
		if err != nil {
			return err
		}
		f := &model.Field{Name: name, JSONName: strconv.Itoa(i), Type: ref, Required: i < tuple.MinItems, Nullable: isNullable(item.Value)}
		if item.Ref == "" {
			f.Doc = strings.TrimSpace(item.Value.Description)
		}
		if (!f.Required || f.Nullable) && b.pointerable(ref) {
			f.Type = &model.TypeRef{Kind: model.PointerRef, Elem: ref}
		}
		t.Fields = append(t.Fields, f)
	}
	rest, err := b.tupleRest(t, v)
	if err != nil {
		return err
	}
	tuple.Rest = rest
	t.Tuple = tuple
	return nil
}

// tupleRest is the type of the items after a tuple's positions: []any when
// items is absent, none when it is false, else []T.
func (b *builder) tupleRest(t *model.Type, v *document.Schema) (*model.TypeRef, error) {
	switch {
	case v.Items == nil || v.Items.Value == nil:
		return &model.TypeRef{Kind: model.SliceRef, Elem: &model.TypeRef{Kind: model.AnyRef}}, nil
	case isFalseSchema(v.Items.Value):
		return nil, nil
	}
	elem, err := b.typeRef(v.Items, t.Name+"Rest")
	if err != nil {
		return nil, err
	}
	return &model.TypeRef{Kind: model.SliceRef, Elem: elem}, nil
}
