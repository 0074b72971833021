package document

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// DefaultMaxFileBytes is the size cap of one local file the loader reads.
const DefaultMaxFileBytes = 64 << 20

// DefaultRefRoot returns the directory local $refs of the document at spec
// must stay inside when no root is given: the nearest directory at or
// above the document's that holds a go.mod (the module it belongs to),
// else the document's own directory.
func DefaultRefRoot(spec string) string {
	dir := filepath.Dir(absPath(spec))
	for d := dir; ; {
		if info, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && info.Mode().IsRegular() {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// absPath is path made absolute, or path itself when the working
// directory is unknown.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// realPath is the absolute path with every symbolic link resolved, so that
// a link cannot lead out of the root unseen. A path that does not exist
// (yet, or not on disk: a reader may serve files from memory) is kept as
// written; reading it fails, or finds no link to follow.
func realPath(path string) string {
	abs := absPath(path)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// confinement is the directory local $refs must stay inside.
type confinement struct {
	// root is absolute, with its links resolved.
	root string
	// shown is the root as the user gave it, for messages.
	shown string
}

func newConfinement(root string) confinement {
	return confinement{root: realPath(root), shown: root}
}

// check refuses a file key outside the root; refNode is the $ref that
// names it.
func (c confinement) check(refNode *Node, key string) error {
	real := realPath(key)
	if within(c.root, real) {
		return nil
	}
	how := ""
	if lexical := absPath(key); lexical != real && within(c.root, lexical) {
		how = fmt.Sprintf(" (through a symbolic link to %s)", real)
	}
	return refNode.Errorf("$ref %q names a file outside %s, the directory $refs may read%s; widen it with -ref-root (refRoot in asyncgen.yaml) if that is meant", refNode.Str, c.shown, how)
}

// within reports whether path is root or inside it; both are absolute and
// clean.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// fileProblem is why a path cannot be read as a document, in our words.
type fileProblem string

func (p fileProblem) Error() string { return string(p) }

// readRegularFile reads the regular file at path, at most limit bytes. It
// refuses directories, named pipes (which would block), devices (which may
// never end, as /dev/zero) and larger files, and reads through a limit so
// that a file lying about its size cannot exhaust memory either.
func readRegularFile(path string, limit int64) ([]byte, error) {
	// Non-blocking, so that opening a named pipe swapped in after any
	// check cannot hang; the descriptor's own stat then decides.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if problem := notRegular(info.Mode()); problem != "" {
		return nil, problem
	}
	if info.Size() > limit {
		return nil, tooLarge(limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(limit)
	}
	return data, nil
}

// notRegular says what a file that is not a regular one is; "" when it is
// regular.
func notRegular(mode fs.FileMode) fileProblem {
	switch {
	case mode.IsRegular():
		return ""
	case mode.IsDir():
		return "it is a directory, not a file"
	case mode&fs.ModeNamedPipe != 0:
		return "it is a named pipe (FIFO), not a regular file"
	case mode&fs.ModeSocket != 0:
		return "it is a socket, not a regular file"
	case mode&fs.ModeDevice != 0:
		return "it is a device, not a regular file"
	}
	return "it is not a regular file"
}

func tooLarge(limit int64) fileProblem {
	size := fmt.Sprintf("%d bytes", limit)
	if limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	return fileProblem("it is larger than " + size + ", the most a document may be")
}

// readProblem says in a few words why reading a file failed.
func readProblem(err error) string {
	var problem fileProblem
	switch {
	case errors.As(err, &problem):
		return problem.Error()
	case errors.Is(err, fs.ErrNotExist):
		return "file does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory, not a file"
	}
	return unwrapPathError(err).Error()
}
