package templates

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/internal/ordered"
)

// decoding writes the decodeJSON methods and the Decode functions.
type decoding struct {
	pl    *plan
	types map[string]*model.Type
	// unionIDs numbers the union types, which the decoder remembers
	// outcomes by.
	unionIDs map[string]int
	// freshMemo holds structFreshCounts of each struct type worked out,
	// nil while it is being worked out.
	freshMemo map[string]map[string]int
}

// Decode emits a decodeJSON method per type, a Decode function per
// message and per dispatching channel, and the UnmarshalJSON of each
// union. It returns nil for a package without types.
func Decode(pkg *model.Package, pl *plan) (*jen.File, error) {
	if len(pl.methods) == 0 && !decodesAnything(pkg) && !hasUnions(pkg) {
		return nil, nil
	}
	dc := &decoding{pl: pl, types: pl.g.types, unionIDs: map[string]int{}, freshMemo: map[string]map[string]int{}}
	for _, t := range pkg.Types {
		if t.Kind == model.UnionKind {
			dc.unionIDs[t.Name] = len(dc.unionIDs) + 1
		}
	}
	f := newFile(pkg)
	for _, msg := range pkg.Messages {
		if msg.DecodeFunc != "" {
			f.Add(dc.messageFunc(msg))
		}
		if msg.HeadersDecodeFunc != "" {
			f.Add(dc.headersFunc(msg))
		}
	}
	for _, ch := range pkg.Channels {
		if ch.Dispatch != nil {
			f.Add(dc.channelFunc(ch))
		}
	}
	reached := dc.reachable(pkg)
	for _, t := range pkg.Types {
		if t.Kind != model.AliasKind && reached[t.Name] {
			f.Add(dc.method(t))
		}
		if t.Kind == model.UnionKind {
			f.Add(unmarshalMethod(t))
		}
	}
	return f, nil
}

// unmarshalMethod writes a union's UnmarshalJSON, which reads the value
// with its decodeJSON: in time linear in the value, however deeply unions
// nest in it.
func unmarshalMethod(t *model.Type) jen.Code {
	doc := "UnmarshalJSON decodes the one variant the value matches (oneOf), and fails when it matches none or several."
	if !t.Union.OneOf {
		doc = "UnmarshalJSON decodes the first variant the value matches (anyOf), and fails when it matches none."
	}
	if t.Union.Discriminator != "" {
		doc = fmt.Sprintf("UnmarshalJSON decodes the variant that the %q property of an object names, and fails when the variant's schema refuses it.", t.Union.Discriminator)
	}
	doc += " It reads the value as the Decode functions do: each variant's schema decides, and null leaves every variant unset."
	return jen.Add(docComment(doc)).Line().
		Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Id("unmarshalUnion").Call(jen.Lit(t.Name), jen.Id("data"), jen.Id("v"))),
	).Line()
}

// hasUnions reports whether pkg declares a union, whose UnmarshalJSON
// this file holds.
func hasUnions(pkg *model.Package) bool {
	return slices.ContainsFunc(pkg.Types, func(t *model.Type) bool { return t.Kind == model.UnionKind })
}

// decodesAnything reports whether a message or channel of pkg has a
// Decode function: one is emitted even when no type has methods, as for
// payloads that are any JSON value.
func decodesAnything(pkg *model.Package) bool {
	for _, msg := range pkg.Messages {
		if msg.DecodeFunc != "" || msg.HeadersDecodeFunc != "" || isObjectKafkaKey(pkg, msg) {
			return true
		}
	}
	for _, ch := range pkg.Channels {
		if ch.Dispatch != nil {
			return true
		}
	}
	return false
}

// reachable names the types whose decodeJSON a Decode function, a
// union's UnmarshalJSON or the reading of a Kafka record key calls,
// directly or through other types' decodeJSON.
func (dc *decoding) reachable(pkg *model.Package) map[string]bool {
	reached := map[string]bool{}
	var visit func(ref *model.TypeRef)
	visit = func(ref *model.TypeRef) {
		if ref == nil {
			return
		}
		ref = dc.pl.g.resolve(ref)
		if ref.Kind != model.NamedRef {
			visit(ref.Elem)
			return
		}
		t := dc.types[ref.Name]
		if t == nil || reached[t.Name] {
			return
		}
		reached[t.Name] = true
		for _, f := range t.Fields {
			visit(f.Type)
		}
		if t.Union != nil {
			for _, v := range t.Union.Variants {
				visit(v.Type)
			}
		}
		if t.Tuple != nil {
			visit(t.Tuple.Rest)
		}
		if t.Kind != model.StructKind && t.Kind != model.UnionKind && t.Kind != model.TupleKind {
			visit(t.Underlying)
		}
	}
	for _, t := range pkg.Types {
		if t.Kind == model.UnionKind {
			// Its UnmarshalJSON reads it with its decodeJSON.
			visit(&model.TypeRef{Kind: model.NamedRef, Name: t.Name})
		}
	}
	for _, msg := range pkg.Messages {
		if msg.DecodeFunc != "" {
			visit(msg.Payload)
		}
		if msg.HeadersDecodeFunc != "" {
			for _, ref := range dc.headerJSONRefs(msg) {
				visit(ref)
			}
		}
		if isObjectKafkaKey(pkg, msg) {
			visit(msg.KafkaKey)
		}
	}
	return reached
}

// messageFunc writes Decode<Message>.
func (dc *decoding) messageFunc(msg *model.Message) jen.Code {
	payload := TypeCode(msg.Payload)
	doc := fmt.Sprintf("%s decodes %s payload and validates it. Malformed JSON is a *SyntaxError; a payload that breaks its schema a *ValidationError listing every violation, returned with the decoded value so that a caller may accept one whose only violations are unknown enum values (OnlyUnknownEnumValues). A payload whose arrays and objects nest more than 10,000 deep is one violation of keyword depth, without a value.", msg.DecodeFunc, withArticle(msg.WireName))
	body := dc.messageBlock(msg.Payload)
	if dc.pl.g.hasMethods(msg.Payload) {
		body = append(body, jen.Id("v").Dot("decodeJSON").Call(jen.Id("d"), jen.Nil()))
	} else {
		body = append(body, jen.Var().Id("p").Op("*").Id("path"))
		// A payload held as any may be null: its rules, checked after, say
		// whether null is allowed.
		nullable := dc.pl.g.kindOf(msg.Payload) == kindAny
		body = append(body, dc.decodeInto(&scope{}, lvalue{expr: func() *jen.Statement { return jen.Id("v") }, ptr: true}, msg.Payload, pathVar{name: "p", isPtr: true}, nullable)...)
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("d").Dot("finish").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
	)
	if dc.pl.g.hasMethods(msg.Payload) {
		body = append(body, jen.Id("v").Dot("validate").Call(jen.Id("c"), jen.Nil()))
	} else {
		body = append(body, dc.pl.payloadChecks[msg]...)
	}
	body = append(body,
		jen.If(jen.Err().Op(":=").Id("c").Dot("err").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("v"), jen.Err())),
		jen.Return(jen.Id("v"), jen.Nil()),
	)
	return jen.Add(docComment(doc)).Line().
		Func().Id(msg.DecodeFunc).Params(jen.Id("data").Index().Byte()).Params(jen.Op("*").Add(payload), jen.Error()).Block(body...).Line()
}

// messageBlock declares v, the decoded payload, c, the collector, and d,
// the decoder, with one allocation holding v, c and the optional
// numbers, strings and booleans that v's fields can point to, each once
// (see freshCounts): fresh hands them out before it allocates a chunk.
func (dc *decoding) messageBlock(payload *model.TypeRef) []jen.Code {
	counts := dc.freshCounts(payload)
	fields := []jen.Code{jen.Id("v").Add(TypeCode(payload)), jen.Id("c").Id("collector")}
	dict := jen.Dict{jen.Id("data"): jen.Id("data"), jen.Id("c"): jen.Id("c")}
	for _, builtin := range slices.Sorted(maps.Keys(counts)) {
		chunk := freshChunks[builtin]
		fields = append(fields, jen.Id(chunk).Index(jen.Lit(min(counts[builtin], maxFreshBlock))).Id(builtin))
		dict[jen.Id(chunk)] = jen.Id("b").Dot(chunk).Index(jen.Empty(), jen.Empty())
	}
	return []jen.Code{
		jen.Id("b").Op(":=").New(jen.Struct(fields...)),
		jen.List(jen.Id("v"), jen.Id("c")).Op(":=").List(jen.Op("&").Id("b").Dot("v"), jen.Op("&").Id("b").Dot("c")),
		jen.Id("d").Op(":=").Op("&").Id("decoder").Values(dict),
	}
}

// maxFreshBlock bounds how many values of one builtin type a Decode
// function allocates with the payload, for a payload of many optional
// fields that a message may mostly leave out.
const maxFreshBlock = 64

// freshCounts returns, by builtin type, how many optional fields of type
// ref fresh allocates a value for, when the payload has them all: through
// pointers and the structs its fields hold, not through arrays, maps or
// unions; each count at most maxFreshBlock.
func (dc *decoding) freshCounts(ref *model.TypeRef) map[string]int {
	ref = dc.pl.g.resolve(ref)
	switch ref.Kind {
	case model.PointerRef:
		if builtin, ok := dc.scalarBase(ref.Elem); ok && freshChunks[builtin] != "" {
			return map[string]int{builtin: 1}
		}
		return dc.freshCounts(ref.Elem)
	case model.NamedRef:
		return dc.structFreshCounts(ref.Name)
	}
	return nil
}

// structFreshCounts is freshCounts of the struct type named name, worked
// out once and remembered, so that the work is linear in the types
// however many fields and messages refer to each; a struct met again
// inside itself adds nothing.
func (dc *decoding) structFreshCounts(name string) map[string]int {
	if counts, seen := dc.freshMemo[name]; seen {
		return counts
	}
	t := dc.types[name]
	if t == nil || t.Kind != model.StructKind {
		return nil
	}
	dc.freshMemo[name] = nil
	counts := map[string]int{}
	for _, f := range t.Fields {
		for builtin, n := range dc.freshCounts(f.Type) {
			counts[builtin] = min(counts[builtin]+n, maxFreshBlock)
		}
	}
	dc.freshMemo[name] = counts
	return counts
}

// channelFunc writes the interface of a channel's messages and
// Decode<Channel>, which picks the message by its discriminator.
func (dc *decoding) channelFunc(ch *model.Channel) jen.Code {
	d := ch.Dispatch
	var typeNames []string
	for _, c := range d.Cases {
		typeNames = append(typeNames, "*"+c.Message.Payload.Name)
	}
	out := jen.Add(docComment(fmt.Sprintf("%s is a message of channel %s: %s.", d.Interface, ch.Name, orList(typeNames)))).Line().
		Type().Id(d.Interface).Interface(jen.Id(d.Marker).Params()).Line().Line()
	for _, c := range d.Cases {
		out.Func().Params(jen.Op("*").Id(c.Message.Payload.Name)).Id(d.Marker).Params().Block().Line().Line()
	}
	read, value, verb := dispatchRead(d)
	var cases []jen.Code
	for _, c := range d.Cases {
		cases = append(cases, jen.Case(value(c.Value)).Block(
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(c.Message.DecodeFunc).Call(jen.Id("data")),
			jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Return(jen.Id("v"), jen.Err()),
		))
	}
	doc := fmt.Sprintf("%s decodes a payload of channel %s, choosing its message by the %s property %q, and validates it. A payload without that property is an error wrapping ErrNoDiscriminator; one whose value names no message of the spec, an error wrapping ErrUnknownMessage. Otherwise it returns what the message's Decode function returns.", d.Func, ch.Name, dispatchTypeName(d), d.Property)
	out.Add(docComment(doc)).Line().
		Func().Id(d.Func).Params(jen.Id("data").Index().Byte()).Params(jen.Id(d.Interface), jen.Error()).Block(
		jen.List(jen.Id("name"), jen.Err()).Op(":=").Id(read).Call(jen.Id("data"), jen.Lit(d.Property)),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Switch(jen.Id("name")).Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+literalPercent(d.Property)+" "+verb), jen.Id("ErrUnknownMessage"), jen.Id("name"))),
	).Line()
	return out
}

// dispatchRead returns the support function reading a channel's
// discriminator, how a case's value is written, and the verb printing it.
func dispatchRead(d *model.Dispatch) (fn string, value func(string) jen.Code, verb string) {
	switch d.Type {
	case "integer":
		return "discriminatorInt", func(v string) jen.Code { return jen.Op(v) }, "%d"
	case "boolean":
		return "discriminatorBool", func(v string) jen.Code { return jen.Op(v) }, "%t"
	}
	return "discriminator", func(v string) jen.Code { return jen.Lit(v) }, "%q"
}

// dispatchTypeName names the type of a channel's discriminator in a doc
// comment.
func dispatchTypeName(d *model.Dispatch) string {
	if d.Type == "" {
		return "string"
	}
	return d.Type
}

func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// method writes decodeJSON for t.
func (dc *decoding) method(t *model.Type) jen.Code {
	s := &scope{}
	var body []jen.Code
	p := pathVar{name: "p", isPtr: true}
	switch {
	case t.Kind == model.UnionKind:
		return dc.unionMethod(t)
	case t.Kind == model.TupleKind:
		return dc.tupleMethod(t)
	case t.Kind == model.StructKind:
		body = dc.structBody(s, t, p)
	default:
		self := textual("v", true)
		if k := dc.pl.g.kindOf(t.Underlying); k != kindSlice && k != kindMap {
			self.convert = t.Name
		}
		body = dc.decodeInto(s, self, t.Underlying, p, false)
	}
	var head goSource // the same for every type, less its name
	head.code("// decodeJSON reads v, which is at p, from d.\nfunc (v *", t.Name, ") decodeJSON(d *decoder, p *path)")
	return head.statement().Block(body...).Line()
}

// structBody reads an object field by field, noting the required
// properties seen. What is the same for every struct, less names and
// keys, is written as text (goSource): the object check, the loop over
// the keys, and each field's case up to where its value is read.
func (dc *decoding) structBody(s *scope, t *model.Type, p pathVar) []jen.Code {
	requiredSet := requiredNames(t)
	required := requiredSet.Items()
	closed := closedRules(t.Rules, map[*model.Rules]bool{})
	cases := make([]jen.Code, 0, len(t.Fields)+len(required)+1)
	covered := make(map[string]bool, len(t.Fields))
	for _, f := range t.Fields {
		covered[f.JSONName] = true
		fs := s.field(f)
		fp := pathVar{name: fs.name("p")}
		var head goSource
		head.code("case ")
		head.quoted(f.JSONName)
		head.code(":\n")
		if i := requiredSet.Index(f.JSONName); i >= 0 {
			head.code("seen[", strconv.Itoa(i), "] = true\n")
		}
		head.childPath(fp.name, p, f.JSONName)
		target := textual("v."+f.Name, false)
		body := dc.decodeField(fs, target, f, fieldRules(t.Rules, f.JSONName), fp)
		body = append(body, dc.checkNullField(t, f, target, fp)...)
		// The case as one statement, its lines one after the other.
		kase := head.statement()
		for _, stmt := range body {
			kase.Line().Add(stmt)
		}
		cases = append(cases, kase)
	}
	for i, name := range required {
		if !covered[name] {
			body := append([]jen.Code{jen.Id("seen").Index(jen.Lit(i)).Op("=").True()}, dc.unknownKey(s, t, p, closed)...)
			cases = append(cases, jen.Case(jen.Lit(name)).Block(body...))
		}
	}
	cases = append(cases, jen.Default().Block(dc.unknownKey(s, t, p, closed)...))

	var head, next, tail goSource
	head.code("if !d.object(")
	head.path(p)
	head.code(") {\nreturn\n}")
	if len(required) > 0 {
		head.code("\nvar seen [", strconv.Itoa(len(required)), "]bool")
	}
	next.code("key, ok := d.field(n)\nif !ok {\nbreak\n}\nswitch string(key)")
	loop := jen.Op("for n := 0; ; n++").Block(next.statement().Block(cases...))
	body := []jen.Code{head.statement(), loop}
	for i, name := range required {
		if i > 0 {
			tail.code("\n")
		}
		tail.code("if !seen[", strconv.Itoa(i), "] {\nd.missing(")
		tail.path(p)
		tail.code(", ")
		tail.quoted(name)
		tail.code(")\n}")
	}
	if len(required) > 0 {
		body = append(body, tail.statement())
	}
	return body
}

// unknownKey handles a key the struct has no field for: skipped, refused
// when the schema forbids other properties, or checked against the rules
// of additionalProperties and then dropped.
func (dc *decoding) unknownKey(s *scope, t *model.Type, p pathVar, closed bool) []jen.Code {
	if r := t.Rules; r != nil && (len(r.PatternProperties) > 0 || r.PropertyNames != nil) {
		return []jen.Code{jen.Id("schemaRules").Dot("property").Call(jen.Id("d"), p.ptr(), jen.Id("key"), dc.pl.g.rules.code(dc.pl.properties[t.Name]), jen.Lit(closed))}
	}
	i, ok := dc.pl.extra[t.Name]
	if !ok || closed {
		var call goSource
		call.code("d.unknown(")
		call.path(p)
		call.code(", key, ", strconv.FormatBool(closed), ")")
		return []jen.Code{call.statement()}
	}
	kp := s.name("p")
	return []jen.Code{
		jen.Id(kp).Op(":=").Add(p.child("at", jen.String().Call(jen.Id("key")))),
		jen.Id("schemaRules").Dot("check").Call(jen.Id("d").Dot("c"), jen.Op("&").Id(kp), jen.Id("d").Dot("any").Call(jen.Op("&").Id(kp)), dc.pl.g.rules.code(i)),
	}
}

// requiredNames are the properties t's schema requires, with allOf, in
// the order they are first named.
func requiredNames(t *model.Type) *ordered.Set[string] {
	var out ordered.Set[string]
	walkAllOf(t.Rules, map[*model.Rules]bool{}, func(r *model.Rules) {
		for _, n := range r.Required {
			out.Add(n)
		}
	})
	for _, f := range t.Fields {
		if f.Required {
			out.Add(f.JSONName)
		}
	}
	return &out
}

// closedRules reports whether r, or one of its allOf parts, forbids
// properties it does not name: a key no field has is then not allowed.
func closedRules(r *model.Rules, seen map[*model.Rules]bool) bool {
	closed := false
	walkAllOf(r, seen, func(r *model.Rules) { closed = closed || r.NoAdditionalProperties })
	return closed
}

// fieldRules are the rules of property name in r and its allOf parts.
func fieldRules(r *model.Rules, name string) []*model.Rules {
	var out []*model.Rules
	walkAllOf(r, map[*model.Rules]bool{}, func(r *model.Rules) {
		for _, p := range r.Properties {
			if p.Name == name {
				out = append(out, p.Rules)
			}
		}
	})
	return out
}

func walkAllOf(r *model.Rules, seen map[*model.Rules]bool, visit func(*model.Rules)) {
	if r == nil || seen[r] {
		return
	}
	seen[r] = true
	visit(r)
	for _, part := range r.AllOf {
		walkAllOf(part, seen, visit)
	}
}

// decodeField reads a field's value. Null is allowed where the field is
// nullable, and for a field of type any where its rules may allow it.
func (dc *decoding) decodeField(s *scope, target lvalue, f *model.Field, rules []*model.Rules, p pathVar) []jen.Code {
	nullable := f.Nullable
	if dc.pl.g.kindOf(f.Type) == kindAny {
		nullable = true
		for _, r := range rules {
			nullable = nullable && !rejectsNull(r)
		}
	}
	return dc.decodeInto(s, target, f.Type, p, nullable)
}

// checkNullField checks a null read into an optional field of type any
// against the field's rules: Validate cannot, since nil there also stands
// for an absent property.
func (dc *decoding) checkNullField(t *model.Type, f *model.Field, target lvalue, p pathVar) []jen.Code {
	indices := dc.pl.nullChecks[t.Name+"."+f.Name]
	if len(indices) == 0 {
		return nil
	}
	var checks []jen.Code
	for _, i := range indices {
		checks = append(checks, jen.Id("schemaRules").Dot("check").Call(jen.Id("d").Dot("c"), p.ptr(), jen.Nil(), dc.pl.g.rules.code(i)))
	}
	return []jen.Code{jen.If(target.code().Op("==").Nil()).Block(checks...)}
}

// rejectsNull reports whether r surely refuses null by its type, enum or
// const.
func rejectsNull(r *model.Rules) bool {
	switch {
	case r == nil:
		return false
	case r.Never:
		return true
	case len(r.Types) > 0 && !slices.Contains(r.Types, "null"):
		return true
	case len(r.Enum) > 0 && !slices.Contains(r.Enum, nil):
		return true
	case r.Const != nil && r.Const.Value != nil:
		return true
	}
	return slices.ContainsFunc(r.AllOf, rejectsNull)
}

// lvalue is where a decoded value goes: a variable or field, or (ptr) a
// pointer to one.
type lvalue struct {
	expr func() *jen.Statement
	// text is the expression as Go text, when it is a name, a field of v
	// or the last item of a list: code, set and setTo then write it as
	// text rather than build expr.
	text string
	ptr  bool
	// convert names the defined type a scalar is converted to.
	convert string
}

// textual is the lvalue of the expression text, written as text.
func textual(text string, ptr bool) lvalue { return lvalue{text: text, ptr: ptr} }

// code renders the expression.
func (l lvalue) code() *jen.Statement {
	if l.text != "" {
		return jen.Id(l.text)
	}
	return l.expr()
}

// set renders the assignment of x.
func (l lvalue) set(x jen.Code) *jen.Statement {
	if l.convert != "" {
		x = jen.Id(l.convert).Call(x)
	}
	if l.text != "" {
		var s goSource
		if l.ptr {
			s.code("*")
		}
		s.code(l.text, " =")
		return s.statement().Add(x)
	}
	if l.ptr {
		return jen.Op("*").Add(l.expr()).Op("=").Add(x)
	}
	return l.expr().Op("=").Add(x)
}

// setTo renders the assignment of x, a name or nil, as set(jen.Id(x))
// does.
func (l lvalue) setTo(x string) *jen.Statement {
	if l.text == "" {
		return l.set(jen.Id(x))
	}
	var s goSource
	s.assign(l, x)
	return s.statement()
}

// assign writes the assignment of x to l, an lvalue with text, as setTo
// renders it.
func (s *goSource) assign(l lvalue, x string) {
	if l.ptr {
		s.code("*")
	}
	s.code(l.text, " = ")
	if l.convert != "" {
		s.code(l.convert, "(", x, ")")
	} else {
		s.code(x)
	}
}

// ifNullElse starts the if statement that reads a null at p, which the
// schema allows or not, sets target to nil then, and goes on with else:
// as text, all of it, when target has text.
func ifNullElse(p pathVar, allowed bool, target lvalue) *jen.Statement {
	if target.text == "" {
		return ifNull(p, allowed).Block(target.setTo("nil")).Else()
	}
	var head goSource
	head.nullTest(p, allowed)
	head.code(" {\n")
	head.assign(target, "nil")
	head.code("\n} else")
	return head.statement()
}

// recv renders the value as the receiver of a pointer method.
func (l lvalue) recv() *jen.Statement { return l.code() }

func variable(name string) lvalue { return textual(name, false) }

// decodeInto reads a value of type ref into target at path p. Null
// reads as nil where nullable is set (an item or map value held as any is
// nullable: its rules, checked later, say whether null is allowed).
func (dc *decoding) decodeInto(s *scope, target lvalue, ref *model.TypeRef, p pathVar, nullable bool) []jen.Code {
	ref = dc.pl.g.resolve(ref)
	switch ref.Kind {
	case model.NamedRef:
		if target.text != "" {
			return []jen.Code{methodCall(target.text, "decodeJSON", "d", p)}
		}
		return []jen.Code{target.recv().Add(methodCall("", "decodeJSON", "d", p))}
	case model.PointerRef:
		x := s.name("x")
		inner := dc.decodeInto(s, textual(x, true), ref.Elem, p, false)
		return []jen.Code{ifNullElse(p, nullable, target).Block(append(append([]jen.Code{dc.allocate(x, ref.Elem)}, inner...), target.setTo(x))...)}
	case model.SliceRef:
		return dc.decodeSlice(s, target, ref, p, nullable)
	case model.MapRef:
		return dc.decodeMap(s, target, ref, p, nullable)
	case model.AnyRef:
		read := target.set(jen.Id("d").Dot("any").Call(p.ptr()))
		if nullable {
			return []jen.Code{read}
		}
		return []jen.Code{ifNullElse(p, false, target).Block(read)}
	case model.TimeRef:
		return dc.scalar(s, target, "time", p)
	}
	switch ref.Name {
	case "string":
		return dc.scalar(s, target, "str", p)
	case "int64":
		return dc.scalar(s, target, "int64", p)
	case "int32":
		return dc.scalar(s, target, "int32", p)
	case "float64":
		return dc.scalar(s, target, "float64", p)
	case "bool":
		return dc.scalar(s, target, "boolean", p)
	}
	return []jen.Code{jen.Id("d").Dot("skip").Call()}
}

// freshChunks names the decoder's field that fresh takes new values of
// each builtin scalar type from.
var freshChunks = map[string]string{
	"string":  "freeStrings",
	"int64":   "freeInt64s",
	"int32":   "freeInt32s",
	"float64": "freeFloat64s",
	"bool":    "freeBools",
}

// allocate declares x, a pointer to a new zero value of ref, for a
// pointer field to fill: a string, number or boolean (or a type defined
// over one) comes from the decoder's chunk of its builtin type, so that
// optional fields do not cost an allocation each; anything else from new.
func (dc *decoding) allocate(x string, ref *model.TypeRef) jen.Code {
	builtin, ok := dc.scalarBase(ref)
	chunk := freshChunks[builtin]
	var typ goSource
	if refUsesTime(ref) || typ.typeRef(ref) != nil {
		// time.Time is qualified: jennifer imports its package.
		return jen.Id(x).Op(":=").New(TypeCode(ref))
	}
	var decl goSource
	decl.code(x, " := ")
	switch {
	case !ok || chunk == "":
		decl.code("new(", string(typ.b), ")")
	case dc.pl.g.resolve(ref).Kind == model.BuiltinRef:
		decl.code("fresh(&d.", chunk, ")")
	default:
		// *T converts to *U when T and U have the same underlying type.
		decl.code("(*", string(typ.b), ")(fresh(&d.", chunk, "))")
	}
	return decl.statement()
}

// scalarBase is the builtin type that ref is, or that the enum or defined
// type ref names is made of; false for any other type.
func (dc *decoding) scalarBase(ref *model.TypeRef) (string, bool) {
	for range len(dc.types) + 1 {
		ref = dc.pl.g.resolve(ref)
		switch ref.Kind {
		case model.BuiltinRef:
			return ref.Name, true
		case model.NamedRef:
			t := dc.types[ref.Name]
			if t == nil || t.Kind != model.EnumKind && t.Kind != model.DefinedKind || t.Underlying == nil {
				return "", false
			}
			ref = t.Underlying
		default:
			return "", false
		}
	}
	return "", false
}

// scalar reads a string, number, boolean or time with decoder method fn,
// converting it to a defined type where target has one.
func (dc *decoding) scalar(s *scope, target lvalue, fn string, p pathVar) []jen.Code {
	x := s.name("x")
	var head goSource
	head.code("if ", x, ", ok := d.", fn, "(")
	head.path(p)
	head.code("); ok")
	if target.text == "" {
		return []jen.Code{head.statement().Block(target.setTo(x))}
	}
	head.code(" {\n")
	head.assign(target, x)
	head.code("\n}")
	return []jen.Code{head.statement()}
}

// nullTest writes the head of the if statement that reads a null at p,
// which the schema allows or not, if one comes next: the next byte is
// looked at first, inline, so that a value that is not null costs no
// call.
func (s *goSource) nullTest(p pathVar, allowed bool) {
	s.code("if d.peek() == 'n' && d.null(")
	s.path(p)
	s.code(", ", strconv.FormatBool(allowed), ")")
}

// ifNull starts the if statement that reads a null at p, which the
// schema allows or not.
func ifNull(p pathVar, allowed bool) *jen.Statement {
	var head goSource
	head.nullTest(p, allowed)
	return head.statement()
}

// ifReads starts the if statement, after else, that starts reading an
// array or object at p with decoder method fn.
func ifReads(fn string, p pathVar) *jen.Statement {
	var head goSource
	head.code("if d.", fn, "(")
	head.path(p)
	head.code(")")
	return head.statement()
}

func (dc *decoding) decodeSlice(s *scope, target lvalue, ref *model.TypeRef, p pathVar, nullable bool) []jen.Code {
	list, i, ip := s.name("list"), s.name("i"), pathVar{name: s.name("p")}
	item := textual(list+"[len("+list+")-1]", false)
	var head, elem, decl goSource
	head.code("for ", i, " := 0; d.item(", i, "); ", i, "++")
	elem.code(ip.name, " := ", p.name, ".elem(", i, ")")
	next := []jen.Code{elem.statement(), jen.Id(list).Op("=").Append(jen.Id(list), zeroValue(dc, ref.Elem))}
	start := jen.Id(list).Op(":=").Add(TypeCode(ref)).Values()
	if zero, ok := dc.zeroText(ref.Elem); ok && !refUsesTime(ref) && decl.typeRef(ref) == nil {
		// All of it as text: nothing in it is qualified.
		elem.code("\n", list, " = append(", list, ", ", zero, ")")
		next = []jen.Code{elem.statement()}
		start = jen.Id(list + " := " + string(decl.b) + "{}")
	}
	loop := head.statement().Block(append(next, dc.decodeInto(s, item, ref.Elem, ip, dc.pl.g.kindOf(ref.Elem) == kindAny)...)...)
	return []jen.Code{ifNullElse(p, nullable, target).
		Add(ifReads("array", p)).Block(
		start,
		loop,
		target.setTo(list),
	)}
}

func (dc *decoding) decodeMap(s *scope, target lvalue, ref *model.TypeRef, p pathVar, nullable bool) []jen.Code {
	if dc.pl.g.resolve(ref.Elem).Kind == model.AnyRef {
		// Any values, null too: one call reads the whole map.
		return []jen.Code{ifNullElse(p, nullable, target).
			Add(ifReads("object", p)).Block(
			target.set(jen.Id("d").Dot("anyMembers").Call(p.ptr())),
		)}
	}
	m, n, k, e, kp := s.name("m"), s.name("n"), s.name("k"), s.name("e"), pathVar{name: s.name("p")}
	head := []jen.Code{
		jen.List(jen.Id("key"), jen.Id("ok")).Op(":=").Id("d").Dot("field").Call(jen.Id(n)),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Break()),
		jen.Id(k).Op(":=").Id("d").Dot("text").Call(jen.Id("key")),
		jen.Id(kp.name).Op(":=").Add(p.child("at", jen.Id(k))),
	}
	read := append([]jen.Code{jen.Var().Id(e).Add(TypeCode(ref.Elem))}, dc.decodeInto(s, variable(e), ref.Elem, kp, dc.pl.g.kindOf(ref.Elem) == kindAny)...)
	read = append(read, jen.Id(m).Index(jen.Id(k)).Op("=").Id(e))
	loop := jen.For(jen.Id(n).Op(":=").Lit(0), jen.Empty(), jen.Id(n).Op("++")).Block(append(head, read...)...)
	return []jen.Code{ifNullElse(p, nullable, target).
		Add(ifReads("object", p)).Block(
		jen.Id(m).Op(":=").Add(TypeCode(ref)).Values(),
		loop,
		target.setTo(m),
	)}
}

// zeroText is zeroValue's rendering as text; false where it names
// time.Time, which is qualified.
func (dc *decoding) zeroText(ref *model.TypeRef) (string, bool) {
	switch r := dc.pl.g.resolve(ref); r.Kind {
	case model.PointerRef, model.SliceRef, model.MapRef, model.AnyRef:
		return "nil", true
	case model.NamedRef:
		if t := dc.types[r.Name]; t.Kind == model.StructKind {
			return t.Name + "{}", true
		}
	}
	var typ goSource
	if refUsesTime(ref) || typ.typeRef(ref) != nil {
		return "", false
	}
	return "*new(" + string(typ.b) + ")", true
}

// zeroValue renders the zero value of ref, to append and then fill.
func zeroValue(dc *decoding, ref *model.TypeRef) jen.Code {
	switch r := dc.pl.g.resolve(ref); r.Kind {
	case model.PointerRef, model.SliceRef, model.MapRef, model.AnyRef:
		return jen.Nil()
	case model.NamedRef:
		if t := dc.types[r.Name]; t.Kind == model.StructKind {
			return jen.Id(t.Name).Values()
		}
	}
	return jen.Op("*").New(TypeCode(ref))
}

// unionMethod writes decodeJSON for union t: the decoder reads the value
// as each variant in turn, quietly, and checks it against the variant's
// rules; the union keeps the first variant the value matches.
func (dc *decoding) unionMethod(t *model.Type) jen.Code {
	u, vp := t.Union, dc.pl.variants[t.Name]
	p := pathVar{name: "p", isPtr: true}
	id := dc.unionIDs[t.Name]
	body := []jen.Code{
		jen.Op("*").Id("v").Op("=").Id(t.Name).Values(),
		jen.If(jen.Id("recallUnion").Call(jen.Id("d"), jen.Lit(id), jen.Id("v"))).Block(jen.Return()),
		jen.List(jen.Id("a"), jen.Id("ok")).Op(":=").Id("d").Dot("union").Call(jen.Lit(id), dc.pl.g.rules.code(dc.verdictRules(t)), jen.Lit(u.OneOf)),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return()),
	}
	if slices.ContainsFunc(vp.checks, func(c []jen.Code) bool { return len(c) > 0 }) {
		body = append(body, jen.Id("c").Op(":=").Id("d").Dot("c"))
	}
	if u.Discriminator != "" {
		body = append(body, dc.taggedRead(t, p))
	}
	for i, variant := range u.Variants {
		trial := dc.readVariant(vp.scope, variant, p)
		if len(vp.checks[i]) > 0 {
			trial = append(trial, jen.If(jen.Id("d").Dot("readAs").Call(jen.Op("&").Id("a"))).Block(vp.checks[i]...))
		}
		trial = append(trial, jen.If(jen.Id("d").Dot("matched").Call(jen.Op("&").Id("a"))).Block(
			jen.Id("v").Dot(variant.Field).Op("=").Id(variantVar),
		))
		body = append(body, jen.If(jen.Id("d").Dot("variant").Call(jen.Op("&").Id("a"))).Block(trial...))
	}
	body = append(body,
		jen.Id("d").Dot("unionEnd").Call(jen.Id("p"), jen.Op("&").Id("a"), jen.Lit(len(u.Variants))),
		jen.Id("rememberUnion").Call(jen.Id("d"), jen.Op("&").Id("a"), jen.Op("*").Id("v")),
	)
	rule := "the first variant it matches (anyOf)"
	if u.OneOf {
		rule = "the one it matches (oneOf: exactly one)"
	}
	return jen.Comment("decodeJSON reads v, which is at p, from d: the value is read as every").Line().
		Commentf("variant in turn, and v keeps %s. Inside a variant of", rule).Line().
		Comment("another union, what a value gave is remembered, so that it is read once.").Line().
		Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("decodeJSON").Params(
		jen.Id("d").Op("*").Id("decoder"), jen.Id("p").Op("*").Id("path"),
	).Block(body...).Line()
}

// taggedRead reads the variant that the discriminator of union t names,
// when the value is an object: that variant alone is read and checked,
// and its violations are the value's. A value that names no variant is a
// violation at the union, naming the property.
func (dc *decoding) taggedRead(t *model.Type, p pathVar) jen.Code {
	u, vp := t.Union, dc.pl.variants[t.Name]
	var cases []jen.Code
	var values []string
	for i, variant := range u.Variants {
		read := dc.readVariant(vp.scope, variant, p)
		if len(vp.checks[i]) > 0 {
			read = append(read, jen.If(jen.Id("d").Dot("readAs").Call(jen.Op("&").Id("a"))).Block(vp.checks[i]...))
		}
		read = append(read, jen.Id("v").Dot(variant.Field).Op("=").Id(variantVar))
		cases = append(cases, jen.Case(lits(variant.Tags)...).Block(read...))
		values = append(values, variant.Tags...)
	}
	slices.Sort(values)
	cases = append(cases, jen.Default().Block(
		jen.Id("d").Dot("unknownTag").Call(jen.Id("p"), jen.Op("&").Id("a"), jen.Lit(u.Discriminator), jen.Id("tag"), jen.Lit(strings.Join(values, ", "))),
	))
	return jen.If(
		jen.List(jen.Id("tag"), jen.Id("ok")).Op(":=").Id("d").Dot("readTag").Call(jen.Id("p"), jen.Op("&").Id("a"), jen.Lit(u.Discriminator)),
		jen.Id("ok"),
	).Block(jen.Switch(jen.Id("tag")).Block(cases...))
}

// verdictRules is the index of union t's rules in the table of rules,
// when they say only that the value is one of the variants (oneOf or
// anyOf): the decoder's verdict on a value read as t then stands for them.
// 0 when they say more, or are not in the table.
func (dc *decoding) verdictRules(t *model.Type) int {
	if t.Rules == nil {
		return 0
	}
	rest := *t.Rules
	rest.Source, rest.OneOf, rest.AnyOf, rest.Discriminator = "", nil, nil, nil
	rest.TableConst, rest.JSONTableConst, rest.MapJSONTableConst = "", "", ""
	if !reflect.DeepEqual(rest, model.Rules{}) || len(t.Rules.OneOf) != len(t.Union.Variants) && len(t.Rules.AnyOf) != len(t.Union.Variants) {
		return 0
	}
	return dc.pl.g.rules.byRules[t.Rules]
}

// readVariant declares the variable a union's variant is read into, and
// reads it.
func (dc *decoding) readVariant(s *scope, variant *model.Variant, p pathVar) []jen.Code {
	ref := variant.Type
	if ref.Kind == model.PointerRef {
		x := lvalue{expr: func() *jen.Statement { return jen.Id(variantVar) }, ptr: true}
		return append([]jen.Code{jen.Id(variantVar).Op(":=").New(TypeCode(ref.Elem))}, dc.decodeInto(s, x, ref.Elem, p, false)...)
	}
	return append([]jen.Code{jen.Var().Id(variantVar).Add(TypeCode(ref))}, dc.decodeInto(s, variable(variantVar), ref, p, false)...)
}

// tupleMethod writes decodeJSON for tuple t: each item into its position,
// those after them into Rest.
func (dc *decoding) tupleMethod(t *model.Type) jen.Code {
	s := &scope{}
	ip := pathVar{name: "ip"}
	var cases []jen.Code
	for i, f := range t.Fields {
		target := lvalue{expr: func() *jen.Statement { return jen.Id("v").Dot(f.Name) }}
		cases = append(cases, jen.Case(jen.Lit(i)).Block(dc.decodeField(s.field(f), target, f, nil, ip)...))
	}
	if rest := t.Tuple.Rest; rest != nil {
		item := lvalue{expr: func() *jen.Statement {
			return jen.Id("v").Dot("Rest").Index(jen.Len(jen.Id("v").Dot("Rest")).Op("-").Lit(1))
		}}
		body := append([]jen.Code{jen.Id("v").Dot("Rest").Op("=").Append(jen.Id("v").Dot("Rest"), zeroValue(dc, rest.Elem))},
			dc.decodeInto(s, item, rest.Elem, ip, dc.pl.g.kindOf(rest.Elem) == kindAny)...)
		cases = append(cases, jen.Default().Block(body...))
	} else {
		cases = append(cases, jen.Default().Block(jen.Id("d").Dot("extraItem").Call(jen.Op("&").Id("ip"), jen.Lit(len(t.Fields)))))
	}
	body := []jen.Code{
		jen.Op("*").Id("v").Op("=").Id(t.Name).Values(),
		jen.If(jen.Id("d").Dot("null").Call(jen.Id("p"), jen.False()).Op("||").Op("!").Id("d").Dot("array").Call(jen.Id("p"))).Block(jen.Return()),
		jen.Id("n").Op(":=").Lit(0),
		jen.For(jen.Empty(), jen.Id("d").Dot("item").Call(jen.Id("n")), jen.Id("n").Op("++")).Block(
			jen.Id("ip").Op(":=").Id("p").Dot("elem").Call(jen.Id("n")),
			jen.Switch(jen.Id("n")).Block(cases...),
		),
	}
	if t.Tuple.MinItems > 0 {
		body = append(body, jen.Id("checkItems").Call(jen.Id("d").Dot("c"), jen.Id("p"), jen.Id("n"), jen.Lit(t.Tuple.MinItems), jen.Lit(-1)))
	}
	return jen.Comment("decodeJSON reads v, which is at p, from d: each item into its position,").Line().
		Comment("then the items after them into Rest.").Line().
		Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("decodeJSON").Params(
		jen.Id("d").Op("*").Id("decoder"), jen.Id("p").Op("*").Id("path"),
	).Block(body...).Line()
}
