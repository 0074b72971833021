package generator

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// builder turns loaded documents into one model.Package.
type builder struct {
	names *namer
	// types hands out package-level type names.
	types *scope
	// values hands out the other package-level names (constants, funcs),
	// after every type is named.
	values *scope
	pkg    *model.Package
	doc    *document.Document
	// source renders a location relative to the output directory.
	source func(document.Location) string
	// named maps each schema that became a named type to it.
	named map[*document.Schema]*model.Type
	// overrides maps schemas to type names given by x-go-name or config.
	overrides map[string]string
	// overridden maps each name x-go-name or typeNames gave to the
	// override that gave it (where it is written, or its typeNames key),
	// so that the same override may give it again when several specs
	// merged into one package share a file or a component name (their
	// types are declared once per spec, as Name, Name2, ...).
	overridden map[string]string
	enums      []*model.Type
	messages   *scope
	// byName and messageOf index what is built so far.
	byName     map[string]*model.Type
	components map[*document.Schema]bool
	messageOf  map[*document.Message]*model.Message
	// messageHint names messages that have no name of their own.
	messageHint map[*document.Message]string
	// replies are the replies built, with what they were built from, and
	// channelOf maps each channel to what it became: to find a reply's
	// dispatch (messages.go).
	replies   []builtReply
	channelOf map[*document.Channel]*model.Channel
	// rules holds what validation and decoding need (rules.go).
	rules *rulesBuilder
	// pendingVariants are the union variants, with their schemas, that
	// addRules has yet to give rules.
	pendingVariants []pendingVariant
	// patternUses are, per distinct pattern of the rules built, the
	// fields to set to the name of its variable; patternOrder lists the
	// patterns in the order met (naming.go).
	patternUses  map[string][]*string
	patternOrder []string
}

// pendingVariant is a union variant and its schema.
type pendingVariant struct {
	variant *model.Variant
	schema  *document.Schema
}

// reservedFieldNames are method names the emitters may give a struct; a
// field of the same name would not compile.
var reservedFieldNames = []string{"Validate", "MarshalJSON", "UnmarshalJSON", "String"}

func newBuilder(pkg *model.Package, names *namer, overrides map[string]string) *builder {
	return &builder{
		names:       names,
		types:       newScope(pkg.Reserved...),
		values:      newScope(pkg.Reserved...),
		pkg:         pkg,
		named:       map[*document.Schema]*model.Type{},
		overrides:   overrides,
		overridden:  map[string]string{},
		messages:    newScope(),
		byName:      map[string]*model.Type{},
		messageOf:   map[*document.Message]*model.Message{},
		channelOf:   map[*document.Channel]*model.Channel{},
		patternUses: map[string][]*string{},
	}
}

// addDocument adds a document's types, messages and channels to the
// package. source renders a location the way generated comments show it.
func (b *builder) addDocument(doc *document.Document, source func(document.Location) string) error {
	b.doc, b.source = doc, source
	if err := collapseSelfReferences(doc); err != nil {
		return err
	}
	b.components = make(map[*document.Schema]bool, len(doc.Schemas))
	for _, s := range doc.Schemas {
		b.components[s.Schema.Value] = true
	}
	for _, s := range doc.Schemas {
		if _, err := b.componentType(s); err != nil {
			return err
		}
	}
	b.messageHint = b.messageHints(doc)
	for _, m := range doc.Messages {
		msg, err := b.message(m)
		if err != nil {
			return err
		}
		b.pkg.Messages = append(b.pkg.Messages, msg)
		b.messageOf[m] = msg
	}
	firstChannel := len(b.pkg.Channels)
	if err := b.channels(doc); err != nil {
		return err
	}
	b.servers(doc)
	return b.addRules(b.pkg.Channels[firstChannel:])
}

// finish names what is named after the types (pattern variables, enum
// constants and helper functions), and makes recursive struct fields pointers.
func (b *builder) finish() {
	for _, t := range b.pkg.Types {
		b.values.claim(t.Name)
	}
	b.namePatterns()
	for _, t := range b.enums {
		b.nameEnumValues(t)
	}
	breakAliasCycles(b.pkg.Types)
	breakValueCycles(b.pkg.Types)
	b.nameDecoders()
	b.replyDispatches()
	b.nameReceivers()
	b.nameMethods()
}

func (b *builder) componentType(s *document.NamedSchema) (*model.Type, error) {
	v := s.Schema.Value
	if t, ok := b.named[v]; ok {
		if s.Schema.Ref == "" {
			return t, nil
		}
		// An alias component: type A = B.
		name := b.types.claim(b.names.typeName(s.Name))
		return b.declare(&model.Type{
			Name:       name,
			Kind:       model.AliasKind,
			Underlying: &model.TypeRef{Kind: model.NamedRef, Name: t.Name},
			Doc:        fmt.Sprintf("%s is another name for %s.", name, t.Name),
		}), nil
	}
	return b.namedType(v, s.Name)
}

// namedType declares the named Go type for schema v, suggested name hint.
func (b *builder) namedType(v *document.Schema, hint string) (*model.Type, error) {
	if t, ok := b.named[v]; ok {
		return t, nil
	}
	info := b.doc.SchemaInfo[v]
	name := b.names.typeName(hint)
	override, err := b.typeOverride(v)
	if err != nil {
		return nil, err
	}
	if override != "" {
		name = override
	}
	if name == "" {
		name = "Schema"
	}
	t := &model.Type{Name: b.types.claim(name), Doc: schemaDoc(v), Source: b.source(info.Loc)}
	b.named[v] = t
	b.declare(t)
	if err := b.fillType(t, v); err != nil {
		return nil, err
	}
	return t, nil
}

func (b *builder) declare(t *model.Type) *model.Type {
	b.pkg.Types = append(b.pkg.Types, t)
	b.byName[t.Name] = t
	return t
}

// fillType decides what kind of declaration t is from its schema.
func (b *builder) fillType(t *model.Type, v *document.Schema) error {
	if done, err := b.fillComposed(t, v); done {
		return err
	}
	switch shape := shapeOf(v); shape {
	case shapeStruct:
		t.Kind = model.StructKind
		return b.fillStruct(t, v)
	case shapeEnum:
		return b.fillEnum(t, v)
	default:
		ref, err := b.anonymous(v, t.Name)
		if err != nil {
			return err
		}
		t.Kind, t.Underlying = model.DefinedKind, ref
		if ref.Kind == model.AnyRef || ref.Kind == model.NamedRef {
			// A defined type over a named type would lose its methods.
			t.Kind = model.AliasKind
		}
		return nil
	}
}

// typeRef maps a schema use to a Go type. Named schemas ($refs) become
// their named types; inline objects and enums become named types called
// hint; everything else maps to a builtin, slice or map.
func (b *builder) typeRef(r *document.SchemaRef, hint string) (*model.TypeRef, error) {
	v := r.Value
	if r.Ref != "" {
		if !needsName(v) && b.named[v] == nil && !b.isComponent(v) {
			return b.anonymous(v, hint)
		}
		t, err := b.namedType(v, b.doc.SchemaInfo[v].Name)
		if err != nil {
			return nil, err
		}
		return named(t), nil
	}
	if needsName(v) {
		t, err := b.namedType(v, hint)
		if err != nil {
			return nil, err
		}
		return named(t), nil
	}
	return b.anonymous(v, hint)
}

// isComponent reports whether v is declared under components.schemas.
func (b *builder) isComponent(v *document.Schema) bool { return b.components[v] }

func named(t *model.Type) *model.TypeRef {
	return &model.TypeRef{Kind: model.NamedRef, Name: t.Name}
}

// anonymous maps a schema that needs no name of its own.
func (b *builder) anonymous(v *document.Schema, hint string) (*model.TypeRef, error) {
	if v.Always != nil {
		return &model.TypeRef{Kind: model.AnyRef}, nil
	}
	if ref, ok, err := b.composedRef(v, hint); ok {
		return ref, err
	}
	switch baseType(v) {
	case "string":
		if v.Format == "date-time" {
			return &model.TypeRef{Kind: model.TimeRef}, nil
		}
		return builtin("string"), nil
	case "integer":
		if v.Format == "int32" {
			return builtin("int32"), nil
		}
		return builtin("int64"), nil
	case "number":
		return builtin("float64"), nil
	case "boolean":
		return builtin("bool"), nil
	case "array":
		return b.arrayRef(v, hint)
	case "object":
		return b.mapRef(v, hint)
	}
	return &model.TypeRef{Kind: model.AnyRef}, nil
}

func builtin(name string) *model.TypeRef {
	return &model.TypeRef{Kind: model.BuiltinRef, Name: name}
}

func (b *builder) arrayRef(v *document.Schema, hint string) (*model.TypeRef, error) {
	if v.Items == nil || len(v.PrefixItems) > 0 {
		return &model.TypeRef{Kind: model.SliceRef, Elem: &model.TypeRef{Kind: model.AnyRef}}, nil
	}
	elem, err := b.typeRef(v.Items, hint+"Item")
	if err != nil {
		return nil, err
	}
	return &model.TypeRef{Kind: model.SliceRef, Elem: elem}, nil
}

// mapRef maps an object with no properties: map[string]T where
// additionalProperties gives T, else map[string]any.
func (b *builder) mapRef(v *document.Schema, hint string) (*model.TypeRef, error) {
	elem, err := b.mapValueType(v, hint)
	if err != nil {
		return nil, err
	}
	return &model.TypeRef{Kind: model.MapRef, Elem: elem}, nil
}

// message maps a message, naming an inline payload after the message.
func (b *builder) message(m *document.Message) (*model.Message, error) {
	wire := m.Name
	if wire == "" {
		wire = m.Key
	}
	goName := b.names.exported(wire)
	if goName == "" {
		goName = b.messageHint[m]
	}
	if goName == "" {
		goName = "Message"
	}
	msg := &model.Message{
		Name: b.messages.claim(goName), WireName: wire, Title: m.Title, Summary: m.Summary,
		Description: m.Description, ContentType: m.ContentType, Source: b.source(m.Loc),
		CorrelationIDLocation: m.CorrelationID,
	}
	var err error
	if m.Payload != nil {
		if msg.Payload, err = b.rootRef(m.Payload, msg.Name+"Payload"); err != nil {
			return nil, err
		}
	}
	if m.Headers != nil {
		if msg.Headers, err = b.rootRef(m.Headers, msg.Name+"Headers"); err != nil {
			return nil, err
		}
		msg.IdempotencyHeader = idempotencyHeader(m.Headers.Value)
	}
	if err := b.messageBindings(msg, m.Bindings); err != nil {
		return nil, err
	}
	msg.Examples, err = examples(m)
	return msg, err
}

// rootRef maps a payload or headers schema: always a named type, so that
// even a string payload has a name to hang methods on.
func (b *builder) rootRef(r *document.SchemaRef, hint string) (*model.TypeRef, error) {
	if r.Ref != "" {
		return b.typeRef(r, hint)
	}
	t, err := b.namedType(r.Value, hint)
	if err != nil {
		return nil, err
	}
	return named(t), nil
}

func (b *builder) channels(doc *document.Document) error {
	chNames := newScope()
	opNames := newScope()
	for _, ch := range doc.Channels {
		c := &model.Channel{Name: ch.Name, GoName: chNames.claim(b.exportedOr(channelKey(ch), "Channel")), Description: ch.Description}
		for _, prm := range ch.Parameters {
			p, err := channelParameter(prm.Name, prm.Description, prm.Schema)
			if err != nil {
				return err
			}
			c.Parameters = append(c.Parameters, p)
		}
		channelBindings(c, ch.Bindings)
		for _, op := range ch.AllOperations() {
			o := b.operation(op, c, opNames)
			c.Operations = append(c.Operations, o)
			giveReply(o)
		}
		b.pkg.Channels = append(b.pkg.Channels, c)
		b.channelOf[ch] = c
	}
	return nil
}

func (b *builder) operation(op *document.Operation, ch *model.Channel, names *scope) *model.Operation {
	o := &model.Operation{ID: op.OperationID, Summary: op.Summary, Description: op.Description, Direction: model.Send}
	verb := "Send"
	if op.Receives() {
		o.Direction, verb = model.Receive, "Receive"
	}
	goName := b.names.exported(op.OperationID)
	if goName == "" {
		goName = verb + ch.GoName
	}
	o.GoName = names.claim(goName)
	for _, m := range op.Messages {
		o.Messages = append(o.Messages, b.messageOf[m])
	}
	for _, s := range op.Security {
		o.Security = append(o.Security, s.Scheme)
	}
	operationBindings(o, op.Bindings)

	o.Reply = b.reply(op.Reply)
	return o
}

// channelKey is what a channel's Go name is made from: its key under
// channels (3.x), else its name.
func channelKey(ch *document.Channel) string {
	if ch.Key != "" {
		return ch.Key
	}
	return ch.Name
}

func (b *builder) exportedOr(s, fallback string) string {
	if name := b.names.exported(s); name != "" {
		return name
	}
	return fallback
}

func (b *builder) servers(doc *document.Document) {
	for _, s := range doc.Servers {
		srv := &model.Server{Name: s.Name, URL: s.URL, Protocol: s.Protocol, Description: s.Description}
		for _, req := range s.Security {
			srv.Security = append(srv.Security, req.Scheme)
		}
		b.pkg.Servers = append(b.pkg.Servers, srv)
	}
	for _, s := range doc.SecuritySchemes {
		b.pkg.SecuritySchemes = append(b.pkg.SecuritySchemes, &model.SecurityScheme{
			Name: s.Name, Type: s.Type, Description: s.Description, Scheme: s.Scheme,
			BearerFormat: s.BearerFormat, In: s.In, ParamName: s.ParamName,
		})
	}
}

// relSource renders a location as the spec path relative to the output
// directory plus its JSON pointer. Each file's relative path is worked out
// once (it asks the system for the working directory), however many
// locations name it; the function is for one goroutine at a time.
func relSource(outDir string) func(document.Location) string {
	relPaths := map[string]string{}
	return func(l document.Location) string {
		p, ok := relPaths[l.File]
		if !ok {
			p = relPath(outDir, l.File)
			relPaths[l.File] = p
		}
		if l.Pointer == "" {
			return p
		}
		return p + "#" + l.Pointer
	}
}

// relPath returns target relative to dir, slash-separated; the path as
// given when no relative path exists.
func relPath(dir, target string) string {
	absDir, err1 := filepath.Abs(dir)
	absTarget, err2 := filepath.Abs(target)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absTarget); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(target)
}

// schemaDoc is the doc text of a schema: its description, else its title.
func schemaDoc(v *document.Schema) string {
	if d := strings.TrimSpace(v.Description); d != "" {
		return d
	}
	return strings.TrimSpace(v.Title)
}
