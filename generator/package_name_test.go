package generator

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPackageNamedLikeSupportCode checks that a package named like a
// support declaration (discriminator, a decoder helper) does not pull
// that declaration in through its package clause: each file would then
// carry it, and the package would declare it twice.
func TestPackageNamedLikeSupportCode(t *testing.T) {
	spec := filepath.Join("..", "testdata", "golden", "polymorphism", "spec.yaml")
	pkg, err := Build(Config{Package: "discriminator", OutDir: t.TempDir(), Specs: []string{spec}})
	require.NoError(t, err)
	files, err := Emit(pkg, nil)
	require.NoError(t, err)
	declaredIn := map[string]string{}
	for _, name := range sortedKeys(files) {
		for _, name2 := range topLevelNames(t, name, files[name]) {
			if prev, ok := declaredIn[name2]; ok {
				t.Errorf("%s is declared in %s and in %s", name2, prev, name)
			}
			declaredIn[name2] = name
		}
	}
}
