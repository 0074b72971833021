package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFlagsAfterSpecs: flags are read wherever they are, before, between
// or after the spec paths, and "--" ends them.
func TestFlagsAfterSpecs(t *testing.T) {
	for _, order := range [][]string{
		{"-package", "chartmogul", "-out", "OUT", chartmogulSpec},
		{chartmogulSpec, "-package", "chartmogul", "-out", "OUT"},
		{"-package", "chartmogul", chartmogulSpec, "-out", "OUT"},
		{"-package=chartmogul", "-out", "OUT", "--", chartmogulSpec},
	} {
		out := filepath.Join(t.TempDir(), "chartmogul")
		args := []string{"generate"}
		for _, a := range order {
			args = append(args, strings.ReplaceAll(a, "OUT", out))
		}
		code, stdout, stderr := runCLI(args...)
		require.Equal(t, exitOK, code, "%v: %s", order, stderr)
		require.Empty(t, stdout)
		require.FileExists(t, filepath.Join(out, "types.gen.go"))
	}
}

// TestDashDashEndsFlags: after "--" a word starting with a dash is a spec.
func TestDashDashEndsFlags(t *testing.T) {
	code, _, stderr := runCLI("generate", "-package", "x", "-out", t.TempDir(), "--", "-odd.yaml")
	require.Equal(t, exitError, code, stderr)
	require.Contains(t, stderr, "-odd.yaml: cannot read")
}

// TestUsageErrorsPrintedOnce: a usage error is one line and a hint, on
// stderr, with nothing on stdout and no flag listing around it.
func TestUsageErrorsPrintedOnce(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "-pakage", "x", "-out", "o", "s.yaml"},
			"asyncgen generate: unknown flag -pakage (did you mean -package?)\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"check", "s.yaml", "-package", "x", "-ot", "o"},
			"asyncgen check: unknown flag -ot (did you mean -out?)\nRun 'asyncgen help check' for usage.\n"},
		{[]string{"generate", "-verbose"},
			"asyncgen generate: unknown flag -verbose\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generate", "-package", "x", "-out", "o", "s.yaml", "-emit", "types,htpp"},
			"asyncgen generate: unknown concern \"htpp\" in -emit (did you mean http?); the concerns are types, validation, decoding, http, brokers\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generate", "-package", "x", "-out", "o", "-emit", "nonsense", "s.yaml"},
			"asyncgen generate: unknown concern \"nonsense\" in -emit; the concerns are types, validation, decoding, http, brokers\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generate", "s.yaml", "-out", "o"},
			"asyncgen generate: -package is required\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generate", "-package"},
			"asyncgen generate: flag needs an argument: -package\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generate", "-allow-remote-refs=maybe"},
			"asyncgen generate: invalid boolean value \"maybe\" for -allow-remote-refs\nRun 'asyncgen help generate' for usage.\n"},
		{[]string{"generat", "-package", "x"},
			"asyncgen: unknown command \"generat\" (did you mean generate?)\nRun 'asyncgen help' for usage.\n"},
		{[]string{"frobnicate"},
			"asyncgen: unknown command \"frobnicate\"\nRun 'asyncgen help' for usage.\n"},
		{[]string{"-package", "x"},
			"asyncgen: -package is a flag; flags go after the command, such as asyncgen generate -package\nRun 'asyncgen help' for usage.\n"},
		{[]string{"help", "chek"},
			"asyncgen: unknown command \"chek\" (did you mean check?)\nRun 'asyncgen help' for usage.\n"},
		{[]string{"version", "extra"},
			"asyncgen version: version takes no arguments (got extra)\nRun 'asyncgen help version' for usage.\n"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		require.Equal(t, exitUsage, code, "%v", tc.args)
		require.Empty(t, stdout, "%v", tc.args)
		require.Equal(t, tc.want, stderr, "%v", tc.args)
	}
}

// TestHelpOnStdout: every way of asking for help prints on stdout and exits
// 0; help for a command shows its own flags, the http concern among them.
func TestHelpOnStdout(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"Commands:", "generate ", "check ", "version "}},
		{[]string{"-h"}, []string{"Commands:"}},
		{[]string{"--help"}, []string{"Commands:"}},
		{[]string{"help", "generate"}, []string{"asyncgen generate -package NAME", "-emit", "types, validation, decoding, http", "-allow-remote-refs"}},
		{[]string{"generate", "-h"}, []string{"asyncgen generate -package NAME", "-emit"}},
		{[]string{"generate", "-package", "x", "-help"}, []string{"asyncgen generate -package NAME"}},
		{[]string{"help", "check"}, []string{"asyncgen check -package NAME", "Exit status: 0 when everything is current"}},
		{[]string{"check", "--help"}, []string{"asyncgen check -package NAME"}},
		{[]string{"help", "version"}, []string{"asyncgen version"}},
		{[]string{"help", "send"}, []string{"asyncgen send -spec SPEC", "-jwt-secret", "$ASYNCGEN_JWT_SECRET", "$ASYNCGEN_API_KEY", "$ASYNCGEN_SECRET"}},
		{[]string{"listen", "-h"}, []string{"asyncgen listen -spec SPEC", "-forward", "-record"}},
		{[]string{"help"}, []string{"send ", "listen "}},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		require.Equal(t, exitOK, code, "%v", tc.args)
		require.Empty(t, stderr, "%v", tc.args)
		for _, w := range tc.want {
			require.Contains(t, stdout, w, "%v", tc.args)
		}
	}
	_, generateHelp, _ := runCLI("help", "generate")
	_, checkHelp, _ := runCLI("help", "check")
	require.NotEqual(t, generateHelp, checkHelp, "help takes its topic into account")
}

// TestPackageMustMatchOut: generating into a directory whose hand-written
// files declare another package stops, names the file, and writes nothing.
func TestPackageMustMatchOut(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "doc.go"), []byte("// Package billing handles invoices.\npackage billing\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(out, "doc_test.go"), []byte("package billing_test\n"), 0o644))
	code, _, stderr := runCLI("generate", "-package", "payments", "-out", out, chartmogulSpec)
	require.Equal(t, exitError, code)
	require.Equal(t, "asyncgen: "+out+" holds package billing (doc.go), not payments: generate package billing there, or choose another output directory\n", stderr)
	_, err := os.Stat(filepath.Join(out, "types.gen.go"))
	require.True(t, os.IsNotExist(err), "nothing written")

	code, _, stderr = runCLI("check", "-package", "payments", "-out", out, chartmogulSpec)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "holds package billing")

	code, _, stderr = runCLI("generate", "-package", "billing", "-out", out, chartmogulSpec)
	require.Equal(t, exitOK, code, stderr)
	require.FileExists(t, filepath.Join(out, "types.gen.go"))
}

// TestPackageMustMatchOutConfig: the same check for each package of a
// config file.
func TestPackageMustMatchOutConfig(t *testing.T) {
	dir, configPath := configRepo(t)
	out := filepath.Join(dir, "gen", "growpanel")
	require.NoError(t, os.MkdirAll(out, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, "handler.go"), []byte("package analytics\n"), 0o644))
	code, _, stderr := runCLI("generate", "-config", configPath)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "holds package analytics (handler.go), not growpanel")
	_, err := os.Stat(filepath.Join(dir, "gen", "chartmogul"))
	require.True(t, os.IsNotExist(err), "no package is written when one fails")
}
