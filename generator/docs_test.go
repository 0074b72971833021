package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGoldenDocsStartWithTheirNames reads every golden and shipped
// package: exactly one file has a package doc, which starts with
// "Package <name> " and names the spec, and the doc comment of every
// exported type and function starts with its name (after an optional
// article), as go doc and staticcheck's ST1000, ST1020 and ST1021 expect.
func TestGoldenDocsStartWithTheirNames(t *testing.T) {
	for _, c := range goldenCases(t) {
		packageDocs := 0
		for name, data := range readGenerated(t, c.wantDir) {
			file, err := parser.ParseFile(token.NewFileSet(), name, data, parser.ParseComments|parser.SkipObjectResolution)
			require.NoError(t, err)
			if file.Doc != nil {
				packageDocs++
				text := file.Doc.Text()
				require.True(t, strings.HasPrefix(text, "Package "+c.pkg+" "), "%s/%s: package doc %q", c.name, name, text)
				require.Contains(t, strings.Join(strings.Fields(text), " "), "from ", "%s/%s: the package doc names the spec", c.name, name)
			}
			for _, d := range undocumentedNames(file) {
				t.Errorf("%s/%s: the doc comment of %s does not start with its name", c.name, name, d)
			}
		}
		require.Equal(t, 1, packageDocs, "%s: files with a package doc", c.name)
	}
}

// undocumentedNames lists the exported types and functions of file whose
// doc comment, when there is one, does not start with their name.
func undocumentedNames(file *ast.File) []string {
	var out []string
	check := func(name string, doc *ast.CommentGroup) {
		if doc != nil && token.IsExported(name) && !startsWithName(doc.Text(), name) {
			out = append(out, name)
		}
	}
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				check(d.Name.Name, d.Doc)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if s, ok := spec.(*ast.TypeSpec); ok {
					doc := s.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					check(s.Name.Name, doc)
				}
			}
		}
	}
	return out
}

// startsWithName reports whether doc starts with name and a space, after
// an optional article.
func startsWithName(doc, name string) bool {
	if strings.HasPrefix(doc, name+" ") {
		return true
	}
	for _, article := range []string{"A ", "An ", "The "} {
		if rest, ok := strings.CutPrefix(doc, article); ok && strings.HasPrefix(rest, name+" ") {
			return true
		}
	}
	return false
}
