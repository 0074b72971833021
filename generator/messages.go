package generator

import (
	"fmt"
	"slices"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// messageHints names the messages that have neither a name nor a
// components key after the operation that carries them: its operationId,
// else its direction and channel, as operations are named
// ("ReceiveUserSignedUp"). The first operation to carry a message names it.
func (b *builder) messageHints(doc *document.Document) map[*document.Message]string {
	hints := map[*document.Message]string{}
	for _, ch := range doc.Channels {
		for _, op := range ch.AllOperations() {
			name := b.names.exported(op.OperationID)
			if name == "" {
				verb := "Send"
				if op.Receives() {
					verb = "Receive"
				}
				name = verb + b.exportedOr(channelKey(ch), "Channel")
			}
			for _, m := range op.Messages {
				if _, named := hints[m]; !named && m.Name == "" && m.Key == "" {
					hints[m] = name
				}
			}
		}
	}
	return hints
}

// reply maps an operation's reply (3.x reply, 2.x x-reply); nil for none.
func (b *builder) reply(r *document.Reply) *model.Reply {
	if r == nil {
		return nil
	}
	out := &model.Reply{AddressLocation: r.AddressLocation}
	if r.Channel != nil {
		out.Channel = r.Channel.Name
		if !r.Channel.Unaddressed {
			out.Address = r.Channel.Name
		}
	}
	b.replies = append(b.replies, builtReply{built: out, from: r})
	for _, m := range r.Messages {
		if msg := b.messageOf[m]; msg != nil {
			out.Messages = append(out.Messages, msg)
		}
	}
	return out
}

// giveReply gives the operation's reply to each of its messages that has
// none yet: a message answers with the reply of the first operation that
// carries it and has one.
func giveReply(op *model.Operation) {
	if op.Reply == nil {
		return
	}
	for _, m := range op.Messages {
		if m != nil && m.Reply == nil {
			m.Reply = op.Reply
		}
	}
}

// replyMessages lists the messages of the first reply on ch, for a
// channel that only replies travel on: its dispatch is the reply's.
func replyMessages(doc *document.Document, ch *document.Channel) []*document.Message {
	for _, c := range doc.Channels {
		for _, op := range c.AllOperations() {
			if op.Reply != nil && op.Reply.Channel == ch {
				return op.Reply.Messages
			}
		}
	}
	return nil
}

// builtReply is a reply of the model with the reply it was built from.
type builtReply struct {
	built *model.Reply
	from  *document.Reply
}

// replyDispatches gives each reply of several messages the dispatch of
// its channel, when that tells apart exactly the reply's messages.
func (b *builder) replyDispatches() {
	for _, r := range b.replies {
		c := b.channelOf[r.from.Channel]
		if len(r.built.Messages) < 2 || c == nil || c.Dispatch == nil || len(c.Dispatch.Cases) != len(r.built.Messages) {
			continue
		}
		same := true
		for _, dc := range c.Dispatch.Cases {
			same = same && slices.Contains(r.built.Messages, dc.Message)
		}
		if same {
			r.built.Dispatch = c.Dispatch
		}
	}
}

// unansweredReplies are warnings, in spec order, for the replies whose
// code is not generated: their requests' Handle and Send methods return
// no reply.
func (b *builder) unansweredReplies() []*document.Error {
	var out []*document.Error
	for _, r := range b.replies {
		var why string
		switch one := r.built.Message(); {
		case len(r.built.Messages) == 0:
			why = "the reply has no message"
		case one != nil && one.Payload == nil:
			why = fmt.Sprintf("the reply's message %s has no payload", one.WireName)
		case one == nil && r.built.Dispatch == nil:
			why = "the reply's messages are several, and no discriminator tells them apart"
		default:
			continue
		}
		out = append(out, &document.Error{Loc: r.from.Loc, Msg: why + ": the Handle and Send methods of its request return no reply"})
	}
	return out
}
