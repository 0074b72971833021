package templates

import (
	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// Examples emits examples.gen.go: the examples the spec documents for its
// messages, as JSON fixtures a user's tests can start from. Every text
// from the spec (names, summaries, payloads) is a quoted literal. It
// returns nil when no message has an example.
func Examples(pkg *model.Package) (*jen.File, error) {
	var items []jen.Code
	for _, m := range pkg.Messages {
		for _, ex := range m.Examples {
			items = append(items, exampleLiteral(m, ex))
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	f := newFile(pkg)
	f.Comment("MessageExample is one example the spec documents for a message.")
	f.Type().Id("MessageExample").Struct(
		jen.Comment("Message is the message's name in the spec."),
		jen.Id("Message").String(),
		jen.Comment("Name is the example's name in the spec; empty when it has none."),
		jen.Id("Name").String(),
		jen.Comment("Summary is the example's summary in the spec."),
		jen.Id("Summary").String(),
		jen.Comment("Payload is the example's payload, as JSON."),
		jen.Id("Payload").Index().Byte(),
	)
	f.Line()
	f.Add(docComment("Examples returns the examples the spec documents, message by message in " +
		"the spec's order. Each call returns new slices, which a test may change."))
	f.Func().Id("Examples").Params().Index().Id("MessageExample").Block(
		jen.Return(jen.Index().Id("MessageExample").ValuesFunc(func(g *jen.Group) {
			for _, item := range items {
				g.Line().Add(item)
			}
			g.Line()
		})),
	)
	return f, nil
}

// exampleLiteral is the MessageExample value of one example of m.
func exampleLiteral(m *model.Message, ex *model.Example) jen.Code {
	return jen.Values(jen.Dict{
		jen.Id("Message"): jen.Lit(m.WireName),
		jen.Id("Name"):    jen.Lit(ex.Name),
		jen.Id("Summary"): jen.Lit(ex.Summary),
		jen.Id("Payload"): jen.Index().Byte().Call(jen.Lit(string(ex.Payload))),
	})
}
