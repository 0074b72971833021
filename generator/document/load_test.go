package document

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// memFiles serves documents from memory, so each test states its input.
func memFiles(files map[string]string) Options {
	return Options{ReadFile: func(path string) ([]byte, error) {
		data, ok := files[filepath.ToSlash(path)]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return []byte(data), nil
	}}
}

const header = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing file", map[string]string{}, "api.yaml: cannot read: file does not exist"},
		{"empty", map[string]string{"api.yaml": ""}, "api.yaml:1:1: the file is empty"},
		{"yaml syntax", map[string]string{"api.yaml": "asyncapi: 2.6.0\ninfo:\n  title: x\n   version: 1\n"}, "api.yaml:4: invalid YAML: mapping values are not allowed in this context"},
		{"not a map", map[string]string{"api.yaml": "- a\n- b\n"}, "api.yaml:1:1: an AsyncAPI document must be an object, not array"},
		{"openapi", map[string]string{"api.yaml": "openapi: 3.0.0\ninfo: {title: x}\n"}, `api.yaml:1:10 (#/openapi): this is an OpenAPI document (openapi: 3.0.0), not an AsyncAPI document`},
		{"no asyncapi", map[string]string{"api.yaml": "info: {title: x}\n"}, `api.yaml:1:1: not an AsyncAPI document: missing required field "asyncapi"`},
		{"asyncapi 3", map[string]string{"api.yaml": "asyncapi: 3.2.0\n"}, "api.yaml:1:11 (#/asyncapi): AsyncAPI 3.2.0 documents are not supported: asyncgen reads AsyncAPI 2.0.0 to 2.6.0, 3.0.x and 3.1.x"},
		{"asyncapi 1", map[string]string{"api.yaml": "asyncapi: 1.2.0\n"}, `api.yaml:1:11 (#/asyncapi): unsupported AsyncAPI version "1.2.0"`},
		{"asyncapi number", map[string]string{"api.yaml": "asyncapi: 2.6\n"}, `api.yaml:1:11 (#/asyncapi): asyncapi must be a version string such as "2.6.0", not number`},
		{"missing info", map[string]string{"api.yaml": "asyncapi: 2.6.0\nchannels: {}\n"}, `api.yaml:1:1: missing required field "info"`},
		{"missing title", map[string]string{"api.yaml": "asyncapi: 2.6.0\ninfo: {version: '1'}\nchannels: {}\n"}, `api.yaml:2:7 (#/info): missing required field "title"`},
		{"missing channels", map[string]string{"api.yaml": header}, `api.yaml:1:1: missing required field "channels"`},
		{"duplicate key", map[string]string{"api.yaml": header + "channels: {}\nchannels: {}\n"}, `api.yaml:4:1: duplicate key "channels" (first at line 3)`},
		// A map of more than shortMap keys finds duplicates through a map.
		{"duplicate key, long map", map[string]string{"api.yaml": header + "channels: {}\ncomponents:\n  schemas:\n" +
			"    A: {}\n    B: {}\n    C: {}\n    D: {}\n    E: {}\n    F: {}\n    G: {}\n    H: {}\n    I: {}\n    C: {}\n"}, `api.yaml:15:5 (#/components/schemas): duplicate key "C" (first at line 8)`},
		{"dangling local ref", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        $ref: '#/components/messages/Nope'\n"},
			`api.yaml:7:15 (#/channels/a/publish/message/$ref): $ref "#/components/messages/Nope": nothing at /components in api.yaml`},
		{"dangling file ref", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        $ref: 'other.yaml#/M'\n"},
			`api.yaml:7:15 (#/channels/a/publish/message/$ref): cannot read referenced file other.yaml: file does not exist`},
		{"pointer into other file", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        $ref: 'other.yaml#/M'\n", "other.yaml": "N: {}\n"},
			`api.yaml:7:15 (#/channels/a/publish/message/$ref): $ref "other.yaml#/M": nothing at /M in other.yaml`},
		{"remote ref refused", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        $ref: 'https://example.com/m.yaml'\n"},
			`$ref "https://example.com/m.yaml" names a remote document; remote references are refused unless allowed (-allow-remote-refs)`},
		{"ref cycle", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        payload: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"},
			`$ref cycle with no concrete value: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A`},
		{"oneOf not a list", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        oneOf: {payload: {}}\n"},
			`api.yaml:7:16 (#/channels/a/publish/message/oneOf): message oneOf must be an array, not object`},
		{"undeclared parameter", map[string]string{"api.yaml": header + "channels:\n  'a/{id}':\n    publish:\n      message: {payload: {}}\n"},
			`api.yaml:4:3 (#/channels/a~1{id}): channel "a/{id}" uses parameter {id}, which its parameters do not declare`},
		{"duplicate operationId", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish: {operationId: x, message: {payload: {}}}\n  b:\n    publish: {operationId: x, message: {payload: {}}}\n"},
			`api.yaml:7:28 (#/channels/b/publish/operationId): duplicate operationId "x" (first used at line 5)`},
		{"avro payload", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        schemaFormat: application/vnd.apache.avro;version=1.9.0\n        payload: {type: record}\n"},
			`api.yaml:7:23 (#/channels/a/publish/message/schemaFormat): unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`},
		{"schema not an object", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        payload: 42\n"},
			`api.yaml:7:18 (#/channels/a/publish/message/payload): a schema must be an object or a boolean, not a number`},
		{"bad type", map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        payload: {type: 7}\n"},
			`api.yaml:7:25 (#/channels/a/publish/message/payload/type): type must be a string or an array of strings, not a number`},
		{"unknown security requirement", map[string]string{"api.yaml": header + "servers:\n  s: {url: x, protocol: https, security: [{nope: []}]}\nchannels: {}\n"},
			`api.yaml:4:44 (#/servers/s/security/0/nope): security requirement names "nope", which is not in components.securitySchemes`},
		{"unknown security type", map[string]string{"api.yaml": header + "channels: {}\ncomponents:\n  securitySchemes:\n    k: {type: magic}\n"},
			`api.yaml:6:15 (#/components/securitySchemes/k/type): unknown security scheme type "magic"`},
		{"self alias", map[string]string{"api.yaml": header + "channels: &a\n  x: *a\n"},
			`alias *a refers to an anchor that encloses it`},
		{"merge key", map[string]string{"api.yaml": header + "channels:\n  <<: {a: 1}\n"}, `YAML merge keys (<<) are not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(tt.files))
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), "\n", "errors are one line")
			var docErr *Error
			require.True(t, errors.As(err, &docErr), "a *document.Error: %v", err)
			require.NotEmpty(t, docErr.Loc.File)
		})
	}
}

func TestLoadMultiFileAndTraits(t *testing.T) {
	files := map[string]string{
		"dir/api.yaml": header + `channels:
  lights:
    subscribe:
      operationId: sendLights
      traits: [{$ref: 'common/traits.yaml#/op'}]
      message:
        $ref: 'common/messages.yaml#/Lights'
`,
		"dir/common/traits.yaml":   "op:\n  summary: from the trait\nmsg:\n  headers:\n    type: object\n    properties:\n      id: {type: string}\n",
		"dir/common/messages.yaml": "Lights:\n  name: lights\n  traits: [{$ref: '#/../traits.yaml'}]\n",
	}
	// A pointer that climbs out of the file is not a pointer: refused.
	_, err := Load("dir/api.yaml", memFiles(files))
	require.ErrorContains(t, err, "nothing at /..")

	files["dir/common/messages.yaml"] = "Lights:\n  name: lights\n  traits: [{$ref: 'traits.yaml#/msg'}]\n  payload: {$ref: '../schemas/lumens.yaml'}\n"
	files["dir/schemas/lumens.yaml"] = "type: object\nproperties:\n  lumens: {type: integer, minimum: 0}\n"
	doc, err := Load("dir/api.yaml", memFiles(files))
	require.NoError(t, err)
	op := doc.Channels[0].Subscribe
	require.Equal(t, "from the trait", op.Summary)
	require.Len(t, op.Messages, 1)
	m := op.Messages[0]
	require.Equal(t, "lights", m.Name)
	require.NotNil(t, m.Headers, "headers come from the message trait")
	require.Contains(t, m.Headers.Value.Properties, "id")
	require.Equal(t, filepath.Join("dir", "schemas", "lumens.yaml")+"#", m.Payload.Ref)
	require.Equal(t, "lumens", doc.SchemaInfo[m.Payload.Value].Name)
}

func TestLoadRecursiveSchemaIsACycleOfPointers(t *testing.T) {
	files := map[string]string{"api.yaml": header + `channels:
  a:
    publish:
      message:
        payload: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
`}
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	node := doc.Schemas[0].Schema.Value
	require.Same(t, node, node.Properties["children"].Value.Items.Value)
}

func TestDraft07Rewrites(t *testing.T) {
	files := map[string]string{"api.yaml": header + `channels: {}
components:
  schemas:
    S:
      type: object
      discriminator: kind
      properties:
        kind: {type: string}
        pair:
          type: array
          items: [{type: string}, {type: integer}]
          additionalItems: false
        n: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 10}
        maybe: {type: [string, 'null']}
      dependencies:
        a: [b]
        c: {required: [d]}
      definitions:
        Inner: {type: string}
`}
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	s := doc.Schemas[0].Schema.Value
	require.Equal(t, "kind", s.Discriminator.PropertyName)
	pair := s.Properties["pair"].Value
	require.Len(t, pair.PrefixItems, 2)
	require.NotNil(t, pair.Items.Value.Always)
	require.False(t, *pair.Items.Value.Always)
	n := s.Properties["n"].Value
	require.Equal(t, Number("0"), *n.ExclusiveMin.Value)
	require.Equal(t, Number("10"), *n.ExclusiveMax.Value)
	require.True(t, s.Properties["maybe"].Value.Type.Includes("null"))
	require.Equal(t, []string{"b"}, s.DependentRequired["a"])
	require.Equal(t, []string{"d"}, s.DependentSchemas["c"].Value.Required)
	require.Contains(t, s.Defs, "Inner")
	require.Equal(t, []string{"kind", "pair", "n", "maybe"}, doc.SchemaInfo[s].PropertyOrder)
}

// TestCorpusInvalid refuses every invalid document of the shared corpus.
func TestCorpusInvalid(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "invalid")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(paths) == 0 {
		t.Skipf("no corpus at %s (it sits beside the repository in CI)", dir)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			_, err := Load(p, Options{})
			if filepath.Base(p) == "25-asyncapi-3-document.yaml" {
				// Invalid for a 2.x reader only: a valid AsyncAPI 3.0.0 document.
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			msg := err.Error()
			require.True(t, strings.HasPrefix(msg, p+":"), "names the file and line: %s", msg)
			require.NotContains(t, msg, "\n")
		})
	}
}

func TestCorpusValidLoads(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "valid")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus at %s", dir)
	}
	var paths []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, "/common/") {
			return err
		}
		if strings.Contains(p, "asyncapi") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") {
			paths = append(paths, p)
		}
		return nil
	}))
	require.NotEmpty(t, paths)
	for _, p := range paths {
		_, err := Load(p, Options{RefRoot: dir}) // one tree without a go.mod
		require.NoError(t, err, p)
	}
}

func TestRemoteRefsWhenAllowed(t *testing.T) {
	opts := memFiles(map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        $ref: 'https://schemas.example/msgs/m.yaml#/M'\n"})
	remote := map[string]string{
		"https://schemas.example/msgs/m.yaml":  "M:\n  payload: {$ref: '../types/t.yaml#/T'}\n",
		"https://schemas.example/types/t.yaml": "T: {type: object, properties: {x: {type: string}}}\n",
	}
	var fetched []string
	opts.AllowRemoteRefs = true
	opts.Fetch = func(url string) ([]byte, error) {
		fetched = append(fetched, url)
		data, ok := remote[url]
		if !ok {
			return nil, fs.ErrNotExist
		}
		return []byte(data), nil
	}
	doc, err := Load("api.yaml", opts)
	require.NoError(t, err)
	require.Equal(t, []string{"https://schemas.example/msgs/m.yaml", "https://schemas.example/types/t.yaml"}, fetched)
	require.Contains(t, doc.Messages[0].Payload.Value.Properties, "x")
}
