package templates

import (
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// typesWithJennifer is how types.gen.go was built before typesFile wrote
// it as text, kept as the reference the text must match byte for byte.
func typesWithJennifer(pkg *model.Package) *jen.File {
	f := newFile(pkg)
	for _, t := range pkg.Types {
		if t.Kind == model.EnumKind || t.Kind == model.UnionKind || t.Kind == model.TupleKind {
			continue
		}
		f.Add(typeDoc(t.Name, t.Doc, t.Source))
		switch t.Kind {
		case model.StructKind:
			f.Type().Id(t.Name).Struct(fieldsWithJennifer(t.Fields)...)
		case model.AliasKind:
			f.Type().Id(t.Name).Op("=").Add(TypeCode(t.Underlying))
		default:
			f.Type().Id(t.Name).Add(TypeCode(t.Underlying))
		}
		f.Line()
		if t.Kind != model.DefinedKind || t.Underlying.Kind != model.TimeRef {
			continue
		}
		timeType := jen.Qual("time", "Time")
		f.Commentf("MarshalJSON encodes %s as time.Time does (RFC 3339).", t.Name)
		f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Return(timeType.Clone().Call(jen.Id("v")).Dot("MarshalJSON").Call()),
		)
		f.Line()
		f.Commentf("UnmarshalJSON decodes %s as time.Time does (RFC 3339).", t.Name)
		f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
			jen.Return(jen.Parens(jen.Op("*").Add(timeType.Clone())).Call(jen.Id("v")).Dot("UnmarshalJSON").Call(jen.Id("data"))),
		)
		f.Line()
	}
	return f
}

// fieldsWithJennifer is the reference's struct fields.
func fieldsWithJennifer(fs []*model.Field) []jen.Code {
	out := make([]jen.Code, 0, len(fs)*2)
	for i, f := range fs {
		if f.Doc != "" {
			if i > 0 {
				out = append(out, jen.Line())
			}
			out = append(out, docComment(f.Doc))
		}
		if f.JSONName == "-" {
			out = append(out, jen.Comment(`//lint:ignore SA5008 the tag "-," names the property "-" (a lone "-" would drop it)`))
		}
		out = append(out, jen.Id(f.Name).Add(TypeCode(f.Type)).Tag(map[string]string{"json": jsonTag(f)}))
	}
	return out
}

func builtin(name string) *model.TypeRef { return &model.TypeRef{Kind: model.BuiltinRef, Name: name} }

func refTo(kind model.RefKind, elem *model.TypeRef) *model.TypeRef {
	return &model.TypeRef{Kind: kind, Elem: elem}
}

// typesPackage has a type of every kind types.gen.go declares, fields
// with and without docs and with hostile names and docs, and time in
// several places.
func typesPackage(name string) *model.Package {
	timeRef := &model.TypeRef{Kind: model.TimeRef}
	long := "A long description that wraps over several comment lines, and holds */ and a\nline break.\n\nAnd a second paragraph."
	return &model.Package{Name: name, Sources: []string{"spec.yaml"}, Types: []*model.Type{
		{Name: "Order", Kind: model.StructKind, Doc: "An order.", Source: "spec.yaml#/components/schemas/Order", Fields: []*model.Field{
			{Name: "ID", JSONName: "id", Type: builtin("string"), Required: true},
			{Name: "Dash", JSONName: "-", Type: builtin("int64")},
			{Name: "DashOmit", JSONName: "-", Type: builtin("int64"), OmitEmpty: true, Doc: "Named dash."},
			{Name: "Quoted", JSONName: "a\"b`c", Type: refTo(model.PointerRef, builtin("float64")), OmitEmpty: true, Doc: long},
			{Name: "Tricky", JSONName: "x y\tz\\", Type: refTo(model.SliceRef, refTo(model.MapRef, refTo(model.PointerRef, &model.TypeRef{Kind: model.NamedRef, Name: "Order"}))), OmitEmpty: true},
			{Name: "At", JSONName: "at", Type: refTo(model.PointerRef, timeRef), OmitEmpty: true, Doc: "When."},
			{Name: "Any", JSONName: "any", Type: &model.TypeRef{Kind: model.AnyRef}},
		}},
		{Name: "Color", Kind: model.EnumKind, Underlying: builtin("string"), Enum: &model.Enum{ValuesFunc: "ColorValues"}},
		{Name: "Empty", Kind: model.StructKind, Source: "spec.yaml#/components/schemas/Empty"},
		{Name: "Stamps", Kind: model.AliasKind, Doc: "The stamps", Underlying: refTo(model.SliceRef, timeRef)},
		{Name: "SentAt", Kind: model.DefinedKind, Source: "spec.yaml#/components/schemas/SentAt", Underlying: timeRef},
		{Name: "Labels", Kind: model.DefinedKind, Doc: "Labels is a map.", Underlying: refTo(model.MapRef, builtin("string"))},
	}}
}

// TestTypesTextMatchesJennifer: types.gen.go written as text is, after
// gofmt, byte for byte what the jennifer emitter made, including the
// import of time, which keeps its name in a package named time.
func TestTypesTextMatchesJennifer(t *testing.T) {
	for _, name := range []string{"p", "time"} {
		pkg := typesPackage(name)
		want, err := Render(typesWithJennifer(pkg))
		require.NoError(t, err)
		got, err := typesFile(newEmission(pkg, nil))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "package %s", name)
	}
	noTime := &model.Package{Name: "p", Types: typesPackage("p").Types[:1]}
	noTime.Types[0].Fields = noTime.Types[0].Fields[:5]
	want, err := Render(typesWithJennifer(noTime))
	require.NoError(t, err)
	got, err := typesFile(newEmission(noTime, nil))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
	require.NotContains(t, string(got), "import")
}

// TestTypesTextRefusesAMissingType: a field or defined type without a
// type is an error naming it, not a panic.
func TestTypesTextRefusesAMissingType(t *testing.T) {
	pkg := &model.Package{Name: "p", Types: []*model.Type{{Name: "S", Kind: model.StructKind, Fields: []*model.Field{{Name: "F", JSONName: "f"}}}}}
	_, err := typesFile(newEmission(pkg, nil))
	require.ErrorContains(t, err, "type S: field F: a type is missing where one is used")
	pkg = &model.Package{Name: "p", Types: []*model.Type{{Name: "D", Kind: model.DefinedKind}}}
	_, err = typesFile(newEmission(pkg, nil))
	require.ErrorContains(t, err, "type D: a type is missing where one is used")
}
