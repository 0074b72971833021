package templates

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

const jsonPkg = "encoding/json"

// Unions emits every sum type (oneOf, anyOf) with its MarshalJSON. Its
// UnmarshalJSON is in the decoding file (see decoding.unmarshalMethod):
// it reads the value with the generated decoder.
func Unions(pkg *model.Package) (*jen.File, error) {
	f := newFile(pkg)
	n := 0
	for _, t := range pkg.Types {
		if t.Kind == model.UnionKind {
			unionDecl(f, t)
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	return f, nil
}

func unionDecl(f *jen.File, t *model.Type) {
	u := t.Union
	names := variantFields(u)
	doc := namedDoc(t.Name, t.Doc, t.Source)
	rule := "Exactly one field is set (oneOf)."
	if !u.OneOf {
		rule = "One field is set (anyOf: the first variant a value matches)."
	}
	if u.Discriminator != "" {
		rule += fmt.Sprintf(" The %q property says which.", u.Discriminator)
	}
	f.Add(docComment(fmt.Sprintf("%s\n\n%s is one of %s. %s", doc, t.Name, strings.Join(names, ", "), rule)))
	fields := make([]jen.Code, 0, len(u.Variants))
	for _, v := range u.Variants {
		fields = append(fields, jen.Id(v.Field).Add(TypeCode(v.Type)))
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
	unionMarshal(f, t)
}

func variantFields(u *model.Union) []string {
	names := make([]string, len(u.Variants))
	for i, v := range u.Variants {
		names[i] = v.Field
	}
	return names
}

// unionMarshal emits MarshalJSON: the variant that is set, null when none.
func unionMarshal(f *jen.File, t *model.Type) {
	body := []jen.Code{jen.Var().Id("set").Index().Any()}
	for _, v := range t.Union.Variants {
		body = append(body, jen.If(jen.Id("u").Dot(v.Field).Op("!=").Nil()).Block(
			jen.Id("set").Op("=").Append(jen.Id("set"), jen.Id("u").Dot(v.Field)),
		))
	}
	body = append(body,
		jen.Switch(jen.Len(jen.Id("set"))).Block(
			jen.Case(jen.Lit(0)).Block(jen.Return(jen.Index().Byte().Parens(jen.Lit("null")), jen.Nil())),
			jen.Case(jen.Lit(1)).Block(jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Id("set").Index(jen.Lit(0))))),
		),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("encoding %s: %%d variants are set; set one", t.Name)), jen.Len(jen.Id("set")))),
	)
	f.Comment("MarshalJSON encodes the variant that is set, or null when none is.")
	f.Func().Params(jen.Id("u").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(body...)
	f.Line()
}

// lits renders strings as Go string literals.
func lits(values []string) []jen.Code {
	out := make([]jen.Code, len(values))
	for i, v := range values {
		out[i] = jen.Lit(v)
	}
	return out
}
