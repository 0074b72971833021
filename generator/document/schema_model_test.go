package document

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchemaNumbersKeepTheirLiteral: every number a schema holds keeps the
// text the document writes. A float64 holds 9007199254740993 as
// 9007199254740992, which the JSON round trip into kin-openapi's model
// made of it.
func TestSchemaNumbersKeepTheirLiteral(t *testing.T) {
	files := schemaDoc(
		"type: integer",
		"enum: [9007199254740993, -9223372036854775808, 1.50, 1e3]",
		"const: 9007199254740993",
		"default: 9007199254740993",
		"example: {n: 18446744073709551617}",
		"minimum: 9007199254740993",
		"maximum: 9223372036854775807",
		"exclusiveMinimum: 9007199254740991",
		"multipleOf: 0.10",
	)
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	s := doc.Schemas[0].Schema.Value
	require.Equal(t, []any{Number("9007199254740993"), Number("-9223372036854775808"), Number("1.50"), Number("1e3")}, s.Enum)
	require.Equal(t, Number("9007199254740993"), s.Const)
	require.Equal(t, Number("9007199254740993"), s.Default)
	require.Equal(t, map[string]any{"n": Number("18446744073709551617")}, s.Example)
	require.Equal(t, Number("9007199254740993"), *s.Min)
	require.Equal(t, Number("9223372036854775807"), *s.Max)
	require.Equal(t, Number("9007199254740991"), *s.ExclusiveMin.Value)
	require.Nil(t, s.ExclusiveMin.Bool)
	require.Equal(t, Number("0.10"), *s.MultipleOf)
}

// TestSchemaKeepsEveryPosition: the schema, each keyword and each enum
// item answer with their own line, column and pointer.
func TestSchemaKeepsEveryPosition(t *testing.T) {
	files := schemaDoc(
		"type: string",
		"enum:",
		"  - a",
		"  - b",
		"properties:",
		"  p: {maxLength: 3, enum: [x, y]}",
	)
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	s := doc.Schemas[0].Schema.Value
	require.Equal(t, "api.yaml:7:7 (#/components/schemas/S)", s.Loc().String())
	require.Equal(t, "api.yaml:7:13 (#/components/schemas/S/type)", s.KeywordLoc("type").String())
	require.Equal(t, "api.yaml:9:11 (#/components/schemas/S/enum/0)", s.EnumLoc(0).String())
	require.Equal(t, "api.yaml:10:11 (#/components/schemas/S/enum/1)", s.EnumLoc(1).String())
	require.Equal(t, "api.yaml:9:9 (#/components/schemas/S/enum)", s.EnumLoc(2).String(), "out of range: the enum itself")
	require.Equal(t, s.Loc(), s.KeywordLoc("format"), "a keyword not written: the schema itself")
	p := s.Properties["p"].Value
	require.Equal(t, "api.yaml:12:24 (#/components/schemas/S/properties/p/maxLength)", p.KeywordLoc("maxLength").String())
	require.Equal(t, "api.yaml:12:37 (#/components/schemas/S/properties/p/enum/1)", p.EnumLoc(1).String())
}

// TestEmptySchema: IsEmpty tells {} from a schema with any keyword, also
// one whose only keyword is a subschema or an empty list.
func TestEmptySchema(t *testing.T) {
	files := schemaDoc("properties:", "  e: {}", "  t: {title: x}", "  a: {additionalProperties: true}", "  n: {not: {}}", "  r: {required: []}")
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	props := doc.Schemas[0].Schema.Value.Properties
	require.True(t, props["e"].Value.IsEmpty())
	require.True(t, props["r"].Value.IsEmpty(), "an empty required list says nothing")
	for _, name := range []string{"t", "a", "n"} {
		require.False(t, props[name].Value.IsEmpty(), name)
	}
}

// TestNumberNodesKeepJSONLiterals: a number written as JSON writes it
// keeps its text; YAML's other spellings become the canonical text of
// their value, which JSON can read.
func TestNumberNodesKeepJSONLiterals(t *testing.T) {
	files := schemaDoc("enum: [18446744073709551617, 1.50, -0.0, 2E-3, 0x1F, +5, 1_000, .5]")
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	want := []any{Number("18446744073709551617"), Number("1.50"), Number("-0.0"), Number("2E-3"),
		Number("31"), Number("5"), Number("1000"), Number("0.5")}
	require.Equal(t, want, doc.Schemas[0].Schema.Value.Enum)
}

func TestIsJSONNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "10", "1.5", "-1.05e+10", "2E3", "1e-7"} {
		require.True(t, isJSONNumber(s), s)
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "+5", "1e", "1e+", "0x1F", "1_000", "1.5.5", "1ee3", "Infinity"} {
		require.False(t, isJSONNumber(s), s)
	}
}

// TestTwoSpellingsOfAKeywordBothApply: draft-07's definitions and
// dependencies join $defs, dependentRequired and dependentSchemas; a name
// given twice gets both (lists joined, schemas as their allOf), each part
// keeping its own place.
func TestTwoSpellingsOfAKeywordBothApply(t *testing.T) {
	files := schemaDoc(
		"dependencies: {n: [t], s: {required: [n]}}",
		"dependentRequired: {n: [x]}",
		"dependentSchemas: {s: {minProperties: 1}}",
		"definitions: {D: {type: string}}",
		"$defs: {D: {minLength: 1}}",
	)
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	s := doc.Schemas[0].Schema.Value
	require.Equal(t, map[string][]string{"n": {"t", "x"}}, s.DependentRequired)
	both := s.DependentSchemas["s"].Value.AllOf
	require.Len(t, both, 2)
	require.Equal(t, []string{"n"}, both[0].Value.Required)
	require.Equal(t, uint64(1), both[1].Value.MinProps)
	defs := s.Defs["D"].Value.AllOf
	require.Len(t, defs, 2)
	require.Equal(t, "api.yaml:10:24 (#/components/schemas/S/definitions/D)", doc.SchemaInfo[defs[0].Value].Loc.String())
	require.Equal(t, "api.yaml:11:18 (#/components/schemas/S/$defs/D)", doc.SchemaInfo[defs[1].Value].Loc.String())
	joined := doc.SchemaInfo[s.Defs["D"].Value]
	require.Equal(t, "api.yaml:11:14 (#/components/schemas/S/$defs)", joined.Loc.String(), "the allOf of both, at the second spelling")
	require.Equal(t, "D", joined.Name)
}
