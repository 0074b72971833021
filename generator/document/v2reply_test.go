package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// v2ReplyDoc is a 2.x document whose ask operation carries the x-reply
// given (indented under it), over the servers given.
func v2ReplyDoc(servers, xReply string) string {
	return header + "servers:\n" + servers + `channels:
  ask:
    publish:
      operationId: ask
      message: {$ref: '#/components/messages/Question'}
      x-reply:
` + xReply + `  answers:
    subscribe:
      message: {name: Answer, payload: {type: string}}
  other:
    subscribe:
      message: {name: Other, payload: {type: integer}}
components:
  messages:
    Question:
      payload: {type: string}
    Spare:
      payload: {type: boolean}
`
}

const natsServer = "  nats: {url: localhost:4222, protocol: nats}\n"

func TestLoadV2XReplyErrors(t *testing.T) {
	tests := []struct {
		name    string
		servers string
		xReply  string
		want    string
	}{
		{"not a map", natsServer, "        - answers\n",
			`api.yaml:11:9 (#/channels/ask/publish/x-reply): x-reply of operation ask must be an object, not array`},
		{"no channel", natsServer, "        address: {location: '$message.header#/replyTo'}\n",
			`api.yaml:11:9 (#/channels/ask/publish/x-reply): x-reply of operation ask: missing required field "channel" (a $ref to the channel the reply travels on, such as '#/channels/replies')`},
		{"channel not a $ref", natsServer, "        channel: answers\n",
			`api.yaml:11:18 (#/channels/ask/publish/x-reply/channel): x-reply of operation ask: channel must be a $ref to a channel of the document's channels, such as '#/channels/replies', not a string`},
		{"channel $ref to a message", natsServer, "        channel: {$ref: '#/components/messages/Spare'}\n",
			`api.yaml:11:18 (#/channels/ask/publish/x-reply/channel): x-reply of operation ask: $ref "#/components/messages/Spare" is not a channel of the document's channels (write '#/channels/<name>')`},
		{"channel $ref to nothing", natsServer, "        channel: {$ref: '#/channels/nope'}\n",
			`api.yaml:11:25 (#/channels/ask/publish/x-reply/channel/$ref): $ref "#/channels/nope": nothing at /channels/nope in api.yaml`},
		{"message of another channel", natsServer, "        channel: {$ref: '#/channels/answers'}\n        messages: [{$ref: '#/channels/other/subscribe/message'}]\n",
			`api.yaml:12:20 (#/channels/ask/publish/x-reply/messages/0): x-reply of operation ask: $ref "#/channels/other/subscribe/message" is not a message of the reply channel answers or of components.messages`},
		{"message not a message", natsServer, "        channel: {$ref: '#/channels/answers'}\n        messages: [{$ref: '#/components/messages/Question/payload'}]\n",
			`api.yaml:12:20 (#/channels/ask/publish/x-reply/messages/0): x-reply of operation ask: $ref "#/components/messages/Question/payload" is not a message of the reply channel answers or of components.messages`},
		{"message written inline", natsServer, "        channel: {$ref: '#/channels/answers'}\n        messages: [{payload: {type: string}}]\n",
			`api.yaml:12:20 (#/channels/ask/publish/x-reply/messages/0): x-reply of operation ask: messages must list $refs to messages, not object`},
		{"messages not a list", natsServer, "        channel: {$ref: '#/channels/answers'}\n        messages: {$ref: '#/components/messages/Spare'}\n",
			`api.yaml:12:19 (#/channels/ask/publish/x-reply/messages): x-reply of operation ask: messages must be an array, not object`},
		{"unknown key", natsServer, "        channel: {$ref: '#/channels/answers'}\n        chanel: {$ref: '#/channels/answers'}\n",
			`api.yaml:12:9 (#/channels/ask/publish/x-reply/chanel): x-reply of operation ask: unknown field "chanel" (an x-reply may have channel, messages, address, and x- extensions)`},
		{"address not a runtime expression", natsServer, "        channel: {$ref: '#/channels/answers'}\n        address: {location: replyTo}\n",
			`api.yaml:12:29 (#/channels/ask/publish/x-reply/address/location): location "replyTo" must be a runtime expression into the request, such as "$message.header#/replyTo"`},
		{"Kafka without correlationId", natsServer + "  kafka: {url: localhost:9092, protocol: kafka}\n", "        channel: {$ref: '#/channels/answers'}\n",
			`api.yaml:12:9 (#/channels/ask/publish/x-reply): x-reply of operation ask: request message Question declares no correlationId, which a reply over Kafka (server kafka) needs to find its request: give the message correlationId: {location: '$message.header#/correlationId'}`},
		{"hostile channel $ref", natsServer, "        channel: {$ref: \"#/channels/x\\\";os.Exit(1)//\"}\n",
			`api.yaml:11:25 (#/channels/ask/publish/x-reply/channel/$ref): $ref "#/channels/x\";os.Exit(1)//": nothing at /channels/x";os.Exit(1) in api.yaml`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": v2ReplyDoc(tt.servers, tt.xReply)}))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.Regexp(t, `^api\.yaml:\d+:\d+ \(#/channels/ask/publish/x-reply`, err.Error(), "the error names the file, line:column and pointer")
			require.NotContains(t, err.Error(), "\n", "the error stays on one line")
		})
	}
}

// TestLoadV2XReplyReadsTheReply reads x-reply into the Reply a 3.x reply
// fills: its channel (declared after the operation), its messages (listed,
// or the channel's by default) and its address. Over NATS alone a request
// needs no correlationId; an operation without x-reply has no reply.
func TestLoadV2XReplyReadsTheReply(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": v2ReplyDoc(natsServer,
		"        channel: {$ref: '#/channels/answers'}\n        address: {location: '$message.header#/replyTo'}\n")}))
	require.NoError(t, err)
	ask, answers, other := doc.Channels[0], doc.Channels[1], doc.Channels[2]
	r := ask.Publish.Reply
	require.NotNil(t, r)
	require.Same(t, answers, r.Channel)
	require.Equal(t, answers.Subscribe.Messages, r.Messages, "the reply carries its channel's messages when it lists none")
	require.Equal(t, "$message.header#/replyTo", r.AddressLocation)
	require.Equal(t, "/channels/ask/publish/x-reply", r.Loc.Pointer)
	require.Nil(t, answers.Subscribe.Reply)
	require.Nil(t, other.Subscribe.Reply)

	doc, err = Load("api.yaml", memFiles(map[string]string{"api.yaml": v2ReplyDoc(natsServer,
		"        channel: {$ref: '#/channels/other'}\n        messages: [{$ref: '#/components/messages/Spare'}, {$ref: '#/channels/other/subscribe/message'}]\n")}))
	require.NoError(t, err)
	r = doc.Channels[0].Publish.Reply
	require.Same(t, doc.Channels[2], r.Channel)
	require.Len(t, r.Messages, 2)
	require.Equal(t, "Spare", r.Messages[0].Key, "a message of components.messages may answer")
	require.Same(t, doc.Channels[2].Subscribe.Messages[0], r.Messages[1])
}

// TestLoadV2XReplyOnSubscribe reads x-reply on a subscribe operation (the
// application sends the request and waits for the answer), with the
// request's correlationId a Kafka server asks for.
func TestLoadV2XReplyOnSubscribe(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": header + `servers:
  kafka: {url: localhost:9092, protocol: Kafka}
channels:
  ask:
    subscribe:
      message:
        correlationId: {location: '$message.header#/id'}
        payload: {type: string}
      x-reply: {channel: {$ref: '#/channels/answers'}}
  answers:
    publish:
      message: {payload: {type: string}}
`}))
	require.NoError(t, err)
	r := doc.Channels[0].Subscribe.Reply
	require.NotNil(t, r)
	require.Same(t, doc.Channels[1], r.Channel)
	require.Equal(t, doc.Channels[1].Publish.Messages, r.Messages)
}
