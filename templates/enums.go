package templates

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/asyncgen/asyncgen/generator/model"
)

// enumsFile writes enums.gen.go: each enum type with its constants, a
// function listing its values in spec order, and a Valid method. It is
// written as text rather than built with jennifer: it is the same four
// declarations over and over, a fifth of the output at scale, and
// building and rendering them as jennifer trees cost more than gofmt's
// pass over the result (see goSource for what keeps the text safe). It
// returns nil for a package without enums.
func enumsFile(em *emission) ([]byte, error) {
	src, err := enumsSource(em.pkg)
	if err != nil || src == nil {
		return nil, err
	}
	return formatGo(src)
}

// enumsSource is enums.gen.go before gofmt: the declarations with the
// line breaks gofmt keeps, in one buffer sized for them.
func enumsSource(pkg *model.Package) ([]byte, error) {
	var enums []*model.Type
	size := 0
	for _, t := range pkg.Types {
		if t.Kind != model.EnumKind {
			continue
		}
		if t.Enum == nil {
			return nil, fmt.Errorf("enum %s: it has no list of values", t.Name)
		}
		enums = append(enums, t)
		size += enumSize(t)
	}
	if len(enums) == 0 {
		return nil, nil
	}
	src := goSource{b: make([]byte, 0, size+256)}
	src.fileStart(pkg)
	for _, t := range enums {
		if err := src.enumDecl(t); err != nil {
			return nil, fmt.Errorf("enum %s: %w", t.Name, err)
		}
	}
	return src.b, nil
}

// enumSize estimates the bytes of an enum's declarations: their fixed
// text and, per value, its constant's line, doc comment and two mentions
// in lists.
func enumSize(t *model.Type) int {
	n := 400 + 6*len(t.Name) + len(t.Doc) + len(t.Source)
	for _, v := range t.Enum.Values {
		n += 4*len(v.Const) + len(t.Name) + len(v.Doc) + 48
		if s, ok := v.Value.(string); ok {
			n += 2 * len(s)
		}
	}
	return n
}

// enumDecl writes enum t: its type, constants, values function and Valid
// method.
func (s *goSource) enumDecl(t *model.Type) error {
	underlying, err := builtinName(t.Underlying)
	if err != nil {
		return err
	}
	s.comment(namedDoc(t.Name, t.Doc, t.Source))
	s.code("type ", t.Name, " ", underlying, "\n\n")

	s.code("// The values of ", t.Name, ".\nconst (\n")
	for _, v := range t.Enum.Values {
		s.comment(strings.TrimSpace(fmt.Sprintf("%s is the value %s. %s", v.Const, literalText(v.Value), v.Doc)))
		s.code(v.Const, " ", t.Name, " = ")
		if err := s.constant(v.Value); err != nil {
			return fmt.Errorf("value %s: %w", v.Const, err)
		}
		s.code("\n")
	}
	s.code(")\n\n")

	s.comment(fmt.Sprintf("%s returns every value of %s, in the order the spec lists them.", t.Enum.ValuesFunc, t.Name))
	s.code("func ", t.Enum.ValuesFunc, "() []", t.Name, " {\nreturn []", t.Name, "{")
	s.valueList(t.Enum.Values, true)
	s.code("}\n}\n\n")

	s.code("// Valid reports whether v is one of the values the spec lists.\nfunc (v ", t.Name, ") Valid() bool {\nswitch v {\ncase ")
	s.valueList(t.Enum.Values, false)
	s.code(":\nreturn true\n}\nreturn false\n}\n\n")
	return nil
}

// valueList writes the constants of values separated by commas; more
// than three go on a line each, and a composite literal's (closing) list
// then ends with a comma and a line break, as gofmt needs.
func (s *goSource) valueList(values []*model.EnumValue, closing bool) {
	long := len(values) > 3
	for i, v := range values {
		if i > 0 {
			s.code(",")
		}
		if long {
			s.code("\n")
		}
		s.code(v.Const)
	}
	if long && closing {
		s.code(",\n")
	}
}

// builtinName is the name of the builtin type an enum is made of.
func builtinName(ref *model.TypeRef) (string, error) {
	if ref == nil || ref.Kind != model.BuiltinRef && ref.Kind != model.NamedRef {
		return "", errors.New("an enum is made of a builtin type (string, integer or number), not a composite one")
	}
	return ref.Name, nil
}

// literalText is how an enum value reads in a doc comment.
func literalText(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// constant writes an enum value as an untyped constant, so that it takes
// the enum's type: a string quoted by strconv.Quote, an integer in
// decimal, a float as jennifer's Lit writes one (with ".0" where it would
// otherwise read as an integer).
func (s *goSource) constant(v any) error {
	switch v := v.(type) {
	case string:
		s.b = strconv.AppendQuote(s.b, v)
	case int64:
		s.b = strconv.AppendInt(s.b, v, 10)
	case float64:
		text := fmt.Sprintf("%#v", v)
		if !strings.Contains(text, ".") && !strings.Contains(text, "e") {
			text += ".0"
		}
		s.code(text)
	default:
		return fmt.Errorf("an enum value is a string, an integer or a number, not %T", v)
	}
	return nil
}
