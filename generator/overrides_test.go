package generator

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// overrideSpec is a document with a component Thing (whose property
// "name" has the given extra line) and a component Other; thing holds
// Thing's extra line.
func overrideSpec(thing, property string) string {
	return `asyncapi: 2.6.0
info: {title: Overrides, version: 1.0.0}
channels:
  things:
    subscribe:
      message:
        name: thing
        payload:
          $ref: '#/components/schemas/Thing'
components:
  schemas:
    Other:
      type: object
      properties:
        id: {type: string}
    Thing:
      type: object
` + thing + `      properties:
        id: {type: string}
        name:
          type: string
` + property
}

// TestOverridesAreCheckedIdentifiers refuses every x-go-name and typeNames
// entry that is not an exported Go identifier free of collisions, at the
// place it is written, and never pastes one into the source.
func TestOverridesAreCheckedIdentifiers(t *testing.T) {
	for _, c := range []struct {
		name, thing, property string
		typeNames             map[string]string
		want                  string
	}{
		{
			name:  "newline injecting code",
			thing: "      x-go-name: \"T struct{}\\nfunc init() { panic(1) }\\ntype U\"\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "T struct{}\nfunc init() { panic(1) }\ntype U" cannot name a Go type: it is not a Go identifier (a letter, then letters, digits or underscores, and no keyword)`,
		},
		{
			name:  "blank identifier",
			thing: "      x-go-name: _\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "_" cannot name a Go type: it does not start with an upper-case letter, so it would not be exported`,
		},
		{
			name:  "builtin",
			thing: "      x-go-name: string\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "string" cannot name a Go type: it does not start with an upper-case letter, so it would not be exported`,
		},
		{
			name:  "keyword",
			thing: "      x-go-name: func\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "func" cannot name a Go type: it is not a Go identifier (a letter, then letters, digits or underscores, and no keyword)`,
		},
		{
			name:  "empty",
			thing: "      x-go-name: ''\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "" cannot name a Go type: it is empty`,
		},
		{
			name:  "not a string",
			thing: "      x-go-name: 5\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name must be a string`,
		},
		{
			name:  "declared by the generated package",
			thing: "      x-go-name: Sender\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "Sender" is a name the generated package declares itself; choose another`,
		},
		{
			name:  "another type's name",
			thing: "      x-go-name: Other\n",
			want:  `virtual/spec.yaml:18:18 (#/components/schemas/Thing/x-go-name): x-go-name "Other" is already the name of another type; choose another`,
		},
		{
			name:     "field: not exported",
			property: "          x-go-name: name\n",
			want:     `virtual/spec.yaml:22:22 (#/components/schemas/Thing/properties/name/x-go-name): x-go-name "name" cannot name a struct field: it does not start with an upper-case letter, so it would not be exported`,
		},
		{
			name:     "field: a method's name",
			property: "          x-go-name: Validate\n",
			want:     `virtual/spec.yaml:22:22 (#/components/schemas/Thing/properties/name/x-go-name): x-go-name "Validate" is the name of a method of the generated struct; choose another`,
		},
		{
			name:     "field: another field's name",
			property: "          x-go-name: ID\n",
			want:     `virtual/spec.yaml:22:22 (#/components/schemas/Thing/properties/name/x-go-name): x-go-name "ID" is already the name of another field of this struct; choose another`,
		},
		{
			name:     "field: newline",
			property: "          x-go-name: \"A int\\n}\\nfunc init() {}\\ntype X struct {\"\n",
			want:     `virtual/spec.yaml:22:22 (#/components/schemas/Thing/properties/name/x-go-name): x-go-name "A int\n}\nfunc init() {}\ntype X struct {" cannot name a struct field: it is not a Go identifier (a letter, then letters, digits or underscores, and no keyword)`,
		},
		{
			name:      "typeNames: not exported",
			typeNames: map[string]string{"Thing": "thing"},
			want:      `virtual/spec.yaml:17:7 (#/components/schemas/Thing): typeNames entry for "Thing" "thing" cannot name a Go type: it does not start with an upper-case letter, so it would not be exported`,
		},
		{
			name:      "typeNames: declared by the generated package",
			typeNames: map[string]string{"Thing": "RetryPolicy"},
			want:      `virtual/spec.yaml:17:7 (#/components/schemas/Thing): typeNames entry for "Thing" "RetryPolicy" is a name the generated package declares itself; choose another`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := memoryConfig([]byte(overrideSpec(c.thing, c.property)))
			cfg.TypeNames = c.typeNames
			_, err := Generate(cfg)
			require.Error(t, err)
			require.Equal(t, c.want, err.Error())
		})
	}
}

// TestOverridesThatFitAreKept: an exported, free x-go-name and typeNames
// entry name the type and field.
func TestOverridesThatFitAreKept(t *testing.T) {
	cfg := memoryConfig([]byte(overrideSpec("      x-go-name: Renamed\n", "          x-go-name: Label\n")))
	cfg.TypeNames = map[string]string{"Other": "Another"}
	files, err := Generate(cfg)
	require.NoError(t, err)
	types := string(files["types.gen.go"])
	require.Contains(t, types, "type Renamed struct {")
	require.Contains(t, types, "type Another struct {")
	require.Regexp(t, `\tLabel +\*string +`+"`"+`json:"name,omitempty"`, types)
}

// TestOverrideInASharedFile: two specs merged into one package that both
// refer to a schema with an x-go-name in a shared file get its type once
// per spec, as every shared schema does, instead of a collision error.
func TestOverrideInASharedFile(t *testing.T) {
	spec := func(name string) string {
		return "asyncapi: 2.6.0\ninfo: {title: " + name + ", version: 1.0.0}\nchannels:\n  " + name +
			":\n    subscribe:\n      message:\n        name: m" + name + "\n        payload:\n          $ref: 'common.yaml#/Thing'\n"
	}
	files := map[string]string{
		filepath.Join("virtual", "a.yaml"):      spec("a"),
		filepath.Join("virtual", "b.yaml"):      spec("b"),
		filepath.Join("virtual", "common.yaml"): "Thing:\n  type: object\n  x-go-name: SharedThing\n  properties:\n    id: {type: string}\n",
	}
	cfg := Config{Package: "merged", OutDir: filepath.Join("virtual", "out"), Specs: []string{filepath.Join("virtual", "a.yaml"), filepath.Join("virtual", "b.yaml")}}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if data, ok := files[path]; ok {
			return []byte(data), nil
		}
		return nil, fs.ErrNotExist
	}
	out, err := Generate(cfg)
	require.NoError(t, err)
	require.Contains(t, string(out["types.gen.go"]), "type SharedThing struct {")
	require.Contains(t, string(out["types.gen.go"]), "type SharedThing2 struct {")
}

// TestTypeNamesAcrossMergedSpecs: a typeNames entry applies to the
// component of that name in every spec merged into the package, each
// getting its own type (Name, Name2), as before.
func TestTypeNamesAcrossMergedSpecs(t *testing.T) {
	spec := func(name string) string {
		return "asyncapi: 2.6.0\ninfo: {title: " + name + ", version: 1.0.0}\nchannels:\n  " + name +
			":\n    subscribe:\n      message:\n        name: m" + name + "\n        payload:\n          $ref: '#/components/schemas/Thing'\n" +
			"components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {type: string}\n"
	}
	files := map[string]string{filepath.Join("virtual", "a.yaml"): spec("a"), filepath.Join("virtual", "b.yaml"): spec("b")}
	cfg := Config{Package: "merged", OutDir: filepath.Join("virtual", "out"), Specs: []string{filepath.Join("virtual", "a.yaml"), filepath.Join("virtual", "b.yaml")}}
	cfg.TypeNames = map[string]string{"Thing": "Renamed"}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if data, ok := files[path]; ok {
			return []byte(data), nil
		}
		return nil, fs.ErrNotExist
	}
	out, err := Generate(cfg)
	require.NoError(t, err)
	require.Contains(t, string(out["types.gen.go"]), "type Renamed struct {")
	require.Contains(t, string(out["types.gen.go"]), "type Renamed2 struct {")
}
