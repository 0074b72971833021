package document

import (
	"fmt"
	"strings"
)

// Location is a place in a loaded file.
type Location struct {
	// File is the path as the loader was given it, or as a $ref resolved it.
	File string
	// Pointer is the JSON pointer of the value inside File ("" is the root).
	Pointer string
	Line    int
	Column  int
}

// String renders file:line:col, adding the JSON pointer when there is one.
func (l Location) String() string {
	var b strings.Builder
	b.WriteString(l.File)
	if l.Line > 0 {
		fmt.Fprintf(&b, ":%d", l.Line)
		if l.Column > 0 {
			fmt.Fprintf(&b, ":%d", l.Column)
		}
	}
	if l.Pointer != "" {
		fmt.Fprintf(&b, " (#%s)", shown(l.Pointer))
	}
	return b.String()
}

// Error is a problem in a document, with its place.
type Error struct {
	Loc Location
	Msg string
	// Err is the cause behind Msg, when there is one (why a file could
	// not be read); Msg already says it in words, so Error does not print
	// it, but errors.Is and errors.As see it.
	Err error
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Error renders the error on one line: "file:line:col (#/pointer): message".
func (e *Error) Error() string {
	return e.Loc.String() + ": " + e.Msg
}

// violation reports a broken rule that leaves a well-defined document: an
// error, unless the load is lenient, when it becomes a warning and nil.
func (p *parser) violation(err *Error) error {
	if !p.loader.opts.Lenient {
		return err
	}
	p.warn(err)
	return nil
}

// warn reports a warning through Options.Warn.
func (p *parser) warn(w *Error) {
	if p.loader.opts.Warn != nil {
		p.loader.opts.Warn(w)
	}
}
