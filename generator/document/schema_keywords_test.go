package document

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// schemaDoc is a document whose one component schema S has the lines
// given, indented under it; S's first keyword is on line 7, column 7.
func schemaDoc(lines ...string) map[string]string {
	var b strings.Builder
	b.WriteString(header + "channels: {}\ncomponents:\n  schemas:\n    S:\n")
	for _, l := range lines {
		b.WriteString("      " + l + "\n")
	}
	return map[string]string{"api.yaml": b.String()}
}

// TestSchemaKeywordErrors checks every kind of bad keyword value is refused
// at the keyword's own place, in our words (no Go or library internals).
func TestSchemaKeywordErrors(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"format object", []string{"type: string", "format: {}"},
			`api.yaml:8:15 (#/components/schemas/S/format): format must be a string, not an object`},
		{"minLength string", []string{"type: string", `minLength: "3"`},
			`api.yaml:8:18 (#/components/schemas/S/minLength): minLength must be a non-negative integer, not a string`},
		{"maxItems negative", []string{"maxItems: -1"},
			`api.yaml:7:17 (#/components/schemas/S/maxItems): maxItems must be a non-negative integer, not -1`},
		{"minProperties fraction", []string{"minProperties: 1.5"},
			`api.yaml:7:22 (#/components/schemas/S/minProperties): minProperties must be a non-negative integer, not 1.5`},
		{"maxLength too large", []string{"maxLength: 1e30"},
			`api.yaml:7:18 (#/components/schemas/S/maxLength): maxLength 1e30 is too large`},
		{"properties array", []string{"type: object", "properties: []"},
			`api.yaml:8:19 (#/components/schemas/S/properties): properties must be an object, not an array`},
		{"patternProperties string", []string{"patternProperties: x"},
			`api.yaml:7:26 (#/components/schemas/S/patternProperties): patternProperties must be an object, not a string`},
		{"required string", []string{"type: object", `required: "a"`},
			`api.yaml:8:17 (#/components/schemas/S/required): required must be an array of property names, not a string`},
		{"required entry number", []string{"type: object", "required: [a, 3]"},
			`api.yaml:8:21 (#/components/schemas/S/required/1): required[1] must be a string (a property name), not a number`},
		{"required entry object", []string{"required:", "  - a", "  - {b: 1}"},
			`api.yaml:9:11 (#/components/schemas/S/required/1): required[1] must be a string (a property name), not an object`},
		{"required boolean draft-04", []string{"properties:", "  a: {type: string, required: true}"},
			`api.yaml:8:37 (#/components/schemas/S/properties/a/required): required must be an array of property names, not a boolean (JSON Schema draft-04's required: true on a property is written as required: [name] on its object)`},
		{"enum number", []string{"enum: 3"},
			`api.yaml:7:13 (#/components/schemas/S/enum): enum must be an array, not a number`},
		{"items number", []string{"type: array", "items: 5"},
			`api.yaml:8:14 (#/components/schemas/S/items): items must be a schema (an object or a boolean) or an array of schemas, not a number`},
		{"allOf object", []string{"allOf: {a: 1}"},
			`api.yaml:7:14 (#/components/schemas/S/allOf): allOf must be an array, not an object`},
		{"not a string", []string{"not: x"},
			`api.yaml:7:12 (#/components/schemas/S/not): a schema must be an object or a boolean, not a string`},
		{"pattern number", []string{"pattern: 3"},
			`api.yaml:7:16 (#/components/schemas/S/pattern): pattern must be a string, not a number`},
		{"description null", []string{"description: null"},
			`api.yaml:7:20 (#/components/schemas/S/description): description must be a string, not null`},
		{"minimum string", []string{`minimum: "0"`},
			`api.yaml:7:16 (#/components/schemas/S/minimum): minimum must be a number, not a string`},
		{"exclusiveMaximum string", []string{`exclusiveMaximum: "9"`},
			`api.yaml:7:25 (#/components/schemas/S/exclusiveMaximum): exclusiveMaximum must be a number or a boolean, not a string`},
		{"uniqueItems string", []string{`uniqueItems: "yes"`},
			`api.yaml:7:20 (#/components/schemas/S/uniqueItems): uniqueItems must be a boolean, not a string`},
		{"nullable string", []string{`nullable: "true"`},
			`api.yaml:7:17 (#/components/schemas/S/nullable): nullable must be a boolean, not a string`},
		{"multipleOf zero", []string{"type: number", "multipleOf: 0"},
			`api.yaml:8:19 (#/components/schemas/S/multipleOf): multipleOf must be greater than 0, not 0`},
		{"multipleOf negative", []string{"type: number", "multipleOf: -2.5"},
			`api.yaml:8:19 (#/components/schemas/S/multipleOf): multipleOf must be greater than 0, not -2.5`},
		{"multipleOf string", []string{"multipleOf: '2'"},
			`api.yaml:7:19 (#/components/schemas/S/multipleOf): multipleOf must be a number, not a string`},
		{"discriminator number", []string{"discriminator: 1"},
			`api.yaml:7:22 (#/components/schemas/S/discriminator): discriminator must be a string or an object, not a number`},
		{"discriminator propertyName", []string{"discriminator: {propertyName: [a]}"},
			`api.yaml:7:37 (#/components/schemas/S/discriminator/propertyName): discriminator propertyName must be a string, not an array`},
		{"discriminator mapping value", []string{"discriminator: {propertyName: k, mapping: {a: 1}}"},
			`api.yaml:7:53 (#/components/schemas/S/discriminator/mapping/a): discriminator mapping "a" must be a string (a schema name or $ref), not a number`},
		{"dependentRequired list of numbers", []string{"dependentRequired: {a: [1]}"},
			`api.yaml:7:31 (#/components/schemas/S/dependentRequired/a/0): dependentRequired "a"[0] must be a string (a property name), not a number`},
		{"dependencies string", []string{"dependencies: {a: b}"},
			`api.yaml:7:25 (#/components/schemas/S/dependencies/a): dependencies "a" must be an array of property names or a schema, not a string`},
		{"externalDocs url", []string{"externalDocs: {url: 3}"},
			`api.yaml:7:27 (#/components/schemas/S/externalDocs/url): externalDocs url must be a string, not a number`},
		{"xml wrapped", []string{"xml: {wrapped: 'yes'}"},
			`api.yaml:7:22 (#/components/schemas/S/xml/wrapped): xml wrapped must be a boolean, not a string`},
		{"examples object", []string{"examples: {a: 1}"},
			`api.yaml:7:17 (#/components/schemas/S/examples): examples must be an array, not an object`},
		{"additionalItems number", []string{"items: [{}]", "additionalItems: 2"},
			`api.yaml:8:24 (#/components/schemas/S/additionalItems): additionalItems must be a schema (an object or a boolean), not a number`},
		{"unevaluatedProperties nested", []string{"unevaluatedProperties: {format: 1}"},
			`api.yaml:7:39 (#/components/schemas/S/unevaluatedProperties/format): format must be a string, not a number`},
		{"nested property", []string{"type: object", "properties:", "  a:", "    type: object", "    properties:", "      b: {type: string, format: {x: 1}}"},
			`api.yaml:12:39 (#/components/schemas/S/properties/a/properties/b/format): format must be a string, not an object`},
		{"type number", []string{"type: 7"},
			`api.yaml:7:13 (#/components/schemas/S/type): type must be a string or an array of strings, not a number`},
		{"type list entry", []string{"type: [string, 1]"},
			`api.yaml:7:22 (#/components/schemas/S/type/1): type[1] must be a string, not a number`},
		{"type typo", []string{"type: strng"},
			`api.yaml:7:13 (#/components/schemas/S/type): unknown type "strng": did you mean "string"? (the types are array, boolean, integer, null, number, object, string)`},
		{"type typo in list", []string{"type: [string, nul]"},
			`api.yaml:7:22 (#/components/schemas/S/type/1): unknown type "nul": did you mean "null"? (the types are array, boolean, integer, null, number, object, string)`},
		{"type other case", []string{"type: String"},
			`api.yaml:7:13 (#/components/schemas/S/type): unknown type "String": did you mean "string"? (the types are array, boolean, integer, null, number, object, string)`},
		{"type from another language", []string{"type: int"},
			`api.yaml:7:13 (#/components/schemas/S/type): unknown type "int": did you mean "integer"? (the types are array, boolean, integer, null, number, object, string)`},
		{"type two edits", []string{"type: objcet"},
			`api.yaml:7:13 (#/components/schemas/S/type): unknown type "objcet": did you mean "object"? (the types are array, boolean, integer, null, number, object, string)`},
		{"type nothing close", []string{"type: record"},
			`api.yaml:7:13 (#/components/schemas/S/type): unknown type "record" (the types are array, boolean, integer, null, number, object, string)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(schemaDoc(tt.lines...)))
			require.Error(t, err)
			require.Equal(t, tt.want, err.Error())
			var docErr *Error
			require.True(t, errors.As(err, &docErr), "a *document.Error: %v", err)
		})
	}
}

// TestSchemaKeywordErrorInPayload is the case the issue reported: a bad
// format in a message payload was blamed on the payload, in Go's words.
func TestSchemaKeywordErrorInPayload(t *testing.T) {
	files := map[string]string{"api.yaml": header + "channels:\n  a:\n    publish:\n      message:\n        payload:\n          type: object\n          properties:\n            at: {type: string, format: {}}\n"}
	_, err := Load("api.yaml", memFiles(files))
	require.EqualError(t, err, `api.yaml:10:40 (#/channels/a/publish/message/payload/properties/at/format): format must be a string, not an object`)
	require.NotContains(t, err.Error(), "unmarshal")
}

// TestSchemaKeywordsOfTheRightTypeLoad guards against refusing what is
// allowed: every checked keyword, with a value of a type it may have.
func TestSchemaKeywordsOfTheRightTypeLoad(t *testing.T) {
	files := schemaDoc(
		"title: T",
		"description: D",
		"type: [object, 'null']",
		"nullable: true",
		"deprecated: false",
		"readOnly: false",
		"writeOnly: false",
		"required: [a]",
		"minProperties: 1.0",
		"maxProperties: 4",
		"discriminator: {propertyName: a, mapping: {x: '#/components/schemas/X'}}",
		"externalDocs: {url: 'https://example.com', description: d}",
		"xml: {name: s, wrapped: true}",
		"examples: [{a: x}]",
		"dependentRequired: {a: [b]}",
		"dependencies: {b: [a], c: {required: [a]}, d: true}",
		"unevaluatedProperties: false",
		"properties:",
		"  a: {type: string, format: email, pattern: '^a', minLength: 0, maxLength: 10, enum: [x, y]}",
		"  n: {type: number, minimum: 0, maximum: 1, multipleOf: 0.01, exclusiveMinimum: true, exclusiveMaximum: 2}",
		"  l: {type: array, items: [{type: string}], additionalItems: false, minItems: 0, maxItems: 2, uniqueItems: true, minContains: 0, maxContains: 1, contains: {}}",
		"  m: {type: array, items: true}",
		"  b: {type: boolean, default: null, const: true, example: 3}",
	)
	_, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
}

func TestEditDistance(t *testing.T) {
	require.Equal(t, 0, editDistance("string", "string", 3))
	require.Equal(t, 1, editDistance("strng", "string", 3))
	require.Equal(t, 2, editDistance("objcet", "object", 3))
	require.Equal(t, 3, editDistance("record", "string", 3), "capped at the limit")
	require.Equal(t, 3, editDistance(strings.Repeat("x", 1<<20), "string", 3), "a long name is cut short")
}

// TestKeywordsInOtherCaseAreIgnored: JSON Schema's keywords are
// case-sensitive, so "Type" and "Required" are unknown keywords, ignored;
// they used to be read as "type" and "required" (or leak a decoder error).
func TestKeywordsInOtherCaseAreIgnored(t *testing.T) {
	files := schemaDoc("type: object", "Required: 3", "Format: {}", "properties:", "  a: {Type: integer}")
	doc, err := Load("api.yaml", memFiles(files))
	require.NoError(t, err)
	s := doc.Schemas[0].Schema.Value
	require.Empty(t, s.Required)
	require.Nil(t, s.Properties["a"].Value.Type, `"Type" is not "type"`)
}
