package document

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// yamlProblemAt finds the line and column of a YAML error that yaml.v3
// reports without a line: a character YAML refuses, bytes that are not
// UTF-8, an alias of an unknown anchor. Any other such error is on the
// first line (yaml.v3 leaves out "line 1").
func yamlProblemAt(data []byte, msg string) (line, col int) {
	at := -1
	switch {
	case strings.Contains(msg, "control characters"):
		at = bytes.IndexFunc(data, isRefusedControl)
	case strings.Contains(msg, "UTF-8"):
		at = firstInvalidUTF8(data)
	case strings.HasPrefix(msg, "unknown anchor '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown anchor '"), "'")
		at = aliasOffset(data, name)
	}
	if at < 0 {
		return 1, 0
	}
	return lineColumn(data, at)
}

// isRefusedControl reports whether YAML refuses r in a document: C0
// controls other than tab and line breaks, DEL, and C1 controls but NEL.
func isRefusedControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return r != 0x85
	}
	return r == 0xfffe || r == 0xffff
}

// firstInvalidUTF8 is the offset of the first byte that does not start a
// valid UTF-8 sequence, or -1.
func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// aliasOffset is the offset of the first alias *name, or -1.
func aliasOffset(data []byte, name string) int {
	alias := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(data[from:], alias)
		if i < 0 {
			return -1
		}
		end := from + i + len(alias)
		if end == len(data) || bytes.IndexByte([]byte(" \t\r\n,]}"), data[end]) >= 0 {
			return from + i
		}
		from = end
	}
}
