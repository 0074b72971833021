package templates

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// headersFunc writes Decode<Message>Headers, which reads a message's
// headers struct from an http.Header, one field per header, and validates
// it.
func (dc *decoding) headersFunc(msg *model.Message) jen.Code {
	t := dc.types[msg.Headers.Name]
	s := &scope{}
	root := pathVar{name: "root"}
	body := []jen.Code{
		jen.Id("c").Op(":=").New(jen.Id("collector")),
		jen.Id("root").Op(":=").Id("headersPath").Call(),
		jen.Id("v").Op(":=").New(jen.Id(t.Name)),
	}
	required := requiredNames(t)
	covered := map[string]bool{}
	for _, f := range t.Fields {
		covered[f.JSONName] = true
		body = append(body, dc.headerField(s.field(f), f, required.Has(f.JSONName), root)...)
	}
	for _, name := range required.Items() {
		if !covered[name] {
			body = append(body, dc.headerPresence(s, name, root))
		}
	}
	body = append(body,
		jen.Comment("What validate finds at a header read wrong is a consequence of it."),
		jen.Id("c").Dot("decoded").Op("=").Len(jen.Id("c").Dot("violations")),
		jen.Id("v").Dot("validate").Call(jen.Id("c"), jen.Op("&").Id("root")),
		jen.If(jen.Err().Op(":=").Id("c").Dot("err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("v"), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
	doc := fmt.Sprintf("%s reads the headers of message %s from h and validates them. "+
		"Header names are matched without regard to case, as HTTP does; several lines of one header are joined with \", \". "+
		"A header's text is read as its schema's type: integers and numbers in decimal, booleans as true or false, objects and arrays as JSON. "+
		"Headers the schema does not name are ignored. "+
		"Violations are reported in a *ValidationError, returned with the value read, at the pointer /headers/<name as the spec spells it>; a missing required header is a required violation.",
		msg.HeadersDecodeFunc, msg.WireName)
	return jen.Add(docComment(doc)).Line().
		Func().Id(msg.HeadersDecodeFunc).Params(jen.Id("h").Qual("net/http", "Header")).Params(jen.Op("*").Id(t.Name), jen.Error()).Block(body...).Line()
}

// headerField reads one header into its field; a required header that is
// missing is a violation.
func (dc *decoding) headerField(s *scope, f *model.Field, required bool, root pathVar) []jen.Code {
	p := pathVar{name: s.name("p")}
	target := lvalue{expr: func() *jen.Statement { return jen.Id("v").Dot(f.Name) }}
	read, usesPath := dc.headerInto(s, target, f.Type, p)
	if usesPath {
		read = append([]jen.Code{jen.Id(p.name).Op(":=").Add(root.child("at", jen.Lit(f.JSONName)))}, read...)
	}
	stmt := jen.If(jen.List(jen.Id("text"), jen.Id("ok")).Op(":=").Id("headerValue").Call(jen.Id("h"), jen.Lit(f.JSONName)), jen.Id("ok")).Block(read...)
	if required {
		stmt.Else().Block(
			jen.Id(p.name).Op(":=").Add(root.child("at", jen.Lit(f.JSONName))),
			jen.Id("failRequired").Call(jen.Id("c"), p.ptr()),
		)
	}
	return []jen.Code{stmt}
}

// headerPresence checks that a header the schema requires, but names no
// field for, is present.
func (dc *decoding) headerPresence(s *scope, name string, root pathVar) jen.Code {
	p := pathVar{name: s.name("p")}
	return jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("headerValue").Call(jen.Id("h"), jen.Lit(name)), jen.Op("!").Id("ok")).Block(
		jen.Id(p.name).Op(":=").Add(root.child("at", jen.Lit(name))),
		jen.Id("failRequired").Call(jen.Id("c"), p.ptr()),
	)
}

// headerScalar is how a header of a scalar type is read: its text as it
// is, or parsed by a support function; ptr when the field is a pointer,
// convert naming the defined type (an enum) the value is converted to.
type headerScalar struct {
	parse   string
	ptr     bool
	convert string
}

// headerScalarOf says how a header of type ref is read; false for a type
// that is read as JSON.
func (dc *decoding) headerScalarOf(ref *model.TypeRef) (headerScalar, bool) {
	var hs headerScalar
	r := dc.pl.g.resolve(ref)
	if r.Kind == model.PointerRef {
		hs.ptr, r = true, dc.pl.g.resolve(r.Elem)
	}
	if r.Kind == model.NamedRef {
		t := dc.types[r.Name]
		if t == nil || (t.Kind != model.EnumKind && t.Kind != model.DefinedKind) || t.Underlying == nil {
			return hs, false
		}
		hs.convert, r = t.Name, dc.pl.g.resolve(t.Underlying)
	}
	switch {
	case r.Kind == model.TimeRef:
		hs.parse = "headerTime"
	case r.Kind == model.AnyRef && hs.convert == "":
	case r.Kind == model.BuiltinRef && r.Name == "string":
	case r.Kind == model.BuiltinRef && headerParsers[r.Name] != "":
		hs.parse = headerParsers[r.Name]
	default:
		return hs, false
	}
	return hs, true
}

// headerInto reads the text of a header into target: a string as it is,
// an integer, number, boolean or date-time parsed from it, anything else
// as JSON. It reports whether the code uses the path p.
func (dc *decoding) headerInto(s *scope, target lvalue, ref *model.TypeRef, p pathVar) ([]jen.Code, bool) {
	hs, ok := dc.headerScalarOf(ref)
	if !ok {
		// Objects, arrays and unions: the text is JSON.
		body := []jen.Code{jen.Id("d").Op(":=").Id("headerJSON").Call(jen.Id("c"), jen.Id("text"))}
		body = append(body, dc.decodeInto(s, target, ref, p, false)...)
		return append(body, jen.Id("headerJSONEnd").Call(jen.Id("d"), p.ptr())), true
	}
	if hs.parse == "" {
		return hs.assign(s, target, "text"), false
	}
	x := s.name("x")
	return []jen.Code{jen.If(jen.List(jen.Id(x), jen.Id("ok")).Op(":=").Id(hs.parse).Call(jen.Id("c"), p.ptr(), jen.Id("text")), jen.Id("ok")).Block(
		hs.assign(s, target, x)...,
	)}, true
}

// assign sets target to the value in variable x, converted, or to its
// address.
func (hs headerScalar) assign(s *scope, target lvalue, x string) []jen.Code {
	switch {
	case !hs.ptr && hs.convert != "":
		return []jen.Code{target.set(jen.Id(hs.convert).Call(jen.Id(x)))}
	case !hs.ptr:
		return []jen.Code{target.set(jen.Id(x))}
	case hs.convert == "":
		return []jen.Code{target.set(jen.Op("&").Id(x))}
	}
	y := s.name("x")
	return []jen.Code{jen.Id(y).Op(":=").Id(hs.convert).Call(jen.Id(x)), target.set(jen.Op("&").Id(y))}
}

// headerParsers are the support functions reading a header's text as a
// builtin type.
var headerParsers = map[string]string{
	"int64": "headerInt64", "int32": "headerInt32", "float64": "headerFloat64", "bool": "headerBool",
}

// headerJSONRefs are the types of the headers a headers function reads
// as JSON, whose decodeJSON methods it calls.
func (dc *decoding) headerJSONRefs(msg *model.Message) []*model.TypeRef {
	var out []*model.TypeRef
	for _, f := range dc.types[msg.Headers.Name].Fields {
		if _, scalar := dc.headerScalarOf(f.Type); !scalar {
			out = append(out, f.Type)
		}
	}
	return out
}

// headerAccessors names, by headers type, the function a handler gets a
// message's decoded headers from its context with: <Headers>FromContext.
func headerAccessors(msgs []*model.Message) map[string]string {
	out := map[string]string{}
	for _, m := range msgs {
		if m.HeadersFromContextFunc != "" {
			out[m.Headers.Name] = m.HeadersFromContextFunc
		}
	}
	return out
}

// headerAccessorDecls declares the functions of headerAccessors.
func headerAccessorDecls(f *jen.File, msgs []*model.Message, accessors map[string]string) {
	done := map[string]bool{}
	for _, m := range msgs {
		if m.HeadersDecodeFunc == "" || done[accessors[m.Headers.Name]] {
			continue
		}
		name := accessors[m.Headers.Name]
		done[name] = true
		f.Add(docComment(fmt.Sprintf("%s returns the headers of the %s message a Receiver passes to a Handler method with ctx, decoded by %s; a request whose headers break their schema is refused with 400 like a payload that does, or delivered when their only violations are unknown enum values.", name, m.WireName, m.HeadersDecodeFunc)))
		f.Func().Id(name).Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Op("*").Id(m.Headers.Name), jen.Bool()).Block(
			jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("ctx").Dot("Value").Call(jen.Id("receiverHeadersKey").Values()).Assert(jen.Op("*").Id(m.Headers.Name)),
			jen.Return(jen.Id("v"), jen.Id("ok")),
		)
		f.Line()
	}
}
