package outdir

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// PackageMismatchError says that an output directory already holds another
// package than the one asked for.
type PackageMismatchError struct {
	Dir string
	// Want is the package asked for; Have the one File declares.
	Want, Have string
	File       string
}

// Error says which file declares which package, and what to do.
func (e *PackageMismatchError) Error() string {
	return fmt.Sprintf("%s holds package %s (%s), not %s: generate package %s there, or choose another output directory",
		e.Dir, e.Have, e.File, e.Want, e.Have)
}

// CheckPackage refuses to generate package want into dir when the Go files
// already there that asyncgen did not write declare another package. Only
// package clauses are read; an external test package (want_test) is
// allowed, and a directory that does not exist or holds no such file
// accepts any package.
func CheckPackage(dir, want string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, name := range goFileNames(entries) {
		path := filepath.Join(dir, name)
		have, err := packageClause(path)
		if err != nil {
			return err
		}
		if have == "" || have == want || have == want+"_test" {
			continue
		}
		return &PackageMismatchError{Dir: dir, Want: want, Have: have, File: name}
	}
	return nil
}

// goFileNames lists, sorted, the .go files among entries that may be
// hand-written: not *.gen.go.
func goFileNames(entries []fs.DirEntry) []string {
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, GeneratedSuffix) {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// packageClause returns the package a hand-written Go file declares, or ""
// when the file is asyncgen's or has no readable package clause (the Go
// build will say what is wrong with it).
func packageClause(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if Owned(data) {
		return "", nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, data, parser.PackageClauseOnly)
	if err != nil || f.Name == nil {
		return "", nil
	}
	return f.Name.Name, nil
}
