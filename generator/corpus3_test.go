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
	"gopkg.in/yaml.v3"
)

// corpus3Dir is the shared corpus of real AsyncAPI 3.x documents, beside
// the repository like the 2.x one; ASYNCGEN_CORPUS3 names another place
// (a checkout elsewhere).
func corpus3Dir() string {
	if dir := os.Getenv("ASYNCGEN_CORPUS3"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "shared", "corpus3")
}

// corpus3Unsupported lists the valid 3.x documents asyncgen refuses on
// purpose, with what the error must say: schema formats it does not read,
// and remote $refs, refused offline with the URL named.
var corpus3Unsupported = map[string]string{
	"asyncapi-spec-3.1.0/adeo-kafka-request-reply-asyncapi.yml":   `unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`,
	"asyncapi-spec/adeo-kafka-request-reply-asyncapi.yml":         `unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`,
	"converter-js/3.0.0/from-2.6.0-with-custom-schema-format.yml": `unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`,
	"jasyncapi/xml-simple-string-schema.yaml":                     `unsupported schemaFormat "application/xml"`,
	"parser-js/parse-schema-v3--L109.json":                        `unsupported schemaFormat "not existing"`,
	"parser-js/parse-schema-v3--L199.json":                        `unsupported schemaFormat "application/vnd.apache.avro;version=1.9.0": Avro schemas are not supported`,
}

// corpus3Empty lists the valid 3.x documents that declare no message with
// a payload and no schema: they generate no file.
var corpus3Empty = []string{
	"cli/bundle/first-asyncapiv3.yaml",
	"parser-js/apply-traits-v3--L13.json",
	"parser-js/apply-traits-v3--L70.json",
	"parser-js/asyncapi3-required-channel-servers-unambiguity--L54.json",
	"parser-js/parse--L441.yaml",
}

// corpus3Documents lists the files under valid/ that are AsyncAPI
// documents (they have an asyncapi field); the others are pieces the
// documents $ref.
func corpus3Documents(t *testing.T) (string, []corpusDoc) {
	t.Helper()
	root := filepath.Join(corpus3Dir(), "valid")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("SKIP: the shared 3.x corpus is not at %s (it is cloned beside the repository in CI): %v", corpus3Dir(), err)
	}
	var docs []corpusDoc
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		if !declaresAsyncAPI(t, path) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		docs = append(docs, corpusDoc{rel: filepath.ToSlash(rel), pkg: fmt.Sprintf("v3doc%02d", len(docs)+1)})
		return nil
	})
	require.NoError(t, err)
	return root, docs
}

// declaresAsyncAPI reports whether the file at path has a top-level
// asyncapi field.
func declaresAsyncAPI(t *testing.T, path string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return false
	}
	_, ok := top["asyncapi"]
	return ok
}

// TestCorpus3ValidGenerates generates every valid 3.x corpus document into
// its own package of one throwaway module, then builds and vets it; the
// documents listed in corpus3Unsupported must be refused with their
// reason instead.
func TestCorpus3ValidGenerates(t *testing.T) {
	root, docs := corpus3Documents(t)
	// 77 documents, and kogito-cloudevent.yaml, which one of them $refs
	// and which is a document of its own too (components only).
	require.Len(t, docs, 78, "the corpus README promises 77 valid documents, plus one piece that is a document too")
	mod := t.TempDir()
	goMod := "module corpus3check\n\ngo 1.22\n\nrequire github.com/golang-jwt/jwt/v5 v5.3.1\n"
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte(goMod), 0o644))
	sums, err := os.ReadFile(filepath.Join("..", "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sums, 0o644))
	var built []corpusDoc
	for _, d := range docs {
		t.Run(d.rel, func(t *testing.T) {
			out := filepath.Join(mod, d.pkg)
			cfg := Config{Package: d.pkg, OutDir: out, Specs: []string{filepath.Join(root, filepath.FromSlash(d.rel))}}
			// The corpus is one tree of documents with no go.mod: its
			// documents may read each other's files, as -ref-root allows.
			cfg.Load.RefRoot = root
			files, err := Generate(cfg)
			if reason, refused := corpus3Unsupported[d.rel]; refused {
				require.Error(t, err, "%s uses what asyncgen does not read", d.rel)
				require.Contains(t, err.Error(), reason)
				require.Contains(t, err.Error(), filepath.Join(root, filepath.FromSlash(d.rel)))
				return
			}
			require.NoError(t, err, "generating %s", d.rel)
			if slices.Contains(corpus3Empty, d.rel) {
				require.Empty(t, files, "%s declares nothing to generate", d.rel)
				return
			}
			require.NotEmpty(t, files, "%s generates no files", d.rel)
			require.NoError(t, os.MkdirAll(out, 0o755))
			for name, data := range files {
				require.NoError(t, os.WriteFile(filepath.Join(out, name), data, 0o644))
			}
			built = append(built, d)
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
		require.NoError(t, err, "go %s on the 3.x corpus packages:\n%s\npackages: %s", strings.Join(args, " "), out, corpusIndex(built))
	}
}
