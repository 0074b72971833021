package document

import (
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// refDoc is a document whose one message's payload is a $ref to ref; the
// $ref's value is at line 7, column 25.
func refDoc(ref string) string {
	return header + "channels:\n  a:\n    publish:\n      message:\n        payload: {$ref: '" + ref + "'}\n"
}

// refAt is where refDoc's $ref is, for the expected messages.
const refAt = ":7:25 (#/channels/a/publish/message/payload/$ref): "

// writeFile writes data at dir/name, making its directories.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	return path
}

// repo makes a module (a directory with a go.mod) holding specs/ and
// common/, beside a file outside it; it returns the module's directory.
func repo(t *testing.T) (tmp, module string) {
	tmp = t.TempDir()
	module = filepath.Join(tmp, "repo")
	writeFile(t, module, "go.mod", "module example.com/repo\n")
	writeFile(t, module, "common/schemas.yaml", "Thing: {type: object, properties: {id: {type: string}}}\n")
	writeFile(t, tmp, "outside.yaml", "Thing: {type: string}\n")
	return tmp, module
}

// outsideMessage is the refusal of a $ref to a file outside root.
func outsideMessage(spec, ref, root, how string) string {
	return spec + refAt + fmt.Sprintf("$ref %q names a file outside %s, the directory $refs may read%s; widen it with -ref-root (refRoot in asyncgen.yaml) if that is meant", ref, root, how)
}

func TestRefsInsideTheModuleAreRead(t *testing.T) {
	_, module := repo(t)
	spec := writeFile(t, module, "specs/api.yaml", refDoc("../common/schemas.yaml#/Thing"))
	doc, err := Load(spec, Options{})
	require.NoError(t, err)
	require.Contains(t, doc.Messages[0].Payload.Value.Properties, "id")
	require.Equal(t, module, DefaultRefRoot(spec), "the directory holding go.mod")
}

func TestRefsInsideTheTreeThroughALinkAreRead(t *testing.T) {
	_, module := repo(t)
	spec := writeFile(t, module, "specs/api.yaml", refDoc("link.yaml#/Thing"))
	require.NoError(t, os.Symlink(filepath.Join(module, "common", "schemas.yaml"), filepath.Join(module, "specs", "link.yaml")))
	_, err := Load(spec, Options{})
	require.NoError(t, err)
}

func TestRefsOutsideTheRootAreRefused(t *testing.T) {
	tmp, module := repo(t)
	require.NoError(t, os.Symlink(filepath.Join(tmp, "outside.yaml"), filepath.Join(module, "specs-link.yaml")))
	tests := []struct {
		name, ref, how string
	}{
		{"absolute path", "/etc/passwd", ""},
		{"parent escape", "../../outside.yaml#/Thing", ""},
		{"deep parent escape", "../../../../../../../../etc/passwd", ""},
		{"symlink escape", "../specs-link.yaml#/Thing", " (through a symbolic link to " + realPath(filepath.Join(tmp, "outside.yaml")) + ")"},
		{"proc environ", "/proc/self/environ", ""},
		{"dev zero", "/dev/zero", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := writeFile(t, module, "specs/api.yaml", refDoc(tt.ref))
			_, err := Load(spec, Options{})
			require.EqualError(t, err, outsideMessage(spec, tt.ref, module, tt.how))
		})
	}
}

func TestWithoutGoModTheRootIsTheSpecsDirectory(t *testing.T) {
	tmp := t.TempDir()
	writeFile(t, tmp, "common/schemas.yaml", "Thing: {type: string}\n")
	spec := writeFile(t, tmp, "specs/api.yaml", refDoc("../common/schemas.yaml#/Thing"))
	specDir := filepath.Dir(spec)
	require.Equal(t, specDir, DefaultRefRoot(spec))
	_, err := Load(spec, Options{})
	require.EqualError(t, err, outsideMessage(spec, "../common/schemas.yaml#/Thing", specDir, ""))

	_, err = Load(spec, Options{RefRoot: tmp})
	require.NoError(t, err, "a wider root lets it in")
}

func TestFilesOverTheSizeCapAreRefused(t *testing.T) {
	_, module := repo(t)
	big := writeFile(t, module, "specs/big.yaml", "Thing: {type: string, description: '"+strings.Repeat("x", 2000)+"'}\n")
	spec := writeFile(t, module, "specs/api.yaml", refDoc("big.yaml#/Thing"))
	_, err := Load(spec, Options{maxFileBytes: 1024})
	require.EqualError(t, err, spec+refAt+"cannot read referenced file "+big+": it is larger than 1024 bytes, the most a document may be")

	_, err = Load(spec, Options{maxFileBytes: 4096})
	require.NoError(t, err, "under the cap")
}

// TestAFileLyingAboutItsSizeIsCutShort reads a /proc file, which says it
// is empty and is not: the cap holds on what is read.
func TestAFileLyingAboutItsSizeIsCutShort(t *testing.T) {
	const environ = "/proc/self/environ"
	info, err := os.Stat(environ)
	if err != nil || info.Size() != 0 {
		t.Skip("needs Linux's /proc, whose files report size 0")
	}
	t.Setenv("ASYNCGEN_TEST_PADDING", strings.Repeat("x", 100))
	_, err = readRegularFile(environ, 64)
	require.EqualError(t, err, "it is larger than 64 bytes, the most a document may be")
}

func TestDefaultMaxFileBytes(t *testing.T) {
	require.Equal(t, "it is larger than 64 MiB, the most a document may be", tooLarge(DefaultMaxFileBytes).Error())
}

func TestRefSpelling(t *testing.T) {
	tests := []struct {
		name, ref, want string
	}{
		{"wrapped after the hash", "'#\n          /components/schemas/A'",
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "# /components/schemas/A" contains a space: a URI has none (was it wrapped onto two lines? a space in a file name or key is written %20)`},
		{"wrapped in a path", "'#/components/\n          schemas/A'",
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/ schemas/A" contains a space: a URI has none (was it wrapped onto two lines? a space in a file name or key is written %20)`},
		{"line break", `"#/components/schemas/A\n"`,
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schemas/A\n" contains a line break: a $ref is one URI on one line (was it wrapped?)`},
		{"tab", `"#/components/schemas/\tA"`,
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schemas/\tA" contains white space ("\t"): a URI has none`},
		{"bad escape", `'#/components/schemas/%zz'`,
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "#/components/schemas/%zz" has a % that does not start a %XX escape in its fragment (write % as %25)`},
		{"bad escape in file", `'a%zb.yaml'`,
			`api.yaml:7:25 (#/channels/a/publish/message/payload/$ref): $ref "a%zb.yaml" has a % that does not start a %XX escape in its file name (write % as %25)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := header + "channels:\n  a:\n    publish:\n      message:\n        payload: {$ref: " + tt.ref + "}\ncomponents:\n  schemas:\n    A: {type: string}\n"
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": doc}))
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestRefFileNameWithEscapedSpace(t *testing.T) {
	files := memFiles(map[string]string{
		"api.yaml":        refDoc("my%20schemas.yaml#/Thing"),
		"my schemas.yaml": "Thing: {type: object, properties: {id: {type: string}}}\n",
	})
	doc, err := Load("api.yaml", files)
	require.NoError(t, err)
	require.Contains(t, doc.Messages[0].Payload.Value.Properties, "id")
}

func TestRemoteFetchErrorsInOurWords(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := "http://" + closed.Addr().String() + "/m.yaml"
	require.NoError(t, closed.Close())

	tests := []struct{ url, problem string }{
		{srv.URL + "/m.yaml", "the server answered 404 Not Found"},
		{refused, "the connection was refused"},
	}
	for _, tt := range tests {
		opts := memFiles(map[string]string{"api.yaml": refDoc(tt.url)})
		opts.AllowRemoteRefs = true
		_, err := Load("api.yaml", opts)
		require.EqualError(t, err, "api.yaml"+refAt+"cannot fetch referenced file "+tt.url+": "+tt.problem)
	}
}

func TestReadErrorsKeepTheirCause(t *testing.T) {
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": refDoc("gone.yaml#/Thing")}))
	require.EqualError(t, err, "api.yaml"+refAt+"cannot read referenced file gone.yaml: file does not exist")
	require.ErrorIs(t, err, fs.ErrNotExist)
}
