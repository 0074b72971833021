package templates

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// Enums emits each enum type with its constants, a function listing its
// values in spec order, and a Valid method.
func Enums(pkg *model.Package) (*jen.File, error) {
	f := newFile(pkg)
	n := 0
	for _, t := range pkg.Types {
		if t.Kind != model.EnumKind {
			continue
		}
		enumDecl(f, t)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return f, nil
}

func enumDecl(f *jen.File, t *model.Type) {
	f.Add(typeDoc(t.Name, t.Doc, t.Source))
	f.Type().Id(t.Name).Add(TypeCode(t.Underlying))
	f.Line()

	consts := make([]jen.Code, 0, len(t.Enum.Values))
	list := make([]jen.Code, 0, len(t.Enum.Values))
	for _, v := range t.Enum.Values {
		consts = append(consts,
			docComment(strings.TrimSpace(fmt.Sprintf("%s is the value %s. %s", v.Const, literalText(v.Value), v.Doc))),
			jen.Id(v.Const).Id(t.Name).Op("=").Add(untypedLit(v.Value)))
		list = append(list, jen.Id(v.Const))
	}
	f.Comment(fmt.Sprintf("The values of %s.", t.Name))
	f.Const().Defs(consts...)
	f.Line()

	f.Add(docComment(fmt.Sprintf("%s returns every value of %s, in the order the spec lists them.", t.Enum.ValuesFunc, t.Name)))
	f.Func().Id(t.Enum.ValuesFunc).Params().Index().Id(t.Name).Block(
		jen.Return(jen.Index().Id(t.Name).Values(onLines(list, true)...)),
	)
	f.Line()

	f.Comment("Valid reports whether v is one of the values the spec lists.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("Valid").Params().Bool().Block(
		jen.Switch(jen.Id("v")).Block(
			jen.Case(onLines(list, false)...).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
	f.Line()
}

// onLines puts each item of a long list on a line of its own; a composite
// literal (closing) also needs a comma and a newline after the last item.
func onLines(items []jen.Code, closing bool) []jen.Code {
	if len(items) <= 3 {
		return items
	}
	out := make([]jen.Code, len(items))
	for i, item := range items {
		out[i] = jen.Line().Add(item)
	}
	if closing {
		out[len(out)-1] = jen.Line().Add(items[len(items)-1]).Op(",").Line()
	}
	return out
}

// untypedLit renders a constant's value with no conversion, so it takes the
// enum's type.
func untypedLit(v any) jen.Code {
	if n, ok := v.(int64); ok {
		return jen.Op(strconv.FormatInt(n, 10))
	}
	return jen.Lit(v)
}

func literalText(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}
