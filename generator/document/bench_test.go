package document

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchDocuments are the shipped specs and, when it is there, the shared
// corpus's valid documents.
func benchDocuments(b *testing.B) []string {
	b.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "..", "specs", "*.yaml"))
	root := filepath.Join("..", "..", "..", "shared", "corpus", "valid")
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, string(filepath.Separator)+"common"+string(filepath.Separator)) &&
			(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) == 0 {
		b.Skip("no documents")
	}
	return paths
}

// BenchmarkLoad loads every shipped spec and corpus document once per
// iteration.
func BenchmarkLoad(b *testing.B) {
	paths := benchDocuments(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			if _, err := Load(p, Options{RefRoot: benchRefRoot(p)}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchRefRoot is the directory p's $refs may read: the corpus's valid
// directory for a corpus document (its documents share files across
// directories, as the corpus test allows), else the default.
func benchRefRoot(p string) string {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "valid")
	if strings.HasPrefix(p, corpus) {
		return corpus
	}
	return DefaultRefRoot(p)
}
