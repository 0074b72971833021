package generator

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
)

// defaultInitialisms are the words written in capitals in Go names: the
// usual Go list plus the billing ones our users' specs are full of.
var defaultInitialisms = []string{
	"ACL", "API", "ARR", "ASCII", "CPU", "CSS", "CSV", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS",
	"ID", "IP", "JSON", "JWT", "LHS", "MRR", "OS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SQL",
	"SSH", "TCP", "TLS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UTF8", "UUID", "VAT", "VM", "XML",
	"XMPP", "XSRF", "XSS",
}

// namer turns spec names into Go identifiers.
type namer struct {
	initialisms map[string]bool
}

func newNamer(extra []string) *namer {
	n := &namer{initialisms: map[string]bool{}}
	for _, w := range defaultInitialisms {
		n.initialisms[w] = true
	}
	for _, w := range extra {
		n.initialisms[strings.ToUpper(w)] = true
	}
	return n
}

// exported makes an exported Go identifier of any string: words are split
// at punctuation, spaces and case changes, capitalised, and initialisms
// written in capitals ("account_id" → "AccountID", "external_ids" →
// "ExternalIDs"). A name that would not start with an upper-case letter
// (a digit, or a script without case such as 名前) gets an X in front.
func (n *namer) exported(s string) string {
	name := n.pascal(s)
	if name == "" {
		return ""
	}
	if !token.IsExported(name) {
		name = "X" + name
	}
	return name
}

// pascal joins the capitalised words of s, with no guard for a leading
// digit: for suffixes such as enum constant names.
func (n *namer) pascal(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		b.WriteString(n.word(w))
	}
	return b.String()
}

// typeName keeps a name that is already an exported Go identifier as it is
// (components keep their keys), and converts any other.
func (n *namer) typeName(s string) string {
	if token.IsIdentifier(s) && token.IsExported(s) {
		return s
	}
	return n.exported(s)
}

func (n *namer) word(w string) string {
	upper := strings.ToUpper(w)
	if n.initialisms[upper] {
		return upper
	}
	if len(w) > 2 && (w[len(w)-1] == 's') && n.initialisms[upper[:len(upper)-1]] {
		return upper[:len(upper)-1] + "s"
	}
	lower := []rune(strings.ToLower(w))
	lower[0] = unicode.ToUpper(lower[0])
	return string(lower)
}

// splitWords splits at every rune that is not a letter or digit, and at
// case changes: "mrrMovement" → mrr, Movement; "HTTPServer" → HTTP, Server.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(s)
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if i > 0 && len(cur) > 0 && unicode.IsUpper(r) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// scope hands out identifiers that are unique within it: the second claim
// of a name gets "2", the third "3", in the order of the claims, so the
// result depends only on the order the spec lists things in.
type scope struct {
	used map[string]bool
	// next is, per name claimed more than once, the suffix to try first
	// on its next claim, so that k claims of one name cost O(k) in all.
	next map[string]int
	// probes counts the names tried, for tests of the work claims do.
	probes int
}

func newScope(reserved ...string) *scope {
	s := &scope{used: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		s.used[r] = true
	}
	return s
}

func (s *scope) claim(name string) string {
	s.probes++
	if !s.used[name] {
		s.used[name] = true
		return name
	}
	for i := max(s.next[name], 2); ; i++ {
		candidate := name + strconv.Itoa(i)
		s.probes++
		if !s.used[candidate] {
			s.used[candidate] = true
			s.next[name] = i + 1
			return candidate
		}
	}
}
