package templates

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// Tuples emits every tuple type (an array with a type per position) with
// the JSON methods that encode it as an array; the helpers they share are
// support code (tupleMarshal, tupleDecode), which the emission splices.
func Tuples(pkg *model.Package) (*jen.File, error) {
	f := newFile(pkg)
	n := 0
	for _, t := range pkg.Types {
		if t.Kind != model.TupleKind {
			continue
		}
		tupleDecl(f, t)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return f, nil
}

func tupleDecl(f *jen.File, t *model.Type) {
	doc := namedDoc(t.Name, t.Doc, t.Source)
	required := "a position may be absent only when those after it are"
	if t.Tuple.MinItems > 0 {
		required = fmt.Sprintf("the first %d are required, and a later one may be absent only when those after it are", t.Tuple.MinItems)
	}
	rest := "no more items are allowed."
	if t.Tuple.Rest != nil {
		rest = "Rest holds the items after them."
	}
	f.Add(docComment(fmt.Sprintf("%s\n\nIt is encoded as a JSON array with one item per field, in order: %s; %s", doc, required, rest)))
	fields := make([]jen.Code, 0, len(t.Fields)+1)
	for i, fd := range t.Fields {
		if fd.Doc != "" {
			if i > 0 {
				fields = append(fields, jen.Line())
			}
			fields = append(fields, docComment(fd.Doc))
		}
		fields = append(fields, jen.Id(fd.Name).Add(TypeCode(fd.Type)))
	}
	if t.Tuple.Rest != nil {
		fields = append(fields, jen.Id("Rest").Add(TypeCode(t.Tuple.Rest)))
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
	tupleMarshal(f, t)
	tupleUnmarshal(f, t)
}

// tupleMarshal emits MarshalJSON: the positions up to the first absent
// one, then Rest.
func tupleMarshal(f *jen.File, t *model.Type) {
	items := make([]jen.Code, len(t.Fields))
	present := make([]jen.Code, len(t.Fields))
	for i, fd := range t.Fields {
		items[i] = jen.Id("x").Dot(fd.Name)
		present[i] = jen.True()
		if !fd.Required {
			present[i] = jen.Id("x").Dot(fd.Name).Op("!=").Nil()
		}
	}
	body := []jen.Code{
		jen.Id("items").Op(":=").Index().Any().Values(items...),
		jen.Id("present").Op(":=").Index().Bool().Values(present...),
	}
	rest := jen.Nil()
	switch {
	case t.Tuple.Rest != nil && t.Tuple.Rest.Elem.Kind == model.AnyRef:
		rest = jen.Id("x").Dot("Rest")
	case t.Tuple.Rest != nil:
		body = append(body,
			jen.Id("rest").Op(":=").Make(jen.Index().Any(), jen.Len(jen.Id("x").Dot("Rest"))),
			jen.For(jen.List(jen.Id("i"), jen.Id("item")).Op(":=").Range().Id("x").Dot("Rest")).Block(
				jen.Id("rest").Index(jen.Id("i")).Op("=").Id("item"),
			),
		)
		rest = jen.Id("rest")
	}
	body = append(body, jen.Return(jen.Id("tupleMarshal").Call(jen.Lit(t.Name), jen.Id("items"), jen.Id("present"), rest)))
	f.Comment("MarshalJSON encodes the tuple as a JSON array.")
	f.Func().Params(jen.Id("x").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(body...)
	f.Line()
}

// tupleUnmarshal emits UnmarshalJSON: each item into its position, the
// rest into Rest.
func tupleUnmarshal(f *jen.File, t *model.Type) {
	n := len(t.Fields)
	targets := make([]jen.Code, n)
	for i, fd := range t.Fields {
		targets[i] = jen.Op("&").Id("x").Dot(fd.Name)
	}
	body := []jen.Code{
		jen.Var().Id("items").Index().Qual(jsonPkg, "RawMessage"),
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("items")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decoding %s: %%w", t.Name)), jen.Err())),
		),
		jen.If(jen.Id("items").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Op("*").Id("x").Op("=").Id(t.Name).Values(),
		jen.If(jen.Err().Op(":=").Id("tupleDecode").Call(jen.Lit(t.Name), jen.Id("items"), jen.Index().Any().Values(targets...), jen.Lit(t.Tuple.MinItems), jen.Lit(t.Tuple.Rest == nil)), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Err()),
		),
	}
	if t.Tuple.Rest != nil {
		body = append(body, jen.If(jen.Len(jen.Id("items")).Op(">").Lit(n)).Block(
			jen.Id("x").Dot("Rest").Op("=").Make(TypeCode(t.Tuple.Rest), jen.Len(jen.Id("items")).Op("-").Lit(n)),
			jen.For(jen.Id("i").Op(":=").Range().Id("x").Dot("Rest")).Block(
				jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("items").Index(jen.Lit(n).Op("+").Id("i")), jen.Op("&").Id("x").Dot("Rest").Index(jen.Id("i"))), jen.Err().Op("!=").Nil()).Block(
					jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decoding %s item %%d: %%w", t.Name)), jen.Lit(n).Op("+").Id("i"), jen.Err())),
				),
			),
		))
	}
	body = append(body, jen.Return(jen.Nil()))
	f.Comment("UnmarshalJSON decodes a JSON array into the tuple.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(body...)
	f.Line()
}
