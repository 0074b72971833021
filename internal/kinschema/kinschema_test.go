package kinschema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
)

const spec = `asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  trees:
    publish:
      message:
        payload: {$ref: '#/components/schemas/Tree'}
components:
  schemas:
    Tree:
      type: object
      required: [size]
      additionalProperties: false
      properties:
        size: {type: integer, enum: [1, 9007199254740993], exclusiveMaximum: 10000000000000000}
        kind: {const: oak}
        never: false
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
`

func loadTree(t *testing.T) *document.SchemaRef {
	t.Helper()
	path := filepath.Join(t.TempDir(), "api.yaml")
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
	doc, err := document.Load(path, document.Options{})
	require.NoError(t, err)
	return doc.Messages[0].Payload
}

// TestConvertKeepsCyclesAndKeywords: a recursive schema stays a pointer
// cycle, numbers become kin-openapi's float64s, and boolean schemas and
// boolean additionalProperties keep their meaning.
func TestConvertKeepsCyclesAndKeywords(t *testing.T) {
	tree := Convert(loadTree(t)).Value
	require.Same(t, tree, tree.Properties["children"].Value.Items.Value, "the $ref back to Tree is Tree itself")
	size := tree.Properties["size"].Value
	require.Equal(t, []any{1.0, 9007199254740993.0}, size.Enum)
	require.Equal(t, 1e16, *size.ExclusiveMax.Value)
	require.Equal(t, "oak", tree.Properties["kind"].Value.Const)
	require.False(t, *tree.Properties["never"].Value.Always)
	require.False(t, *tree.AdditionalProperties.Has)
	require.Nil(t, Convert(nil))
}

// TestConvertedSchemaValidates: kin-openapi checks values against the
// converted schema as the spec says.
func TestConvertedSchemaValidates(t *testing.T) {
	tree := Convert(loadTree(t)).Value
	for payload, valid := range map[string]bool{
		`{"size":1,"children":[{"size":1,"kind":"oak"}]}`: true,
		`{"size":2}`:                             false,
		`{"size":1,"children":[{"kind":"oak"}]}`: false,
		`{"size":1,"never":0}`:                   false,
		`{"size":1,"other":0}`:                   false,
	} {
		var value any
		require.NoError(t, json.Unmarshal([]byte(payload), &value))
		err := tree.VisitJSON(value, openapi3.EnableJSONSchema2020())
		require.Equal(t, valid, err == nil, "%s: %v", payload, err)
	}
}
