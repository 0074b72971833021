package templates

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// Types emits every struct, defined type and alias of the package.
func Types(pkg *model.Package) (*jen.File, error) {
	f := newFile(pkg)
	n := 0
	for _, t := range pkg.Types {
		if t.Kind == model.EnumKind || t.Kind == model.UnionKind || t.Kind == model.TupleKind {
			continue
		}
		f.Add(typeDoc(t.Name, t.Doc, t.Source))
		f.Add(typeDecl(t))
		f.Line()
		definedMethods(f, t)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	return f, nil
}

func typeDecl(t *model.Type) jen.Code {
	switch t.Kind {
	case model.StructKind:
		return jen.Type().Id(t.Name).Struct(fields(t.Fields)...)
	case model.AliasKind:
		return jen.Type().Id(t.Name).Op("=").Add(TypeCode(t.Underlying))
	default:
		return jen.Type().Id(t.Name).Add(TypeCode(t.Underlying))
	}
}

func fields(fs []*model.Field) []jen.Code {
	out := make([]jen.Code, 0, len(fs)*2)
	for i, f := range fs {
		if f.Doc != "" {
			if i > 0 {
				out = append(out, jen.Line())
			}
			out = append(out, docComment(f.Doc))
		}
		if f.JSONName == "-" {
			// staticcheck takes "-," for a typo of "-"; here it is meant.
			out = append(out, jen.Comment(`//lint:ignore SA5008 the tag "-," names the property "-" (a lone "-" would drop it)`))
		}
		out = append(out, jen.Id(f.Name).Add(TypeCode(f.Type)).Tag(map[string]string{"json": jsonTag(f)}))
	}
	return out
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
