package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// invalidCorpus is the shared corpus's folder of documents every generator
// must refuse; it lives beside the repository (CI clones it there).
var invalidCorpus = filepath.Join("..", "..", "..", "shared", "corpus", "invalid")

// invalidReasons says what the error for each known invalid document must
// say; a document not listed here is still checked for the error's form.
var invalidReasons = map[string]string{
	"01-missing-info.yaml":                 `missing required field "info"`,
	"05-channel-parameter-undeclared.yaml": `uses parameter {userId}, which its parameters do not declare`,
	"07-duplicate-operationId.yaml":        `duplicate operationId "onTest" (first used at line 9)`,
	"15-unresolvable-local-ref.yaml":       `$ref "#/components/messages/doesNotExist": nothing at /components`,
	"17-message-oneOf-not-array.yaml":      `message oneOf must be an array, not object`,
	"21-yaml-syntax-error.yaml":            `invalid YAML:`,
	"24-ref-cycle-only.yaml":               `$ref cycle with no concrete value: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A`,
}

// readableSince3 lists the documents of the invalid folder that were
// invalid only because asyncgen read no AsyncAPI 3.0: each is a valid 3.0.0
// document (checked against the rules the 3.x corpus is held to), so it
// must now generate.
var readableSince3 = []string{"25-asyncapi-3-document.yaml"}

// TestCorpusInvalidRefused runs generate on every invalid corpus document:
// each must exit 1 with one line naming the file and a line or JSON
// pointer, and write nothing.
func TestCorpusInvalidRefused(t *testing.T) {
	entries, err := os.ReadDir(invalidCorpus)
	if err != nil {
		t.Skipf("SKIP: the shared corpus is not at %s (it is cloned beside the repository in CI): %v", invalidCorpus, err)
	}
	require.NotEmpty(t, entries)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			spec := filepath.Join(invalidCorpus, e.Name())
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI("generate", "-package", "corpus", "-out", out, spec)
			if slices.Contains(readableSince3, e.Name()) {
				require.Equal(t, exitOK, code, "a valid 3.0 document generates; stderr: %s", stderr)
				written, err := os.ReadDir(out)
				require.NoError(t, err)
				require.NotEmpty(t, written)
				return
			}
			require.Equal(t, exitError, code, "stderr: %s", stderr)
			require.Empty(t, stdout)
			require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			placed := regexp.MustCompile(`^asyncgen: ` + regexp.QuoteMeta(spec) + `(:\d+|[^:]* \(#/[^)]*\))`)
			require.Regexp(t, placed, stderr, "the error names the file and a line or JSON pointer")
			if reason, ok := invalidReasons[e.Name()]; ok {
				require.Contains(t, stderr, reason)
			} else {
				t.Logf("no expected reason listed for %s; checked the form only: %s", e.Name(), stderr)
			}
			_, err := os.Stat(out)
			require.True(t, os.IsNotExist(err), "nothing is written for a refused document")
		})
	}
}
