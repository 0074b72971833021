package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConsumerModule is the workflow of a repository that uses asyncgen
// (testdata/consumer: a spec, a //go:generate line and a main.go): a
// module requiring it (replaced by this checkout, so no network is used
// beyond the module cache), a spec beside a //go:generate line, go generate,
// build and vet, then check before and after the spec changes.
func TestConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a consumer module with the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	mod := t.TempDir()
	writeConsumer(t, mod, repo)
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	goRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goTool, args...)
		cmd.Dir, cmd.Env = mod, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}

	goRun("generate", "./...")
	for _, name := range []string{"types.gen.go", "enums.gen.go", "receiver.gen.go", "sender.gen.go"} {
		require.FileExists(t, filepath.Join(mod, "events", name))
	}
	goRun("build", "./...")
	goRun("vet", "./...")
	require.Equal(t, "o-1 true true true 2\nreceived o-2 pending\n", goRun("run", "."), "types, enums, and an order sent to the generated receiver")

	asyncgen := filepath.Join(t.TempDir(), "asyncgen")
	goRun("build", "-o", asyncgen, "github.com/asyncgen/asyncgen/cmd/asyncgen")
	runTool := func(args ...string) (code int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(asyncgen, args...)
		cmd.Dir = mod
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode(), out.String(), errOut.String()
		}
		require.NoError(t, err)
		return 0, out.String(), errOut.String()
	}
	check := []string{"check", "-package", "events", "-out", "events", filepath.Join("events", "events.yaml")}

	_, stdout, _ := runTool("version")
	require.Equal(t, "asyncgen v0.0.0 => "+repo+" (devel)\n", stdout, "a consumer's build reports the required version and its replacement")

	code, stdout, stderr := runTool(check...)
	require.Equal(t, 0, code, "check right after go generate:\n%s%s", stdout, stderr)

	spec := filepath.Join(mod, "events", "events.yaml")
	data, err := os.ReadFile(spec)
	require.NoError(t, err)
	edited := strings.Replace(string(data), "enum: [pending, paid]", "enum: [pending, paid, refunded]", 1)
	require.NotEqual(t, string(data), edited)
	require.NoError(t, os.WriteFile(spec, []byte(edited), 0o644))
	enums := filepath.Join("events", "enums.gen.go")
	before, err := os.ReadFile(filepath.Join(mod, enums))
	require.NoError(t, err)

	code, stdout, stderr = runTool(check...)
	require.Equal(t, 1, code, "check after editing the spec:\n%s%s", stdout, stderr)
	require.Contains(t, stderr, enums+": changed")
	require.NotContains(t, stderr, "types.gen.go", "the types did not change")
	require.Contains(t, stdout, `+	OrderStatusRefunded OrderStatus = "refunded"`)
	after, err := os.ReadFile(filepath.Join(mod, enums))
	require.NoError(t, err)
	require.Equal(t, before, after, "check writes nothing")

	goRun("generate", "./...")
	code, stdout, stderr = runTool(check...)
	require.Equal(t, 0, code, "check after go generate again:\n%s%s", stdout, stderr)
	goRun("build", "./...")
}

// writeConsumer lays out the consumer module in dir: the files of
// testdata/consumer (ignored by go ./... here), and a go.mod requiring
// asyncgen from the checkout at repo, with the checkout's go.sum so that
// every dependency comes from the module cache.
func writeConsumer(t *testing.T, dir, repo string) {
	t.Helper()
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "consumer"))))
	goMod := "module example.com/shop\n\ngo 1.25.0\n\n" +
		"require github.com/asyncgen/asyncgen v0.0.0\n\n" +
		"replace github.com/asyncgen/asyncgen => " + repo + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
}
