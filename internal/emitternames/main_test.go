package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/templates"
)

// TestListIsCurrent derives the emitters' fixed names from what the specs'
// output declares and checks that templates/emitternames.gen.go holds
// them: run go generate ./templates when it fails.
func TestListIsCurrent(t *testing.T) {
	byFile, err := fixedNames()
	require.NoError(t, err)
	want, err := render(byFile)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join("..", "..", "templates", "emitternames.gen.go"))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "templates/emitternames.gen.go is not current: run go generate ./templates")
}

// TestEveryFixedNameIsReserved: each name the derivation finds is one the
// builder keeps from the spec.
func TestEveryFixedNameIsReserved(t *testing.T) {
	byFile, err := fixedNames()
	require.NoError(t, err)
	reserved, err := templates.DeclaredNames()
	require.NoError(t, err)
	for file, names := range byFile {
		for _, n := range names {
			require.Contains(t, reserved, n, "%s declares %s", file, n)
		}
	}
	require.Contains(t, byFile["sender.gen.go"], "Sender")
	require.Contains(t, byFile["receiver.gen.go"], "NewReceiver")
}
