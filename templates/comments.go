package templates

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// commentWidth is where doc comments wrap.
const commentWidth = 77

// docComment renders text as a // comment, wrapped, keeping paragraphs.
// It returns nil for empty text. Any text is safe: line breaks only
// separate words or paragraphs, and what Go source cannot hold is
// replaced (see commentText).
func docComment(text string) jen.Code {
	lines := commentLines(text)
	if lines == "" {
		return jen.Null()
	}
	return jen.Comment(lines)
}

// commentLines renders text as the lines of a // comment, wrapped, keeping
// paragraphs; "" for empty text.
func commentLines(text string) string {
	text = strings.TrimSpace(commentText(text))
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	i := 0
	for para := range strings.SplitSeq(text, "\n\n") {
		if i > 0 {
			b.WriteString("\n//")
		}
		first := i == 0
		wrapWords(para, commentWidth, func(word string, newLine bool) {
			if newLine {
				if !first {
					b.WriteByte('\n')
				}
				b.WriteString("// ")
				first = false
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(word)
		})
		i++
	}
	return b.String()
}

// lineComment renders text as one // comment line, whatever it holds.
func lineComment(text string) jen.Code {
	return jen.Comment("// " + strings.Join(strings.Fields(commentText(text)), " "))
}

// commentText makes text fit in a // comment: "\r\n" and "\r" become
// "\n"; other control characters (NUL, escape), byte order marks and
// invalid UTF-8, which Go source may not hold, and bidirectional controls,
// which could make a line read otherwise than it compiles, become U+FFFD;
// "*/" is split so that no edit into a block comment can end early.
func commentText(text string) string {
	if fitsComment(text) {
		return text
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.ToValidUTF8(text, string(utf8.RuneError))
	text = strings.Map(func(r rune) rune {
		switch {
		case r == '\n', r == '\t':
			return r
		case unicode.IsControl(r), r == '\uFEFF', unicode.Is(unicode.Bidi_Control, r):
			return utf8.RuneError
		}
		return r
	}, text)
	return strings.ReplaceAll(text, "*/", "* /")
}

// fitsComment reports whether commentText would leave text as it is: it
// is printable ASCII, line feeds and tabs, without "*/". Most text is, and
// is then not copied.
func fitsComment(text string) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n' || c == '\t':
		case c < ' ' || c > '~':
			return false
		case c == '/' && i > 0 && text[i-1] == '*':
			return false
		}
	}
	return true
}

// literalPercent escapes the % signs of spec text that becomes part of a
// format string (fmt.Errorf), so that it prints as it is.
func literalPercent(text string) string {
	return strings.ReplaceAll(text, "%", "%%")
}

// wrap splits text into lines of at most width runes, at spaces, except
// that the first line holds at least two words: a doc comment's first
// word is the declared name, which go doc and staticcheck expect to be
// followed by a space, however long it is.
func wrap(text string, width int) []string {
	var lines []string
	var cur strings.Builder
	wrapWords(text, width, func(word string, newLine bool) {
		if newLine && cur.Len() > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
		} else if !newLine {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	})
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// wrapWords calls word with each word of text in turn, and whether it
// starts a line of wrap's.
func wrapWords(text string, width int, word func(w string, newLine bool)) {
	runes := 0 // on the line
	i := 0
	for w := range strings.FieldsSeq(text) {
		n := utf8.RuneCountInString(w)
		newLine := runes == 0 || i > 1 && runes+1+n > width
		if newLine {
			runes = 0
		} else {
			runes++
		}
		word(w, newLine)
		runes += n
		i++
	}
}

// typeDoc is a type's doc comment: see namedDoc.
func typeDoc(name, doc, source string) jen.Code {
	return docComment(namedDoc(name, doc, source))
}

// namedDoc is the text of the doc comment of declaration name, which
// starts with the name as go doc and staticcheck (ST1020-ST1022) expect:
// a description that starts with the name already (after an optional
// article) is kept; one that starts with an article is made the
// predicate ("A recursive sum." → "Tree is a recursive sum."); any other
// follows the name and a dash. Without a description, a sentence names
// the schema the declaration comes from.
func namedDoc(name, doc, source string) string {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return name + " is generated from " + source + "."
	}
	first, rest, _ := strings.Cut(doc, " ")
	switch {
	case first == name || startsWithName(rest, name) && isArticle(first):
		return doc
	case isArticle(first) && rest != "":
		return name + " is " + strings.ToLower(first) + " " + rest
	}
	return name + " — " + doc
}

// startsWithName reports whether text starts with the word name.
func startsWithName(text, name string) bool {
	first, _, _ := strings.Cut(text, " ")
	return first == name
}

// isArticle reports whether word is "A", "An" or "The".
func isArticle(word string) bool {
	switch word {
	case "A", "An", "The":
		return true
	}
	return false
}

// withArticle puts "a" or "an" before phrase, chosen by how its first
// word sounds: "an install", "a user", "an MRR event", "a URL".
func withArticle(phrase string) string {
	if startsWithVowelSound(phrase) {
		return "an " + phrase
	}
	return "a " + phrase
}

// startsWithVowelSound reports whether phrase is said starting with a
// vowel: by its first letter, with the common exceptions of English (a
// "u" said "you", a silent "h") and initialisms, which are spelled out.
func startsWithVowelSound(phrase string) bool {
	word := firstWord(phrase)
	if word == "" {
		return false
	}
	if isInitialism(word) {
		return strings.ContainsRune("AEFHILMNORSX", rune(word[0]))
	}
	lower := strings.ToLower(word)
	for _, p := range vowelSoundPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	for _, p := range consonantSoundPrefixes {
		if strings.HasPrefix(lower, p) {
			return false
		}
	}
	return strings.ContainsRune("aeiou", rune(lower[0]))
}

// vowelSoundPrefixes start words said with a vowel although their
// spelling says otherwise (silent h), or that the next list would catch.
var vowelSoundPrefixes = []string{"hour", "honest", "honor", "honour", "heir", "unin", "unim", "unid"}

// consonantSoundPrefixes start words spelled with a vowel but said with
// a consonant: "a user", "a union", "a one-off", "a euro".
var consonantSoundPrefixes = []string{"uni", "use", "usa", "usu", "uti", "ura", "ure", "uri", "ubi", "eu", "ewe", "one", "once"}

// firstWord is phrase's leading run of letters and digits.
func firstWord(phrase string) string {
	phrase = strings.TrimSpace(phrase)
	end := strings.IndexFunc(phrase, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if end < 0 {
		return phrase
	}
	return phrase[:end]
}

// isInitialism reports whether word is two or more capitals (and digits),
// such as MRR or HTTP, which are said letter by letter.
func isInitialism(word string) bool {
	if len(word) < 2 || word[0] > unicode.MaxASCII {
		return false
	}
	for _, r := range word {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
