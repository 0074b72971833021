package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// schemaPath is the JSON Schema of asyncgen.yaml that editors use.
var schemaPath = filepath.Join("..", "..", "asyncgen.schema.json")

// awaitingMerge are keys the schema already describes for flags being
// added on other branches (lenient, refRoot). Once the reader knows one,
// this test asks for it to be removed from here.
var awaitingMerge = []string{}

// schemaDoc is the part of the schema the key comparison reads.
type schemaDoc struct {
	Properties map[string]json.RawMessage `json:"properties"`
	Defs       struct {
		Package struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"package"`
	} `json:"$defs"`
}

func readSchemaDoc(t *testing.T) schemaDoc {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	require.NoError(t, err)
	var doc schemaDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	return doc
}

// yamlKeys lists the keys yaml.v3 reads into a struct of type typ: the
// names in its yaml tags.
func yamlKeys(typ reflect.Type) []string {
	var keys []string
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	slices.Sort(keys)
	return keys
}

func sortedSchemaKeys(props map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestSchemaKeysMatchReader checks that asyncgen.schema.json offers
// exactly the keys the reader accepts, at the top and in each package.
func TestSchemaKeysMatchReader(t *testing.T) {
	doc := readSchemaDoc(t)
	require.Equal(t, yamlKeys(reflect.TypeFor[File]()), sortedSchemaKeys(doc.Properties), "top-level keys")

	reader := yamlKeys(reflect.TypeFor[Package]())
	for _, key := range awaitingMerge {
		require.NotContains(t, reader, key, "the reader knows %q now: remove it from awaitingMerge", key)
		reader = append(reader, key)
	}
	slices.Sort(reader)
	require.Equal(t, reader, sortedSchemaKeys(doc.Defs.Package.Properties), "keys of a package")
}

// TestSchemaConcernsMatchEmitters checks that the schema's emit values are
// the concerns the emitters offer.
func TestSchemaConcernsMatchEmitters(t *testing.T) {
	doc := readSchemaDoc(t)
	var emit struct {
		Items struct {
			Enum []string `json:"enum"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal(doc.Defs.Package.Properties["emit"], &emit))
	require.Equal(t, knownConcerns(), emit.Items.Enum)
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("asyncgen.schema.json", doc))
	s, err := c.Compile("asyncgen.schema.json")
	require.NoError(t, err)
	return s
}

// validateYAML validates a YAML config against the schema, as an editor
// would.
func validateYAML(t *testing.T, s *jsonschema.Schema, text string) error {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(text), &v))
	data, err := json.Marshal(v)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return s.Validate(inst)
}

// TestSchemaAgreesWithReader runs configs through both the schema and
// Parse: what one accepts the other accepts.
func TestSchemaAgreesWithReader(t *testing.T) {
	s := compileSchema(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, rest, found := strings.Cut(string(readme), "```yaml\n# yaml-language-server:")
	require.True(t, found, "the README's asyncgen.yaml starts with the yaml-language-server modeline")
	_, readmeExample, _ := strings.Cut(rest, "\n")
	readmeExample, _, _ = strings.Cut(readmeExample, "```")

	for _, tc := range []struct {
		name, text string
		valid      bool
	}{
		{"README", readmeExample, true},
		{"minimal", "packages:\n  - {package: x, out: gen, spec: s.yaml}\n", true},
		{"unknown key", "packages:\n  - {package: x, output: gen, spec: s.yaml}\n", false},
		{"unknown top key", "packages:\n  - {package: x, out: gen, spec: s.yaml}\nextra: 1\n", false},
		{"spec and specs", "packages:\n  - {package: x, out: gen, spec: s.yaml, specs: [t.yaml]}\n", false},
		{"no spec", "packages:\n  - {package: x, out: gen}\n", false},
		{"bad package", "packages:\n  - {package: not-go, out: gen, spec: s.yaml}\n", false},
		{"blank package", "packages:\n  - {package: _, out: gen, spec: s.yaml}\n", false},
		{"unknown concern", "packages:\n  - {package: x, out: gen, spec: s.yaml, emit: [nonsense]}\n", false},
		{"emit as string", "packages:\n  - {package: x, out: gen, spec: s.yaml, emit: types}\n", false},
		{"bad type name", "packages:\n  - {package: x, out: gen, spec: s.yaml, typeNames: {A: 1x}}\n", false},
		{"bad initialism", "packages:\n  - {package: x, out: gen, spec: s.yaml, initialisms: [a-b]}\n", false},
		{"no packages", "packages: []\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schemaErr := validateYAML(t, s, tc.text)
			_, readerErr := Parse("asyncgen.yaml", []byte(tc.text))
			require.Equal(t, tc.valid, schemaErr == nil, "schema: %v", schemaErr)
			require.Equal(t, tc.valid, readerErr == nil, "reader: %v", readerErr)
		})
	}
}
