package templates

import (
	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// definedMethods gives a defined type the JSON methods of the type it is
// made of when Go would not: type SentAt time.Time has none of
// time.Time's methods, so it would encode as {}.
func definedMethods(f *jen.File, t *model.Type) {
	if t.Kind != model.DefinedKind || t.Underlying.Kind != model.TimeRef {
		return
	}
	timeType := jen.Qual("time", "Time")
	f.Commentf("MarshalJSON encodes %s as time.Time does (RFC 3339).", t.Name)
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(timeType.Clone().Call(jen.Id("v")).Dot("MarshalJSON").Call()),
	)
	f.Line()
	f.Commentf("UnmarshalJSON decodes %s as time.Time does (RFC 3339).", t.Name)
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Parens(jen.Op("*").Add(timeType.Clone())).Call(jen.Id("v")).Dot("UnmarshalJSON").Call(jen.Id("data"))),
	)
	f.Line()
}
