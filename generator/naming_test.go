package generator

import (
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
