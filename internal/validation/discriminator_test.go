package validation

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	polymorphism "github.com/asyncgen/asyncgen/testdata/golden/polymorphism/want"
)

// TestDiscriminatorAgreesWithKinOpenAPI checks the generated decoders of
// discriminated unions (a oneOf and a recursive anyOf, each with an
// OpenAPI mapping) against kin-openapi's VisitJSON, which also picks the
// schema by the mapping, on payloads and their mutations: tags swapped,
// removed or made numbers, variants' bounds broken.
func TestDiscriminatorAgreesWithKinOpenAPI(t *testing.T) {
	schemas := specPayloadSchemas(t, filepath.Join("..", "..", "testdata", "golden", "polymorphism", "spec.yaml"))
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
	total, differences := 0, 0
	for _, c := range cases {
		schema := schemas[c.message]
		require.NotNil(t, schema, c.message)
		for _, payload := range c.payloads {
			n, d := compareWithKin(t, c.message+" "+payload, []byte(payload), schema, c.decode)
			total, differences = total+n, differences+d
		}
	}
	require.Greater(t, total, 40, "the test must try many payloads")
	t.Logf("%d payloads compared, %d intended differences", total, differences)
}
