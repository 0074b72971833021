package templates

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// TestPatternVarsAreTheModels: the validators declare and use the
// variable the model names for each pattern, once however many checks
// use it, and no variable for a pattern no check uses.
func TestPatternVarsAreTheModels(t *testing.T) {
	code := &model.Rules{Pattern: "^[a-z]+$", PatternVar: "patternChosenByTheBuilder"}
	other := &model.Rules{Pattern: "^[a-z]+$", PatternVar: "patternChosenByTheBuilder"}
	keyed := &model.Rules{PatternProperties: []*model.PatternRules{{Pattern: "^x-", Var: "patternKeys", Rules: &model.Rules{Types: []string{"string"}}}}}
	str := &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}
	pkg := &model.Package{
		Name: "p",
		Types: []*model.Type{{
			Name: "Codes", Kind: model.StructKind,
			Fields: []*model.Field{
				{Name: "Code", JSONName: "code", Type: str, Required: true},
				{Name: "Other", JSONName: "other", Type: str, Required: true},
				{Name: "Extra", JSONName: "extra", Type: &model.TypeRef{Kind: model.AnyRef}, Required: true},
			},
			Rules: &model.Rules{Properties: []*model.PropertyRules{{Name: "code", Rules: code}, {Name: "other", Rules: other}, {Name: "extra", Rules: keyed}}},
		}},
		Patterns: []*model.Pattern{
			{Expr: "^[a-z]+$", Var: "patternChosenByTheBuilder"},
			{Expr: "^x-", Var: "patternKeys"},
			{Expr: "unused", Var: "patternUnused"},
		},
	}
	f, err := Validate(pkg, makePlan(pkg))
	require.NoError(t, err)
	src, err := Render(f)
	require.NoError(t, err)
	out := string(src)
	require.Equal(t, 1, strings.Count(out, "var patternChosenByTheBuilder = regexp.MustCompile(`^[a-z]+$`)\n"), out)
	require.Equal(t, 2, strings.Count(out, ", patternChosenByTheBuilder)"), "both checks use it:\n%s", out)
	require.Contains(t, out, "var patternKeys = regexp.MustCompile(`^x-`)\n")
	require.Contains(t, out, "{patternKeys, ", "the rule table entry uses it")
	require.NotContains(t, out, "patternUnused")
}
