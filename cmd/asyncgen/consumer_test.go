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

// TestConsumerModule is the workflow of a repository that uses asyncgen,
// following the README's "In your repository" section word for word: its
// go get -tool line, its doc.go (ChartMogul into package billing), its
// go generate and go mod tidy, in a module that also holds
// testdata/consumer (a spec, a //go:generate line and a main.go) and a
// monday.com package, whose JWT check imports the JWT library (required
// indirectly by go get -tool, directly after tidy).
// Then build, vet and run, and check before and after the spec changes.
// The module replaces asyncgen with this checkout and uses GOPROXY=off, so
// everything comes from the module cache; warmModuleCache first fetches,
// through the environment's GOPROXY, the go.mod files of this repository's
// module graph that building it never needs but go get -tool reads, so that
// the test passes on a machine whose cache has only what go build fetched.
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
	recipe := readmeRecipe(t, filepath.Join(repo, "README.md"))
	warmModuleCache(t, goTool, repo)
	mod := t.TempDir()
	writeConsumer(t, mod, repo, recipe.docGo)
	env := append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
	goCmd := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(goTool, args...)
		cmd.Dir, cmd.Env = mod, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	goRun := func(args ...string) string {
		t.Helper()
		out, err := goCmd(args...)
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
		return out
	}

	for _, line := range recipe.commands {
		args := strings.Fields(line)
		require.Equal(t, "go", args[0], "the README's commands are go commands: %q", line)
		if args[1] == "mod" && args[2] == "tidy" {
			goMod, err := os.ReadFile(filepath.Join(mod, "go.mod"))
			require.NoError(t, err)
			require.Regexp(t, `github.com/golang-jwt/jwt/v5 v5\.\S+ // indirect\n`, string(goMod), "go get -tool requires the JWT library, indirectly, as the README says")
			// Offline, tidy cannot read the test-only dependencies of
			// dependencies that the module cache does not hold; -e lets
			// it write go.mod all the same.
			args = append(args, "-e")
		}
		goRun(args[1:]...)
	}
	goMod, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	require.NoError(t, err)
	require.Contains(t, string(goMod), "\ntool github.com/asyncgen/asyncgen/cmd/asyncgen\n")
	require.Regexp(t, `\nrequire github.com/golang-jwt/jwt/v5 v5\.\S+\n`, string(goMod), "go mod tidy makes the JWT library monday's package imports a direct requirement")

	for _, name := range []string{"types.gen.go", "enums.gen.go", "receiver.gen.go", "sender.gen.go"} {
		require.FileExists(t, filepath.Join(mod, "events", name))
		require.FileExists(t, filepath.Join(mod, "billing", name))
	}
	require.FileExists(t, filepath.Join(mod, "monday", "auth.gen.go"))
	goRun("build", "./...")
	goRun("vet", "./...")
	require.Equal(t, "o-1 true true true 2\nreceived o-2 pending\n", goRun("run", "."), "types, enums, and an order sent to the generated receiver")
	require.Equal(t, goRun("tool", "asyncgen", "version"), goRun("run", "github.com/asyncgen/asyncgen/cmd/asyncgen", "version"),
		"go run without @version builds the version go.mod requires, as go tool does")

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
	require.Equal(t, "asyncgen v0.0.0-00010101000000-000000000000 => "+repo+" (devel)\n", stdout, "a consumer's build reports the required version (go get's for a replaced module) and its replacement")

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
// testdata/consumer (ignored by go ./... here); billing/ with the
// README's doc.go and the ChartMogul spec; monday/ with the same
// //go:generate line for the monday.com spec; and a go.mod replacing
// asyncgen with the checkout at repo, with the checkout's go.sum so that
// every dependency comes from the module cache.
func writeConsumer(t *testing.T, dir, repo, docGo string) {
	t.Helper()
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "consumer"))))
	write := func(name, text string) {
		t.Helper()
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	copySpec := func(name, to string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(repo, "specs", name))
		require.NoError(t, err)
		write(to, string(data))
	}
	write(filepath.Join("billing", "doc.go"), docGo)
	copySpec("chartmogul.yaml", filepath.Join("billing", "chartmogul.yaml"))
	mondayDoc := strings.NewReplacer("billing", "monday", "chartmogul.yaml", "monday.yaml", "ChartMogul", "monday.com").Replace(docGo)
	write(filepath.Join("monday", "doc.go"), mondayDoc)
	copySpec("monday.yaml", filepath.Join("monday", "monday.yaml"))
	write("go.mod", "module example.com/shop\n\ngo 1.25.0\n\n"+
		"replace github.com/asyncgen/asyncgen => "+repo+"\n")
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	require.NoError(t, err)
	write("go.sum", string(sum))
}

// recipe is what the README's "In your repository" section tells a user
// to do: the commands of its sh blocks, in order, and the doc.go of its
// go block.
type recipe struct {
	commands []string
	docGo    string
}

// readmeRecipe reads the recipe from the README at path.
func readmeRecipe(t *testing.T, path string) recipe {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, section, found := strings.Cut(string(data), "\n## In your repository\n")
	require.True(t, found, "README.md has an In your repository section")
	section, _, _ = strings.Cut(section, "\n## ")
	var r recipe
	for _, block := range strings.Split(section, "```")[1:] {
		lang, body, _ := strings.Cut(block, "\n")
		switch lang {
		case "sh":
			for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
				r.commands = append(r.commands, strings.TrimSpace(line))
			}
		case "go":
			r.docGo = body
		}
	}
	require.NotEmpty(t, r.commands)
	require.Contains(t, r.docGo, "//go:generate ")
	return r
}

// warmModuleCache downloads every module@version of repo's module graph
// into the module cache, through the environment's GOPROXY. It runs
// outside any module, so repo's go.sum is not touched. A failure (no
// proxy reachable) is only logged: the offline steps then say what is
// missing.
func warmModuleCache(t *testing.T, goTool, repo string) {
	t.Helper()
	graph := exec.Command(goTool, "mod", "graph")
	graph.Dir = repo
	out, err := graph.Output()
	if err != nil {
		t.Logf("go mod graph: %v", err)
		return
	}
	seen := map[string]bool{}
	var mods []string
	for _, field := range strings.Fields(string(out)) {
		if strings.Contains(field, "@") && !seen[field] {
			seen[field] = true
			mods = append(mods, field)
		}
	}
	download := exec.Command(goTool, append([]string{"mod", "download"}, mods...)...)
	download.Dir = t.TempDir()
	download.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	if out, err := download.CombinedOutput(); err != nil {
		t.Logf("warming the module cache: %v\n%s", err, out)
	}
}
