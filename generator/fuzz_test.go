package generator

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asyncgen/asyncgen/generator/document"
)

// clientPackages are the packages besides the standard library that
// generated code may import: the JWT library and the broker clients, at the
// versions this module pins.
var clientPackages = []string{
	"github.com/golang-jwt/jwt/v5",
	"github.com/twmb/franz-go/pkg/kgo",
	"github.com/twmb/franz-go/pkg/kmsg",
	"github.com/twmb/franz-go/pkg/kerr",
	"github.com/nats-io/nats.go",
	"github.com/nats-io/nats.go/jetstream",
	"github.com/eclipse/paho.golang/autopaho",
	"github.com/eclipse/paho.golang/paho",
}

// exportImporter reads the packages generated code imports (the standard
// library and clientPackages) from their compiled export data, which the
// go command lists (and builds, or finds in its cache): far cheaper than
// type-checking them from source for every input of FuzzGenerate (the fuzzer counts an
// input that takes 10 s as a hang, and reading net/http from source takes
// about that).
func exportImporter(t testing.TB) types.Importer {
	t.Helper()
	args := append([]string{"list", "-export", "-deps", "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}", "std"}, clientPackages...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "="); ok {
			exports[path] = file
		}
	}
	return importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("generated code imports %s, which is neither in the standard library nor a client library of clientPackages", path)
		}
		return os.Open(file)
	})
}

// FuzzGenerate feeds arbitrary bytes to the whole generator as a spec: it
// must return files or an error, never panic, and the files must
// type-check. Seeds are every golden spec (and the shared corpus when it is
// there) besides testdata/fuzz/FuzzGenerate; run it with
//
//	go test -run '^$' -fuzz FuzzGenerate -fuzztime 60s ./generator
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*", "spec.yaml"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "valid", "*", "*.y*ml"))
	for _, path := range append(seeds, corpus...) {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	std := exportImporter(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := generateFrom(data)
		if err != nil {
			if strings.HasPrefix(err.Error(), "emit ") {
				t.Fatalf("the generated code does not render: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		typeCheck(t, std, files)
	})
}

// generateFrom runs the whole generator on data as the one spec.
func generateFrom(data []byte) (map[string][]byte, error) {
	return Generate(Config{Package: "fuzz", OutDir: "out", Specs: []string{"api.yaml"}, Load: document.Options{
		ReadFile: func(path string) ([]byte, error) {
			if path == "api.yaml" {
				return data, nil
			}
			return nil, fs.ErrNotExist
		},
	}})
}

// typeCheck fails t when the generated files are not a valid Go package.
func typeCheck(t *testing.T, std types.Importer, files map[string][]byte) {
	t.Helper()
	fset := token.NewFileSet()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var parsed []*ast.File
	for _, name := range names {
		file, err := parser.ParseFile(fset, name, files[name], 0)
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		parsed = append(parsed, file)
	}
	conf := types.Config{Importer: std}
	if _, err := conf.Check("fuzz", fset, parsed, nil); err != nil {
		t.Fatalf("generated code does not type-check: %v\n%s", err, joinFiles(names, files))
	}
}

func joinFiles(names []string, files map[string][]byte) string {
	var b strings.Builder
	for _, name := range names {
		b.WriteString("--- " + name + "\n")
		b.Write(files[name])
	}
	return b.String()
}
