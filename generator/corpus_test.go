package generator

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// corpusDir is the shared corpus of real AsyncAPI documents, which lives
// beside the repository (CI clones it there; a plain clone has none).
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

// corpusDoc is one valid corpus document and the package made from it.
type corpusDoc struct {
	// rel is the document's path under valid/, slash-separated.
	rel string
	// pkg is the Go package (and directory) the test generates it into.
	pkg string
}

// corpusFragmentDirs are folders under valid/ that hold pieces other
// documents $ref, not documents of their own.
var corpusFragmentDirs = []string{"asyncapi-spec/social-media/common"}

// validCorpus lists the documents under valid/, skipping the test when the
// corpus is absent.
func validCorpus(t *testing.T) (string, []corpusDoc) {
	t.Helper()
	root := filepath.Join(corpusDir, "valid")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIP: the shared corpus is not at %s (it is cloned beside the repository in CI): %v", corpusDir, err)
	}
	var docs []corpusDoc
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if slices.Contains(corpusFragmentDirs, rel) {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(rel)) {
		case ".yaml", ".yml", ".json":
			docs = append(docs, corpusDoc{rel: rel, pkg: fmt.Sprintf("doc%02d", len(docs)+1)})
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, docs, "no documents under %s", root)
	return root, docs
}

// TestCorpusValidGenerates generates every valid corpus document into its
// own package of one throwaway module, then builds and vets the module: real
// documents must give code that compiles and is vet clean.
func TestCorpusValidGenerates(t *testing.T) {
	root, docs := validCorpus(t)
	mod := t.TempDir()
	// As in TestGoldenCompiles: the JWT module at the version pinned here.
	goMod := "module corpuscheck\n\ngo 1.22\n\nrequire github.com/golang-jwt/jwt/v5 v5.3.1\n"
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte(goMod), 0o644))
	sums, err := os.ReadFile(filepath.Join("..", "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sums, 0o644))
	for _, d := range docs {
		t.Run(d.rel, func(t *testing.T) {
			out := filepath.Join(mod, d.pkg)
			cfg := Config{Package: d.pkg, OutDir: out, Specs: []string{filepath.Join(root, filepath.FromSlash(d.rel))}}
			// The corpus is one tree of documents with no go.mod: its
			// documents may read each other's files, as -ref-root allows.
			cfg.Load.RefRoot = root
			files, err := Generate(cfg)
			require.NoError(t, err, "generating %s", d.rel)
			require.NotEmpty(t, files, "%s generates no files", d.rel)
			require.NoError(t, os.MkdirAll(out, 0o755))
			for name, data := range files {
				require.NoError(t, os.WriteFile(filepath.Join(out, name), data, 0o644))
			}
		})
	}
	if testing.Short() {
		t.Skip("compiling the corpus packages needs the go tool")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s on the corpus packages:\n%s\npackages: %s", strings.Join(args, " "), out, corpusIndex(docs))
	}
}

// corpusIndex says which document each package was generated from, so a
// build failure in doc07 names the document.
func corpusIndex(docs []corpusDoc) string {
	parts := make([]string, len(docs))
	for i, d := range docs {
		parts[i] = d.pkg + "=" + d.rel
	}
	return strings.Join(parts, ", ")
}
