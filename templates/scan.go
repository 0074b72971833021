package templates

import (
	"unicode"
	"unicode/utf8"
)

// scanRendered reads the tokens of a Go source: every identifier it uses
// is in refs, one after a dot as selected(name), which is what references
// finds in its syntax tree, without building one. It also finds the
// import paths and where the package name and the imports end.
func scanRendered(src []byte) *parsedFile {
	p := &parsedFile{src: src, refs: map[string]bool{}}
	lx := sourceLexer{src: src}
	var key []byte // ".name", reused for every selected name
	prev := lexOther
	inImports, inGroup := false, false
	for {
		kind, start, end := lx.next()
		if kind == lexEOF {
			break
		}
		switch {
		case kind == lexIdent && prev == lexPackage:
			// The package's own name refers to nothing in it.
			if p.nameEnd == 0 {
				p.nameEnd, p.bodyStart = end, end
			}
		case kind == lexIdent && prev == lexPeriod:
			key = append(append(key[:0], '.'), src[start:end]...)
			addRef(p.refs, key)
		case kind == lexIdent:
			addRef(p.refs, src[start:end])
		case kind == lexImport:
			inImports = true
		case inImports && kind == lexLParen && prev == lexImport:
			inGroup = true
		case inImports && kind == lexString:
			p.imports = append(p.imports, string(src[start:end]))
			if !inGroup {
				inImports, p.bodyStart = false, end
			}
		case inImports && kind == lexRParen:
			inImports, inGroup, p.bodyStart = false, false, end
		}
		prev = kind
	}
	return p
}

// addRef notes name in refs; the name is copied only the first time.
func addRef(refs map[string]bool, name []byte) {
	if !refs[string(name)] {
		refs[string(name)] = true
	}
}

// lexKind is the kind of a token, as far as scanRendered tells them
// apart.
type lexKind int

const (
	lexEOF lexKind = iota
	// lexIdent is an identifier that is not a keyword.
	lexIdent
	lexPackage
	lexImport
	// lexKeyword is any other keyword.
	lexKeyword
	// lexString is a string literal, interpreted or raw.
	lexString
	lexPeriod
	lexLParen
	lexRParen
	// lexOther is any other token: operators, numbers, runes.
	lexOther
)

// sourceLexer splits Go source into tokens, skipping spaces and comments.
// It is made for the output of jennifer, which is Go source; on source
// that is not, it still ends, and every token it returns is within src.
type sourceLexer struct {
	src []byte
	pos int
}

// next returns the next token's kind and where it starts and ends.
func (lx *sourceLexer) next() (lexKind, int, int) {
	lx.skipSpaceAndComments()
	start := lx.pos
	if start >= len(lx.src) {
		return lexEOF, start, start
	}
	c := lx.src[start]
	switch {
	case c == '"' || c == '\'':
		lx.pos = quotedEnd(lx.src, start+1, c)
		if c == '\'' {
			return lexOther, start, lx.pos
		}
		return lexString, start, lx.pos
	case c == '`':
		lx.pos = rawEnd(lx.src, start+1)
		return lexString, start, lx.pos
	case isDecimal(c) || c == '.' && start+1 < len(lx.src) && isDecimal(lx.src[start+1]):
		lx.pos = numberEnd(lx.src, start)
		return lexOther, start, lx.pos
	case c == '.':
		if start+2 < len(lx.src) && lx.src[start+1] == '.' && lx.src[start+2] == '.' {
			lx.pos = start + 3 // an ellipsis, not a selector
			return lexOther, start, lx.pos
		}
		lx.pos++
		return lexPeriod, start, lx.pos
	case c == '(':
		lx.pos++
		return lexLParen, start, lx.pos
	case c == ')':
		lx.pos++
		return lexRParen, start, lx.pos
	}
	if end := identEnd(lx.src, start); end > start {
		lx.pos = end
		return identKind(lx.src[start:end]), start, end
	}
	_, size := utf8.DecodeRune(lx.src[start:])
	lx.pos += size
	return lexOther, start, lx.pos
}

// skipSpaceAndComments moves past white space and comments.
func (lx *sourceLexer) skipSpaceAndComments() {
	src := lx.src
	for lx.pos < len(src) {
		switch c := src[lx.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			lx.pos++
		case c == '/' && lx.pos+1 < len(src) && src[lx.pos+1] == '/':
			lx.pos = lineEnd(src, lx.pos+2)
		case c == '/' && lx.pos+1 < len(src) && src[lx.pos+1] == '*':
			lx.pos = blockCommentEnd(src, lx.pos+2)
		default:
			return
		}
	}
}

// lineEnd is the offset of the first newline at or after i, or len(src).
func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// blockCommentEnd is the offset after the "*/" that ends the comment
// whose text starts at i, or len(src).
func blockCommentEnd(src []byte, i int) int {
	for ; i+1 < len(src); i++ {
		if src[i] == '*' && src[i+1] == '/' {
			return i + 2
		}
	}
	return len(src)
}

// quotedEnd is the offset after the quote that closes a string or rune
// literal whose text starts at i; a literal the line ends first ends
// there.
func quotedEnd(src []byte, i int, quote byte) int {
	for i < len(src) {
		switch src[i] {
		case quote:
			return i + 1
		case '\\':
			i += 2
		case '\n':
			return i
		default:
			i++
		}
	}
	return len(src)
}

// rawEnd is the offset after the back quote that closes a raw string
// whose text starts at i, or len(src).
func rawEnd(src []byte, i int) int {
	for ; i < len(src); i++ {
		if src[i] == '`' {
			return i + 1
		}
	}
	return len(src)
}

// numberEnd is the offset after the number literal at i: its digits,
// letters (base prefixes, hexadecimal digits, exponents, the imaginary
// i), underscores and dots, and the sign of an exponent (e in a decimal
// number, p in a hexadecimal one).
func numberEnd(src []byte, i int) int {
	hex := i+1 < len(src) && src[i] == '0' && (src[i+1] == 'x' || src[i+1] == 'X')
	for i < len(src) {
		c := src[i]
		switch {
		case isDecimal(c) || isASCIILetter(c) || c == '_' || c == '.':
			i++
		case (c == '+' || c == '-') && isExponent(src[i-1], hex):
			i++
		default:
			return i
		}
	}
	return i
}

// isExponent reports whether c starts the exponent of a number.
func isExponent(c byte, hex bool) bool {
	if hex {
		return c == 'p' || c == 'P'
	}
	return c == 'e' || c == 'E'
}

// identEnd is the offset after the identifier at i, or i when none
// starts there: a letter or underscore, then letters, digits and
// underscores, as Go's specification has them.
func identEnd(src []byte, i int) int {
	start := i
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) && c != '_' && (i == start || !isDecimal(c)) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if !unicode.IsLetter(r) && (i == start || !unicode.IsDigit(r)) {
			return i
		}
		i += size
	}
	return i
}

// identKind tells keywords from identifiers.
func identKind(word []byte) lexKind {
	switch string(word) {
	case "package":
		return lexPackage
	case "import":
		return lexImport
	case "break", "case", "chan", "const", "continue", "default", "defer",
		"else", "fallthrough", "for", "func", "go", "goto", "if",
		"interface", "map", "range", "return", "select", "struct",
		"switch", "type", "var":
		return lexKeyword
	}
	return lexIdent
}

func isDecimal(c byte) bool { return '0' <= c && c <= '9' }

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
