package generator

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/asyncgen/asyncgen/generator/document"
)

// schemaLoc is where schema v is written; the zero Location when the
// loader recorded no place for it.
func (b *builder) schemaLoc(v *openapi3.Schema) document.Location {
	if info := b.doc.SchemaInfo[v]; info != nil {
		return info.Loc
	}
	return document.Location{}
}

// checkPattern refuses a regular expression Go cannot compile, as an
// error at loc; what names the keyword it comes from.
func checkPattern(loc document.Location, what, pattern string) error {
	_, err := regexp.Compile(pattern)
	if err == nil {
		return nil
	}
	reason := "it does not compile"
	if se := (*syntax.Error)(nil); errors.As(err, &se) {
		reason = fmt.Sprintf("%s %s", se.Code, se.Expr)
	}
	return &document.Error{Loc: loc, Err: err,
		Msg: fmt.Sprintf("%s %q is not a Go regular expression (RE2): %s", what, pattern, reason)}
}
