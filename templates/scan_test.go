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
// support file, every golden and shipped generated file, and sources with
// no, one and grouped aliased imports, names hidden in literals and
// comments, numbers with letters, ellipses and non-ASCII names.
func TestScanRenderedMatchesSyntaxTree(t *testing.T) {
	sources := map[string]string{
		"none":       "// Code generated.\n\npackage p\n\nfunc f() int { return g.h.i + len(x) }\n",
		"single":     "package p\nimport \"fmt\"\nvar _ = fmt.Sprint(a.b, (*T).m)\n",
		"grouped":    "package p\n\nimport (\n\tjwt \"github.com/golang-jwt/jwt/v5\"\n\t\"strings\"\n)\n\ntype T struct{ jwt.Claims }\n\nfunc (T) m() { _ = strings.ToUpper; goto end\nend:\n\tx := 1.5; _ = x }\n",
		"raw import": "package p\nimport `fmt`\nvar _ = fmt.Sprint\n",
		// Names inside literals and comments are no names; numbers hold
		// letters that are none either.
		"literals": "package p\n\nimport \"fmt\" // fmt.Hidden\n\n/* block.Hidden\n * more */\nvar a = []any{\"q.Hidden \\\" x.Hidden\", `raw.Hidden \"`, '\\'', 'x', '\\x41', fmt.Sprint}\n" +
			"var n = []any{0x1F, 0XaBc, 1e+5, 2E-3, 0x1p-2, 0x1P+2 + e, 0xE+f, 0xe+g, 1_000, .5, 5i, 0b101, 0o17, 017, 1.e5, 0x_1F}\n",
		"ellipsis":  "package p\n\nfunc f(xs ...T) { g(xs...); h(a. /* c */ b, c.\n\td) }\n",
		"unicode":   "package p\n\nvar é = ü.ñ + x\u0661y\n",
		"empty":     "package p\n",
		"no import": "// Code generated.\n\n// Package p is p.\npackage p // import \"p\"\n\nvar x = y\n",
	}
	for _, pattern := range []string{"../testdata/golden/*/want/*.go", "../generated/*/*.go"} {
		paths, err := filepath.Glob(pattern)
		require.NoError(t, err)
		for _, path := range paths {
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			sources[path] = string(src)
		}
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

// FuzzScanRendered checks that scanning any bytes ends without a panic and
// that the offsets it finds are within the source.
func FuzzScanRendered(f *testing.F) {
	for _, seed := range []string{"package p\nimport (\n\"a\"\n)\n", "package", "'\\", "\"\\", "`", "/*", "0x1p-", ".", "..", "import (", "\xff\xfe"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p := scanRendered(src)
		require.LessOrEqual(t, p.nameEnd, len(src))
		require.LessOrEqual(t, p.bodyStart, len(src))
	})
}
