package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// isJSONName reports whether a file is named .json, so must be JSON.
func isJSONName(name string) bool {
	return strings.EqualFold(path.Ext(strings.ReplaceAll(name, `\`, "/")), ".json")
}

// startsLikeJSON reports whether data's first character, after a byte order
// mark and blanks, is "{".
func startsLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// jsonSyntaxError checks that data is one JSON value and says, in our
// words and at its line and column, what is wrong when it is not. It
// returns nil for valid JSON.
func jsonSyntaxError(file string, data []byte) error {
	err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &json.RawMessage{})
	var syntax *json.SyntaxError
	if err == nil || !errors.As(err, &syntax) {
		return nil
	}
	offset := int(syntax.Offset)
	if offset <= 0 || offset > len(data) || strings.Contains(syntax.Error(), "unexpected end") {
		line, col := lineColumn(data, len(data))
		return &Error{Loc: Location{File: file, Line: line, Column: col}, Msg: "invalid JSON: the file ends before the value is complete (is it cut short?)"}
	}
	if strings.Contains(syntax.Error(), "max depth") {
		line, col := lineColumn(data, offset-1)
		return &Error{Loc: Location{File: file, Line: line, Column: col}, Msg: "invalid JSON: the document nests too deeply"}
	}
	bad := offset - 1 // the offset counts the offending byte
	line, col := lineColumn(data, bad)
	msg := "invalid JSON: unexpected " + describeByte(data[bad:])
	if where := jsonContext(syntax.Error()); where != "" {
		msg += " " + where
	}
	return &Error{Loc: Location{File: file, Line: line, Column: col}, Msg: msg}
}

// lineColumn is the 1-based line and column (in characters) of the byte
// at offset in data.
func lineColumn(data []byte, offset int) (line, col int) {
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// describeByte names the character at the start of rest for a message.
func describeByte(rest []byte) string {
	r, _ := utf8.DecodeRune(rest)
	switch r {
	case '\n', '\r':
		return "line break"
	case '\t':
		return "tab"
	case utf8.RuneError:
		return "byte that is not UTF-8"
	}
	return fmt.Sprintf("character %q", r)
}

// jsonContexts say where in the JSON grammar a character was unexpected,
// keyed by how encoding/json describes the place.
var jsonContexts = []struct{ suffix, where string }{
	{"looking for beginning of object key string", "where a quoted object key should start"},
	{"after object key:value pair", `after an object member, where "," or "}" should follow`},
	{"after object key", `after an object key, where ":" should follow`},
	{"after array element", `after an array element, where "," or "]" should follow`},
	{"looking for beginning of value", "where a value should start"},
	{"after top-level value", "after the end of the document's value"},
	{"in string literal", "inside a string (line breaks and control characters must be escaped)"},
	{"in string escape code", `in a string escape (\" \\ \/ \b \f \n \r \t or \uXXXX)`},
	{"hexadecimal character escape", `in a \u escape (four hexadecimal digits)`},
	{"in numeric literal", "inside a number"},
}

// jsonContext turns the place encoding/json names in msg into our words;
// "" when it names none we know.
func jsonContext(msg string) string {
	for _, c := range jsonContexts {
		if strings.Contains(msg, c.suffix) {
			return c.where
		}
	}
	if strings.Contains(msg, "in literal") {
		return "inside true, false or null"
	}
	return ""
}
