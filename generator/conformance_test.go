package generator

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// buildMem builds a package from one in-memory spec.
func buildMem(t *testing.T, spec string) (*model.Package, error) {
	t.Helper()
	return Build(Config{Package: "p", OutDir: "out", Specs: []string{"api.yaml"}, Load: document.Options{
		ReadFile: func(path string) ([]byte, error) {
			if filepath.ToSlash(path) == "api.yaml" {
				return []byte(spec), nil
			}
			return nil, fs.ErrNotExist
		},
	}})
}

func TestOperationsWithoutOperationIDAreNamedFromChannelAndDirection(t *testing.T) {
	pkg, err := Build(Config{Package: "names", OutDir: "out", Specs: []string{filepath.Join("..", "testdata", "golden", "names", "spec.yaml")}})
	require.NoError(t, err)
	var ops, messages []string
	for _, ch := range pkg.Channels {
		for _, op := range ch.Operations {
			ops = append(ops, op.GoName)
		}
	}
	for _, m := range pkg.Messages {
		messages = append(messages, m.Name)
	}
	require.Equal(t, []string{"ReceiveUserUserIDSignedUp", "SendUserUserIDSignedUp", "SendX2faCodes"}, ops)
	require.Equal(t, []string{"ReceiveUserUserIDSignedUp", "SendUserUserIDSignedUp", "SendX2faCodes"}, messages)
}

func TestUnsupportedPropertyNamesAreRefusedWithTheirPlace(t *testing.T) {
	const head = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n"
	for name, tt := range map[string]struct{ prop, want string }{
		"empty": {`'': {type: string}`, `api.yaml:7:7 (#/components/schemas/S/properties/): unsupported property name "": a Go struct field's json tag cannot name it (it is empty)`},
		"comma": {`'a,b': {type: string}`, `api.yaml:7:7 (#/components/schemas/S/properties/a,b): unsupported property name "a,b": a Go struct field's json tag cannot name it (it contains ',')`},
		"quote": {`"it's": {type: string}`, `unsupported property name "it's": a Go struct field's json tag cannot name it (it contains '\'')`},
		"slash": {`'a/b': {type: object, properties: {'x"y': {type: string}}}`, `(#/components/schemas/S/properties/a~1b/properties/x"y): unsupported property name "x\"y"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := buildMem(t, head+"        "+tt.prop+"\n")
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestAllowedPunctuationInPropertyNamesIsKept(t *testing.T) {
	pkg, err := buildMem(t, "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        'a b.c-d/e:f@g': {type: string}\n")
	require.NoError(t, err)
	require.Equal(t, "a b.c-d/e:f@g", pkg.Types[0].Fields[0].JSONName)
	require.Equal(t, "ABCDEFG", pkg.Types[0].Fields[0].Name)
}
