package generator

import (
	"testing"

	"github.com/asyncgen/asyncgen/generator/model"

	"github.com/stretchr/testify/require"
)

// selfSpec is a document whose message payload is schemas S.
func selfSpec(schemas string) string {
	return `asyncapi: 2.6.0
info: {title: T, version: 1.0.0}
channels:
  c:
    publish:
      message:
        payload: {$ref: '#/components/schemas/S'}
components:
  schemas:
    T: {type: object, properties: {a: {type: string}}}
` + schemas
}

// TestSchemasThatApplyThroughThemselvesAreRefused checks the cycles that
// have no clear meaning: each is refused at the schema's place (before,
// the generated decoder overflowed the stack on every input).
func TestSchemasThatApplyThroughThemselvesAreRefused(t *testing.T) {
	cases := []struct{ name, schemas, want string }{
		{"oneOf holds itself", `    S: {oneOf: [{$ref: '#/components/schemas/T'}, {$ref: '#/components/schemas/S'}]}
`, "api.yaml:11:8 (#/components/schemas/S): oneOf: variant 2 is the schema itself: a value that matches another variant matches it too, so oneOf has no clear meaning"},
		{"anyOf of only itself", `    S: {anyOf: [{$ref: '#/components/schemas/S'}]}
`, "api.yaml:11:8 (#/components/schemas/S): anyOf: its only variant is the schema itself, so it accepts no value"},
		{"not itself", `    S: {type: object, not: {$ref: '#/components/schemas/S'}}
`, "api.yaml:11:8 (#/components/schemas/S): not: it is the schema itself: no value can both match and not match it"},
		{"oneOf loop with null", `    S: {oneOf: [{$ref: '#/components/schemas/U'}, {type: 'null'}]}
    U: {oneOf: [{$ref: '#/components/schemas/S'}, {type: 'null'}]}
`, "api.yaml:11:8 (#/components/schemas/S): the schema applies to a value through itself (through allOf, anyOf, oneOf, not, if/then/else or dependentSchemas) without reading any part of it, so checking a value against it would never end"},
		{"loop through two unions", `    S: {anyOf: [{$ref: '#/components/schemas/T'}, {$ref: '#/components/schemas/U'}]}
    U: {anyOf: [{type: string}, {$ref: '#/components/schemas/S'}]}
`, "api.yaml:11:8 (#/components/schemas/S): the schema applies to a value through itself (through allOf, anyOf, oneOf, not, if/then/else or dependentSchemas) without reading any part of it, so checking a value against it would never end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := buildMem(t, selfSpec(tc.schemas))
			require.EqualError(t, err, tc.want)
		})
	}
}

// TestSelfVariantsCollapse checks the cycles with a clear meaning: an
// anyOf variant or allOf part that is the schema itself is dropped.
func TestSelfVariantsCollapse(t *testing.T) {
	pkg, err := buildMem(t, selfSpec(`    S: {anyOf: [{$ref: '#/components/schemas/T'}, {$ref: '#/components/schemas/S'}]}
    A: {allOf: [{$ref: '#/components/schemas/B'}]}
    B: {allOf: [{$ref: '#/components/schemas/A'}]}
`))
	require.NoError(t, err)
	underlying := map[string]string{}
	for _, ty := range pkg.Types {
		if ty.Underlying == nil {
			continue
		}
		switch ty.Underlying.Kind {
		case model.AnyRef:
			underlying[ty.Name] = "any"
		case model.NamedRef:
			underlying[ty.Name] = ty.Underlying.Name
		}
	}
	require.Equal(t, map[string]string{"A": "any", "B": "any", "S": "T"}, underlying)
}

// TestDiscriminatedBaseInheritedByVariants checks the polymorphism of
// OpenAPI and Springwolf: a base picking its variant by a discriminator,
// whose variants name the base in their allOf. The variants inherit the
// base's own properties; the choice is not applied to them again (before,
// the cycle Pet -> Dog -> Pet refused such documents, two of them in the
// 3.x corpus).
func TestDiscriminatedBaseInheritedByVariants(t *testing.T) {
	pkg, err := buildMem(t, selfSpec(`    S: {type: object, properties: {pet: {$ref: '#/components/schemas/Pet'}}}
    Pet:
      type: object
      discriminator: kind
      required: [kind]
      properties: {kind: {type: string}}
      oneOf: [{$ref: '#/components/schemas/Dog'}, {$ref: '#/components/schemas/Cat'}]
    Dog: {allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {bark: {type: string}}}]}
    Cat: {allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties: {purr: {type: string}}}]}
`))
	require.NoError(t, err)
	fields := map[string][]string{}
	for _, ty := range pkg.Types {
		for _, f := range ty.Fields {
			fields[ty.Name] = append(fields[ty.Name], f.JSONName)
		}
	}
	require.Equal(t, []string{"kind", "bark"}, fields["Dog"], "Dog inherits Pet's own property")
	require.Equal(t, []string{"kind", "purr"}, fields["Cat"], "Cat inherits Pet's own property")
}
