package generator

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates"
)

// TestShippedSpecsV3MatchV2 generates each shipped spec from its 2.6
// original and from its hand-made 3.0 conversion (specs/v3): every file
// must be the same but for the header line, which names the spec.
func TestShippedSpecsV3MatchV2(t *testing.T) {
	for _, name := range []string{"chartmogul", "growpanel", "monday"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join("..", "generated", name)
			v2, err := Generate(Config{Package: name, OutDir: out, Specs: []string{filepath.Join("..", "specs", name+".yaml")}})
			require.NoError(t, err)
			v3, err := Generate(Config{Package: name, OutDir: out, Specs: []string{filepath.Join("..", "specs", "v3", name+".yaml")}})
			require.NoError(t, err)
			require.NotEmpty(t, v2)
			require.Equal(t, fileNames(v2), fileNames(v3), "the same files")
			for file, want := range v2 {
				got := v3[file]
				if file == templates.DocFileName {
					// The package doc names the spec in its text.
					require.Contains(t, docText(got), "specs/v3/"+name+".yaml", "the package doc names the 3.0 spec")
					require.Equal(t, docText(want), strings.ReplaceAll(docText(got), "specs/v3/", "specs/"), "the package docs differ beyond the spec's path")
					continue
				}
				wantHead, wantBody, _ := bytes.Cut(want, []byte("\n"))
				gotHead, gotBody, _ := bytes.Cut(got, []byte("\n"))
				require.Contains(t, string(gotHead), "specs/v3/"+name+".yaml", "%s names the 3.0 spec", file)
				require.NotEqual(t, string(wantHead), string(gotHead))
				require.Equal(t, string(wantBody), string(gotBody), "%s differs below its header", file)
			}
		})
	}
}

// docText is a Go file's comment lines joined by spaces, so that a path
// of another length, wrapped elsewhere, compares equal.
func docText(src []byte) string {
	var words []string
	for _, line := range strings.Split(string(src), "\n") {
		words = append(words, strings.Fields(strings.TrimPrefix(line, "//"))...)
	}
	return strings.Join(words, " ")
}

func fileNames(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for k := range files {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestV3ActionsMapToDirections builds the 3.0 send/receive golden spec:
// action receive is the model's Receive direction, send its Send, and
// channels are named in Go after their keys, not their addresses.
func TestV3ActionsMapToDirections(t *testing.T) {
	pkg, err := Build(Config{Package: "p", OutDir: t.TempDir(), Specs: []string{filepath.Join("..", "testdata", "golden", "v3-send-receive", "spec.yaml")}})
	require.NoError(t, err)
	require.Len(t, pkg.Channels, 2)
	orders, shipments := pkg.Channels[0], pkg.Channels[1]
	require.Equal(t, "orders/{region}", orders.Name)
	require.Equal(t, "Orders", orders.GoName)
	require.Len(t, orders.Operations, 1)
	require.Equal(t, model.Receive, orders.Operations[0].Direction)
	require.Equal(t, "ReceiveOrder", orders.Operations[0].GoName)
	require.Equal(t, "OrderPlaced", orders.Operations[0].Messages[0].Name)
	require.Len(t, shipments.Operations, 1)
	require.Equal(t, model.Send, shipments.Operations[0].Direction)
	require.Equal(t, "ShipmentSent", shipments.Operations[0].Messages[0].Name, "an operation without messages carries its channel's")
}
