package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDependenciesMergeWithDependentKeywords checks that draft-07
// dependencies and the 2019-09 dependentRequired/dependentSchemas in one
// schema all apply, in either order.
func TestDependenciesMergeWithDependentKeywords(t *testing.T) {
	for _, order := range []string{
		"dependencies: {a: [b], c: {required: [d]}, e: [f]}\n      dependentRequired: {e: [g], h: [i]}\n      dependentSchemas: {c: {minProperties: 2}}",
		"dependentRequired: {e: [g], h: [i]}\n      dependentSchemas: {c: {minProperties: 2}}\n      dependencies: {a: [b], c: {required: [d]}, e: [f]}",
	} {
		files := map[string]string{"api.yaml": header + "channels: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      " + order + "\n"}
		doc, err := Load("api.yaml", memFiles(files))
		require.NoError(t, err)
		s := doc.Schemas[0].Schema.Value
		require.Equal(t, []string{"b"}, s.DependentRequired["a"])
		require.ElementsMatch(t, []string{"f", "g"}, s.DependentRequired["e"])
		require.Equal(t, []string{"i"}, s.DependentRequired["h"])
		c := s.DependentSchemas["c"].Value
		require.Len(t, c.AllOf, 2, "both schemas for c apply")
	}
}
