package generator

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRulesOfSoleAllOfPart builds, many times, a spec whose types are each
// made from both a schema and its sole allOf part. Both schemas map to the
// one type, but only the outer one holds every keyword: the type must get
// its rules on every run, whatever order Go ranges over the builder's
// maps in.
func TestRulesOfSoleAllOfPart(t *testing.T) {
	dir := filepath.Join("..", "testdata", "golden", "allof-sole-part")
	cfg := Config{Package: "allofsolepart", OutDir: filepath.Join(dir, "want"), Specs: []string{filepath.Join(dir, "spec.yaml")}}
	first, err := Generate(cfg)
	require.NoError(t, err)
	validate := string(first["validate.gen.go"])
	// The outer schemas' keywords: required and minProperties.
	for _, check := range []string{"if v.Owner == nil {", "checkProperties(c, p, n1, 2, -1)", "if v.Email == nil {"} {
		require.True(t, strings.Contains(validate, check), "validate.gen.go does not check %q", check)
	}
	for i := range 50 {
		files, err := Generate(cfg)
		require.NoError(t, err)
		for name, data := range first {
			require.True(t, bytes.Equal(data, files[name]), "run %d: %s differs from the first run", i, name)
		}
	}
}
