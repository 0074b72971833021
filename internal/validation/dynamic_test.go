package validation

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/templates"
	"github.com/asyncgen/asyncgen/templates/support"
	polymorphism "github.com/asyncgen/asyncgen/testdata/golden/polymorphism/want"
)

// TestDynamicValidatorAgreesWithGenerated checks that support's
// DynamicValidator accepts exactly what the generated decoders accept, on
// every fixture and its mutations (as the differential test against
// kin-openapi makes them), fed either way: with the generator's rules
// (templates.DynamicRules, what asyncgen send and listen check) and with
// the loader's schemas (document.DynamicConverter, what examples and
// defaults are checked with). The intended differences are the
// generated decoder's own: a whole number beyond int64, which its Go field
// cannot hold, and a date-time time.Time cannot parse (such as one with a
// lower-case t, which RFC 3339 allows).
func TestDynamicValidatorAgreesWithGenerated(t *testing.T) {
	validator := support.NewDynamicValidator()
	fromRules, fromSchemas := map[string]*support.DynamicSchema{}, map[string]*support.DynamicSchema{}
	for _, spec := range []string{"chartmogul", "growpanel", "monday"} {
		for name, s := range dynamicPayloadRules(t, spec) {
			fromRules[spec+"/"+name] = s
		}
		for name, s := range dynamicPayloadSchemas(t, spec) {
			fromSchemas[spec+"/"+name] = s
		}
	}
	var fs []fixture
	fs = append(fs, fixtures(t, "valid")...)
	fs = append(fs, fixtures(t, "invalid")...)
	total := 0
	for _, f := range fs {
		message := fixtureMessage(t, f)
		if message == "" {
			continue // a channel error case: no message to validate against
		}
		decode := messageDecoders[message]
		require.NotNil(t, fromRules[message], message)
		require.NotNil(t, fromSchemas[message], message)
		var root any
		require.NoError(t, json.Unmarshal(f.data, &root))
		for _, m := range sample(append([]mutation{{what: "as is", value: root}}, mutations(root)...), mutationBudget()) {
			data, err := json.Marshal(m.value)
			require.NoError(t, err)
			var value any
			require.NoError(t, json.Unmarshal(data, &value))
			_, generated := decode(data)
			total++
			if onlyGoFieldLimits(generated) {
				continue
			}
			for way, schema := range map[string]*support.DynamicSchema{"rules": fromRules[message], "schemas": fromSchemas[message]} {
				if dynamic := validator.Validate(schema, value); (generated == nil) != (dynamic == nil) {
					t.Errorf("%s, %s (from %s):\n  payload: %s\n  generated: %v\n  dynamic: %v", f.path, m.what, way, data, generated, dynamic)
				}
			}
		}
	}
	require.Greater(t, total, 5000*mutationBudget()/maxMutations, "the test must try many payloads")
	t.Logf("%d payloads compared", total)
}

// onlyGoFieldLimits reports whether every violation of a generated
// decoder is a value its Go field cannot hold: a whole number beyond int64,
// or a date-time time.Time does not parse.
func onlyGoFieldLimits(err error) bool {
	list := violationList(err)
	for _, v := range list {
		beyondInt64 := v.keyword == "type" && strings.Contains(v.message, "does not fit in a 64-bit integer")
		timeField := v.keyword == "format" && strings.HasSuffix(v.message, "is not a valid date-time")
		if !beyondInt64 && !timeField {
			return false
		}
	}
	return len(list) > 0
}

// dynamicPayloadRules returns each message's payload rules of a shipped
// spec, as the generator builds them, in the form support's
// DynamicValidator checks.
func dynamicPayloadRules(t *testing.T, spec string) map[string]*support.DynamicSchema {
	t.Helper()
	path := filepath.Join("..", "..", "specs", spec+".yaml")
	pkg, err := generator.Build(generator.Config{Package: spec, OutDir: t.TempDir(), Specs: []string{path}})
	require.NoError(t, err)
	converter := templates.NewDynamicRules()
	out := map[string]*support.DynamicSchema{}
	for _, m := range pkg.Messages {
		out[m.WireName] = converter.Convert(m.PayloadRules)
	}
	return out
}

// dynamicPayloadSchemas returns each message's payload schema of a shipped
// spec in the form support's DynamicValidator checks, formats included.
func dynamicPayloadSchemas(t *testing.T, spec string) map[string]*support.DynamicSchema {
	t.Helper()
	doc, err := document.Load(filepath.Join("..", "..", "specs", spec+".yaml"), document.Options{})
	require.NoError(t, err)
	converter := document.NewDynamicConverter()
	out := map[string]*support.DynamicSchema{}
	for _, m := range doc.Messages {
		name := m.Name
		if name == "" {
			name = m.Key
		}
		out[name] = converter.Convert(m.Payload.Value)
	}
	return out
}

// TestDynamicValidatorHonoursDiscriminators checks the generator's rules
// of discriminated unions (a oneOf and a recursive anyOf, each with an
// OpenAPI mapping), read at run time, against the generated decoders, on
// payloads and their mutations: a variant is picked by its tag, as the
// generated validator picks it.
func TestDynamicValidatorHonoursDiscriminators(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "golden", "polymorphism", "spec.yaml")
	pkg, err := generator.Build(generator.Config{Package: "polymorphism", OutDir: t.TempDir(), Specs: []string{path}})
	require.NoError(t, err)
	converter, validator := templates.NewDynamicRules(), support.NewDynamicValidator()
	schemas := map[string]*support.DynamicSchema{}
	for _, m := range pkg.Messages {
		schemas[m.WireName] = converter.Convert(m.PayloadRules)
	}
	cases := []struct {
		message  string
		decode   decodeFunc
		payloads []string
	}{
		{"vehicle", wrap(polymorphism.DecodeVehicle), []string{
			`{"kind":"car","wheels":4}`, `{"kind":"bike","wheels":2}`, `{"kind":"bike"}`,
			`{"kind":"car","wheels":2}`, `{"kind":"bike","wheels":3}`, `{"kind":"boat","wheels":3}`,
		}},
		{"parcel", wrap(polymorphism.DecodeParcel), []string{
			`{"box":{"shape":"crate","inner":{"shape":"envelope","inner":{"shape":"crate"}}}}`,
			`{"box":{"inner":{"inner":{"shape":"envelope"},"shape":"envelope"},"shape":"crate"}}`,
			`{"box":{"shape":"tube"}}`,
		}},
	}
	total := 0
	for _, c := range cases {
		schema := schemas[c.message]
		require.NotNil(t, schema, c.message)
		for _, payload := range c.payloads {
			var root any
			require.NoError(t, json.Unmarshal([]byte(payload), &root))
			for _, m := range append([]mutation{{what: "as is", value: root}}, mutations(root)...) {
				data, err := json.Marshal(m.value)
				require.NoError(t, err)
				var value any
				require.NoError(t, json.Unmarshal(data, &value))
				_, generated := c.decode(data)
				dynamic := validator.Validate(schema, value)
				total++
				if onlyGoFieldLimits(generated) {
					continue
				}
				require.Equal(t, generated == nil, dynamic == nil, "%s %s: %s\n  generated: %v\n  dynamic: %v", c.message, m.what, data, generated, dynamic)
			}
		}
	}
	require.Greater(t, total, 40, "the test must try many payloads")
}
