package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const header3 = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"

// v3Base is a channel with one message, and one with a parameter, that the
// rule cases below point into.
const v3Base = header3 + `servers:
  prod: {host: example.com, protocol: https}
channels:
  users:
    address: users/{id}
    parameters:
      id: {description: the user}
    messages:
      signedUp: {payload: {type: string}}
  other:
    address: other
    messages:
      left: {payload: {type: integer}}
`

func TestLoadV3RuleErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"operation message from another channel", v3Base + `operations:
  onSignUp:
    action: receive
    channel: {$ref: '#/channels/users'}
    messages: [{$ref: '#/channels/other/messages/left'}]
`, `api.yaml:20:16 (#/operations/onSignUp/messages/0): operation onSignUp: message "#/channels/other/messages/left" is not one of the messages of its channel users`},
		{"operation message from components", v3Base + `operations:
  onSignUp:
    action: receive
    channel: {$ref: '#/channels/users'}
    messages: [{$ref: '#/components/messages/signedUp'}]
components:
  messages:
    signedUp: {payload: {type: string}}
`, `(#/operations/onSignUp/messages/0): operation onSignUp: message "#/components/messages/signedUp" is not one of the messages of its channel users`},
		{"operation message written inline", v3Base + `operations:
  onSignUp:
    action: receive
    channel: {$ref: '#/channels/users'}
    messages: [{payload: {type: string}}]
`, `(#/operations/onSignUp/messages/0): operation onSignUp: messages must list $refs to messages of its channel, not object`},
		{"reply message from another channel", v3Base + `operations:
  ask:
    action: send
    channel: {$ref: '#/channels/users'}
    reply:
      channel: {$ref: '#/channels/other'}
      messages: [{$ref: '#/channels/users/messages/signedUp'}]
`, `api.yaml:22:18 (#/operations/ask/reply/messages/0): the reply of operation ask: message "#/channels/users/messages/signedUp" is not one of the messages of its channel other`},
		{"reply messages without a channel", v3Base + `operations:
  ask:
    action: send
    channel: {$ref: '#/channels/users'}
    reply:
      messages: [{$ref: '#/channels/users/messages/signedUp'}]
`, `(#/operations/ask/reply/messages/0): the reply of operation ask lists message "#/channels/users/messages/signedUp" but names no channel for it`},
		{"address parameter undeclared", header3 + `channels:
  users:
    address: users/{id}/{kind}
    parameters:
      id: {}
`, `api.yaml:5:14 (#/channels/users/address): address "users/{id}/{kind}" uses parameter {kind}, which the channel's parameters do not declare`},
		{"parameter not in the address", header3 + `channels:
  users:
    address: users
    parameters:
      id: {}
`, `api.yaml:7:7 (#/channels/users/parameters/id): parameter "id" is not used in the channel's address`},
		{"operation channel under components", header3 + `operations:
  a:
    action: send
    channel: {$ref: '#/components/channels/c'}
components:
  channels:
    c: {address: c}
`, `api.yaml:6:14 (#/operations/a/channel): operation a: $ref "#/components/channels/c" is not a channel of the root channels object`},
		{"operation channel written inline", header3 + `operations:
  a:
    action: send
    channel: {address: c}
`, `(#/operations/a/channel): operation a: channel must be a $ref to a channel in the root channels object`},
		{"channel server under components", header3 + `channels:
  c:
    servers: [{$ref: '#/components/servers/dev'}]
components:
  servers:
    dev: {host: localhost, protocol: ws}
`, `api.yaml:5:15 (#/channels/c/servers/0): channel c: $ref "#/components/servers/dev" is not a server of the root servers object`},
		{"channel server by name", header3 + `servers:
  prod: {host: example.com, protocol: ws}
channels:
  c:
    servers: [prod]
`, `(#/channels/c/servers/0): channel c: servers must list $refs to servers in the root servers object, not string`},
		{"unknown action", v3Base + `operations:
  a:
    action: publish
    channel: {$ref: '#/channels/users'}
`, `(#/operations/a/action): action must be "send" or "receive", not "publish"`},
		{"missing channel", v3Base + `operations:
  a: {action: send}
`, `(#/operations/a): missing required field "channel"`},
		{"avro payload", header3 + `channels:
  c:
    messages:
      m:
        payload:
          schemaFormat: application/vnd.apache.avro;version=1.9.0
          schema: {type: record}
`, `api.yaml:8:25 (#/channels/c/messages/m/payload/schemaFormat): unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`},
		{"raml payload", header3 + `components:
  schemas:
    R: {schemaFormat: application/raml+yaml;version=1.0, schema: {type: string}}
`, `(#/components/schemas/R/schemaFormat): unsupported schemaFormat "application/raml+yaml;version=1.0": RAML data types are not supported`},
		{"protobuf payload", header3 + `components:
  schemas:
    P: {schemaFormat: application/vnd.google.protobuf;version=3, schema: 'message P {}'}
`, `unsupported schemaFormat "application/vnd.google.protobuf;version=3": Protocol Buffers schemas are not supported`},
		{"multi-format without schema", header3 + `components:
  schemas:
    P: {schemaFormat: application/schema+json;version=draft-07}
`, `(#/components/schemas/P): missing required field "schema"`},
		{"null address with parameters is fine, a number is not", header3 + `channels:
  c: {address: 7}
`, `(#/channels/c/address): address must be a string or null, not number`},
		{"reply address not a runtime expression", v3Base + `operations:
  ask:
    action: send
    channel: {$ref: '#/channels/users'}
    reply:
      address: {location: replyTo}
`, `(#/operations/ask/reply/address/location): location "replyTo" must be a runtime expression into the request`},
		{"unknown root field", header3 + "channels: {}\nextra: 1\n", `api.yaml:4:1 (#/extra): an AsyncAPI document has no field "extra"`},
		{"unknown components kind", header3 + "components:\n  widgets: {}\n", `(#/components/widgets): components has no field "widgets"`},
		{"info as a $ref", "asyncapi: 3.0.0\ninfo: {$ref: '#/x'}\nx: {title: T, version: '1'}\n", `api.yaml:3:1 (#/x): an AsyncAPI document has no field "x"`},
		{"info as a $ref alone", "asyncapi: 3.0.0\ninfo: {$ref: '#/components/x'}\n", `(#/info): missing required field "title"`},
		{"pointer through a missing place", header3 + `channels:
  c: {$ref: '#/components/channels/nope'}
`, `(#/channels/c/$ref): $ref "#/components/channels/nope": nothing at /components in api.yaml`},
		{"ref cycle", header3 + `channels:
  c: {$ref: '#/components/channels/a'}
components:
  channels:
    a: {$ref: '#/components/channels/b'}
    b: {$ref: '#/components/channels/a'}
`, `$ref cycle with no concrete value`},
		{"pointer through itself", header3 + `channels:
  c: {$ref: '#/channels/c/x'}
`, `$ref cycle with no concrete value`},
		{"remote ref refused offline", header3 + `channels:
  c:
    messages:
      m: {$ref: 'https://example.com/messages.yaml#/m'}
`, `(#/channels/c/messages/m/$ref): $ref "https://example.com/messages.yaml#/m" names a remote document; remote references are refused unless allowed (-allow-remote-refs)`},
		{"other 3.x version", "asyncapi: 3.2.0\n", `AsyncAPI 3.2.0 documents are not supported: asyncgen reads AsyncAPI 2.0.0 to 2.6.0, 3.0.x and 3.1.x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": tt.doc}))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.Regexp(t, `^api\.yaml:\d+(:\d+)?`, err.Error(), "the error names the file and line")
		})
	}
}

func TestLoadV3ReadsOneModel(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": v3Base + `operations:
  onSignUp:
    action: receive
    channel: {$ref: '#/channels/users'}
    messages: [{$ref: '#/channels/users/messages/signedUp'}]
  sendLeft:
    action: send
    channel: {$ref: '#/channels/other'}
    security: [{$ref: '#/components/securitySchemes/key'}]
    reply:
      address: {location: '$message.header#/replyTo'}
      channel: {$ref: '#/channels/users'}
components:
  securitySchemes:
    key: {type: httpApiKey, name: X-Key, in: header}
`}))
	require.NoError(t, err)
	require.Equal(t, "3.0.0", doc.Version)
	require.Len(t, doc.Servers, 1)
	require.Equal(t, "https://example.com", doc.Servers[0].URL)
	require.Len(t, doc.Channels, 2)
	users, other := doc.Channels[0], doc.Channels[1]
	require.Equal(t, "users/{id}", users.Name, "a channel is named by its address")
	require.Equal(t, "users", users.Key)
	require.Len(t, users.Parameters, 1)

	require.Len(t, users.AllOperations(), 1)
	onSignUp := users.AllOperations()[0]
	require.True(t, onSignUp.Receives())
	require.Equal(t, "onSignUp", onSignUp.OperationID)
	require.Equal(t, []*Message{doc.Messages[0]}, onSignUp.Messages)
	require.Equal(t, "signedUp", doc.Messages[0].Key)

	require.Len(t, other.AllOperations(), 1)
	sendLeft := other.AllOperations()[0]
	require.False(t, sendLeft.Receives())
	require.Len(t, sendLeft.Messages, 1, "an operation that lists no messages carries all its channel's")
	require.Equal(t, "left", sendLeft.Messages[0].Key)
	require.Equal(t, []SecurityRequirement{{Scheme: "key"}}, sendLeft.Security)
	require.NotNil(t, sendLeft.Reply)
	require.Equal(t, "$message.header#/replyTo", sendLeft.Reply.AddressLocation)
	require.Same(t, users, sendLeft.Reply.Channel)
	require.Equal(t, []*Message{doc.Messages[0]}, sendLeft.Reply.Messages)
}

func TestLoadV3NullAddressAndTraits(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": header3 + `channels:
  replies:
    address: null
    messages:
      answer: {$ref: '#/components/messages/answer'}
operations:
  answer:
    action: send
    channel: {$ref: '#/channels/replies'}
    traits: [{$ref: '#/components/operationTraits/described'}]
    summary: own summary
components:
  operationTraits:
    described: {summary: trait summary, description: from the trait}
  messageTraits:
    common: {contentType: text/plain, name: fromTrait, title: Trait title}
  messages:
    answer:
      name: answer
      traits: [{$ref: '#/components/messageTraits/common'}, {title: Second trait}]
      payload: {type: string}
`}))
	require.NoError(t, err)
	ch := doc.Channels[0]
	require.Equal(t, "replies", ch.Name, "a null address leaves the channel named by its key")
	op := ch.AllOperations()[0]
	require.Equal(t, "own summary", op.Summary, "a trait never overrides the operation")
	require.Equal(t, "from the trait", op.Description)
	m := op.Messages[0]
	require.Equal(t, "answer", m.Name, "a trait never overrides the message")
	require.Equal(t, "text/plain", m.ContentType)
	require.Equal(t, "Second trait", m.Title, "a later trait overrides an earlier one")
	require.Equal(t, "api.yaml", m.Loc.File)
	require.Equal(t, "/components/messages/answer", m.Loc.Pointer)
}

func TestLoadV3MultiFormatSchemas(t *testing.T) {
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": header3 + `channels:
  c:
    messages:
      m:
        payload: {$ref: '#/components/schemas/Order'}
        headers:
          schemaFormat: application/vnd.oai.openapi;version=3.0.0
          schema: {type: object, properties: {trace: {type: string, nullable: true}}}
components:
  schemas:
    Order:
      schemaFormat: application/schema+json;version=draft-07
      schema: {type: object, properties: {id: {type: integer}}}
    Plain: {type: string}
`}))
	require.NoError(t, err)
	require.Len(t, doc.Schemas, 2)
	require.Equal(t, "Order", doc.Schemas[0].Name)
	order := doc.Schemas[0].Schema.Value
	require.Contains(t, order.Properties, "id")
	require.Equal(t, "Order", doc.SchemaInfo[order].Name, "the schema inside is known by the component's name")
	m := doc.Messages[0]
	require.Same(t, order, m.Payload.Value)
	require.True(t, m.Headers.Value.Properties["trace"].Value.Nullable, "OpenAPI's nullable is read")
}

func TestLoadV3InlineSecuritySchemeNamedByPlace(t *testing.T) {
	doc, err := Load("/abs/dir/api.yaml", memFiles(map[string]string{"/abs/dir/api.yaml": header3 + `servers:
  prod:
    host: example.com
    protocol: https
    security: [{type: httpApiKey, name: X-Key, in: header}]
`}))
	require.NoError(t, err)
	require.Len(t, doc.SecuritySchemes, 1)
	require.Equal(t, "#/servers/prod/security/0", doc.SecuritySchemes[0].Name, "no file path, which could be absolute, in the name")
	require.Equal(t, []SecurityRequirement{{Scheme: "#/servers/prod/security/0"}}, doc.Servers[0].Security)
}

// TestLoadV3ErrorsStayOnOneLine: names from the document that hold a
// newline are quoted in messages (found by FuzzLoadV3).
func TestLoadV3ErrorsStayOnOneLine(t *testing.T) {
	tests := map[string]string{
		"version":       "asyncapi: \"3.0\\n0\"\n",
		"operation key": header3 + "operations:\n  \"a\\nb\": 1\n",
		"channel key":   header3 + "channels:\n  \"a\\nb\": {servers: [x]}\n",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": doc}))
			require.Error(t, err)
			require.NotContains(t, err.Error(), "\n")
			require.Contains(t, err.Error(), `\n`)
		})
	}
}

// TestV3AddressParametersUndeclared: a channel without parameters whose
// address has {names} loads, strict or lenient, with one positioned
// warning per name; real documents (two of corpus3's) do it.
func TestV3AddressParametersUndeclared(t *testing.T) {
	doc := header3 + `channels:
  users:
    address: users/{id}/{kind}/{id}
    messages:
      signedUp: {payload: {type: string}}
`
	for _, lenient := range []bool{false, true} {
		var warnings []string
		opts := memFiles(map[string]string{"api.yaml": doc})
		opts.Lenient = lenient
		opts.Warn = func(w *Error) { warnings = append(warnings, w.Error()) }
		d, err := Load("api.yaml", opts)
		require.NoError(t, err, "lenient %v", lenient)
		require.Equal(t, "users/{id}/{kind}/{id}", d.Channels[0].Name)
		require.Equal(t, []string{
			`api.yaml:5:14 (#/channels/users/address): address "users/{id}/{kind}/{id}" uses parameter {id}, which the channel does not declare (it has no parameters): it is read as any string`,
			`api.yaml:5:14 (#/channels/users/address): address "users/{id}/{kind}/{id}" uses parameter {kind}, which the channel does not declare (it has no parameters): it is read as any string`,
		}, warnings, "lenient %v", lenient)
	}
}
