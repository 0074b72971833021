package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// outsideRepo is a directory without a go.mod whose spec, in specs/, names
// ../common/schemas.yaml: outside its default reference root.
func outsideRepo(t *testing.T) (dir, spec string) {
	t.Helper()
	dir = t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	write("common/schemas.yaml", "Thing: {type: object, properties: {id: {type: string}}}\n")
	spec = write("specs/api.yaml", "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels:\n  a:\n    publish:\n      message:\n        payload: {$ref: '../common/schemas.yaml#/Thing'}\n")
	return dir, spec
}

func TestRefRootFlagWidensTheRoot(t *testing.T) {
	dir, spec := outsideRepo(t)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI("generate", "-package", "x", "-out", out, spec)
	require.Equal(t, exitError, code)
	require.Equal(t, "asyncgen: "+spec+`:7:25 (#/channels/a/publish/message/payload/$ref): $ref "../common/schemas.yaml#/Thing" names a file outside `+
		filepath.Join(dir, "specs")+", the directory $refs may read; widen it with -ref-root (refRoot in asyncgen.yaml) if that is meant\n", stderr)

	code, _, stderr = runCLI("generate", "-package", "x", "-out", out, "-ref-root", dir, spec)
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runCLI("check", "-package", "x", "-out", out, "-ref-root", dir, spec)
	require.Equal(t, exitOK, code, stderr)
}

func TestRefRootConfigKeyIsRelativeToTheConfig(t *testing.T) {
	dir, _ := outsideRepo(t)
	configPath := filepath.Join(dir, "asyncgen.yaml")
	write := func(refRoot string) {
		require.NoError(t, os.WriteFile(configPath, []byte("packages:\n  - package: x\n    out: out\n    spec: specs/api.yaml\n"+refRoot), 0o644))
	}
	write("")
	code, _, _ := runCLI("generate", "-config", configPath)
	require.Equal(t, exitError, code)

	write("    refRoot: .\n")
	code, _, stderr := runCLI("generate", "-config", configPath)
	require.Equal(t, exitOK, code, stderr)
	_, err := os.Stat(filepath.Join(dir, "out", "types.gen.go"))
	require.NoError(t, err)
}
