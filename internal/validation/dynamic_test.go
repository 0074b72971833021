package validation

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/templates/support"
)

// TestDynamicValidatorAgreesWithGenerated checks that support's
// DynamicValidator, on the schemas the loader reads (what asyncgen send and
// listen validate with), accepts exactly what the generated decoders
// accept, on every fixture and its mutations (as the differential test
// against kin-openapi makes them). The intended differences are the
// generated decoder's own: a whole number beyond int64, which its Go field
// cannot hold, and a date-time time.Time cannot parse (such as one with a
// lower-case t, which RFC 3339 allows).
func TestDynamicValidatorAgreesWithGenerated(t *testing.T) {
	validator := support.NewDynamicValidator()
	schemas := map[string]*support.DynamicSchema{}
	for _, spec := range []string{"chartmogul", "growpanel", "monday"} {
		for name, s := range dynamicPayloadSchemas(t, spec) {
			schemas[spec+"/"+name] = s
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
		schema, decode := schemas[message], messageDecoders[message]
		require.NotNil(t, schema, message)
		var root any
		require.NoError(t, json.Unmarshal(f.data, &root))
		for _, m := range sample(append([]mutation{{what: "as is", value: root}}, mutations(root)...), mutationBudget()) {
			data, err := json.Marshal(m.value)
			require.NoError(t, err)
			var value any
			require.NoError(t, json.Unmarshal(data, &value))
			_, generated := decode(data)
			dynamic := validator.Validate(schema, value)
			total++
			if (generated == nil) == (dynamic == nil) || onlyGoFieldLimits(generated) {
				continue
			}
			t.Errorf("%s, %s:\n  payload: %s\n  generated: %v\n  dynamic: %v", f.path, m.what, data, generated, dynamic)
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
