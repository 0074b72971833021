package templates

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/internal/ordered"
)

// maxInline bounds how deeply the rules of one value are written out
// inline; deeper rules (only reachable through schemas that compose
// themselves) are checked on the value's JSON form instead.
const maxInline = 24

// valueKind is how the validators see a Go type.
type valueKind int

const (
	kindAny valueKind = iota
	kindString
	kindInt
	kindFloat
	kindBool
	kindTime
	kindStruct
	kindSlice
	kindMap
	kindPointer
	// kindSelfDecoding is a union or tuple: its own UnmarshalJSON picks
	// the variant, and its rules are checked on its JSON form.
	kindSelfDecoding
)

// jsonTypes is the JSON type of each kind's values (for a float, whole
// values are integers too).
var jsonTypes = map[valueKind]string{
	kindString: "string", kindInt: "integer", kindFloat: "number", kindBool: "boolean",
	kindTime: "string", kindStruct: "object", kindSlice: "array", kindMap: "object",
}

// value is a Go value the generated code checks.
type value struct {
	// expr renders the value's expression; when ptr is set it is a
	// pointer to the value, known not to be nil.
	expr func() *jen.Statement
	// text is the expression as Go text, when it is v, a field of a value
	// with text, or an item of one (textValue): the checks of its
	// presence and the loops over its items are then written as text.
	text string
	ptr  bool
	ref  *model.TypeRef
	// nonNil is set when the value is known not to be a nil slice or map.
	nonNil bool
}

// textValue is the value whose expression is text.
func textValue(text string, ptr bool, ref *model.TypeRef) value {
	return value{expr: func() *jen.Statement { return jen.Id(text) }, text: text, ptr: ptr, ref: ref}
}

// getText is what get renders, as text; "" for a value without text.
func (v value) getText() string {
	if v.text == "" || !v.ptr {
		return v.text
	}
	return "*" + v.text
}

// nilCheck starts an if statement comparing the value with nil (op is ==
// or !=).
func (v value) nilCheck(op string) *jen.Statement {
	if v.text == "" {
		return jen.If(v.get().Op(op).Nil())
	}
	var head goSource
	head.code("if ", v.getText(), " ", op, " nil")
	return head.statement()
}

// get renders the value itself.
func (v value) get() *jen.Statement {
	if v.ptr {
		return jen.Op("*").Add(v.expr())
	}
	return v.expr()
}

// operand renders the value for a selector or an index after it.
func (v value) operand() *jen.Statement {
	if v.ptr {
		return jen.Parens(v.get())
	}
	return v.expr()
}

// recv renders the value as the receiver of a pointer method.
func (v value) recv() *jen.Statement { return v.expr() }

// validation writes the Validate and validate methods of a package, and
// collects the regular expressions and the value rules they use.
type validation struct {
	types map[string]*model.Type
	// patternVars are the variables of the patterns the checks use, named
	// by the builder, in the order first used; patternExprs are their
	// patterns, by index in patternVars.
	patternVars  ordered.Set[string]
	patternExprs []string
	rules        *ruleTable
	// dynamic caches, per Rules, the rules of its keywords that are
	// checked on a value's JSON form.
	dynamic map[dynamicKey]*model.Rules
}

// dynamicKey is a Rules checked on the JSON form of a value of a kind: a
// map's JSON form also checks the keys that patternProperties leave.
type dynamicKey struct {
	rules *model.Rules
	isMap bool
}

func newValidation(pkg *model.Package) *validation {
	g := &validation{types: map[string]*model.Type{}, rules: newRuleTable(), dynamic: map[dynamicKey]*model.Rules{}}
	for _, t := range pkg.Types {
		g.types[t.Name] = t
	}
	g.rules.usePattern = g.usePattern
	return g
}

// pathVar is a variable holding the JSON pointer of a value: the
// parameter p (a *path), or a local path value.
type pathVar struct {
	name  string
	isPtr bool
}

// ptr renders the *path to pass to a check.
func (p pathVar) ptr() *jen.Statement {
	if p.isPtr {
		return jen.Id(p.name)
	}
	return jen.Op("&").Id(p.name)
}

// child renders the path one step below: p.at(key) or p.elem(i).
func (p pathVar) child(method string, arg jen.Code) *jen.Statement {
	return jen.Id(p.name).Dot(method).Call(arg)
}

// scope hands out the local variable names of one generated function.
// A name says what the variable is: its prefix (p for a path, x for a
// value read, list, i, m, k, e, n, text) and, for code about one field,
// the field's Go name (pAccountID). Names are unique in the function; a
// name already given gets a number (pAccountID2). Code that is about no
// field numbers its names from 1 (p1). Since fields have distinct names,
// adding a field to a schema renames no variable of another field.
type scope struct {
	// taken is shared by the scope of a function and those of its fields.
	taken *localNames
	// stem is the Go name of the field the code is about; "" for none.
	stem string
}

// localNames are the variable names given in one function, and, for each
// base name, the number to try first on its next claim, so that k claims
// of one base cost O(k) in all.
type localNames struct {
	used map[string]bool
	next map[string]int
}

// names returns the names taken in s's function, made on first use.
func (s *scope) names() *localNames {
	if s.taken == nil {
		s.taken = &localNames{}
	}
	return s.taken
}

// name returns a new variable name starting with prefix.
func (s *scope) name(prefix string) string {
	return s.names().claim(prefix+s.stem, s.stem == "")
}

// reserve takes names, so that no claim returns one.
func (t *localNames) reserve(names ...string) {
	if t.used == nil {
		t.used, t.next = map[string]bool{}, map[string]int{}
	}
	for _, n := range names {
		t.used[n] = true
	}
}

// claim returns base, or, when base is taken or numbered is set, base
// with the first number (from 2, or from 1 when numbered) that is not.
func (t *localNames) claim(base string, numbered bool) string {
	t.reserve()
	if !numbered && !t.used[base] {
		t.used[base] = true
		return base
	}
	first := 2
	if numbered {
		first = 1
	}
	for i := max(t.next[base], first); ; i++ {
		candidate := base + strconv.Itoa(i)
		if !t.used[candidate] {
			t.used[candidate] = true
			t.next[base] = i + 1
			return candidate
		}
	}
}

// field is the scope of the code about field f: its names carry the
// field's Go name, and stay unique in the function.
func (s *scope) field(f *model.Field) *scope {
	return &scope{taken: s.names(), stem: s.stem + f.Name}
}

// plan is the validation code of a package, made once for both the
// validation and the decoding files: the rule table must hold every rule
// either file checks on a value held as any.
type plan struct {
	g       *validation
	methods []jen.Code
	// declarations are the package-level variables the methods use.
	declarations []jen.Code
	// payloadChecks are the checks of a message payload whose type has no
	// validate method of its own (a payload of a builtin type).
	payloadChecks map[*model.Message][]jen.Code
	// extra are the rule table indices the decoder uses for properties a
	// struct has no field for, by type name.
	extra map[string]int
	// properties are, by type name, the rule table indices of the structs
	// whose properties the decoder checks by name (patternProperties,
	// propertyNames) when the struct has no field for them.
	properties map[string]int
	// nullChecks are, by type and field name, the rule table indices a
	// null read into an optional field of type any is checked against
	// (Validate takes a nil there for an absent property).
	nullChecks map[string][]int
	// variants are, by union type name, the checks of each variant's
	// rules on the value the union's decoder reads as that variant.
	variants map[string]*variantPlan
}

// variantPlan is the checks of a union's variants, in a scope that the
// decoder goes on naming its variables in.
type variantPlan struct {
	scope  *scope
	checks [][]jen.Code
}

// variantVar is the variable a union's decoder reads a variant into.
const variantVar = "x"

// variantValue is the value a union's decoder reads variant v into: a
// pointer, or a slice, map or any that is not null.
func variantValue(v *model.Variant) value {
	x := func() *jen.Statement { return jen.Id(variantVar) }
	if v.Type.Kind == model.PointerRef {
		return value{expr: x, ptr: true, ref: v.Type.Elem}
	}
	return value{expr: x, ref: v.Type, nonNil: true}
}

// planVariants writes the checks of the variants of union t.
func (pl *plan) planVariants(t *model.Type) {
	vp := &variantPlan{scope: &scope{}}
	for _, v := range t.Union.Variants {
		vp.checks = append(vp.checks, pl.g.check(vp.scope, variantValue(v), v.Rules, pathVar{name: "p", isPtr: true}, 0))
	}
	pl.variants[t.Name] = vp
}

// makePlan writes the validation code of pkg.
func makePlan(pkg *model.Package) *plan {
	g := newValidation(pkg)
	pl := &plan{g: g, payloadChecks: map[*model.Message][]jen.Code{}, extra: map[string]int{}, properties: map[string]int{}, nullChecks: map[string][]int{}, variants: map[string]*variantPlan{}}
	for _, t := range pkg.Types {
		if t.Kind == model.UnionKind {
			pl.planVariants(t)
		}
		if t.Kind == model.AliasKind || selfDecoding(t) {
			continue
		}
		pl.methods = append(pl.methods, g.methods(t)...)
		if t.Kind == model.StructKind && t.Rules != nil {
			if i := g.rules.index(t.Rules.AdditionalProperties); i != 0 {
				pl.extra[t.Name] = i
			}
			if len(t.Rules.PatternProperties) > 0 || t.Rules.PropertyNames != nil {
				pl.properties[t.Name] = g.rules.index(t.Rules)
			}
			pl.planNullChecks(t)
		}
	}
	for _, msg := range pkg.Messages {
		if msg.Payload == nil || g.hasMethods(msg.Payload) {
			continue
		}
		v := value{expr: func() *jen.Statement { return jen.Id("v") }, ptr: true, ref: msg.Payload}
		pl.payloadChecks[msg] = g.check(&scope{}, v, msg.PayloadRules, pathVar{name: "p", isPtr: true}, 0)
	}
	// Rendering the rule table numbers more rules and names patterns: done
	// here, the plan no longer changes, and files read it at once.
	pl.declarations = g.declarations()
	return pl
}

// planNullChecks numbers the rules a null in an optional field of type
// any must be checked against, where they may refuse it.
func (pl *plan) planNullChecks(t *model.Type) {
	for _, f := range t.Fields {
		if f.Required || pl.g.kindOf(f.Type) != kindAny {
			continue
		}
		for _, r := range fieldRules(t.Rules, f.JSONName) {
			if !acceptsNull(r) {
				pl.nullChecks[t.Name+"."+f.Name] = append(pl.nullChecks[t.Name+"."+f.Name], pl.g.rules.index(r))
			}
		}
	}
}

// hasMethods reports whether ref is a type with validate and decodeJSON
// methods that check msg's payload rules.
func (g *validation) hasMethods(ref *model.TypeRef) bool {
	if ref.Kind != model.NamedRef {
		return false
	}
	t := g.types[ref.Name]
	return t != nil && t.Kind != model.AliasKind && !selfDecoding(t)
}

// selfDecoding reports whether t is a union or a tuple, whose generated
// UnmarshalJSON decides what it accepts.
func selfDecoding(t *model.Type) bool {
	return t != nil && (t.Kind == model.UnionKind || t.Kind == model.TupleKind)
}

// Validate emits the Validate methods of the plan pl of pkg and the
// package-level variables they use. It returns nil for a package without
// types.
func Validate(pkg *model.Package, pl *plan) (*jen.File, error) {
	if len(pl.methods) == 0 {
		return nil, nil
	}
	f := newFile(pkg)
	for _, d := range pl.declarations {
		f.Add(d)
	}
	for _, m := range pl.methods {
		f.Add(m)
	}
	return f, nil
}

// methods writes Validate and validate for t.
func (g *validation) methods(t *model.Type) []jen.Code {
	s := &scope{}
	self := textValue("v", true, named(t.Name))
	body := g.checkKind(s, self, t.Rules, pathVar{name: "p", isPtr: true}, 0)
	// The same text for every type, less its name: written as text
	// (goSource), not as a jennifer tree per type.
	var head goSource
	head.comment(fmt.Sprintf("Validate checks v against the schema of %s and returns every violation as a *ValidationError, or nil when v is valid.", t.Name))
	head.code("func (v ", t.Name, ") Validate() error {\nvar c collector\nv.validate(&c, nil)\nreturn c.err()\n}\n\n",
		"// validate checks v, which is at p, into c.\nfunc (v *", t.Name, ") validate(c *collector, p *path)")
	return []jen.Code{head.statement().Block(body...), jen.Line()}
}

func named(name string) *model.TypeRef { return &model.TypeRef{Kind: model.NamedRef, Name: name} }

// declarations are the package-level variables the methods use.
func (g *validation) declarations() []jen.Code {
	var out []jen.Code
	// Rendering the table records the patterns its entries use.
	table := g.rules.declaration()
	if g.patternVars.Len() > 0 {
		// One declaration per pattern, not a block: gofmt would align a
		// block's lines on the longest name, so that one new pattern
		// would change them all.
		decls := jen.Comment("The patterns of the schemas, compiled once.")
		for i, name := range g.patternVars.Items() {
			decls.Line().Var().Id(name).Op("=").Qual("regexp", "MustCompile").Call(patternLiteral(g.patternExprs[i]))
		}
		out = append(out, decls, jen.Line())
	}
	if table != nil {
		out = append(out, table, jen.Line())
	}
	return out
}

// patternLiteral spells a pattern as Go source: a raw string when it can
// be one unchanged and readable (one line, no backquote, valid UTF-8, only
// printable characters and tabs: no control, format or bidirectional
// character), so backslashes stay as the spec wrote them; else an
// interpreted string, which escapes what a raw one cannot show.
func patternLiteral(pattern string) jen.Code {
	if strconv.CanBackquote(pattern) && !strings.ContainsFunc(pattern, unprintable) {
		return jen.Op("`" + pattern + "`")
	}
	return jen.Lit(pattern)
}

// unprintable reports a character other than tab that strconv.Quote
// would escape.
func unprintable(r rune) bool { return r != '\t' && !strconv.IsPrint(r) }

// usePattern returns name, the variable the builder named for pattern,
// and records that the checks use it, so that it is declared.
func (g *validation) usePattern(pattern, name string) string {
	if _, added := g.patternVars.Add(name); added {
		g.patternExprs = append(g.patternExprs, pattern)
	}
	return name
}

// resolve follows aliases to the type they name.
func (g *validation) resolve(ref *model.TypeRef) *model.TypeRef {
	for ref.Kind == model.NamedRef {
		t := g.types[ref.Name]
		if t == nil || t.Kind != model.AliasKind {
			return ref
		}
		ref = t.Underlying
	}
	return ref
}

// kindOf is how the validators see ref.
func (g *validation) kindOf(ref *model.TypeRef) valueKind {
	ref = g.resolve(ref)
	switch ref.Kind {
	case model.BuiltinRef:
		switch ref.Name {
		case "string":
			return kindString
		case "int64", "int32":
			return kindInt
		case "float64":
			return kindFloat
		case "bool":
			return kindBool
		}
	case model.TimeRef:
		return kindTime
	case model.SliceRef:
		return kindSlice
	case model.MapRef:
		return kindMap
	case model.PointerRef:
		return kindPointer
	case model.NamedRef:
		t := g.types[ref.Name]
		if selfDecoding(t) {
			return kindSelfDecoding
		}
		if t.Kind == model.StructKind {
			return kindStruct
		}
		return g.kindOf(t.Underlying)
	}
	return kindAny
}

// elemOf is the element type of a slice or map, through named types.
func (g *validation) elemOf(ref *model.TypeRef) *model.TypeRef {
	ref = g.resolve(ref)
	if ref.Kind == model.NamedRef {
		return g.elemOf(g.types[ref.Name].Underlying)
	}
	return ref.Elem
}

// check writes the checks of rules r on value v at path p: a call of the
// value's validate method when r are its type's own rules, else the
// checks themselves.
func (g *validation) check(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	if r == nil {
		return nil
	}
	if ref := g.resolve(v.ref); ref.Kind == model.NamedRef {
		if t := g.types[ref.Name]; !selfDecoding(t) && t.Rules == r {
			if isEmpty(r) {
				return nil
			}
			if v.text != "" {
				return []jen.Code{methodCall(v.text, "validate", "c", p)}
			}
			return []jen.Code{v.recv().Add(methodCall("", "validate", "c", p))}
		}
	}
	return g.checkKind(s, v, r, p, depth)
}

// checkKind writes the checks of r on v by the kind of v.
func (g *validation) checkKind(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	if isEmpty(r) {
		return nil
	}
	kind := g.kindOf(v.ref)
	switch {
	case kind == kindAny, kind == kindSelfDecoding:
		// A union or tuple is checked in its JSON form, which its own
		// MarshalJSON gives.
		return []jen.Code{g.dynamicCall(v.get(), r, p)}
	case kind == kindPointer:
		return g.checkPointer(s, v, r, p, depth)
	case depth > maxInline:
		return []jen.Code{g.dynamicCall(g.jsonForm(kind, v), r, p)}
	case (kind == kindSlice || kind == kindMap) && !v.nonNil:
		inner := v
		inner.nonNil = true
		null, checks := g.checkNull(r, p), g.checkKind(s, inner, r, p, depth)
		switch {
		case len(null) == 0 && len(checks) == 0:
			return nil
		case len(null) == 0:
			return []jen.Code{v.nilCheck("!=").Block(checks...)}
		case len(checks) == 0:
			return []jen.Code{v.nilCheck("==").Block(null...)}
		}
		return []jen.Code{v.nilCheck("==").Block(null...).Else().Block(checks...)}
	}
	if r.Never {
		return []jen.Code{jen.Id("failNever").Call(jen.Id("c"), p.ptr())}
	}
	out, ok := g.checkType(kind, v, r, p)
	if !ok {
		return out
	}
	out = append(out, g.checkValues(kind, v, r, p)...)
	switch kind {
	case kindString, kindTime:
		out = append(out, g.checkString(s, kind, v, r, p)...)
	case kindInt, kindFloat:
		out = append(out, g.checkNumber(kind, v, r, p)...)
	case kindSlice:
		out = append(out, g.checkArray(s, v, r, p, depth)...)
	case kindMap:
		out = append(out, g.checkMap(s, v, r, p, depth)...)
	case kindStruct:
		out = append(out, g.checkStruct(s, v, r, p, depth)...)
	}
	for _, part := range r.AllOf {
		out = append(out, g.check(s, v, part, p, depth+1)...)
	}
	if d := g.dynamicPart(kind, r); d != nil {
		out = append(out, g.dynamicCall(g.jsonForm(kind, v), d, p))
	}
	return out
}

// jsonForm renders v as the JSON value the rule table checks: strings,
// numbers and booleans as they are, other kinds through encoding/json.
func (g *validation) jsonForm(kind valueKind, v value) jen.Code {
	switch kind {
	case kindString, kindBool:
		return g.plain(kind, v)
	case kindInt, kindFloat:
		if ref := g.resolve(v.ref); ref.Kind == model.BuiltinRef && ref.Name == "float64" {
			return v.get()
		}
		return jen.Float64().Call(v.get())
	}
	return jen.Id("toJSONValue").Call(v.get())
}

// checkPointer checks what a pointer points to; nil is null.
func (g *validation) checkPointer(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	target := value{expr: v.get, ptr: true, ref: g.resolve(v.ref).Elem}
	if v.text != "" {
		target = textValue(v.getText(), true, target.ref)
	}
	inner := g.check(s, target, r, p, depth)
	null := g.checkNull(r, p)
	if len(inner) == 0 && len(null) == 0 {
		return nil
	}
	stmt := v.nilCheck("!=").Block(inner...)
	if len(null) > 0 {
		stmt.Else().Block(null...)
	}
	return []jen.Code{stmt}
}

// checkNull writes what null breaks of r; nothing when r allows null.
func (g *validation) checkNull(r *model.Rules, p pathVar) []jen.Code {
	if acceptsNull(r) {
		return nil
	}
	return []jen.Code{g.dynamicCall(jen.Nil(), r, p)}
}

// acceptsNull reports whether r surely allows null.
func acceptsNull(r *model.Rules) bool {
	switch {
	case r == nil:
		return true
	case r.Never, len(r.AnyOf) > 0, len(r.OneOf) > 0, r.Not != nil, r.If != nil:
		return false
	case len(r.Types) > 0 && !slices.Contains(r.Types, "null"):
		return false
	case len(r.Enum) > 0 && !slices.Contains(r.Enum, nil):
		return false
	case r.Const != nil && r.Const.Value != nil:
		return false
	}
	for _, part := range r.AllOf {
		if !acceptsNull(part) {
			return false
		}
	}
	return true
}

// checkType checks the type keyword, which the Go type settles but for
// whole numbers held in a float64. ok is false when the value can never
// have an allowed type, and nothing else needs checking.
func (g *validation) checkType(kind valueKind, v value, r *model.Rules, p pathVar) ([]jen.Code, bool) {
	if len(r.Types) == 0 {
		return nil, true
	}
	jt := jsonTypes[kind]
	switch {
	case slices.Contains(r.Types, jt), kind == kindInt && slices.Contains(r.Types, "number"):
		return nil, true
	case kind == kindFloat && slices.Contains(r.Types, "integer"):
		return []jen.Code{jen.Id("checkInteger").Call(jen.Id("c"), p.ptr(), jen.Id("float64").Call(v.get()))}, true
	}
	args := []jen.Code{jen.Id("c"), p.ptr(), jen.Lit(withArticle(jt))}
	for _, t := range r.Types {
		args = append(args, jen.Lit(t))
	}
	return []jen.Code{jen.Id("failType").Call(args...)}, false
}

// checkValues checks enum and const on strings, numbers and booleans;
// other kinds compare their JSON form (dynamicPart).
func (g *validation) checkValues(kind valueKind, v value, r *model.Rules, p pathVar) []jen.Code {
	var out []jen.Code
	if len(r.Enum) > 0 {
		if text, ok := g.enumSwitchText(kind, v, r.Enum, p); ok {
			out = append(out, text)
		} else if cases, ok := goLiterals(kind, r.Enum); ok {
			allowed := jen.Index().Any().Values(jsonLiterals(r.Enum)...)
			fail := jen.Id("failEnum").Call(jen.Id("c"), p.ptr(), g.plain(kind, v), allowed)
			if len(cases) == 0 {
				out = append(out, fail)
			} else {
				out = append(out, jen.Switch(v.get()).Block(jen.Case(cases...), jen.Default().Block(fail)))
			}
		}
	}
	if r.Const != nil {
		if lits, ok := goLiterals(kind, []any{r.Const.Value}); ok {
			fail := jen.Id("failConst").Call(jen.Id("c"), p.ptr(), g.plain(kind, v), jsonLiteral(r.Const.Value))
			switch b, isBool := r.Const.Value.(bool); {
			case len(lits) == 0:
				out = append(out, fail)
			case isBool && kind == kindBool && b:
				out = append(out, jen.If(jen.Op("!").Add(v.get())).Block(fail))
			case isBool && kind == kindBool:
				out = append(out, jen.If(v.get()).Block(fail))
			default:
				out = append(out, jen.If(v.get().Op("!=").Add(lits[0])).Block(fail))
			}
		}
	}
	return out
}

// enumSwitchText is the check of enum values on v written as text, as
// checkValues builds it, for a value with text and values of the kinds
// Go compares: a switch over the values, failEnum in its default case.
// ok is false otherwise.
func (g *validation) enumSwitchText(kind valueKind, v value, values []any, p pathVar) (jen.Code, bool) {
	if v.text == "" {
		return nil, false
	}
	cases, ok := goLiteralTexts(kind, values)
	if !ok || len(cases) == 0 {
		return nil, false
	}
	allowed := make([]string, len(values))
	for i, x := range values {
		if allowed[i], ok = jsonScalarText(x); !ok {
			return nil, false
		}
	}
	var sw goSource
	sw.code("switch ", v.getText(), " {\ncase ", strings.Join(cases, ", "), ":\ndefault:\nfailEnum(c, ")
	sw.path(p)
	sw.code(", ", g.plainText(kind, v), ", []any{", strings.Join(allowed, ", "), "})\n}")
	return sw.statement(), true
}

// jsonScalarText is jsonLiteral's rendering of a JSON null, boolean,
// number or string, as text; ok is false for arrays and objects.
func jsonScalarText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "nil", true
	case string:
		return strconv.Quote(x), true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return floatText(x), true
	case int64:
		if x >= -(1<<53) && x <= 1<<53 {
			return floatText(float64(x)), true
		}
		return "int64(" + strconv.FormatInt(x, 10) + ")", true
	}
	return "", false
}

// plainText is what plain renders for a value with text.
func (g *validation) plainText(kind valueKind, v value) string {
	get := v.getText()
	if g.resolve(v.ref).Kind == model.BuiltinRef {
		return get
	}
	switch kind {
	case kindString:
		return "string(" + get + ")"
	case kindInt:
		return "int64(" + get + ")"
	case kindFloat:
		return "float64(" + get + ")"
	case kindBool:
		return "bool(" + get + ")"
	}
	return get
}

// plain converts a value of a defined type to its builtin, for messages.
func (g *validation) plain(kind valueKind, v value) *jen.Statement {
	if g.resolve(v.ref).Kind == model.BuiltinRef {
		return v.get()
	}
	switch kind {
	case kindString:
		return jen.String().Call(v.get())
	case kindInt:
		return jen.Int64().Call(v.get())
	case kindFloat:
		return jen.Float64().Call(v.get())
	case kindBool:
		return jen.Bool().Call(v.get())
	}
	return v.get()
}

// goLiterals renders the values a value of kind can equal, as Go
// literals without repeats. ok is false for kinds compared as JSON.
func goLiterals(kind valueKind, values []any) ([]jen.Code, bool) {
	texts, ok := goLiteralTexts(kind, values)
	out := make([]jen.Code, len(texts))
	for i, text := range texts {
		out[i] = jen.Op(text)
	}
	return out, ok
}

// goLiteralTexts is the text of goLiterals' literals.
func goLiteralTexts(kind valueKind, values []any) ([]string, bool) {
	var out []string
	seen := make(map[string]bool, len(values))
	add := func(text string) {
		if !seen[text] {
			seen[text] = true
			out = append(out, text)
		}
	}
	for _, e := range values {
		switch x := e.(type) {
		case string:
			if kind == kindString {
				add(strconv.Quote(x))
			}
		case int64:
			switch kind {
			case kindInt:
				add(strconv.FormatInt(x, 10))
			case kindFloat:
				add(floatText(float64(x)))
			}
		case float64:
			switch {
			case kind == kindInt && x == math.Trunc(x) && math.Abs(x) < 1<<63:
				add(strconv.FormatInt(int64(x), 10))
			case kind == kindFloat:
				add(floatText(x))
			}
		case bool:
			if kind == kindBool {
				add(strconv.FormatBool(x))
			}
		}
	}
	switch kind {
	case kindString, kindInt, kindFloat, kindBool:
		return out, true
	}
	return nil, false
}

func floatText(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !slices.ContainsFunc([]rune(s), func(r rune) bool { return r == '.' || r == 'e' }) {
		s += ".0"
	}
	return s
}

func (g *validation) checkString(s *scope, kind valueKind, v value, r *model.Rules, p pathVar) []jen.Code {
	if r.Pattern == "" && r.MinLength == nil && r.MaxLength == nil && r.Format == "" {
		return nil // nothing to check (and no string to build for it)
	}
	str := jen.String().Call(v.get())
	var out []jen.Code
	if kind == kindTime {
		if r.Pattern == "" && r.MinLength == nil && r.MaxLength == nil {
			return nil
		}
		name := s.name("text")
		out = append(out, jen.Id(name).Op(":=").Add(v.operand()).Dot("Format").Call(jen.Qual("time", "RFC3339Nano")))
		str = jen.Id(name)
	}
	if r.MinLength != nil || r.MaxLength != nil {
		out = append(out, jen.Id("checkLength").Call(jen.Id("c"), p.ptr(), str.Clone(), bound(r.MinLength), bound(r.MaxLength)))
	}
	if r.Pattern != "" {
		out = append(out, jen.Id("checkPattern").Call(jen.Id("c"), p.ptr(), str.Clone(), jen.Id(g.usePattern(r.Pattern, r.PatternVar))))
	}
	if r.Format != "" && kind == kindString {
		out = append(out, jen.Id("checkFormat").Call(jen.Id("c"), p.ptr(), str.Clone(), jen.Lit(r.Format), jen.Id(formatFuncs[r.Format])))
	}
	return out
}

// formatFuncs are the support functions that check each format.
var formatFuncs = map[string]string{
	"date-time": "isDateTime", "date": "isDate", "time": "isTime", "email": "isEmail", "uri": "isURI",
	"uuid": "isUUID", "ipv4": "isIPv4", "ipv6": "isIPv6", "hostname": "isHostname",
}

// bound renders an optional length as an int, -1 for none.
func bound(n *uint64) jen.Code {
	if n == nil {
		return jen.Lit(-1)
	}
	return jen.Lit(int(min(*n, math.MaxInt32)))
}

// checkNumber checks the numeric bounds. An integer value compares
// exactly with a bound the spec writes as a whole number; other bounds
// and values compare as float64s.
func (g *validation) checkNumber(kind valueKind, v value, r *model.Rules, p pathVar) []jen.Code {
	var out []jen.Code
	add := func(fn string, b *float64, exact *int64) {
		switch {
		case exact != nil && kind == kindInt:
			out = append(out, jen.Id(fn+"Int").Call(jen.Id("c"), p.ptr(), v.get(), jen.Op(strconv.FormatInt(*exact, 10))))
		case b != nil:
			out = append(out, jen.Id(fn).Call(jen.Id("c"), p.ptr(), v.get(), jen.Op(floatText(*b))))
		}
	}
	add("checkMinimum", r.Minimum, r.MinimumInt)
	add("checkMaximum", r.Maximum, r.MaximumInt)
	add("checkExclusiveMinimum", r.ExclusiveMinimum, r.ExclusiveMinimumInt)
	add("checkExclusiveMaximum", r.ExclusiveMaximum, r.ExclusiveMaximumInt)
	add("checkMultipleOf", r.MultipleOf, r.MultipleOfInt)
	return out
}

func (g *validation) checkArray(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	var out []jen.Code
	if r.MinItems != nil || r.MaxItems != nil {
		out = append(out, jen.Id("checkItems").Call(jen.Id("c"), p.ptr(), jen.Len(v.get()), bound(r.MinItems), bound(r.MaxItems)))
	}
	elem := g.elemOf(v.ref)
	if r.UniqueItems {
		fn := "checkUniqueJSON"
		switch g.kindOf(elem) {
		case kindString, kindInt, kindFloat, kindBool:
			fn = "checkUnique"
		}
		out = append(out, jen.Id(fn).Call(jen.Id("c"), p.ptr(), v.get()))
	}
	if r.Items != nil && len(r.PrefixItems) == 0 {
		i, ip := s.name("i"), s.name("p")
		item := value{expr: func() *jen.Statement { return v.operand().Index(jen.Id(i)) }, ref: elem}
		if v.text != "" {
			operand := v.text
			if v.ptr {
				operand = "(*" + v.text + ")"
			}
			item = textValue(operand+"["+i+"]", false, elem)
		}
		body := g.check(s, item, r.Items, pathVar{name: ip}, depth+1)
		if len(body) > 0 {
			out = append(out, g.itemLoop(v, i, ip, p, body))
		}
	}
	return out
}

func (g *validation) checkMap(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	var out []jen.Code
	if r.MinProperties != nil || r.MaxProperties != nil {
		out = append(out, jen.Id("checkProperties").Call(jen.Id("c"), p.ptr(), jen.Len(v.get()), bound(r.MinProperties), bound(r.MaxProperties)))
	}
	elem := g.elemOf(v.ref)
	for _, name := range r.Required {
		kp := s.name("p")
		out = append(out, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Add(v.operand()).Index(jen.Lit(name)), jen.Op("!").Id("ok")).Block(
			jen.Id(kp).Op(":=").Add(p.child("at", jen.Lit(name))),
			jen.Id("failRequired").Call(jen.Id("c"), pathVar{name: kp}.ptr()),
		))
	}
	for _, prop := range r.Properties {
		e, kp := s.name("e"), s.name("p")
		body := g.check(s, value{expr: func() *jen.Statement { return jen.Id(e) }, ref: elem}, prop.Rules, pathVar{name: kp}, depth+1)
		if len(body) > 0 {
			body = append([]jen.Code{jen.Id(kp).Op(":=").Add(p.child("at", jen.Lit(prop.Name)))}, body...)
			out = append(out, jen.If(jen.List(jen.Id(e), jen.Id("ok")).Op(":=").Add(v.operand()).Index(jen.Lit(prop.Name)), jen.Id("ok")).Block(body...))
		}
	}
	if (r.NoAdditionalProperties || r.AdditionalProperties != nil) && len(r.PatternProperties) == 0 {
		out = append(out, g.checkMapRest(s, v, elem, r, p, depth)...)
	}
	return out
}

// checkMapRest checks the keys of a map that r does not name.
func (g *validation) checkMapRest(s *scope, v value, elem *model.TypeRef, r *model.Rules, p pathVar, depth int) []jen.Code {
	k, e, kp := s.name("k"), s.name("e"), s.name("p")
	var body []jen.Code
	if r.NoAdditionalProperties {
		body = []jen.Code{jen.Id("failAdditional").Call(jen.Id("c"), pathVar{name: kp}.ptr())}
	} else {
		body = g.check(s, value{expr: func() *jen.Statement { return jen.Id(e) }, ref: elem}, r.AdditionalProperties, pathVar{name: kp}, depth+1)
	}
	if len(body) == 0 {
		return nil
	}
	var names []jen.Code
	for _, prop := range r.Properties {
		names = append(names, jen.Lit(prop.Name))
	}
	loop := []jen.Code{}
	if len(names) > 0 {
		loop = append(loop, jen.Switch(jen.Id(k)).Block(jen.Case(names...).Block(jen.Continue())))
	}
	loop = append(loop, jen.Id(kp).Op(":=").Add(p.child("at", jen.Id(k))))
	loop = append(loop, body...)
	eName := e
	if r.NoAdditionalProperties {
		eName = "_"
	}
	return []jen.Code{
		jen.Id("c").Dot("unordered").Call(jen.Len(v.get())),
		jen.For(jen.List(jen.Id(k), jen.Id(eName)).Op(":=").Range().Add(v.get())).Block(loop...),
	}
}

// checkStruct checks object rules on a struct, matching properties to
// fields by JSON name. A property the struct has no field for cannot be
// checked here: the decoder checks what it can of those.
func (g *validation) checkStruct(s *scope, v value, r *model.Rules, p pathVar, depth int) []jen.Code {
	t := g.types[g.resolve(v.ref).Name]
	fields := map[string]*model.Field{}
	for _, f := range t.Fields {
		fields[f.JSONName] = f
	}
	var out []jen.Code
	if r.MinProperties != nil || r.MaxProperties != nil {
		out = append(out, g.countFields(s, v, t, r, p)...)
	}
	for _, name := range r.Required {
		// A nil any is null when required: the decoder checks presence.
		if f := fields[name]; f != nil && g.nilable(f.Type) && !(f.Required && f.Nullable) && !(f.Required && g.kindOf(f.Type) == kindAny) {
			kp := s.field(f).name("p")
			out = append(out, jen.If(v.recv().Dot(f.Name).Op("==").Nil()).Block(
				jen.Id(kp).Op(":=").Add(p.child("at", jen.Lit(name))),
				jen.Id("failRequired").Call(jen.Id("c"), pathVar{name: kp}.ptr()),
			))
		}
	}
	known := map[string]bool{}
	for _, prop := range r.Properties {
		known[prop.Name] = true
		if f := fields[prop.Name]; f != nil {
			out = append(out, g.checkField(s.field(f), v, f, prop.Rules, p, depth)...)
		}
	}
	for _, f := range t.Fields {
		if known[f.JSONName] {
			continue
		}
		switch {
		case r.NoAdditionalProperties:
			kp := s.field(f).name("p")
			fail := []jen.Code{jen.Id(kp).Op(":=").Add(p.child("at", jen.Lit(f.JSONName))), jen.Id("failAdditional").Call(jen.Id("c"), pathVar{name: kp}.ptr())}
			if present := g.present(v, f); present != nil {
				out = append(out, jen.If(present).Block(fail...))
			} else {
				out = append(out, fail...)
			}
		case r.AdditionalProperties != nil:
			out = append(out, g.checkField(s.field(f), v, f, r.AdditionalProperties, p, depth)...)
		}
	}
	return out
}

// nilable reports whether a field's nil value stands for an absent or
// null property.
func (g *validation) nilable(ref *model.TypeRef) bool {
	switch g.kindOf(ref) {
	case kindPointer, kindSlice, kindMap, kindAny:
		return true
	}
	return false
}

// present is the condition under which field f's property is in the
// object; nil when it always is.
func (g *validation) present(v value, f *model.Field) *jen.Statement {
	if !g.nilable(f.Type) || (f.Required && f.Nullable) {
		return nil
	}
	return v.recv().Dot(f.Name).Op("!=").Nil()
}

// countFields checks minProperties and maxProperties on the fields that
// are present.
func (g *validation) countFields(s *scope, v value, t *model.Type, r *model.Rules, p pathVar) []jen.Code {
	n := s.name("n")
	always := 0
	var adds []jen.Code
	for _, f := range t.Fields {
		if present := g.present(v, f); present != nil {
			adds = append(adds, jen.If(present).Block(jen.Id(n).Op("++")))
		} else {
			always++
		}
	}
	out := []jen.Code{jen.Id(n).Op(":=").Lit(always)}
	out = append(out, adds...)
	return append(out, jen.Id("checkProperties").Call(jen.Id("c"), p.ptr(), jen.Id(n), bound(r.MinProperties), bound(r.MaxProperties)))
}

// itemLoop is the loop that checks, with body, each item i of array v,
// whose path is ip below p.
func (g *validation) itemLoop(v value, i, ip string, p pathVar, body []jen.Code) jen.Code {
	if v.text == "" {
		body = append([]jen.Code{jen.Id(ip).Op(":=").Add(p.child("elem", jen.Id(i)))}, body...)
		return jen.For(jen.Id(i).Op(":=").Range().Add(v.get())).Block(body...)
	}
	var head, elem goSource
	head.code("for ", i, " := range ", v.getText())
	elem.code(ip, " := ", p.name, ".elem(", i, ")")
	return head.statement().Block(append([]jen.Code{elem.statement()}, body...)...)
}

// checkField checks rules r on the property field f holds.
func (g *validation) checkField(s *scope, v value, f *model.Field, r *model.Rules, p pathVar, depth int) []jen.Code {
	field := func() *jen.Statement { return v.recv().Dot(f.Name) }
	fv := value{expr: field, ref: f.Type}
	if v.text != "" {
		fv = textValue(v.text+"."+f.Name, false, f.Type)
		field = fv.expr
	}
	kind := g.kindOf(f.Type)
	if !g.nilable(f.Type) || (kind == kindAny && f.Required) {
		return g.atField(s, f, p, func(kp pathVar) []jen.Code { return g.check(s, fv, r, kp, depth+1) })
	}
	// Nil is null when the property is required and nullable, and an
	// absent property otherwise.
	inner := g.atField(s, f, p, func(kp pathVar) []jen.Code {
		if kind == kindPointer {
			pointer := value{expr: field, ptr: true, ref: g.resolve(f.Type).Elem}
			if fv.text != "" {
				pointer = textValue(fv.text, true, pointer.ref)
			}
			return g.check(s, pointer, r, kp, depth+1)
		}
		fv.nonNil = true
		return g.check(s, fv, r, kp, depth+1)
	})
	var null []jen.Code
	if f.Required && f.Nullable {
		null = g.atField(s, f, p, func(kp pathVar) []jen.Code { return g.checkNull(r, kp) })
	}
	if len(inner) == 0 && len(null) == 0 {
		return nil
	}
	stmt := fv.nilCheck("!=").Block(inner...)
	if len(null) > 0 {
		stmt.Else().Block(null...)
	}
	return []jen.Code{stmt}
}

// atField writes checks at the path of field f, declaring the path only
// when there are checks.
func (g *validation) atField(s *scope, f *model.Field, p pathVar, checks func(pathVar) []jen.Code) []jen.Code {
	kp := pathVar{name: s.name("p")}
	body := checks(kp)
	if len(body) == 0 {
		return nil
	}
	var decl goSource
	decl.childPath(kp.name, p, f.JSONName)
	return append([]jen.Code{decl.statement()}, body...)
}

// dynamicPart is what of r is checked on the value's JSON form: anyOf,
// oneOf, not, the applicators (hasApplicators), and enum and const on
// kinds Go cannot compare with literals. It is nil when there is none.
func (g *validation) dynamicPart(kind valueKind, r *model.Rules) *model.Rules {
	simple := kind == kindString || kind == kindInt || kind == kindFloat || kind == kindBool
	hasValues := !simple && (len(r.Enum) > 0 || r.Const != nil)
	if !hasValues && len(r.AnyOf) == 0 && len(r.OneOf) == 0 && r.Not == nil && !hasApplicators(r) {
		return nil
	}
	key := dynamicKey{rules: r, isMap: kind == kindMap}
	if d, ok := g.dynamic[key]; ok {
		return d
	}
	d := &model.Rules{Source: r.Source, AnyOf: r.AnyOf, OneOf: r.OneOf, Not: r.Not, Discriminator: r.Discriminator,
		PrefixItems: r.PrefixItems, Contains: r.Contains, MinContains: r.MinContains, MaxContains: r.MaxContains,
		PatternProperties: r.PatternProperties, PropertyNames: r.PropertyNames,
		DependentRequired: r.DependentRequired, DependentSchemas: r.DependentSchemas, If: r.If, Then: r.Then, Else: r.Else}
	if len(r.PrefixItems) > 0 {
		// The items after the prefix: checked here, not on every item.
		d.Items = r.Items
	}
	if kind == kindMap && len(r.PatternProperties) > 0 {
		// Keys that match a pattern are not additional: checkMap leaves
		// the other keys to this check. Named properties count as known
		// (their rules are checked by checkMap).
		d.NoAdditionalProperties, d.AdditionalProperties = r.NoAdditionalProperties, r.AdditionalProperties
		for _, prop := range r.Properties {
			d.Properties = append(d.Properties, &model.PropertyRules{Name: prop.Name})
		}
	}
	if hasValues {
		d.Enum, d.Const = r.Enum, r.Const
	}
	d.TableConst = r.JSONTableConst
	if key.isMap {
		d.TableConst = r.MapJSONTableConst
	}
	g.dynamic[key] = d
	return d
}

// dynamicCall checks a value held as any (or made into its JSON form)
// with the rule table.
func (g *validation) dynamicCall(x jen.Code, r *model.Rules, p pathVar) jen.Code {
	return jen.Id("schemaRules").Dot("check").Call(jen.Id("c"), p.ptr(), x, g.rules.ref(r))
}

// isEmpty reports whether r checks nothing.
func isEmpty(r *model.Rules) bool {
	return r == nil || (!r.Never && len(r.Types) == 0 && len(r.Enum) == 0 && r.Const == nil && r.Format == "" &&
		r.Pattern == "" && r.MinLength == nil && r.MaxLength == nil && r.Minimum == nil && r.Maximum == nil &&
		r.ExclusiveMinimum == nil && r.ExclusiveMaximum == nil && r.MultipleOf == nil && r.MinItems == nil &&
		r.MaxItems == nil && !r.UniqueItems && allEmpty([]*model.Rules{r.Items}) && len(r.Required) == 0 &&
		allEmpty(propertyRules(r.Properties)) && allEmpty([]*model.Rules{r.AdditionalProperties}) &&
		!r.NoAdditionalProperties && r.MinProperties == nil && r.MaxProperties == nil && allEmpty(r.AllOf) &&
		len(r.AnyOf) == 0 && len(r.OneOf) == 0 && r.Not == nil && !hasApplicators(r))
}

// hasApplicators reports whether r has keywords that are always checked
// on a value's JSON form: prefixItems, contains, patternProperties,
// propertyNames, dependentRequired, dependentSchemas and if.
func hasApplicators(r *model.Rules) bool {
	return len(r.PrefixItems) > 0 || r.Contains != nil || len(r.PatternProperties) > 0 || r.PropertyNames != nil ||
		len(r.DependentRequired) > 0 || len(r.DependentSchemas) > 0 || r.If != nil
}

// allEmpty reports whether every rules checks nothing, without following
// cycles: a rules that refers back to itself is taken as empty there.
func allEmpty(rs []*model.Rules) bool {
	for _, r := range rs {
		if r != nil && !emptyGuarded(r, map[*model.Rules]bool{}) {
			return false
		}
	}
	return true
}

func emptyGuarded(r *model.Rules, seen map[*model.Rules]bool) bool {
	if r == nil || seen[r] {
		return true
	}
	seen[r] = true
	shallow := *r
	shallow.Items, shallow.Properties, shallow.AdditionalProperties, shallow.AllOf = nil, nil, nil, nil
	if !isEmpty(&shallow) {
		return false
	}
	children := append([]*model.Rules{r.Items, r.AdditionalProperties}, r.AllOf...)
	children = append(children, propertyRules(r.Properties)...)
	for _, c := range children {
		if !emptyGuarded(c, seen) {
			return false
		}
	}
	return true
}

func propertyRules(props []*model.PropertyRules) []*model.Rules {
	out := make([]*model.Rules, len(props))
	for i, p := range props {
		out[i] = p.Rules
	}
	return out
}

// jsonLiterals renders JSON values as Go values of type any.
func jsonLiterals(values []any) []jen.Code {
	out := make([]jen.Code, len(values))
	for i, v := range values {
		out[i] = jsonLiteral(v)
	}
	return out
}

func jsonLiteral(v any) jen.Code {
	switch x := v.(type) {
	case nil:
		return jen.Nil()
	case string:
		return jen.Lit(x)
	case bool:
		return jen.Lit(x)
	case float64:
		return jen.Op(floatText(x))
	case int64:
		// Compared with decoded JSON values, which hold numbers as
		// float64: an integer a float64 holds exactly is one, a larger
		// one keeps its digits (the rule table compares it exactly with
		// integers whose digits are known, messages quote it).
		if x >= -(1<<53) && x <= 1<<53 {
			return jen.Op(floatText(float64(x)))
		}
		return jen.Lit(x) // int64(...)
	case []any:
		return jen.Index().Any().Values(jsonLiterals(x)...)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		items := make([]jen.Code, len(keys))
		for i, k := range keys {
			items[i] = jen.Line().Lit(k).Op(":").Add(jsonLiteral(x[k]))
		}
		if len(items) > 0 {
			items[len(items)-1] = jen.Line().Lit(keys[len(keys)-1]).Op(":").Add(jsonLiteral(x[keys[len(keys)-1]])).Op(",").Line()
		}
		return jen.Map(jen.String()).Any().Values(items...)
	}
	return jen.Lit(fmt.Sprint(v))
}

// validationRoots are the support declarations the validation file always
// carries: the error types are API even where no check needs them.
var validationRoots = []string{"ValidationError", "Violation", "collector", "path"}
