package generator

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"

	"github.com/asyncgen/asyncgen/generator/document"
)

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
