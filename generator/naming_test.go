package generator

import (
	"testing"

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

func TestTypeNameKeepsComponentKeys(t *testing.T) {
	n := newNamer(nil)
	require.Equal(t, "MrrMovementPayload", n.typeName("MrrMovementPayload"))
	require.Equal(t, "UserEvent", n.typeName("user_event"))
	require.Equal(t, "String", n.typeName("string"))
}

func TestScopeClaimsAreDeterministic(t *testing.T) {
	s := newScope("Validate")
	require.Equal(t, "ID", s.claim("ID"))
	require.Equal(t, "ID2", s.claim("ID"))
	require.Equal(t, "ID3", s.claim("ID"))
	require.Equal(t, "Validate2", s.claim("Validate"))
	require.Equal(t, "ID22", s.claim("ID2"))
}
