package generator

import (
	"flag"
	"fmt"
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
	cases, err := listGoldenCases()
	require.NoError(t, err)
	return cases
}

// listGoldenCases is goldenCases, for code that has no *testing.T.
func listGoldenCases() ([]goldenCase, error) {
	var cases []goldenCase
	for _, name := range []string{"chartmogul", "growpanel", "monday"} {
		cases = append(cases, goldenCase{
			name: name, pkg: name,
			spec:    filepath.Join("..", "specs", name+".yaml"),
			wantDir: filepath.Join("..", "generated", name),
		})
	}
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*"))
	if err != nil {
		return nil, err
	}
	for _, dir := range dirs {
		spec := filepath.Join(dir, "spec.yaml")
		if _, err := os.Stat(spec); err != nil {
			spec = filepath.Join(dir, "spec.json")
		}
		name := filepath.Base(dir)
		cases = append(cases, goldenCase{name: name, pkg: goPackageName(name), spec: spec, wantDir: filepath.Join(dir, "want")})
	}
	return cases, nil
}

func goPackageName(caseName string) string {
	return strings.ReplaceAll(strings.ReplaceAll(caseName, "-", ""), "_", "")
}

// TestMain rewrites every golden output first when -update is given, so
// that each test of the run sees the new files: the docs, names and
// compile tests read them too, and some of them run before TestGolden.
func TestMain(m *testing.M) {
	flag.Parse()
	if *update {
		if err := updateGoldens(); err != nil {
			fmt.Fprintln(os.Stderr, "-update:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// updateGoldens writes what the generator makes of each golden case into
// its directory.
func updateGoldens() error {
	cases, err := listGoldenCases()
	if err != nil {
		return err
	}
	for _, c := range cases {
		files, err := Generate(Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}})
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if err := writeGolden(c.wantDir, files); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

// TestGolden checks that each golden case generates exactly the files in
// its directory (with -update, TestMain has just written them).
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := Generate(Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}})
			require.NoError(t, err)
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
	out, err := readGeneratedFiles(dir)
	require.NoError(t, err)
	return out
}

// readGeneratedFiles reads the *.gen.go files of dir, by name.
func readGeneratedFiles(dir string) (map[string][]byte, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.gen.go"))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(p)] = data
	}
	return out, nil
}

// writeGolden makes dir hold exactly files among its *.gen.go files.
func writeGolden(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := readGeneratedFiles(dir)
	if err != nil {
		return err
	}
	for name := range old {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
