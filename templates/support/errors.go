// Package support is the code every generated package carries besides
// its types: the error types, the checks the validators call, the format
// checkers, the rules of values of type any, and the JSON decoder. It is a
// real package so that it is compiled, tested and fuzzed here; the
// emitters copy the declarations a generated file uses into it.
package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one way a value breaks its schema.
type Violation struct {
	// Pointer is the JSON pointer of the value ("" is the whole payload).
	Pointer string
	// Keyword is the schema keyword the value breaks, such as "required",
	// "enum" or "maxLength"; "type" also covers values the decoder cannot
	// read as the schema's type, and "additionalProperties" unknown fields.
	// "more" is the last entry of a list cut at 100: it says how many
	// violations are not listed.
	Keyword string
	// Message says what is wrong with the value.
	Message string
}

// String renders the violation as "pointer: message".
func (v Violation) String() string {
	return pointerText(v.Pointer) + ": " + v.Message
}

// UnknownEnumValue reports whether the violation is a value outside an
// enum. A sender newer than the spec may send such values; a receiver may
// choose to accept them.
func (v Violation) UnknownEnumValue() bool { return v.Keyword == "enum" }

func pointerText(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// ValidationError is every violation found in a value: from a Decode
// function, first what the decoder found (in the order of the input), then
// what the schema's keywords found (in the order of the value).
type ValidationError struct {
	Violations []Violation
}

// Error lists the violations on one line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if len(e.Violations) == 1 {
		b.WriteString("1 violation: ")
	} else {
		b.WriteString(strconv.Itoa(len(e.Violations)) + " violations: ")
	}
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.String())
	}
	return b.String()
}

// OnlyUnknownEnumValues reports whether every violation is a value outside
// an enum: the payload is valid but for values its spec does not list yet.
func (e *ValidationError) OnlyUnknownEnumValues() bool {
	for _, v := range e.Violations {
		if !v.UnknownEnumValue() {
			return false
		}
	}
	return len(e.Violations) > 0
}

// path is a JSON pointer built on the stack while a value is walked: each
// step points to its parent, and the text is made only for a violation.
type path struct {
	parent *path
	key    string
	// index is the array index of the step, or -1 for an object key.
	index int
}

// at is the step to property key of the value at p.
func (p *path) at(key string) path { return path{parent: p, key: key, index: -1} }

// elem is the step to item i of the array at p.
func (p *path) elem(i int) path { return path{parent: p, index: i} }

// String renders the JSON pointer, escaping "~" and "/" in keys.
func (p *path) String() string {
	var b strings.Builder
	p.write(&b)
	return b.String()
}

// write renders the pointer from the root down. It keeps no reference to
// p, so that paths stay on the stack.
func (p *path) write(b *strings.Builder) {
	if p == nil {
		return
	}
	p.parent.write(b)
	b.WriteByte('/')
	if p.index >= 0 {
		b.WriteString(strconv.Itoa(p.index))
		return
	}
	for i := 0; i < len(p.key); i++ {
		switch c := p.key[i]; c {
		case '~':
			b.WriteString("~0")
		case '/':
			b.WriteString("~1")
		default:
			b.WriteByte(c)
		}
	}
}

// maxViolations is how many violations a collector lists; the others are
// counted in one last entry, so that a payload of a few kilobytes cannot
// make a list, or a 400 answer, of megabytes.
const maxViolations = 100

// maxMessage is the longest violation message, in bytes: a message quoting
// a value the payload sent is cut.
const maxMessage = 1 << 10

// collector gathers the violations of one validation. Inside anyOf, oneOf
// and not it is quiet: it only counts failures, without building messages.
type collector struct {
	violations []Violation
	failures   int
	quiet      int
	// decoded is how many of the violations the decoder made; a later
	// violation at or under one of their pointers is a consequence of the
	// value the decoder could not read, and is dropped.
	decoded int
	// unlisted counts the violations past maxViolations; unlistedOther is
	// set when one of them is not an unknown enum value.
	unlisted      int
	unlistedOther bool
	// masks holds the pointers of the decoder's violations, by length, once
	// validation has started; decoderUnlisted is how many of the decoder's
	// violations were not listed, when validation started. A validator
	// failure is then dropped: it cannot be told from a consequence.
	masks           map[int]map[string]bool
	decoderUnlisted int
	// sort is set once a map with several keys was walked, in Go's random
	// order: the violations are then sorted by pointer.
	sort bool
	// matchedRules remembers, while the rules of values of type any count
	// the schemas a value matches, whether rules (by index) passed an
	// object or array (by address and length): see ruleTable.matching.
	matchedRules map[[3]uintptr]bool
	// judged holds, while decoding, whether a union value read inside a
	// variant of another union failed its rules (keyed by the value and the
	// index of the rules): checking its rules again would re-encode it.
	judged map[[2]any]bool
}

// fail records a violation at p; the message is built only when needed.
func (c *collector) fail(p *path, keyword, format string, args ...any) {
	c.failWith(p, keyword, func() string { return fmt.Sprintf(format, args...) })
}

// failWith records a violation at p whose message, built only when the
// violation is listed, message returns.
func (c *collector) failWith(p *path, keyword string, message func() string) {
	c.failures++
	if c.quiet > 0 {
		return
	}
	ptr, masked := c.masked(p)
	switch {
	case masked:
		return
	case len(c.violations) >= maxViolations:
		c.unlisted++
		c.unlistedOther = c.unlistedOther || keyword != "enum"
		return
	}
	if ptr == nil {
		s := p.String()
		ptr = &s
	}
	c.violations = append(c.violations, Violation{Pointer: *ptr, Keyword: keyword, Message: clipText(message(), maxMessage)})
}

// masked reports whether a validator's violation at p is a consequence
// of one the decoder made: at the same pointer or under it. It returns
// the pointer's text when it had to build it. The decoder's pointers are
// indexed by length once, so that each check costs the length of p's
// pointer, whatever the number of violations.
func (c *collector) masked(p *path) (*string, bool) {
	if c.decoded == 0 {
		return nil, false
	}
	if c.masks == nil {
		c.indexMasks()
	}
	if c.decoderUnlisted > 0 || c.masks[0][""] {
		return nil, true
	}
	ptr := p.String()
	for i := 1; i <= len(ptr); i++ {
		if (i == len(ptr) || ptr[i] == '/') && c.masks[i][ptr[:i]] {
			return &ptr, true
		}
	}
	return &ptr, false
}

// indexMasks indexes the pointers of the decoder's violations by length,
// when validation starts.
func (c *collector) indexMasks() {
	c.masks = map[int]map[string]bool{}
	for _, v := range c.violations[:c.decoded] {
		if c.masks[len(v.Pointer)] == nil {
			c.masks[len(v.Pointer)] = map[string]bool{}
		}
		c.masks[len(v.Pointer)][v.Pointer] = true
	}
	c.decoderUnlisted = c.unlisted
}

// clipText cuts s to at most n bytes, on a rune boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// try starts checking a value quietly; passed reports whether nothing
// failed since the mark try returned.
func (c *collector) try() int {
	c.quiet++
	return c.failures
}

// passed ends a quiet check started by try. The failures of the check
// are forgotten, so that a check that fails inside a passing anyOf, oneOf
// or not does not count against an enclosing one.
func (c *collector) passed(mark int) bool {
	c.quiet--
	ok := c.failures == mark
	c.failures = mark
	return ok
}

// unordered notes the walk of a map of n entries, which Go ranges over in
// random order.
func (c *collector) unordered(n int) {
	if n > 1 {
		c.sort = true
	}
}

// err is the violations as a *ValidationError, or nil when there is none.
// Past maxViolations, a last entry says how many more there are.
func (c *collector) err() error {
	// What was remembered served this validation only.
	c.matchedRules, c.judged = nil, nil
	if len(c.violations) == 0 {
		return nil
	}
	if c.sort {
		sort.SliceStable(c.violations, func(i, j int) bool { return c.violations[i].Pointer < c.violations[j].Pointer })
	}
	if c.unlisted > 0 {
		c.violations = append(c.violations, c.unlistedEntry())
	}
	return &ValidationError{Violations: c.violations}
}

// unlistedEntry is the last entry of a list cut at maxViolations. Its
// keyword is "enum" when every violation it stands for is an unknown enum
// value, so that OnlyUnknownEnumValues stays true; "more" otherwise.
func (c *collector) unlistedEntry() Violation {
	least := ""
	if c.decoderUnlisted > 0 {
		// The validator's own violations were not counted.
		least = "at least "
	}
	if !c.unlistedOther {
		return Violation{Keyword: "enum", Message: "and " + least + strconv.Itoa(c.unlisted) + " more values outside their enum, not listed"}
	}
	return Violation{Keyword: "more", Message: "and " + least + strconv.Itoa(c.unlisted) + " more violations, not listed"}
}
