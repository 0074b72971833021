package templates

import (
	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// replyMessage is the message that answers m over HTTP: the one message
// of its reply, when that has a payload and so a Decode function. nil
// when m has no reply, or one of several messages or of none, whose code
// is not generated.
func replyMessage(m *model.Message) *model.Message {
	r := m.Reply.Message()
	if r == nil || r.DecodeFunc == "" || r.Payload == nil {
		return nil
	}
	return r
}

// replyType is the type a Handler method returns and a Send method gives
// back for a message answered by reply: a pointer to its payload type.
func replyType(reply *model.Message) jen.Code {
	return jen.Op("*").Add(TypeCode(reply.Payload))
}

// handleResults are the results of m's Handler method: (*Reply, error)
// for a message with a reply, else error.
func handleResults(m *model.Message) jen.Code {
	if reply := replyMessage(m); reply != nil {
		return jen.Params(replyType(reply), jen.Error())
	}
	return jen.Error()
}

// handleDropReply is the body of a func(ctx context.Context) error that
// calls m's Handler method with v, dropping the reply of a message that
// has one: for a path that sends none (a broker subscriber).
func handleDropReply(m *model.Message, v jen.Code) []jen.Code {
	call := jen.Id("h").Dot(handleName(m)).Call(jen.Id("ctx"), v)
	if replyMessage(m) == nil {
		return []jen.Code{jen.Return(call)}
	}
	return []jen.Code{
		jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(call),
		jen.Return(jen.Err()),
	}
}
