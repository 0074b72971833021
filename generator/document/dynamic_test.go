package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExampleFormatIsChecked: an example's format is checked as the
// generated validators check it.
func TestExampleFormatIsChecked(t *testing.T) {
	doc := op("        payload: {type: object, properties: {at: {type: string, format: date-time}}}\n        examples: [{payload: {at: yesterday}}]\n")
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": doc}))
	require.EqualError(t, err, `api.yaml:8:35 (#/channels/a/publish/message/examples/0/payload/at): example 0: its payload does not match the message's payload schema at /at: "yesterday" is not a valid date-time`)
}

// TestExampleOfAMultiFormatPayload: a 3.x payload written as a Multi
// Format Schema Object ({schemaFormat, schema}) checks its examples
// against the schema inside (the wrapper itself, read as a schema, let
// every example through).
func TestExampleOfAMultiFormatPayload(t *testing.T) {
	doc := header3 + `channels:
  c:
    messages:
      m:
        payload:
          schemaFormat: application/schema+json;version=draft-07
          schema: {type: object, required: [id]}
        examples:
          - payload: {name: x}
operations:
  o: {action: receive, channel: {$ref: '#/channels/c'}}
`
	var warnings []string
	opts := memFiles(map[string]string{"api.yaml": doc})
	opts.Warn = func(w *Error) { warnings = append(warnings, w.Error()) }
	_, err := Load("api.yaml", opts)
	require.NoError(t, err)
	require.Equal(t, []string{`api.yaml:11:22 (#/channels/c/messages/m/examples/0/payload): example 0: its payload does not match the message's payload schema at /id: is required`}, warnings)
}

// TestRecursiveSchemaDefault: a default is checked against a recursive
// schema as deep as the default goes; a missing property is reported at
// the object that lacks it.
func TestRecursiveSchemaDefault(t *testing.T) {
	doc := header + `channels: {}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
      default: {name: root, children: [{children: []}]}
`
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": doc}))
	require.ErrorContains(t, err, `api.yaml:12:40 (#/components/schemas/Node/default/children/0): default does not match its schema at /children/0/name: is required`)
}
