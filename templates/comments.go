package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// commentWidth is where doc comments wrap.
const commentWidth = 77

// docComment renders text as a // comment, wrapped, keeping paragraphs.
// It returns nil for empty text.
func docComment(text string) jen.Code {
	text = strings.TrimSpace(text)
	if text == "" {
		return jen.Null()
	}
	var lines []string
	for i, para := range strings.Split(text, "\n\n") {
		if i > 0 {
			lines = append(lines, "//")
		}
		for _, line := range wrap(para, commentWidth) {
			lines = append(lines, "// "+line)
		}
	}
	return jen.Comment(strings.Join(lines, "\n"))
}

// wrap splits text into lines of at most width runes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, word := range strings.Fields(text) {
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(word)) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// typeDoc is a type's doc comment: its description, else a sentence naming
// the schema it comes from.
func typeDoc(name, doc, source string) jen.Code {
	if strings.TrimSpace(doc) == "" {
		doc = name + " is generated from " + source + "."
	}
	return docComment(doc)
}
