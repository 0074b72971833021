package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// replyCode is what the code of a message's reply is made of.
type replyCode struct {
	// typ is what a Handler method returns and a Send method gives back:
	// a pointer to the one message's payload type, or the interface of
	// the reply channel's messages.
	typ jen.Code
	// decode names the function that decodes and validates a reply.
	decode string
	// names are the reply's messages as the spec names them, joined with
	// "or".
	names string
}

// replyOf is how m is answered over HTTP; nil when m has no reply, or
// one whose code is not generated: a message without a payload, or
// several messages that no discriminator tells apart.
func replyOf(m *model.Message) *replyCode {
	r := m.Reply
	if r == nil {
		return nil
	}
	if one := r.Message(); one != nil {
		if one.DecodeFunc == "" || one.Payload == nil {
			return nil
		}
		return &replyCode{typ: jen.Op("*").Add(TypeCode(one.Payload)), decode: one.DecodeFunc, names: wireName(one)}
	}
	if r.Dispatch == nil {
		return nil
	}
	var names []string
	for _, c := range r.Dispatch.Cases {
		names = append(names, wireName(c.Message))
	}
	return &replyCode{typ: jen.Id(r.Dispatch.Interface), decode: r.Dispatch.Func, names: strings.Join(names, " or ")}
}

// handleResults are the results of m's Handler method and Send method:
// (Reply, error) for a message with a reply, else error.
func handleResults(m *model.Message) jen.Code {
	if reply := replyOf(m); reply != nil {
		return jen.Params(reply.typ, jen.Error())
	}
	return jen.Error()
}

// handleDropReply is the body of a func(ctx context.Context) error that
// calls m's Handler method with v, dropping the reply of a message that
// has one: for a path that sends none (a broker subscriber).
func handleDropReply(m *model.Message, v jen.Code) []jen.Code {
	call := jen.Id("h").Dot(m.HandleMethod).Call(jen.Id("ctx"), v)
	if replyOf(m) == nil {
		return []jen.Code{jen.Return(call)}
	}
	return []jen.Code{
		jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(call),
		jen.Return(jen.Err()),
	}
}
