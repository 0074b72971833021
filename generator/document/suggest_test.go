package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMissingRefSuggestsClosest: a $ref to a component that does not exist
// names the closest existing sibling, and nothing when none is close.
func TestMissingRefSuggestsClosest(t *testing.T) {
	components := "components:\n  schemas:\n    Customer: {type: object}\n    Invoice: {type: object}\n"
	for _, tc := range []struct{ ref, want string }{
		{"#/components/schemas/Custmer",
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schemas/Custmer": nothing at /components/schemas/Custmer in api.yaml (did you mean "Customer"?)`},
		{"#/components/schema/Customer",
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schema/Customer": nothing at /components/schema in api.yaml (did you mean "schemas"?)`},
		{"#/components/schemas/Subscription",
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schemas/Subscription": nothing at /components/schemas/Subscription in api.yaml`},
	} {
		spec := header + "channels:\n  a:\n    publish:\n      message:\n        payload: {$ref: '" + tc.ref + "'}\n" + components
		_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
		require.EqualError(t, err, tc.want)
	}
}
