package generator

import "github.com/asyncgen/asyncgen/generator/document"

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
