package templates

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// TestExamplesQuoteSpecText renders examples whose names, summaries and
// payloads hold comment ends, verbs, quotes, backquotes and line breaks,
// and checks that each reaches the source only as a string literal with
// its exact text.
func TestExamplesQuoteSpecText(t *testing.T) {
	hostile := "x */\n\"`%s\\\r\u202e}) func init() { panic(1) }"
	pkg := &model.Package{Name: "p", Messages: []*model.Message{
		{Name: "Plain", WireName: "plain"},
		{Name: "Odd", WireName: hostile + "message", Examples: []*model.Example{
			{Name: hostile + "name", Summary: hostile + "summary", Payload: []byte(`{"k":"` + strings.ReplaceAll(hostile, "\n", `\n`) + `"}`)},
			{Payload: []byte(`{}`)},
		}},
	}}
	f, err := Examples(pkg)
	require.NoError(t, err)
	src, err := Render(f)
	require.NoError(t, err)
	file, err := parser.ParseFile(token.NewFileSet(), "examples.gen.go", src, parser.ParseComments)
	require.NoError(t, err, "%s", src)
	var literals []string
	ast.Inspect(file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			literals = append(literals, s)
		}
		return true
	})
	require.Subset(t, literals, []string{hostile + "message", hostile + "name", hostile + "summary", string(pkg.Messages[1].Examples[0].Payload), "{}"})
	for _, group := range file.Comments {
		require.NotContains(t, group.Text(), "panic", "spec text reached a comment")
	}
	var funcs []string
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			funcs = append(funcs, fn.Name.Name)
		}
	}
	require.Equal(t, []string{"Examples"}, funcs, "no declaration comes from the spec")
}

// TestExamplesNoneNoFile checks that a package whose messages have no
// example gets no examples.gen.go.
func TestExamplesNoneNoFile(t *testing.T) {
	f, err := Examples(&model.Package{Name: "p", Messages: []*model.Message{{Name: "A", WireName: "a"}}})
	require.NoError(t, err)
	require.Nil(t, f)
}
