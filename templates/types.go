package templates

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// typesFile writes types.gen.go: every struct, defined type and alias of
// the package, and for a defined type made of time.Time the JSON methods
// it would otherwise lack. Like enums.gen.go it is written as text
// (goSource), being the same few declarations over and over. It returns
// nil for a package without such types.
func typesFile(em *emission) ([]byte, error) {
	src, err := typesSource(em.pkg)
	if err != nil || src == nil {
		return nil, err
	}
	return formatGo(src)
}

// typesSource is types.gen.go before gofmt, in one buffer sized for it.
func typesSource(pkg *model.Package) ([]byte, error) {
	var types []*model.Type
	size, usesTime := 0, false
	for _, t := range pkg.Types {
		if t.Kind == model.EnumKind || t.Kind == model.UnionKind || t.Kind == model.TupleKind {
			continue
		}
		types = append(types, t)
		size += 200 + len(t.Doc) + len(t.Source) + 2*len(t.Name)
		for _, f := range t.Fields {
			size += 2*len(f.Name) + len(f.JSONName) + len(f.Doc) + 40
			usesTime = usesTime || refUsesTime(f.Type)
		}
		usesTime = usesTime || refUsesTime(t.Underlying)
	}
	if len(types) == 0 {
		return nil, nil
	}
	src := goSource{b: make([]byte, 0, size+256)}
	src.fileStart(pkg)
	if usesTime {
		src.importTime()
	}
	for _, t := range types {
		if err := src.typeDecl(t); err != nil {
			return nil, fmt.Errorf("type %s: %w", t.Name, err)
		}
	}
	return src.b, nil
}

// refUsesTime reports whether the type ref names time.Time, itself or in
// what it is made of.
func refUsesTime(ref *model.TypeRef) bool {
	for ; ref != nil; ref = ref.Elem {
		if ref.Kind == model.TimeRef {
			return true
		}
	}
	return false
}

// importTime writes the import of package time.
func (s *goSource) importTime() {
	s.code("import \"time\"\n\n")
}

// typeDecl writes the declaration of t with its doc comment, and the
// JSON methods of a defined type made of time.Time.
func (s *goSource) typeDecl(t *model.Type) error {
	s.comment(namedDoc(t.Name, t.Doc, t.Source))
	s.code("type ", t.Name, " ")
	switch t.Kind {
	case model.StructKind:
		if err := s.structFields(t.Fields); err != nil {
			return err
		}
	case model.AliasKind:
		s.code("= ")
		if err := s.typeRef(t.Underlying); err != nil {
			return err
		}
	default:
		if err := s.typeRef(t.Underlying); err != nil {
			return err
		}
	}
	s.code("\n\n")
	if t.Kind == model.DefinedKind && t.Underlying.Kind == model.TimeRef {
		s.timeMethods(t.Name)
	}
	return nil
}

// structFields writes a struct type: each field with its doc comment (a
// documented field after the first has a blank line before it) and its
// json tag.
func (s *goSource) structFields(fields []*model.Field) error {
	if len(fields) == 0 {
		s.code("struct{}")
		return nil
	}
	s.code("struct {\n")
	for i, f := range fields {
		if f.Doc != "" {
			if i > 0 {
				s.code("\n")
			}
			s.comment(f.Doc)
		}
		if f.JSONName == "-" {
			// staticcheck takes "-," for a typo of "-"; here it is meant.
			s.code(`//lint:ignore SA5008 the tag "-," names the property "-" (a lone "-" would drop it)`, "\n")
		}
		s.code(f.Name, " ")
		if err := s.typeRef(f.Type); err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
		s.code(" ", structTag(jsonTag(f)), "\n")
	}
	s.code("}")
	return nil
}

// structTag is the tag of a field with the json key value, as jennifer
// writes one: back-quoted when it can be, else an interpreted string.
func structTag(value string) string {
	tag := "json:" + strconv.Quote(value)
	if strconv.CanBackquote(tag) {
		return "`" + tag + "`"
	}
	return strconv.Quote(tag)
}

// typeRef writes a type use, as TypeCode renders it.
func (s *goSource) typeRef(r *model.TypeRef) error {
	for ; r != nil; r = r.Elem {
		switch r.Kind {
		case model.NamedRef, model.BuiltinRef:
			s.code(r.Name)
			return nil
		case model.SliceRef:
			s.code("[]")
		case model.MapRef:
			s.code("map[string]")
		case model.PointerRef:
			s.code("*")
		case model.TimeRef:
			s.code("time.Time")
			return nil
		default:
			s.code("any")
			return nil
		}
	}
	return errors.New("a type is missing where one is used")
}

// timeMethods gives defined type name, made of time.Time, the JSON
// methods of time.Time, which Go would not: type SentAt time.Time has
// none of them, so it would encode as {}.
func (s *goSource) timeMethods(name string) {
	s.code("// MarshalJSON encodes ", name, " as time.Time does (RFC 3339).\n",
		"func (v ", name, ") MarshalJSON() ([]byte, error) {\nreturn time.Time(v).MarshalJSON()\n}\n\n",
		"// UnmarshalJSON decodes ", name, " as time.Time does (RFC 3339).\n",
		"func (v *", name, ") UnmarshalJSON(data []byte) error {\nreturn (*time.Time)(v).UnmarshalJSON(data)\n}\n\n")
}

func jsonTag(f *model.Field) string {
	parts := []string{f.JSONName}
	if f.OmitEmpty {
		parts = append(parts, "omitempty")
	}
	if len(parts) == 1 && f.JSONName == "-" {
		// A lone "-" tells encoding/json to skip the field; "-," names it "-".
		return "-,"
	}
	return strings.Join(parts, ",")
}

// TypeCode renders a type use.
func TypeCode(r *model.TypeRef) *jen.Statement {
	switch r.Kind {
	case model.NamedRef, model.BuiltinRef:
		return jen.Id(r.Name)
	case model.SliceRef:
		return jen.Index().Add(TypeCode(r.Elem))
	case model.MapRef:
		return jen.Map(jen.String()).Add(TypeCode(r.Elem))
	case model.PointerRef:
		return jen.Op("*").Add(TypeCode(r.Elem))
	case model.TimeRef:
		return jen.Qual("time", "Time")
	}
	return jen.Any()
}
