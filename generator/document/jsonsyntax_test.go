package document

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const jsonHeader = "{\n  \"asyncapi\": \"2.6.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n"

func TestInvalidJSONIsReportedAsJSON(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"truncated .json", "api.json", jsonHeader + "  \"channels\": {",
			"api.json:4:16: invalid JSON: the file ends before the value is complete (is it cut short?)"},
		{"truncated, starts with a brace", "api.yaml", jsonHeader + "  \"channels\": {\"a\": ",
			"api.yaml:4:21: invalid JSON: the file ends before the value is complete (is it cut short?)"},
		{"missing comma", "api.json", jsonHeader + "  \"channels\": {}\n  \"components\": {}\n}\n",
			`api.json:5:3: invalid JSON: unexpected character '"' after an object member, where "," or "}" should follow`},
		{"trailing comma", "api.json", jsonHeader + "  \"channels\": {},\n}\n",
			`api.json:5:1: invalid JSON: unexpected character '}' where a quoted object key should start`},
		{"unquoted key", "api.json", jsonHeader + "  channels: {}\n}\n",
			`api.json:4:3: invalid JSON: unexpected character 'c' where a quoted object key should start`},
		{"missing colon", "api.json", jsonHeader + "  \"channels\" {}\n}\n",
			`api.json:4:14: invalid JSON: unexpected character '{' after an object key, where ":" should follow`},
		{"array without comma", "api.json", jsonHeader + "  \"tags\": [{\"name\": \"a\"} {\"name\": \"b\"}],\n  \"channels\": {}\n}\n",
			`api.json:4:26: invalid JSON: unexpected character '{' after an array element, where "," or "]" should follow`},
		{"line break in a string", "api.json", jsonHeader + "  \"channels\": {\"a\n\": {}}\n}\n",
			`api.json:4:18: invalid JSON: unexpected line break inside a string (line breaks and control characters must be escaped)`},
		{"bad literal", "api.json", jsonHeader + "  \"x\": tru,\n  \"channels\": {}\n}\n",
			`api.json:4:11: invalid JSON: unexpected character ',' inside true, false or null`},
		{"two values", "api.json", jsonHeader + "  \"channels\": {}\n}\n{}\n",
			`api.json:6:1: invalid JSON: unexpected character '{' after the end of the document's value`},
		{"bad escape", "api.json", jsonHeader + "  \"channels\": {\"\\q\": {}}\n}\n",
			`api.json:4:18: invalid JSON: unexpected character 'q' in a string escape (\" \\ \/ \b \f \n \r \t or \uXXXX)`},
		{"column counts characters", "api.json", jsonHeader + "  \"description\": \"héllo\" x\n}\n",
			`api.json:4:26: invalid JSON: unexpected character 'x' after an object member, where "," or "}" should follow`},
		{"too deep", "api.json", strings.Repeat("[", 10001),
			`api.json:1:10001: invalid JSON: the document nests too deeply`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.file, memFiles(map[string]string{tt.file: tt.data}))
			require.EqualError(t, err, tt.want)
		})
	}
}

func TestJSONAndFlowYAMLStillLoad(t *testing.T) {
	files := map[string]string{
		"api.json":  jsonHeader + "  \"channels\": {\"a\": {\"publish\": {\"message\": {\"payload\": {\"type\": \"string\"}}}}}\n}\n",
		"flow.yaml": "{asyncapi: 2.6.0, info: {title: T, version: '1'}, channels: {}}\n",
		"bom.json":  "\xef\xbb\xbf" + jsonHeader + "  \"channels\": {}\n}\n",
	}
	for name := range files {
		_, err := Load(name, memFiles(files))
		require.NoError(t, err, name)
	}
}

func TestEmptyJSONFileIsEmpty(t *testing.T) {
	_, err := Load("api.json", memFiles(map[string]string{"api.json": "\n"}))
	require.EqualError(t, err, "api.json:1:1: the file is empty")
}

func TestInvalidJSONInAReferencedFile(t *testing.T) {
	files := memFiles(map[string]string{
		"api.yaml":     refDoc("schemas.json#/Thing"),
		"schemas.json": "{\"Thing\": {\"type\": \"string\"}",
	})
	_, err := Load("api.yaml", files)
	require.EqualError(t, err, "schemas.json:1:29: invalid JSON: the file ends before the value is complete (is it cut short?)")
}
