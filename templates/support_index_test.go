package templates

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/templates/internal/supportdecls"
)

// TestSupportIndexIsCurrent checks that the table generation splices from
// is what go generate writes from the support package as it is now, and
// that the emitters read from it every declaration as parsing the
// support package gives it.
func TestSupportIndexIsCurrent(t *testing.T) {
	decls, err := supportdecls.ParseDir("support")
	require.NoError(t, err)
	want, err := supportdecls.Table(decls)
	require.NoError(t, err)
	got, err := os.ReadFile(supportdecls.TableFile)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "%s is stale: run go generate ./templates", supportdecls.TableFile)

	loaded, err := loadSupport()
	require.NoError(t, err)
	require.Equal(t, fromDecls(decls), loaded)
}

// parsedSupport reads Go source into support declarations, as go
// generate does for the support package.
func parsedSupport(name string, src []byte) ([]*supportDecl, error) {
	decls, err := supportdecls.ParseFile(name, src)
	if err != nil {
		return nil, err
	}
	return fromDecls(decls), nil
}

// fromDecls is what the table holds for decls.
func fromDecls(decls []supportdecls.Decl) []*supportDecl {
	out := make([]*supportDecl, len(decls))
	for i, d := range decls {
		sd := &supportDecl{names: d.Names, recv: d.Recv, method: d.Method, text: d.Text, refs: d.Refs, imports: d.Imports}
		for _, f := range d.Fields {
			sd.fields = append(sd.fields, fieldSpan{names: f.Names, start: f.Start, end: f.End})
		}
		out[i] = sd
	}
	return out
}
