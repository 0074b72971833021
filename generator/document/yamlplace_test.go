package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestYAMLErrorsWithoutALineArePlaced: yaml.v3 gives some errors no line;
// each is placed in the file.
func TestYAMLErrorsWithoutALineArePlaced(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"control character", "asyncapi: 2.6.0\ninfo:\n  title: a\x01b\n", "api.yaml:3:11: invalid YAML: control characters are not allowed"},
		{"not UTF-8", "asyncapi: 2.6.0\ninfo: {title: \xff}\n", "api.yaml:2:15: invalid YAML: invalid leading UTF-8 octet"},
		{"unknown anchor", "asyncapi: 2.6.0\nx: &ab 1\ny: [*ab, *a]\n", "api.yaml:3:10: invalid YAML: unknown anchor 'a' referenced"},
		{"first line", "asyncapi: x: y\n", "api.yaml:1: invalid YAML: mapping values are not allowed in this context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": tt.data}))
			require.EqualError(t, err, tt.want)
		})
	}
}
