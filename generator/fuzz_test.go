package generator

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/asyncgen/asyncgen/generator/document"
)

// stdImporter type-checks the standard library packages generated code
// imports; made once, as it caches what it has read.
var stdImporter = sync.OnceValue(func() types.Importer {
	return importer.ForCompiler(token.NewFileSet(), "source", nil)
})

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
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := Generate(Config{Package: "fuzz", OutDir: "out", Specs: []string{"api.yaml"}, Load: document.Options{
			ReadFile: func(path string) ([]byte, error) {
				if path == "api.yaml" {
					return data, nil
				}
				return nil, fs.ErrNotExist
			},
		}})
		if err != nil {
			if strings.HasPrefix(err.Error(), "emit ") {
				t.Fatalf("the generated code does not render: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		typeCheck(t, files)
	})
}

// typeCheck fails t when the generated files are not a valid Go package.
func typeCheck(t *testing.T, files map[string][]byte) {
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
	conf := types.Config{Importer: stdImporter()}
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
