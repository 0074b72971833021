package generator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEmitConcernSubsets checks that limiting the concerns gives the same
// bytes for the files kept: a file does not depend on which other files
// are written.
func TestEmitConcernSubsets(t *testing.T) {
	cfg := syntheticConfig(30)
	pkg, err := Build(cfg)
	require.NoError(t, err)
	all, err := Emit(pkg, nil)
	require.NoError(t, err)
	for _, concerns := range [][]string{{"types"}, {"types", "validation"}, {"types", "validation", "decoding"}} {
		some, err := Emit(pkg, concerns)
		require.NoError(t, err)
		require.NotEmpty(t, some)
		for name, src := range some {
			require.Equal(t, string(all[name]), string(src), "%s differs with concerns %v", name, concerns)
		}
	}
}
