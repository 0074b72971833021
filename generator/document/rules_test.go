package document

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// op is a channel "a" whose publish operation has the message given.
func op(message string) string {
	return header + "channels:\n  a:\n    publish:\n      message:\n" + message
}

// ruleCases are documents that break one AsyncAPI 2.x rule, the exact
// error a strict load gives, and whether a lenient load goes on (with that
// error as its only warning).
var ruleCases = []struct {
	name    string
	doc     string
	want    string
	lenient bool
}{
	{"duplicate root tag", header + "tags: [{name: a}, {name: b}, {name: a}]\nchannels: {}\n",
		`api.yaml:3:37 (#/tags/2/name): duplicate tag name "a" (first at line 3)`, true},
	{"duplicate operation tag", header + "channels:\n  a:\n    publish:\n      tags:\n        - name: x\n        - name: x\n      message: {payload: {}}\n",
		`api.yaml:8:17 (#/channels/a/publish/tags/1/name): duplicate tag name "x" (first at line 7)`, true},
	{"duplicate message tag", op("        tags: [{name: x}, {name: x}]\n        payload: {}\n"),
		`api.yaml:7:34 (#/channels/a/publish/message/tags/1/name): duplicate tag name "x" (first at line 7)`, true},
	{"duplicate message trait tag", op("        traits: [{tags: [{name: x}, {name: x}]}]\n"),
		`api.yaml:7:44 (#/channels/a/publish/message/traits/0/tags/1/name): duplicate tag name "x" (first at line 7)`, true},
	{"duplicate operation trait tag", header + "channels:\n  a:\n    publish:\n      traits: [{$ref: '#/components/operationTraits/t'}]\n      message: {payload: {}}\ncomponents:\n  operationTraits:\n    t: {tags: [{name: x}, {name: x}]}\n",
		`api.yaml:10:34 (#/components/operationTraits/t/tags/1/name): duplicate tag name "x" (first at line 10)`, true},
	{"duplicate messageId", header + "channels:\n  a:\n    publish:\n      message: {messageId: m, payload: {}}\n  b:\n    publish:\n      message: {messageId: m, payload: {}}\n",
		`api.yaml:9:28 (#/channels/b/publish/message/messageId): duplicate messageId "m" (first at line 6)`, true},
	{"messageId from a trait", header + "channels:\n  a:\n    publish:\n      message: {messageId: m, payload: {}}\n  b:\n    publish:\n      message: {traits: [{messageId: m}], payload: {}}\n",
		`api.yaml:9:38 (#/channels/b/publish/message/traits/0/messageId): duplicate messageId "m" (first at line 6)`, true},
	{"example without payload or headers", op("        payload: {type: string}\n        examples: [{name: empty}]\n"),
		`api.yaml:8:20 (#/channels/a/publish/message/examples/0): example "empty" has neither payload nor headers: an example needs one of them`, true},
	{"example payload does not match", op("        payload: {type: object, properties: {n: {type: integer}}}\n        examples:\n          - name: wrong\n            payload: {n: ten}\n"),
		`api.yaml:10:26 (#/channels/a/publish/message/examples/0/payload/n): example "wrong": its payload does not match the message's payload schema at /n: a string is not an integer`, true},
	{"example headers do not match", op("        headers: {type: object, required: [id]}\n        payload: {}\n        examples: [{headers: {}}]\n"),
		`api.yaml:9:30 (#/channels/a/publish/message/examples/0/headers): example 0: its headers does not match the message's headers schema at /id: is required`, true},
	{"example against a referenced schema", op("        payload: {$ref: '#/components/schemas/P'}\n        examples: [{payload: {kind: b}}]\ncomponents:\n  schemas:\n    P: {type: object, properties: {kind: {const: a}}}\n"),
		`api.yaml:8:37 (#/channels/a/publish/message/examples/0/payload/kind): example 0: its payload does not match the message's payload schema at /kind: "b" is not "a"`, true},
	{"default does not match", header + "channels: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        n: {type: integer, minimum: 1, default: 0}\n",
		`api.yaml:9:49 (#/components/schemas/S/properties/n/default): default does not match its schema at its root: 0 is less than 1`, true},
	{"headers not an object", op("        headers: {type: string}\n"),
		`api.yaml:7:18 (#/channels/a/publish/message/headers): message headers must be an object schema (type: object), not type string`, false},
	{"bad component key", header + "channels: {}\ncomponents:\n  schemas:\n    'a b': {type: string}\n",
		`api.yaml:6:5 (#/components/schemas/a b): component key "a b" may hold only letters, digits, '.', '-' and '_'`, true},
	{"operation trait with message", header + "channels:\n  a:\n    publish:\n      traits: [{message: {payload: {}}}]\n      message: {payload: {}}\n",
		`api.yaml:6:17 (#/channels/a/publish/traits/0/message): an operation trait cannot carry "message": only the operation itself names its messages`, true},
	{"operation trait with traits", header + "channels:\n  a:\n    publish:\n      traits: [{traits: []}]\n      message: {payload: {}}\n",
		`api.yaml:6:17 (#/channels/a/publish/traits/0/traits): an operation trait cannot carry "traits": traits do not nest`, true},
	{"message trait with payload", op("        payload: {type: string}\n        traits: [{payload: {type: integer}}]\n"),
		`api.yaml:8:19 (#/channels/a/publish/message/traits/0/payload): a message trait cannot carry "payload": only the message itself gives its payload`, true},
	{"message trait with traits", op("        payload: {}\n        traits: [{traits: []}]\n"),
		`api.yaml:8:19 (#/channels/a/publish/message/traits/0/traits): a message trait cannot carry "traits": traits do not nest`, true},
	{"undeclared server variable", header + "servers:\n  s: {url: 'https://{host}:{port}/', protocol: https, variables: {host: {default: x}}}\nchannels: {}\n",
		`api.yaml:4:12 (#/servers/s/url): server s: url uses {port}, which its variables do not declare`, true},
	{"channel names an unknown server", header + "servers:\n  s: {url: x, protocol: https}\nchannels:\n  a:\n    servers: [s, t]\n    publish:\n      message: {payload: {}}\n",
		`api.yaml:7:18 (#/channels/a/servers/1): channel servers names "t", which is not in servers`, true},
	{"channel name with a query", header + "channels:\n  'a?x=1':\n    publish:\n      message: {payload: {}}\n",
		`api.yaml:4:3 (#/channels/a?x=1): channel name "a?x=1" carries a query string or fragment: a channel name is a path only`, false},
	{"channel name with a fragment", header + "channels:\n  'a#b': {}\n",
		`api.yaml:4:3 (#/channels/a#b): channel name "a#b" carries a query string or fragment: a channel name is a path only`, false},
	{"unknown root field", header + "channels: {}\nchanels: {}\n",
		`api.yaml:4:1 (#/chanels): unknown field "chanels" in the document (it may have asyncapi, channels, components, defaultContentType, externalDocs, id, info, servers, tags, and x- extensions)`, true},
	{"unknown info field", "asyncapi: 2.6.0\ninfo: {title: T, version: '1', owner: me}\nchannels: {}\n",
		`api.yaml:2:32 (#/info/owner): unknown field "owner" in info (it may have contact, description, license, termsOfService, title, version, and x- extensions)`, true},
	{"unknown contact field", "asyncapi: 2.6.0\ninfo: {title: T, version: '1', contact: {phone: 1}}\nchannels: {}\n",
		`api.yaml:2:42 (#/info/contact/phone): unknown field "phone" in a contact`, true},
	{"unknown server field", header + "servers:\n  s: {url: x, protocol: https, host: y}\nchannels: {}\n",
		`api.yaml:4:32 (#/servers/s/host): unknown field "host" in a server`, true},
	{"unknown channel field", header + "channels:\n  a: {get: {}}\n",
		`api.yaml:4:7 (#/channels/a/get): unknown field "get" in a channel`, true},
	{"unknown operation field", header + "channels:\n  a:\n    publish: {summry: x, message: {payload: {}}}\n",
		`api.yaml:5:15 (#/channels/a/publish/summry): unknown field "summry" in an operation`, true},
	{"unknown parameter field", header + "channels:\n  'a/{id}':\n    parameters: {id: {type: string}}\n",
		`api.yaml:5:23 (#/channels/a~1{id}/parameters/id/type): unknown field "type" in a parameter`, true},
	{"unknown example field", op("        payload: {}\n        examples: [{value: 1}]\n"),
		`api.yaml:8:21 (#/channels/a/publish/message/examples/0/value): unknown field "value" in a message example`, true},
	{"unknown component kind", header + "channels: {}\ncomponents: {models: {}}\n",
		`api.yaml:4:14 (#/components/models): unknown field "models" in components`, true},
	{"unknown security scheme field", header + "channels: {}\ncomponents:\n  securitySchemes:\n    k: {type: http, scheme: bearer, header: x}\n",
		`api.yaml:6:37 (#/components/securitySchemes/k/header): unknown field "header" in a security scheme`, true},
	{"unknown correlation id field", op("        payload: {}\n        correlationId: {location: '$message.header#/id', at: x}\n"),
		`api.yaml:8:58 (#/channels/a/publish/message/correlationId/at): unknown field "at" in a correlation ID`, true},
	{"unknown tag field", header + "tags: [{name: a, url: x}]\nchannels: {}\n",
		`api.yaml:3:18 (#/tags/0/url): unknown field "url" in a tag`, true},
	{"unknown external docs field", header + "externalDocs: {url: x, title: y}\nchannels: {}\n",
		`api.yaml:3:24 (#/externalDocs/title): unknown field "title" in external docs`, true},
	{"unknown oneOf sibling", op("        oneOf: [{payload: {}}]\n        name: x\n"),
		`api.yaml:8:9 (#/channels/a/publish/message/name): unknown field "name" beside oneOf: a oneOf of messages has nothing else`, true},
	{"a map of messages in a message's place", op("        lightMeasured: {payload: {type: object}}\n        turnOn: {payload: {type: object}}\n"),
		`api.yaml:7:9 (#/channels/a/publish/message/lightMeasured): unknown field "lightMeasured" in a message`, true},
}

func TestRuleViolations(t *testing.T) {
	for _, tt := range ruleCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": tt.doc}))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			var docErr *Error
			require.True(t, errors.As(err, &docErr), "a *document.Error: %v", err)

			var warnings []string
			opts := memFiles(map[string]string{"api.yaml": tt.doc})
			opts.Lenient = true
			opts.Warn = func(w *Error) { warnings = append(warnings, w.Error()) }
			_, err = Load("api.yaml", opts)
			if !tt.lenient {
				require.Error(t, err, "this rule stays an error when lenient")
				require.Contains(t, err.Error(), tt.want)
				return
			}
			require.NoError(t, err)
			require.NotEmpty(t, warnings)
			require.Contains(t, warnings[0], tt.want, "the first warning is the error a strict load gives")
		})
	}
}

// lenientLoad loads doc leniently and returns it with its warnings.
func lenientLoad(t *testing.T, doc string) (*Document, []string) {
	t.Helper()
	var warnings []string
	opts := memFiles(map[string]string{"api.yaml": doc})
	opts.Lenient = true
	opts.Warn = func(w *Error) { warnings = append(warnings, w.Error()) }
	d, err := Load("api.yaml", opts)
	require.NoError(t, err)
	return d, warnings
}

func TestLenientTraitPayloadIsIgnored(t *testing.T) {
	doc, warnings := lenientLoad(t, op("        payload: {type: string}\n        traits: [{payload: {type: integer}, summary: from the trait}]\n"))
	require.Len(t, warnings, 1)
	m := doc.Messages[0]
	require.True(t, m.Payload.Value.Type.Is("string"), "the message keeps its own payload")
	require.Equal(t, "from the trait", m.Summary, "the rest of the trait still applies")
}

func TestLenientDropsBrokenExamples(t *testing.T) {
	doc, warnings := lenientLoad(t, op("        payload: {type: integer}\n        examples: [{payload: 1}, {payload: x}, {name: empty}]\n"))
	require.Len(t, warnings, 2)
	require.Len(t, doc.Messages[0].Examples, 1)
	require.Equal(t, int64(1), doc.Messages[0].Examples[0].Payload)
}

func TestOperationWithoutMessage(t *testing.T) {
	for _, tt := range []struct{ name, doc, at string }{
		{"no message", header + "channels:\n  a:\n    publish: {operationId: x}\n", "api.yaml:5:14"},
		{"empty oneOf", op("        oneOf: []\n"), "api.yaml:6:7"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			var warnings []string
			opts := memFiles(map[string]string{"api.yaml": doc})
			opts.Warn = func(w *Error) { warnings = append(warnings, w.Error()) }
			d, err := Load("api.yaml", opts)
			require.NoError(t, err, "AsyncAPI 2.x allows it")
			require.Nil(t, d.Channels[0].Publish, "nothing is generated for it")
			require.Equal(t, []string{tt.at + " (#/channels/a/publish): publish operation has no message: nothing is generated for it"}, warnings)
		})
	}
}

func TestStrictIsTheDefault(t *testing.T) {
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": op("        payload: {type: string}\n        traits: [{payload: {type: integer}}]\n")}))
	require.ErrorContains(t, err, `a message trait cannot carry "payload"`)
}

// TestConformityOnAliasedSchemas loads a schema that YAML aliases nest 40
// levels deep (2^40 paths), with a default on every level and an example:
// the schema checks must not walk it path by path.
func TestConformityOnAliasedSchemas(t *testing.T) {
	var b strings.Builder
	b.WriteString(op("        payload: {$ref: '#/components/schemas/S'}\n        examples: [{payload: {}}]\n"))
	b.WriteString("components:\n  schemas:\n    L0: &l0 {type: object, properties: {v: {type: string}}}\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "    L%d: &l%d {type: object, properties: {a: *l%d, b: *l%d}, default: {}}\n", i, i, i-1, i-1)
	}
	b.WriteString("    S: *l39\n")
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": b.String()}))
	require.NoError(t, err)
	require.Len(t, doc.Messages[0].Examples, 1)
}

func TestExamplesAreFreeFormInAsyncAPI20(t *testing.T) {
	doc := "asyncapi: 2.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  a:\n    publish:\n      message:\n        payload: {type: integer}\n        examples: [{value: 1}]\n"
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": doc}))
	require.NoError(t, err, "2.0 examples are any maps")
	_, err = Load("api.yaml", memFiles(map[string]string{"api.yaml": strings.Replace(doc, "2.0.0", "2.1.0", 1)}))
	require.ErrorContains(t, err, `unknown field "value" in a message example`)
}
