//go:build unix

package document

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOnlyRegularFilesAreRead(t *testing.T) {
	_, module := repo(t)
	specs := filepath.Join(module, "specs")
	require.NoError(t, syscall.Mkfifo(filepath.Join(specs+"-fifo"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(module, "dir.yaml"), 0o755))
	tests := []struct {
		name, ref, root, problem string
	}{
		{"fifo", "../specs-fifo", "", "it is a named pipe (FIFO), not a regular file"},
		{"directory", "../dir.yaml", "", "it is a directory, not a file"},
		{"dev zero", "/dev/zero", "/", "it is a device, not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := writeFile(t, specs, "api.yaml", refDoc(tt.ref))
			_, err := Load(spec, Options{RefRoot: tt.root})
			key := filepath.Join(specs, tt.ref)
			if filepath.IsAbs(tt.ref) {
				key = tt.ref
			}
			require.EqualError(t, err, spec+refAt+"cannot read referenced file "+key+": "+tt.problem)
		})
	}
}

func TestTheDocumentItselfMustBeARegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "api.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	_, err := Load(fifo, Options{})
	require.EqualError(t, err, fifo+": cannot read: it is a named pipe (FIFO), not a regular file")
}
