package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRulesReadApplicators(t *testing.T) {
	pkg := buildSpec(t, `
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    S:
      type: object
      properties:
        list: {type: array, prefixItems: [{type: string}], items: {type: integer}, contains: {const: 1}, maxContains: 2}
      patternProperties: {'^z': {type: integer}, '^a': {type: string}}
      propertyNames: {maxLength: 3}
      dependentRequired: {b: [c, d], a: [e]}
      dependentSchemas: {f: {required: [g]}}
      if: {required: [a]}
      then: {required: [b]}
    OnlyIf:
      type: object
      if: {required: [a]}
`)
	r := typeNamed(pkg, "S").Rules
	list := r.Properties[0].Rules
	require.Len(t, list.PrefixItems, 1)
	require.Equal(t, []string{"integer"}, list.Items.Types)
	require.NotNil(t, list.Contains)
	require.Nil(t, list.MinContains)
	require.Equal(t, uint64(2), *list.MaxContains)
	require.Len(t, r.PatternProperties, 2)
	require.Equal(t, "^a", r.PatternProperties[0].Pattern, "sorted by pattern")
	require.Equal(t, uint64(3), *r.PropertyNames.MaxLength)
	require.Len(t, r.DependentRequired, 2)
	require.Equal(t, "a", r.DependentRequired[0].Property, "sorted by property")
	require.Equal(t, []string{"c", "d"}, r.DependentRequired[1].Required)
	require.Equal(t, "f", r.DependentSchemas[0].Name)
	require.Equal(t, []string{"a"}, r.If.Required)
	require.Equal(t, []string{"b"}, r.Then.Required)
	require.Nil(t, r.Else)
	require.Nil(t, typeNamed(pkg, "OnlyIf").Rules.If, "if without then or else checks nothing")
}

func TestRulesRefuseAPatternPropertyGoCannotCompile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    S: {type: object, patternProperties: {'^(?=a)': {type: string}}}
`), 0o644))
	_, err := Build(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{path}})
	// At the keyword (the pattern itself), not at the schema.
	require.EqualError(t, err, path+":7:53 (#/components/schemas/S/patternProperties/^(?=a)): patternProperties \"^(?=a)\" is not a Go regular expression (RE2): invalid or unsupported Perl syntax (?=")
}
