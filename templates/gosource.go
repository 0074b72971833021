package templates

import (
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// goSource is Go source written as text: whole files made of the same
// few declarations over and over (enumsFile, typesFile), where building
// and rendering jennifer trees costs more than the one gofmt pass every
// file gets, and the parts of declarations that are the same text for
// every type (statement). What keeps it as safe as jennifer's output: the
// Go it writes is fixed text and names the builder made and checked
// (code); every string from the spec is a literal written by
// strconv.Quote (quoted, constant, structTag) or comment text made safe by
// commentLines (comment); and the result goes through formatGo, which
// reports any syntax error as it does for jennifer's files. The one
// package it may name is time, which typesFile imports.
type goSource struct {
	b []byte
}

// fileStart writes the header every generated file starts with and the
// package clause.
func (s *goSource) fileStart(pkg *model.Package) {
	s.code(Header(pkg.Sources), "\n\npackage ", pkg.Name, "\n\n")
}

// code writes Go text: fixed text and identifiers the builder named.
func (s *goSource) code(parts ...string) {
	if s.b == nil {
		s.b = make([]byte, 0, fragmentSize)
	}
	for _, p := range parts {
		s.b = append(s.b, p...)
	}
}

// fragmentSize is the room a goSource starts with, enough for most
// pieces of a declaration at once.
const fragmentSize = 96

// comment writes text as a wrapped // comment on lines of its own;
// nothing for empty text.
func (s *goSource) comment(text string) {
	if lines := commentLines(text); lines != "" {
		s.code(lines, "\n")
	}
}

// statement is the text written so far as a jennifer statement, which
// jennifer writes as it is, for a jennifer file to hold a piece written
// as text: a declaration's fixed part, such as a method's doc comment and
// signature, that jennifer then continues with its body. It is held as
// an identifier token, the one jennifer writes without formatting it
// first.
func (s *goSource) statement() *jen.Statement {
	return jen.Id(string(s.b))
}

// quoted writes a string from the spec as a Go string literal.
func (s *goSource) quoted(text string) {
	s.b = strconv.AppendQuote(s.b, text)
}

// path writes the *path to pass for p, as pathVar.ptr renders it.
func (s *goSource) path(p pathVar) {
	if !p.isPtr {
		s.code("&")
	}
	s.code(p.name)
}

// childPath declares name, the path of property key below p.
func (s *goSource) childPath(name string, p pathVar, key string) {
	s.code(name, " := ", p.name, ".at(")
	s.quoted(key)
	s.code(")")
}

// methodCall is the call of method name with first and the *path of p
// as arguments, on recv, or after a value when recv is "":
// "v.Status.validate(c, &pStatus)", ".validate(c, &pName)".
func methodCall(recv, name, first string, p pathVar) *jen.Statement {
	var call goSource
	call.code(recv, ".", name, "(", first, ", ")
	call.path(p)
	call.code(")")
	return call.statement()
}
