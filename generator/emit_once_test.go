package generator

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates"
)

// TestEmitSharesWhatFilesBuildAlone checks that Emit, which builds each file
// once, passes the support code held by validate.gen.go and decode.gen.go
// on to later files, and renders files in parallel, gives for every golden
// spec exactly the files each emitter gives when it builds everything it
// needs by itself.
func TestEmitSharesWhatFilesBuildAlone(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			pkg, err := Build(Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}})
			require.NoError(t, err)
			files, err := Emit(pkg, nil)
			require.NoError(t, err)
			// The package doc file is no emitter's: it comes with any other.
			require.Contains(t, files, templates.DocFileName)
			delete(files, templates.DocFileName)
			alone := map[string][]byte{}
			for _, e := range templates.Emitters() {
				src := emitAlone(t, e, pkg)
				if src != nil {
					alone[e.FileName] = src
				}
			}
			require.Equal(t, sortedKeys(alone), sortedKeys(files))
			for name, src := range alone {
				require.Equal(t, string(src), string(files[name]), "%s differs when emitted with the other files", name)
			}
		})
	}
}

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

func emitAlone(t *testing.T, e templates.Emitter, pkg *model.Package) []byte {
	t.Helper()
	if e.Source != nil {
		src, err := e.Source(pkg)
		require.NoError(t, err)
		return src
	}
	f, err := e.Emit(pkg)
	require.NoError(t, err)
	if f == nil {
		return nil
	}
	src, err := templates.Render(f)
	require.NoError(t, err)
	return src
}
