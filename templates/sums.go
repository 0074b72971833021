package templates

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

const jsonPkg = "encoding/json"

// Unions emits every sum type (oneOf, anyOf) with the JSON methods that
// pick its variant, and the helpers they share.
func Unions(pkg *model.Package) (*jen.File, error) {
	f := newFile(pkg)
	tagged, matched := false, false
	for _, t := range pkg.Types {
		if t.Kind != model.UnionKind {
			continue
		}
		unionDecl(f, t)
		if t.Union.Discriminator != "" {
			tagged = true
		} else {
			matched = true
		}
	}
	if !tagged && !matched {
		return nil, nil
	}
	unionHelpers(f, tagged, matched)
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
	if u.Discriminator != "" {
		unionUnmarshalTagged(f, t)
	} else {
		unionUnmarshalMatched(f, t)
	}
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

// unionStart resets the union and accepts null.
func unionStart(t *model.Type) []jen.Code {
	return []jen.Code{
		jen.Op("*").Id("u").Op("=").Id(t.Name).Values(),
		jen.If(jen.Id("unionIsNull").Call(jen.Id("data"))).Block(jen.Return(jen.Nil())),
	}
}

// unionUnmarshalTagged emits UnmarshalJSON for a union with a
// discriminator: its value selects the variant.
func unionUnmarshalTagged(f *jen.File, t *model.Type) {
	u := t.Union
	body := unionStart(t)
	body = append(body,
		jen.List(jen.Id("tag"), jen.Err()).Op(":=").Id("unionTag").Call(jen.Id("data"), jen.Lit(u.Discriminator)),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decoding %s: %%w", t.Name)), jen.Err())),
		),
	)
	cases := make([]jen.Code, 0, len(u.Variants))
	for _, v := range u.Variants {
		tags := make([]jen.Code, len(v.Tags))
		for i, tag := range v.Tags {
			tags[i] = jen.Lit(tag)
		}
		cases = append(cases, jen.Case(tags...).Block(
			jen.Id("u").Dot(v.Field).Op("=").New(TypeCode(v.Type.Elem)),
			jen.Return(jen.Id("unionDecode").Call(jen.Lit(t.Name), jen.Id("data"), jen.Id("u").Dot(v.Field))),
		))
	}
	body = append(body,
		jen.Switch(jen.Id("tag")).Block(cases...),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decoding %s: unknown %s %%q", t.Name, literalPercent(u.Discriminator))), jen.Id("tag"))),
	)
	f.Add(docComment(fmt.Sprintf("UnmarshalJSON decodes the variant the %q property names.", u.Discriminator)))
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(body...)
	f.Line()
}

// unionUnmarshalMatched emits UnmarshalJSON for a union without a
// discriminator: each variant whose shape the value has is decoded; oneOf
// needs exactly one to succeed, anyOf keeps the first.
func unionUnmarshalMatched(f *jen.File, t *model.Type) {
	u := t.Union
	body := unionStart(t)
	if u.OneOf {
		body = append(body, jen.Var().Id("matched").Index().String())
	}
	for _, v := range u.Variants {
		elem, assign := v.Type, jen.Id("v")
		if v.Type.Kind == model.PointerRef {
			elem, assign = v.Type.Elem, jen.Op("&").Id("v")
		}
		target := jen.Op("&").Id("v")
		onMatch := []jen.Code{jen.Id("u").Dot(v.Field).Op("=").Add(assign)}
		if u.OneOf {
			onMatch = append(onMatch, jen.Id("matched").Op("=").Append(jen.Id("matched"), jen.Lit(v.Field)))
		} else {
			onMatch = append(onMatch, jen.Return(jen.Nil()))
		}
		body = append(body, jen.If(jen.Parens(shapeLiteral(v.Match)).Dot("matches").Call(jen.Id("data"))).Block(
			jen.Var().Id("v").Add(TypeCode(elem)),
			jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), target).Op("==").Nil()).Block(onMatch...),
		))
	}
	all := make([]jen.Code, len(u.Variants))
	for i, v := range u.Variants {
		all[i] = jen.Lit(v.Field)
	}
	if u.OneOf {
		body = append(body,
			jen.If(jen.Err().Op(":=").Id("unionMatched").Call(jen.Lit(t.Name), jen.Id("matched"), jen.Index().String().Values(all...), jen.True()), jen.Err().Op("!=").Nil()).Block(
				jen.Op("*").Id("u").Op("=").Id(t.Name).Values(),
				jen.Return(jen.Err()),
			),
			jen.Return(jen.Nil()),
		)
	} else {
		body = append(body, jen.Return(jen.Id("unionMatched").Call(jen.Lit(t.Name), jen.Nil(), jen.Index().String().Values(all...), jen.False())))
	}
	doc := "UnmarshalJSON decodes the one variant the value matches, and fails when it matches none or several."
	if !u.OneOf {
		doc = "UnmarshalJSON decodes the first variant the value matches, and fails when it matches none."
	}
	f.Add(docComment(doc))
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(body...)
	f.Line()
}

// shapeLiteral renders a Match as a unionShape literal.
func shapeLiteral(m model.Match) jen.Code {
	d := jen.Dict{}
	if m.JSONType != "" {
		d[jen.Id("jsonType")] = jen.Lit(m.JSONType)
	}
	if len(m.Required) > 0 {
		d[jen.Id("required")] = jen.Index().String().Values(lits(m.Required)...)
	}
	if len(m.Consts) > 0 {
		consts := jen.Dict{}
		for _, c := range m.Consts {
			consts[jen.Lit(c.Name)] = jen.Lit(c.JSON)
		}
		d[jen.Id("consts")] = jen.Map(jen.String()).String().Values(consts)
	}
	if len(m.Values) > 0 {
		d[jen.Id("values")] = jen.Index().String().Values(lits(m.Values)...)
	}
	if m.Closed {
		d[jen.Id("closed")] = jen.True()
		d[jen.Id("known")] = jen.Index().String().Values(lits(m.Known)...)
	}
	return jen.Id("unionShape").Values(d)
}

func lits(values []string) []jen.Code {
	out := make([]jen.Code, len(values))
	for i, v := range values {
		out[i] = jen.Lit(v)
	}
	return out
}

// unionHelpers emits the unexported functions the union methods share:
// those for discriminated unions when tagged, those for matched ones when
// matched, so that none is unused.
func unionHelpers(f *jen.File, tagged, matched bool) {
	f.Comment("unionIsNull reports whether data is the JSON null.")
	f.Func().Id("unionIsNull").Params(jen.Id("data").Index().Byte()).Bool().Block(
		jen.Return(jen.Qual("bytes", "Equal").Call(jen.Qual("bytes", "TrimSpace").Call(jen.Id("data")), jen.Index().Byte().Parens(jen.Lit("null")))),
	)
	f.Line()
	if tagged {
		taggedHelpers(f)
	}
	if matched {
		matchHelpers(f)
	}
}

// taggedHelpers read a discriminator and decode the variant it names.
func taggedHelpers(f *jen.File) {
	data := jen.Id("data").Index().Byte()

	f.Comment("unionTag reads the string value of a JSON object's discriminator property.")
	f.Func().Id("unionTag").Params(jen.Id("data").Index().Byte(), jen.Id("property").String()).Params(jen.String(), jen.Error()).Block(
		jen.Var().Id("fields").Map(jen.String()).Qual(jsonPkg, "RawMessage"),
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("fields")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(""), jen.Err()),
		),
		jen.List(jen.Id("raw"), jen.Id("ok")).Op(":=").Id("fields").Index(jen.Id("property")),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Lit(""), jen.Qual("fmt", "Errorf").Call(jen.Lit("no discriminator property %q"), jen.Id("property"))),
		),
		jen.Var().Id("tag").String(),
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("raw"), jen.Op("&").Id("tag")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(""), jen.Qual("fmt", "Errorf").Call(jen.Lit("discriminator property %q is not a string"), jen.Id("property"))),
		),
		jen.Return(jen.Id("tag"), jen.Nil()),
	)
	f.Line()

	f.Comment("unionDecode decodes data into the variant v of union.")
	f.Func().Id("unionDecode").Params(jen.Id("union").String(), data, jen.Id("v").Any()).Error().Block(
		jen.If(jen.Err().Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("decoding %s: %w"), jen.Id("union"), jen.Err())),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()

}

// matchHelpers tell which variants a value has the shape of.
func matchHelpers(f *jen.File) {
	data := jen.Id("data").Index().Byte()
	f.Comment("unionMatched checks how many variants of union a value matched.")
	f.Func().Id("unionMatched").Params(jen.Id("union").String(), jen.List(jen.Id("matched"), jen.Id("variants")).Index().String(), jen.Id("exclusive").Bool()).Error().Block(
		jen.Switch().Block(
			jen.Case(jen.Len(jen.Id("matched")).Op("==").Lit(0)).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("decoding %s: the value matches none of %s"), jen.Id("union"), jen.Qual("strings", "Join").Call(jen.Id("variants"), jen.Lit(", ")))),
			),
			jen.Case(jen.Len(jen.Id("matched")).Op(">").Lit(1).Op("&&").Id("exclusive")).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("decoding %s: the value matches %s, but oneOf allows exactly one"), jen.Id("union"), jen.Qual("strings", "Join").Call(jen.Id("matched"), jen.Lit(" and ")))),
			),
		),
		jen.Return(jen.Nil()),
	)
	f.Line()

	f.Comment("unionShape is what a JSON value must look like to be one variant of a union.")
	f.Type().Id("unionShape").Struct(
		jen.Id("jsonType").String(),
		jen.Id("required").Index().String(),
		jen.Id("consts").Map(jen.String()).String(),
		jen.Id("values").Index().String(),
		jen.Id("closed").Bool(),
		jen.Id("known").Index().String(),
	)
	f.Line()

	obj := jen.Id("object")
	f.Comment("matches reports whether data has the shape s describes.")
	f.Func().Params(jen.Id("s").Id("unionShape")).Id("matches").Params(data).Bool().Block(
		jen.Var().Id("value").Any(),
		jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("value")).Op("!=").Nil().Op("||").Op("!").Id("unionTypeIs").Call(jen.Id("value"), jen.Id("s").Dot("jsonType"))).Block(
			jen.Return(jen.False()),
		),
		jen.If(jen.Len(jen.Id("s").Dot("values")).Op(">").Lit(0).Op("&&").Op("!").Id("unionIn").Call(jen.Id("value"), jen.Id("s").Dot("values"))).Block(
			jen.Return(jen.False()),
		),
		jen.List(obj, jen.Id("_")).Op(":=").Id("value").Assert(jen.Map(jen.String()).Any()),
		jen.For(jen.List(jen.Id("_"), jen.Id("name")).Op(":=").Range().Id("s").Dot("required")).Block(
			jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Add(obj).Index(jen.Id("name")), jen.Op("!").Id("ok")).Block(jen.Return(jen.False())),
		),
		jen.For(jen.List(jen.Id("name"), jen.Id("want")).Op(":=").Range().Id("s").Dot("consts")).Block(
			jen.If(jen.List(jen.Id("got"), jen.Id("ok")).Op(":=").Add(obj).Index(jen.Id("name")), jen.Op("!").Id("ok").Op("||").Op("!").Id("unionIn").Call(jen.Id("got"), jen.Index().String().Values(jen.Id("want")))).Block(jen.Return(jen.False())),
		),
		jen.If(jen.Id("s").Dot("closed")).Block(
			jen.For(jen.Id("name").Op(":=").Range().Add(obj)).Block(
				jen.If(jen.Op("!").Id("unionHas").Call(jen.Id("s").Dot("known"), jen.Id("name"))).Block(jen.Return(jen.False())),
			),
		),
		jen.Return(jen.True()),
	)
	f.Line()

	is := func(kind string) jen.Code {
		return jen.Id("name").Op("==").Lit("").Op("||").Id("name").Op("==").Lit(kind)
	}
	f.Comment(`unionTypeIs reports whether value has the JSON type name ("" is any).`)
	f.Func().Id("unionTypeIs").Params(jen.Id("value").Any(), jen.Id("name").String()).Bool().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("value").Assert(jen.Type())).Block(
			jen.Case(jen.Map(jen.String()).Any()).Block(jen.Return(is("object"))),
			jen.Case(jen.Index().Any()).Block(jen.Return(is("array"))),
			jen.Case(jen.String()).Block(jen.Return(is("string"))),
			jen.Case(jen.Bool()).Block(jen.Return(is("boolean"))),
			jen.Case(jen.Float64()).Block(jen.Return(jen.Add(is("number")).Op("||").Parens(
				jen.Id("name").Op("==").Lit("integer").Op("&&").Id("v").Op("==").Qual("math", "Trunc").Call(jen.Id("v"))))),
		),
		jen.Return(jen.Id("name").Op("==").Lit("")),
	)
	f.Line()

	f.Comment("unionIn reports whether value equals one of the JSON texts.")
	f.Func().Id("unionIn").Params(jen.Id("value").Any(), jen.Id("texts").Index().String()).Bool().Block(
		jen.List(jen.Id("got"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("value")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.False())),
		jen.For(jen.List(jen.Id("_"), jen.Id("text")).Op(":=").Range().Id("texts")).Block(
			jen.Var().Id("want").Any(),
			jen.If(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Index().Byte().Parens(jen.Id("text")), jen.Op("&").Id("want")).Op("!=").Nil()).Block(jen.Continue()),
			jen.If(jen.List(jen.Id("norm"), jen.Err()).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("want")), jen.Err().Op("==").Nil().Op("&&").Qual("bytes", "Equal").Call(jen.Id("got"), jen.Id("norm"))).Block(
				jen.Return(jen.True()),
			),
		),
		jen.Return(jen.False()),
	)
	f.Line()

	f.Comment("unionHas reports whether names holds name.")
	f.Func().Id("unionHas").Params(jen.Id("names").Index().String(), jen.Id("name").String()).Bool().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("n")).Op(":=").Range().Id("names")).Block(
			jen.If(jen.Id("n").Op("==").Id("name")).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
}
