package templates

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/templates/internal/supportdecls"
)

// TestScanRenderedMatchesSyntaxTree checks that scanning a source finds
// what its syntax tree holds: the names references records, the import
// paths, and where the package name and the imports end. It reads every
// support file and sources with no, one and grouped aliased imports.
func TestScanRenderedMatchesSyntaxTree(t *testing.T) {
	sources := map[string]string{
		"none":    "// Code generated.\n\npackage p\n\nfunc f() int { return g.h.i + len(x) }\n",
		"single":  "package p\nimport \"fmt\"\nvar _ = fmt.Sprint(a.b, (*T).m)\n",
		"grouped": "package p\n\nimport (\n\tjwt \"github.com/golang-jwt/jwt/v5\"\n\t\"strings\"\n)\n\ntype T struct{ jwt.Claims }\n\nfunc (T) m() { _ = strings.ToUpper; goto end\nend:\n\tx := 1.5; _ = x }\n",
	}
	entries, err := os.ReadDir("support")
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			src, err := os.ReadFile(filepath.Join("support", e.Name()))
			require.NoError(t, err)
			sources[e.Name()] = string(src)
		}
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
			require.NoError(t, err)
			got := scanRendered([]byte(src))
			require.Equal(t, supportdecls.References(file), got.refs)
			var imports []string
			bodyStart := fset.Position(file.Name.End()).Offset
			for _, imp := range file.Imports {
				imports = append(imports, imp.Path.Value)
			}
			for _, decl := range file.Decls {
				if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
					bodyStart = fset.Position(gd.End()).Offset
				}
			}
			require.Equal(t, imports, got.imports)
			require.Equal(t, fset.Position(file.Name.End()).Offset, got.nameEnd)
			require.Equal(t, bodyStart, got.bodyStart)
		})
	}
}
