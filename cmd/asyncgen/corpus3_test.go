package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// invalidCorpus3 is the shared 3.x corpus's folder of documents every
// generator must refuse; ASYNCGEN_CORPUS3 names the corpus elsewhere.
func invalidCorpus3() string {
	if dir := os.Getenv("ASYNCGEN_CORPUS3"); dir != "" {
		return filepath.Join(dir, "invalid")
	}
	return filepath.Join("..", "..", "..", "shared", "corpus3", "invalid")
}

// invalidReasons3 says what the error for each invalid 3.x document must
// say: the rule its README names it for.
var invalidReasons3 = map[string]string{
	"asyncapi-document-resolved--L355.json":                        `(#/info): missing required field "version"`,
	"asyncapi-document-unresolved--L129.json":                      `(#/info): missing required field "title"`,
	"asyncapi3-channel-parameters--L122.json":                      `uses parameter {anotherParam}, which the channel's parameters do not declare`,
	"asyncapi3-channel-parameters--L55.json":                       `parameter "test" is not used in the channel's address`,
	"asyncapi3-channel-servers--L124.json":                         `servers must list $refs to servers in the root servers object, not string`,
	"asyncapi3-operation-messages-from-referred-channel--L94.json": `message "#/components/channels/UserSignedUp/messages/UserSignedUp" is not one of the messages of its channel UserSignedUp`,
	"asyncapi3-required-channel-servers-unambiguity--L140.json":    `$ref "#/components/servers/prod" is not a server of the root servers object`,
	"asyncapi3-required-operation-channel-unambiguity--L182.json":  `$ref "#/components/channels/UserSignedUp" is not a channel of the root channels object`,
	"parse--L510.yaml": `unsupported schemaFormat "application/vnd.apache.avro+json;version=1.9.0"`,
	"parse--L60.json":  `has no field "not_a_valid_info_object"`,
}

// TestCorpus3InvalidRefused runs generate on every invalid 3.x corpus
// document: each must exit 1 with one line naming the file, a line or JSON
// pointer and the rule broken, and write nothing.
func TestCorpus3InvalidRefused(t *testing.T) {
	dir := filepath.Join(invalidCorpus3(), "parser-js")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("SKIP: the shared 3.x corpus is not at %s (it is cloned beside the repository in CI): %v", dir, err)
	}
	require.Len(t, entries, len(invalidReasons3), "every invalid document has its reason listed")
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			spec := filepath.Join(dir, e.Name())
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI("generate", "-package", "corpus", "-out", out, spec)
			require.Equal(t, exitError, code, "stderr: %s", stderr)
			require.Empty(t, stdout)
			require.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			placed := regexp.MustCompile(`^asyncgen: ` + regexp.QuoteMeta(spec) + `:\d+:\d+`)
			require.Regexp(t, placed, stderr, "the error names the file, line and column")
			reason, ok := invalidReasons3[e.Name()]
			require.True(t, ok, "no reason listed for %s", e.Name())
			require.Contains(t, stderr, reason)
			_, err := os.Stat(out)
			require.True(t, os.IsNotExist(err), "nothing is written for a refused document")
		})
	}
}
