package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSeveralSpecsShareTheFirstOnesRefRoot merges a spec in a subdirectory
// whose $ref climbs to the first spec's directory: the root is the first
// spec's, so the second may read what the first may.
func TestSeveralSpecsShareTheFirstOnesRefRoot(t *testing.T) {
	dir := t.TempDir() // no go.mod above: the root is the first spec's directory
	write := func(name, data string) string {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	head := "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\n"
	write("shared.yaml", "Thing: {type: object, properties: {id: {type: string}}}\n")
	first := write("one.yaml", head+"channels:\n  a:\n    publish:\n      message: {name: one, payload: {type: string}}\n")
	second := write("sub/two.yaml", head+"channels:\n  b:\n    publish:\n      message: {name: two, payload: {$ref: '../shared.yaml#/Thing'}}\n")

	_, err := Generate(Config{Package: "x", OutDir: filepath.Join(dir, "out"), Specs: []string{first, second}, Concerns: []string{"types"}})
	require.NoError(t, err)

	_, err = Generate(Config{Package: "x", OutDir: filepath.Join(dir, "out"), Specs: []string{second}, Concerns: []string{"types"}})
	require.ErrorContains(t, err, "names a file outside "+filepath.Join(dir, "sub"))
}
