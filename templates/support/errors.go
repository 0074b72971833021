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
)

// Violation is one way a value breaks its schema.
type Violation struct {
	// Pointer is the JSON pointer of the value ("" is the whole payload).
	Pointer string
	// Keyword is the schema keyword the value breaks, such as "required",
	// "enum" or "maxLength"; "type" also covers values the decoder cannot
	// read as the schema's type, and "additionalProperties" unknown fields.
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
	c.failures++
	if c.quiet > 0 {
		return
	}
	ptr := p.String()
	if c.masked(ptr) {
		return
	}
	c.violations = append(c.violations, Violation{Pointer: ptr, Keyword: keyword, Message: fmt.Sprintf(format, args...)})
}

func (c *collector) masked(ptr string) bool {
	for _, v := range c.violations[:c.decoded] {
		if ptr == v.Pointer || strings.HasPrefix(ptr, v.Pointer+"/") || v.Pointer == "" {
			return true
		}
	}
	return false
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
func (c *collector) err() error {
	// What was remembered served this validation only.
	c.matchedRules, c.judged = nil, nil
	if len(c.violations) == 0 {
		return nil
	}
	if c.sort {
		sort.SliceStable(c.violations, func(i, j int) bool { return c.violations[i].Pointer < c.violations[j].Pointer })
	}
	return &ValidationError{Violations: c.violations}
}
