package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// buildSpec builds the model of a spec written to a temporary file.
func buildSpec(t *testing.T, spec string) *model.Package {
	t.Helper()
	path := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(path, []byte(spec), 0o644))
	pkg, err := Build(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{path}})
	require.NoError(t, err)
	return pkg
}

func typeNamed(pkg *model.Package, name string) *model.Type {
	for _, t := range pkg.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func TestRulesReadBothExclusiveForms(t *testing.T) {
	pkg := buildSpec(t, `
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    N:
      type: object
      properties:
        draft7: {type: number, exclusiveMinimum: 1, maximum: 5}
        openapi: {type: number, minimum: 1, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false}
        pattern: {type: string, pattern: '^a+$', format: email}
        unknown: {type: string, format: color}
`)
	r := typeNamed(pkg, "N").Rules
	require.Len(t, r.Properties, 4)
	draft7, openapi := r.Properties[0].Rules, r.Properties[1].Rules
	require.Equal(t, 1.0, *draft7.ExclusiveMinimum)
	require.Nil(t, draft7.Minimum)
	require.Equal(t, 1.0, *openapi.ExclusiveMinimum)
	require.Nil(t, openapi.Minimum, "the boolean form moves minimum to exclusiveMinimum")
	require.Equal(t, 5.0, *openapi.Maximum)
	require.Nil(t, openapi.ExclusiveMaximum)
	require.Equal(t, "email", r.Properties[2].Rules.Format)
	require.Empty(t, r.Properties[3].Rules.Format, "unknown formats are ignored")
}

// TestRulesKeepWholeBoundsExact: a bound written as a whole number within
// int64 is kept to the digit beside its float64; fractions, exponents and
// numbers past int64 only as float64s.
func TestRulesKeepWholeBoundsExact(t *testing.T) {
	pkg := buildSpec(t, `
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    N:
      type: object
      properties:
        big: {type: integer, minimum: 9007199254740993, exclusiveMaximum: -9223372036854775808, multipleOf: 9007199254740993.000}
        openapi: {type: integer, minimum: 9007199254740993, exclusiveMinimum: true, maximum: 5.0, exclusiveMaximum: true}
        inexact: {type: number, minimum: 1.5, maximum: 1e3, exclusiveMinimum: 9223372036854775808, multipleOf: 0.5}
`)
	r := typeNamed(pkg, "N").Rules
	big, openapi, inexact := r.Properties[0].Rules, r.Properties[1].Rules, r.Properties[2].Rules
	require.Equal(t, int64(9007199254740993), *big.MinimumInt)
	require.Equal(t, 9007199254740992.0, *big.Minimum, "the float64 stays beside it")
	require.Equal(t, int64(-9223372036854775808), *big.ExclusiveMaximumInt)
	require.Equal(t, int64(9007199254740993), *big.MultipleOfInt)
	require.Nil(t, openapi.MinimumInt, "the boolean form moves the exact bound too")
	require.Equal(t, int64(9007199254740993), *openapi.ExclusiveMinimumInt)
	require.Nil(t, openapi.MaximumInt)
	require.Equal(t, int64(5), *openapi.ExclusiveMaximumInt)
	require.Nil(t, inexact.MinimumInt)
	require.Nil(t, inexact.MaximumInt, "an exponent is left to the float64")
	require.Nil(t, inexact.ExclusiveMinimumInt, "past int64")
	require.Equal(t, 9223372036854775808.0, *inexact.ExclusiveMinimum)
	require.Nil(t, inexact.MultipleOfInt)
	require.Equal(t, 0.5, *inexact.MultipleOf)
}

func TestRulesRefuseAPatternGoCannotCompile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    S: {type: string, pattern: '^(?=a)'}
`), 0o644))
	_, err := Build(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{path}})
	// At the keyword (the pattern itself), not at the schema.
	require.EqualError(t, err, path+":7:32 (#/components/schemas/S/pattern): pattern \"^(?=a)\" is not a Go regular expression (RE2): invalid or unsupported Perl syntax (?=")
}

// TestChannelParameterRefusesAPatternGoCannotCompile: a parameter's
// pattern is refused like a schema's, at the keyword; it used to be left
// out without a word, so a value it was meant to refuse was accepted.
func TestChannelParameterRefusesAPatternGoCannotCompile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  'shop.{shopId}':
    parameters:
      shopId:
        schema: {type: string, pattern: '^(?!admin)'}
    subscribe:
      message: {payload: {type: string}}
`), 0o644))
	_, err := Build(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{path}})
	require.EqualError(t, err, path+":8:41 (#/channels/shop.{shopId}/parameters/shopId/schema/pattern): pattern \"^(?!admin)\" is not a Go regular expression (RE2): invalid or unsupported Perl syntax (?!")
}

func TestDispatchOnConstProperty(t *testing.T) {
	pkg := buildSpec(t, `
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  events:
    subscribe:
      message:
        oneOf:
          - {name: a, payload: {type: object, properties: {kind: {const: x}, v: {type: string}}}}
          - {name: b, payload: {type: object, properties: {kind: {type: string, enum: [y]}}}}
  mixed:
    subscribe:
      message:
        oneOf:
          - {name: c, payload: {type: object, properties: {kind: {const: x}}}}
          - {name: d, payload: {type: object, properties: {kind: {type: string}}}}
`)
	d := pkg.Channels[0].Dispatch
	require.NotNil(t, d)
	require.Equal(t, "kind", d.Property)
	require.Equal(t, "DecodeEvents", d.Func)
	require.Equal(t, "EventsMessage", d.Interface)
	require.Equal(t, []string{"x", "y"}, []string{d.Cases[0].Value, d.Cases[1].Value})
	require.Equal(t, "DecodeA", d.Cases[0].Message.DecodeFunc)
	require.Nil(t, pkg.Channels[1].Dispatch, "d does not fix kind: no discriminator")
}

func TestConcernsNeedTheirDependencies(t *testing.T) {
	spec := filepath.Join("..", "specs", "chartmogul.yaml")
	_, err := Generate(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{spec}, Concerns: []string{"types", "decoding"}})
	require.ErrorContains(t, err, `concern "decoding" needs concern "validation"`)
	files, err := Generate(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{spec}, Concerns: []string{"types", "validation"}})
	require.NoError(t, err)
	require.Contains(t, files, "validate.gen.go")
	require.NotContains(t, files, "decode.gen.go")
}

func TestRuntimeNamesAreReserved(t *testing.T) {
	pkg := buildSpec(t, `
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels: {}
components:
  schemas:
    ValidationError: {type: object, properties: {a: {type: string}}}
`)
	require.Nil(t, typeNamed(pkg, "ValidationError"))
	require.NotNil(t, typeNamed(pkg, "ValidationError2"))
}
