package document

import (
	"strings"
)

// A 2.x operation has no reply field. asyncgen reads the x-reply extension
// on a publish or subscribe operation as AsyncAPI 3.0's Reply Object:
//
//	x-reply:
//	  channel: {$ref: '#/channels/quotes.replies'}
//	  messages: [{$ref: '#/components/messages/Quoted'}]
//	  address: {location: '$message.header#/replyTo'}
//
// The channel is required and names a channel of the document; messages
// default to the messages of that channel's operations.

// replyExtension is the field of a 2.x operation that asyncgen reads as
// the operation's reply.
const replyExtension = "x-reply"

// replyFields are the fields an x-reply may have besides x- extensions.
var replyFields = map[string]bool{"channel": true, "messages": true, "address": true}

// pendingReply is an x-reply waiting for every channel to be read, since
// its channel may come later in the document.
type pendingReply struct {
	op   *Operation
	node *Node
}

// noteReply keeps an operation's x-reply, if it has one, for replies.
func (p *parser) noteReply(op *Operation, n *Node) {
	if raw := n.Get(replyExtension); raw != nil {
		p.pendingReplies = append(p.pendingReplies, pendingReply{op: op, node: raw})
	}
}

// replies reads every x-reply once all channels are known.
func (p *parser) replies(*Node) error {
	for _, pr := range p.pendingReplies {
		r, err := p.reply(pr.op, pr.node)
		if err != nil {
			return err
		}
		pr.op.Reply = r
	}
	return nil
}

// reply reads one operation's x-reply.
func (p *parser) reply(op *Operation, raw *Node) (*Reply, error) {
	what := replyExtension + " of " + operationName(op)
	n, err := p.loader.Follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, what, KindMap); err != nil {
		return nil, err
	}
	if err := checkReplyFields(what, n); err != nil {
		return nil, err
	}
	r := &Reply{Loc: n.Loc()}
	if r.AddressLocation, err = readReplyAddress(p.loader.Follow, n.Get("address")); err != nil {
		return nil, err
	}
	if r.Channel, err = p.replyChannel(what, n); err != nil {
		return nil, err
	}
	if r.Messages, err = p.replyMessages(what, n, r.Channel); err != nil {
		return nil, err
	}
	return r, p.requestsCorrelated(what, op, n)
}

// operationName names a 2.x operation in an error: its operationId, else
// its action and place.
func operationName(op *Operation) string {
	if op.OperationID != "" {
		return "operation " + shown(op.OperationID)
	}
	return op.Action + " operation"
}

// checkReplyFields refuses a field the 3.0 Reply Object does not have.
func checkReplyFields(what string, n *Node) error {
	for i, key := range n.Keys {
		if !replyFields[key] && !isExtension(key) {
			return n.KeyNodes[i].Errorf("%s: unknown field %q (an x-reply may have channel, messages, address, and x- extensions)", what, key)
		}
	}
	return nil
}

// replyChannel reads the channel an x-reply names: a $ref to an entry of
// the document's channels.
func (p *parser) replyChannel(what string, n *Node) (*Channel, error) {
	ref := n.Get("channel")
	if ref == nil {
		return nil, n.Errorf("%s: missing required field \"channel\" (a $ref to the channel the reply travels on, such as '#/channels/replies')", what)
	}
	if !IsRef(ref) {
		return nil, ref.Errorf("%s: channel must be a $ref to a channel of the document's channels, such as '#/channels/replies', not %s", what, article(ref.Kind))
	}
	target, err := p.loader.Target(ref)
	if err != nil {
		return nil, err
	}
	if ch := p.channelAt[target]; ch != nil {
		return ch, nil
	}
	return nil, ref.Errorf("%s: $ref %q is not a channel of the document's channels (write '#/channels/<name>')", what, ref.Get("$ref").Str)
}

// replyMessages reads the messages an x-reply lists, each a $ref to a
// message of its channel's operations or of components.messages; the
// channel's messages when it lists none.
func (p *parser) replyMessages(what string, n *Node, ch *Channel) ([]*Message, error) {
	list := n.Get("messages")
	if list == nil {
		return channelMessages(ch), nil
	}
	if err := expectKind(list, what+": messages", KindList); err != nil {
		return nil, err
	}
	out := make([]*Message, 0, len(list.Items))
	for _, item := range list.Items {
		m, err := p.replyMessage(what, item, ch)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// replyMessage resolves one $ref of an x-reply's messages.
func (p *parser) replyMessage(what string, item *Node, ch *Channel) (*Message, error) {
	if !IsRef(item) {
		return nil, item.Errorf("%s: messages must list $refs to messages, not %s", what, item.Kind)
	}
	target, err := p.loader.Follow(item)
	if err != nil {
		return nil, err
	}
	m := p.messages[target]
	if m != nil && (p.componentMessages[m] || containsMessage(channelMessages(ch), m)) {
		return m, nil
	}
	return nil, item.Errorf("%s: $ref %q is not a message of the reply channel %s or of components.messages", what, item.Get("$ref").Str, shown(ch.Name))
}

// channelMessages lists the messages of a 2.x channel's operations, each
// once, publish first.
func channelMessages(ch *Channel) []*Message {
	var out []*Message
	for _, op := range ch.AllOperations() {
		for _, m := range op.Messages {
			if !containsMessage(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

func containsMessage(list []*Message, m *Message) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}

// requestsCorrelated checks that, in a document with a Kafka server, every
// request message says where its correlation ID is: a Kafka reply finds
// its request by it, where NATS uses the request's inbox.
func (p *parser) requestsCorrelated(what string, op *Operation, n *Node) error {
	server := p.kafkaServer()
	if server == nil {
		return nil
	}
	for _, m := range op.Messages {
		if m.CorrelationID == "" {
			return n.Errorf("%s: request message %s declares no correlationId, which a reply over Kafka (server %s) needs to find its request: give the message correlationId: {location: '$message.header#/correlationId'}", what, messageLabel(m), shown(server.Name))
		}
	}
	return nil
}

// kafkaServer returns the first Kafka server of the document, or nil.
func (p *parser) kafkaServer() *Server {
	for _, s := range p.doc.Servers {
		switch strings.ToLower(s.Protocol) {
		case "kafka", "kafka-secure":
			return s
		}
	}
	return nil
}

// messageLabel names a message in an error: its name, its components key,
// else its place.
func messageLabel(m *Message) string {
	switch {
	case m.Name != "":
		return shown(m.Name)
	case m.Key != "":
		return shown(m.Key)
	}
	return "at #" + shown(m.Loc.Pointer)
}
