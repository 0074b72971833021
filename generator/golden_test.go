package generator

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// update rewrites the golden files: go test ./generator -run Golden -update
var update = flag.Bool("update", false, "rewrite golden files with the generator's output")

// goldenCase is one spec and the directory holding what it must generate.
type goldenCase struct {
	name    string
	pkg     string
	spec    string
	wantDir string
}

// goldenCases lists the shipped specs (their golden output is generated/,
// which go generate also reproduces) and every testdata/golden/<case>/,
// whose spec is spec.yaml (or spec.json) and whose files are in want/.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	var cases []goldenCase
	for _, name := range []string{"chartmogul", "growpanel", "monday"} {
		cases = append(cases, goldenCase{
			name: name, pkg: name,
			spec:    filepath.Join("..", "specs", name+".yaml"),
			wantDir: filepath.Join("..", "generated", name),
		})
	}
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*"))
	require.NoError(t, err)
	for _, dir := range dirs {
		spec := filepath.Join(dir, "spec.yaml")
		if _, err := os.Stat(spec); err != nil {
			spec = filepath.Join(dir, "spec.json")
		}
		name := filepath.Base(dir)
		cases = append(cases, goldenCase{name: name, pkg: goPackageName(name), spec: spec, wantDir: filepath.Join(dir, "want")})
	}
	return cases
}

func goPackageName(caseName string) string {
	return strings.ReplaceAll(strings.ReplaceAll(caseName, "-", ""), "_", "")
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := Generate(Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}})
			require.NoError(t, err)
			if *update {
				writeGolden(t, c.wantDir, files)
			}
			want := readGenerated(t, c.wantDir)
			require.Equal(t, sortedKeys(want), sortedKeys(files), "generated file set differs from %s (run with -update to accept)", c.wantDir)
			for name, got := range files {
				require.Equal(t, string(want[name]), string(got), "%s/%s differs (run with -update to accept)", c.wantDir, name)
			}
		})
	}
}

// TestGoldenCompiles builds and vets every golden output in a throwaway
// module: generated code must compile and be vet clean. A case directory
// may hold tests of what its code does (*_test.go, standard library only):
// they run there too.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles packages with the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	mod := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module goldencheck\n\ngo 1.25.0\n"+generatedRequirements(t)), 0o644))
	sum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644))
	for _, c := range goldenCases(t) {
		dst := filepath.Join(mod, c.name)
		require.NoError(t, os.MkdirAll(dst, 0o755))
		for name, data := range readGenerated(t, c.wantDir) {
			require.NoError(t, os.WriteFile(filepath.Join(dst, name), data, 0o644))
		}
		tests, err := filepath.Glob(filepath.Join(filepath.Dir(c.wantDir), "*_test.go"))
		require.NoError(t, err)
		for _, p := range tests {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dst, filepath.Base(p)), data, 0o644))
		}
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./..."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s on golden outputs:\n%s", args[0], out)
	}
}

// generatedModules are the modules generated code may import: the JWT
// library for JWT specs, franz-go (and its kmsg, for CreateKafkaTopics)
// for Kafka specs, nats.go for NATS specs, paho.golang for MQTT specs.
var generatedModules = []string{"github.com/golang-jwt/jwt/v5", "github.com/twmb/franz-go", "github.com/twmb/franz-go/pkg/kmsg", "github.com/nats-io/nats.go", "github.com/eclipse/paho.golang"}

// generatedRequirements is the require lines of the modules generated code
// may import, at the versions this module pins, so that the goldens build
// without a lookup.
func generatedRequirements(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "go.mod"))
	require.NoError(t, err)
	var out strings.Builder
	for _, mod := range generatedModules {
		found := false
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == mod {
				out.WriteString("\nrequire " + f[0] + " " + f[1] + "\n")
				found = true
			}
		}
		require.True(t, found, "go.mod does not require %s", mod)
	}
	return out.String()
}

// readGenerated reads the *.gen.go files of dir.
func readGenerated(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.gen.go"))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		out[filepath.Base(p)] = data
	}
	return out
}

func writeGolden(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name := range readGenerated(t, dir) {
		if _, ok := files[name]; !ok {
			require.NoError(t, os.Remove(filepath.Join(dir, name)))
		}
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
