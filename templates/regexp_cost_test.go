package templates

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp/syntax"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxLiteralRegexpInsts bounds the program a regular expression written in
// this module's source compiles to. A package-level regexp.MustCompile
// runs at every start of a program that links it: the CLI, and every
// generated package that support code is copied into. `{1,249}` alone
// compiled to 501 instructions, 227 KB and 3,267 allocations, about 1 ms
// of start-up each time.
const maxLiteralRegexpInsts = 100

// TestLiteralRegexpsCompileSmall compiles every regular expression
// literal given to regexp.MustCompile or regexp.Compile in the module's
// hand-written Go (not tests, not generated files, whose patterns come
// from specs) and checks its program stays small.
func TestLiteralRegexpsCompileSmall(t *testing.T) {
	root := filepath.Join("..")
	found := 0
	err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.IsDir() {
			if name := entry.Name(); path != root && (name == "testdata" || name == "generated" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		name := entry.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, ".gen.go") {
			return nil
		}
		for _, pattern := range literalRegexps(t, path) {
			found++
			assert.LessOrEqual(t, compiledInsts(t, pattern), maxLiteralRegexpInsts, "%s: regexp %q compiles to a large program", path, pattern)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, found, 5, "the walk found the module's regular expressions")
}

// literalRegexps returns the string literals passed to regexp.MustCompile
// or regexp.Compile in the file at path.
func literalRegexps(t *testing.T, path string) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	require.NoError(t, err)
	var patterns []string
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if !isRegexpCompile(call.Fun) {
			return true
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			pattern, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			patterns = append(patterns, pattern)
		}
		return true
	})
	return patterns
}

// isRegexpCompile reports whether fun is regexp.MustCompile or
// regexp.Compile.
func isRegexpCompile(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "regexp" && (sel.Sel.Name == "MustCompile" || sel.Sel.Name == "Compile")
}

// compiledInsts is the number of instructions pattern compiles to.
func compiledInsts(t *testing.T, pattern string) int {
	t.Helper()
	re, err := syntax.Parse(pattern, syntax.Perl)
	require.NoError(t, err, pattern)
	prog, err := syntax.Compile(re.Simplify())
	require.NoError(t, err, pattern)
	return len(prog.Inst)
}
