package templates

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// enumsWithJennifer is how enums.gen.go was built before enumsFile wrote
// it as text, kept as the reference the text must match byte for byte.
func enumsWithJennifer(pkg *model.Package) *jen.File {
	f := newFile(pkg)
	for _, t := range pkg.Types {
		if t.Kind != model.EnumKind {
			continue
		}
		f.Add(typeDoc(t.Name, t.Doc, t.Source))
		f.Type().Id(t.Name).Add(TypeCode(t.Underlying))
		f.Line()
		consts := make([]jen.Code, 0, len(t.Enum.Values))
		list := make([]jen.Code, 0, len(t.Enum.Values))
		for _, v := range t.Enum.Values {
			var lit jen.Code = jen.Lit(v.Value)
			if n, ok := v.Value.(int64); ok {
				lit = jen.Op(strconv.FormatInt(n, 10))
			}
			consts = append(consts,
				docComment(strings.TrimSpace(fmt.Sprintf("%s is the value %s. %s", v.Const, literalText(v.Value), v.Doc))),
				jen.Id(v.Const).Id(t.Name).Op("=").Add(lit))
			list = append(list, jen.Id(v.Const))
		}
		f.Comment(fmt.Sprintf("The values of %s.", t.Name))
		f.Const().Defs(consts...)
		f.Line()
		f.Add(docComment(fmt.Sprintf("%s returns every value of %s, in the order the spec lists them.", t.Enum.ValuesFunc, t.Name)))
		f.Func().Id(t.Enum.ValuesFunc).Params().Index().Id(t.Name).Block(
			jen.Return(jen.Index().Id(t.Name).Values(linesOf(list, true)...)),
		)
		f.Line()
		f.Comment("Valid reports whether v is one of the values the spec lists.")
		f.Func().Params(jen.Id("v").Id(t.Name)).Id("Valid").Params().Bool().Block(
			jen.Switch(jen.Id("v")).Block(
				jen.Case(linesOf(list, false)...).Block(jen.Return(jen.True())),
			),
			jen.Return(jen.False()),
		)
		f.Line()
	}
	return f
}

// linesOf puts each item of a list longer than three on a line of its
// own, as the jennifer emitter did.
func linesOf(items []jen.Code, closing bool) []jen.Code {
	if len(items) <= 3 {
		return items
	}
	out := make([]jen.Code, len(items))
	for i, item := range items {
		out[i] = jen.Line().Add(item)
	}
	if closing {
		out[len(out)-1] = jen.Line().Add(items[len(items)-1]).Op(",").Line()
	}
	return out
}

// enumType makes an enum type of the given builtin whose constants are
// named after their position.
func enumType(name, builtin, doc string, values ...any) *model.Type {
	t := &model.Type{Name: name, Kind: model.EnumKind, Doc: doc, Source: "spec.yaml#/components/schemas/" + name,
		Underlying: &model.TypeRef{Kind: model.BuiltinRef, Name: builtin}, Enum: &model.Enum{ValuesFunc: name + "Values"}}
	for i, v := range values {
		t.Enum.Values = append(t.Enum.Values, &model.EnumValue{Const: fmt.Sprintf("%sV%d", name, i), Value: v})
	}
	return t
}

// TestEnumsTextMatchesJennifer: enums.gen.go written as text is, after
// gofmt, byte for byte what the jennifer emitter made, for short and long
// lists, every kind of value, hostile strings and descriptions, and types
// with and without a description.
func TestEnumsTextMatchesJennifer(t *testing.T) {
	long := strings.Repeat("A long description that wraps over several comment lines. ", 4)
	hostile := enumType("Hostile", "string", "Hostile */ doc\nfunc init() { panic(1) }\n\nSecond paragraph.",
		"a%s", "b\"c", "d`e", "*/\nINJECTED", "ünï", "f\\g", "", "\x00\xff\u202e", "tab\there")
	hostile.Enum.Values[1].Doc = long
	hostile.Enum.Values[3].Doc = "*/ func init() {}"
	pkg := &model.Package{Name: "p", Sources: []string{"spec.yaml"}, Types: []*model.Type{
		enumType("Short", "string", "", "one", "two"),
		{Name: "NotAnEnum", Kind: model.StructKind},
		enumType("Three", "string", "A color.", "red", "green", "blue"),
		enumType("Four", "string", long, "a", "b", "c", "d"),
		hostile,
		enumType("Ints", "int64", "The count.", int64(1), int64(-2), int64(math.MaxInt64), int64(math.MinInt64)),
		enumType("Floats", "float64", "Ratios", 1.0, -2.5, 1e21, 1e-7, 0.1, math.MaxFloat64),
		enumType("One", "int64", "", int64(0)),
	}}
	want, err := Render(enumsWithJennifer(pkg))
	require.NoError(t, err)
	got, err := enumsFile(newEmission(pkg, nil))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

// TestEnumsTextRefusesWhatItCannotWrite: an enum made of a type that is
// not a builtin, or a value that is not a string or number, is an error
// naming the enum, not a panic or code that does not compile.
func TestEnumsTextRefusesWhatItCannotWrite(t *testing.T) {
	sliceEnum := enumType("List", "string", "", "a")
	sliceEnum.Underlying = &model.TypeRef{Kind: model.SliceRef, Elem: &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}}
	_, err := enumsFile(newEmission(&model.Package{Name: "p", Types: []*model.Type{sliceEnum}}, nil))
	require.ErrorContains(t, err, "enum List: an enum is made of a builtin type")

	noValues := &model.Type{Name: "Bare", Kind: model.EnumKind, Underlying: &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}}
	_, err = enumsFile(newEmission(&model.Package{Name: "p", Types: []*model.Type{noValues}}, nil))
	require.ErrorContains(t, err, "enum Bare: it has no list of values")

	boolEnum := enumType("Flag", "bool", "", true)
	_, err = enumsFile(newEmission(&model.Package{Name: "p", Types: []*model.Type{boolEnum}}, nil))
	require.ErrorContains(t, err, "enum Flag: value FlagV0: an enum value is a string, an integer or a number, not bool")
}

// TestEnumsTextNoEnumsNoFile: a package without enums gets no
// enums.gen.go.
func TestEnumsTextNoEnumsNoFile(t *testing.T) {
	src, err := enumsFile(newEmission(&model.Package{Name: "p", Types: []*model.Type{{Name: "S", Kind: model.StructKind}}}, nil))
	require.NoError(t, err)
	require.Nil(t, src)
}
