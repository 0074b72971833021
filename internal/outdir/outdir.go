// Package outdir decides how generated files meet an output directory: which
// files asyncgen owns, which are missing, changed or stale, and how they
// are written. generate and check both go through it, so they agree.
package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/asyncgen/asyncgen/templates"
)

// Kind says how a file on disk differs from what would be generated.
type Kind int

// The kinds of Change.
const (
	// Missing: the file would be written but is not on disk.
	Missing Kind = iota + 1
	// Changed: the file on disk has other contents.
	Changed
	// Stale: a *.gen.go file asyncgen wrote earlier that it would no
	// longer write; generate removes it.
	Stale
)

// String names the kind the way check reports it.
func (k Kind) String() string {
	switch k {
	case Missing:
		return "missing"
	case Changed:
		return "changed"
	case Stale:
		return "stale"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Change is one file that is not as it would be generated.
type Change struct {
	Kind Kind
	// Path is the file's path: the output directory joined with its name.
	Path string
	// Old is the contents on disk (nil when Missing); New what would be
	// written (nil when Stale).
	Old, New []byte
}

// GeneratedSuffix ends the name of every file asyncgen writes.
const GeneratedSuffix = ".gen.go"

// Owned reports whether data is a file asyncgen wrote: it starts with our
// header. Only owned files are ever removed.
func Owned(data []byte) bool {
	return bytes.HasPrefix(data, []byte(templates.HeaderPrefix))
}

// Compare lists how dir differs from files (generated file contents by
// name): missing and changed files, then stale ones, each sorted by path.
// It writes nothing; a directory that does not exist holds no files.
func Compare(dir string, files map[string][]byte) ([]Change, error) {
	var changes []Change
	for _, name := range sortedNames(files) {
		path := filepath.Join(dir, name)
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changes = append(changes, Change{Kind: Missing, Path: path, New: files[name]})
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", path, err)
		case !bytes.Equal(old, files[name]):
			changes = append(changes, Change{Kind: Changed, Path: path, Old: old, New: files[name]})
		}
	}
	stale, err := staleFiles(dir, files)
	if err != nil {
		return nil, err
	}
	return append(changes, stale...), nil
}

// staleFiles lists the *.gen.go files in dir that carry our header but are
// not among files.
func staleFiles(dir string, files map[string][]byte) ([]Change, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*"+GeneratedSuffix))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	slices.Sort(matches)
	var stale []Change
	for _, path := range matches {
		if _, ok := files[filepath.Base(path)]; ok {
			continue
		}
		head, err := readHead(path, len(templates.HeaderPrefix))
		if err != nil {
			return nil, err
		}
		if Owned(head) {
			old, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
			stale = append(stale, Change{Kind: Stale, Path: path, Old: old})
		}
	}
	return stale, nil
}

// readHead reads up to n bytes from the start of the file at path.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, n)
	got, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return head[:got], nil
}

// Write makes dir hold files: it writes every missing or changed file
// (through a temporary file and a rename, so none is ever half written) and
// removes the stale ones. Files already current are not touched.
func Write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	changes, err := Compare(dir, files)
	if err != nil {
		return err
	}
	for _, c := range changes {
		if c.Kind == Stale {
			if err := os.Remove(c.Path); err != nil {
				return fmt.Errorf("remove stale %s: %w", c.Path, err)
			}
			continue
		}
		if err := writeAtomic(c.Path, c.New); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".asyncgen-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
