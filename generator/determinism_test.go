package generator

import (
	"bytes"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeterministic generates every golden spec 20 times and requires every
// run to be byte-identical to the first. The runs vary GOMAXPROCS, and half
// of them run concurrently, so that shared state or an order taken from a
// map (Go randomises map iteration on every range) shows up as a
// difference. No output may hold the absolute path of the checkout. With
// -short it makes 4 runs of each.
func TestDeterministic(t *testing.T) {
	runs := 20
	if testing.Short() {
		runs = 4
	}
	procs := []int{1, 2, 3, 4, 8, 16}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	abs, err := filepath.Abs("..")
	require.NoError(t, err)
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}}
			first, err := Generate(cfg)
			require.NoError(t, err)
			require.NotEmpty(t, first)
			for name, data := range first {
				require.False(t, bytes.Contains(data, []byte(abs)), "%s holds the absolute path %s", name, abs)
			}
			results := make([]map[string][]byte, runs)
			errs := make([]error, runs)
			for i := range runs / 2 {
				runtime.GOMAXPROCS(procs[i%len(procs)])
				results[i], errs[i] = Generate(cfg)
			}
			var wg sync.WaitGroup
			for i := runs / 2; i < runs; i++ {
				runtime.GOMAXPROCS(procs[i%len(procs)])
				wg.Go(func() { results[i], errs[i] = Generate(cfg) })
			}
			wg.Wait()
			for i := range runs {
				require.NoError(t, errs[i], "run %d", i)
				require.Equal(t, sortedKeys(first), sortedKeys(results[i]), "run %d made other files", i)
				for name, data := range first {
					require.True(t, bytes.Equal(data, results[i][name]), "run %d: %s differs from the first run", i, name)
				}
			}
		})
	}
}
