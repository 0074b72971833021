package generator

import (
	"fmt"
	"testing"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/stretchr/testify/require"
)

func TestExportedNames(t *testing.T) {
	n := newNamer([]string{"sku"})
	tests := map[string]string{
		"account_id":                       "AccountID",
		"external_ids":                     "ExternalIDs",
		"mrr_movement_in_account_currency": "MRRMovementInAccountCurrency",
		"current_arr":                      "CurrentARR",
		"data_source_uuid":                 "DataSourceUUID",
		"api_url":                          "APIURL",
		"json-web-token":                   "JSONWebToken",
		"user.name":                        "UserName",
		"HTTPServer":                       "HTTPServer",
		"mrrMovement":                      "MRRMovement",
		"2fa_enabled":                      "X2faEnabled",
		"type":                             "Type",
		"New Lead":                         "NewLead",
		"sku_code":                         "SKUCode",
		"Past Due":                         "PastDue",
		"ids":                              "IDs",
		"has":                              "Has",
		"über cool":                        "ÜberCool",
		"***":                              "",
	}
	for in, want := range tests {
		require.Equal(t, want, n.exported(in), "exported(%q)", in)
	}
}

func TestTypeNameKeepsComponentKeysWithInitialisms(t *testing.T) {
	n := newNamer([]string{"SKU"})
	for key, want := range map[string]string{
		"MrrMovementPayload": "MRRMovementPayload",
		"MRRMovement":        "MRRMovement",
		"CustomerIds":        "CustomerIDs",
		"Http_Api_Event":     "HTTP_API_Event",
		"SkuList":            "SKUList",
		"Idle":               "Idle",
		"OAuth2Token":        "OAuth2Token",
		"user_event":         "UserEvent",
		"string":             "String",
	} {
		require.Equal(t, want, n.typeName(key), "typeName(%q)", key)
	}
}

func TestScopeClaimsAreDeterministic(t *testing.T) {
	s := newScope("Validate")
	require.Equal(t, "ID", s.claim("ID"))
	require.Equal(t, "ID2", s.claim("ID"))
	require.Equal(t, "ID3", s.claim("ID"))
	require.Equal(t, "Validate2", s.claim("Validate"))
	require.Equal(t, "ID22", s.claim("ID2"))
}

// TestScopeClaimWorkIsLinear counts the names a scope tries: n claims of
// one name try about 2n names in all, not n²/2.
func TestScopeClaimWorkIsLinear(t *testing.T) {
	const n = 5000
	s := newScope()
	for range n {
		s.claim("A")
	}
	require.Equal(t, "A5001", s.claim("A"))
	require.LessOrEqual(t, s.probes, 2*(n+1))
}

// TestEnumValuesDropsRepeatsOfAnyKind: objects and arrays repeated in an
// enum are dropped like strings and numbers, without comparing them with
// == (which panics on maps).
func TestEnumValuesDropsRepeatsOfAnyKind(t *testing.T) {
	one := document.Number("1")
	v := &document.Schema{Enum: []any{
		map[string]any{"a": one}, []any{"x"}, "s", one, map[string]any{"a": one}, []any{"x"}, "s", document.Number("1.0"), nil, true,
	}}
	require.Equal(t, []any{map[string]any{"a": one}, []any{"x"}, "s", one, true}, enumValues(v))
}

// TestRuleTableConstsAreNamedFromTheSchema checks the names of rule table
// constants: from the schema's pointer without its structural segments,
// with room for the JSON and MapJSON entries derived from them, so that a
// schema whose name ends like a derived entry's gets a number.
func TestRuleTableConstsAreNamedFromTheSchema(t *testing.T) {
	b := newBuilder(&model.Package{Reserved: []string{"ruleTable"}}, newNamer(nil), nil)
	var names []string
	for _, pointer := range []string{
		"/components/schemas/Customer/properties/email_id",
		"/components/schemas/Customer",
		"/components/schemas/Customer/properties/JSON",
		"/components/schemas/Table",
		"/channels/orders~1{id}/publish/message/payload/anyOf/0",
		"",
		"/a/b/c/d/e/f/g/h/i/j",
	} {
		r := &model.Rules{}
		b.nameRuleConsts(r, pointer)
		names = append(names, r.TableConst)
		require.Equal(t, r.TableConst+"JSON", r.JSONTableConst)
		require.Equal(t, r.TableConst+"MapJSON", r.MapJSONTableConst)
	}
	require.Equal(t, []string{"ruleCustomerEmailID", "ruleCustomer", "ruleCustomerJSON2", "ruleTable2", "ruleOrdersIDAnyOf0", "ruleSchema", "ruleCDEFGHIJ"}, names)
	require.Len(t, b.pkg.RuleTableConsts, 3*len(names))
}

// enumNamesSpec has an enum of currency codes, screaming-case words and
// words holding initialisms.
const enumNamesSpec = `asyncapi: 2.6.0
info: {title: Enum names, version: 1.0.0}
channels:
  prices:
    publish:
      message:
        name: Price
        payload:
          type: object
          properties:
            currency: {type: string, enum: [EUR, USD]}
            state: {type: string, enum: [PAYMENT_FAILED, api_key, user-id]}
`

// TestEnumConstantsFollowTheInitialismsOfEveryName pins the one rule
// enum constants are named by, the same as every other name: a word is in
// capitals when it is an initialism, of Go's list or of -initialisms, and
// capitalised otherwise, whatever case the spec writes it in ("EUR" gives
// Eur unless EUR is an initialism; "PAYMENT_FAILED" gives PaymentFailed).
func TestEnumConstantsFollowTheInitialismsOfEveryName(t *testing.T) {
	consts := func(initialisms ...string) []string {
		cfg := memoryConfig([]byte(enumNamesSpec))
		cfg.Initialisms = initialisms
		pkg, err := Build(cfg)
		require.NoError(t, err)
		var out []string
		for _, typ := range pkg.Types {
			if typ.Enum != nil {
				for _, v := range typ.Enum.Values {
					out = append(out, v.Const)
				}
			}
		}
		return out
	}
	require.Equal(t, []string{"PricePayloadCurrencyEur", "PricePayloadCurrencyUsd",
		"PricePayloadStatePaymentFailed", "PricePayloadStateAPIKey", "PricePayloadStateUserID"}, consts())
	require.Equal(t, []string{"PricePayloadCurrencyEUR", "PricePayloadCurrencyUSD",
		"PricePayloadStatePaymentFailed", "PricePayloadStateAPIKey", "PricePayloadStateUserID"}, consts("eur", "USD"))
}

// TestPatternVarsAreNamedByWhatTheyMatch: a pattern's variable is named
// from its text, not from its place among the others: pattern and its
// letters and digits, with the hash of the text after them when the
// pattern has none, when another pattern has the same, or when the name
// is one the package declares itself (patternRule). A pattern used again
// has the same variable.
func TestPatternVarsAreNamedByWhatTheyMatch(t *testing.T) {
	b := newBuilder(&model.Package{Reserved: []string{"patternRule"}}, newNamer(nil), nil)
	cases := []struct{ pattern, want string }{
		{"^[a-z]{3}$", "patternAZ3" + patternHash("^[a-z]{3}$")},
		{`^\s+\d{2}$`, "patternSD2"},
		{"^[a-z]{3}", "patternAZ3" + patternHash("^[a-z]{3}")},
		{"^.*$", "pattern" + patternHash("^.*$")},
		{"^.+$", "pattern" + patternHash("^.+$")},
		{"rule", "patternRule" + patternHash("rule")},
		{"^aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa$", "patternAaaaaaaaaaaaaaaaaaaaaaaa"},
		{"^[a-z]{3}$", "patternAZ3" + patternHash("^[a-z]{3}$")},
	}
	got := make([]string, len(cases))
	for i, tc := range cases {
		b.usePattern(tc.pattern, &got[i])
	}
	b.namePatterns()
	for i, tc := range cases {
		require.Equal(t, tc.want, got[i], "the variable of %q", tc.pattern)
	}
	require.Equal(t, "a9696f83", patternHash("^.*$"), "the hash is FNV-1a of the text (as computed by hand)")
	var named []string
	for _, p := range b.pkg.Patterns {
		named = append(named, p.Var)
	}
	require.Len(t, named, 7, "each distinct pattern once")
	require.Subset(t, b.pkg.Names(), named, "the model's names hold the pattern variables")
}

// TestPatternVarWorkIsLinear names n patterns, each used twice: each gets
// one variable, named from its letters and digits, with one claim per
// name.
func TestPatternVarWorkIsLinear(t *testing.T) {
	const n = 16000
	b := newBuilder(&model.Package{}, newNamer(nil), nil)
	got := make([]string, 2*n)
	for round := range 2 {
		for i := range n {
			b.usePattern(fmt.Sprintf("^a{%d}$", i), &got[round*n+i])
		}
	}
	b.namePatterns()
	for i := range 2 * n {
		require.Equal(t, fmt.Sprintf("patternA%d", i%n), got[i])
	}
	require.Len(t, b.pkg.Patterns, n)
	require.Equal(t, n, b.values.probes)
}

// patternNameSpec has a schema whose name is one a pattern variable would
// take, and a pattern whose variable is named like a support type.
const patternNameSpec = `asyncapi: 2.6.0
info: {title: Pattern names, version: 1.0.0}
channels:
  codes:
    publish:
      message:
        name: pattern_a_z
        payload:
          type: object
          properties:
            code: {type: string, pattern: '^[a-z]+$'}
            rule: {type: string, pattern: 'rule'}
            nothing: {type: string, pattern: '^.*$'}
`

// TestPatternVarsAreTheBuildersNames: the rules carry the variable the
// builder named, from the package scope beside every other package-level
// name, and the local holding a message named like one does not hide it
// (before, the local was patternAZ, in the scope of the package-level
// variable).
func TestPatternVarsAreTheBuildersNames(t *testing.T) {
	pkg, err := Build(memoryConfig([]byte(patternNameSpec)))
	require.NoError(t, err)
	vars := map[string]string{}
	for _, p := range pkg.Patterns {
		vars[p.Expr] = p.Var
	}
	require.Equal(t, map[string]string{
		"^[a-z]+$": "patternAZ",
		"rule":     "patternRule" + patternHash("rule"),
		"^.*$":     "pattern" + patternHash("^.*$"),
	}, vars)
	payload := pkg.Messages[0].PayloadRules
	for _, p := range payload.Properties {
		require.Equal(t, vars[p.Rules.Pattern], p.Rules.PatternVar, "property %s", p.Name)
	}
	require.Contains(t, pkg.Names(), "patternAZ")
	require.Equal(t, "vPatternAZ", pkg.Messages[0].DecodedVar, "a local named like a package-level variable would hide it")
}
