package document

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/asyncgen/asyncgen/templates/support"
)

// conformance is why a value does not match a schema, and where inside the
// value.
type conformance struct {
	// Pointer is the JSON pointer of the failing part of the value.
	Pointer string
	Reason  string
}

// conformity checks values against the document's schemas with the rules
// of the generated validators (support's DynamicValidator), formats
// included. Each schema is converted once.
//
// A value from a file that uses YAML aliases is not checked: the validator
// walks a value once per path that reaches it, and aliases can make those
// paths exponentially many.
type conformity struct {
	converter *DynamicConverter
	validator *support.DynamicValidator
	aliases   map[*File]bool
}

func newConformity() *conformity {
	return &conformity{
		converter: NewDynamicConverter(),
		validator: support.NewDynamicValidator(),
		aliases:   map[*File]bool{},
	}
}

// usesAliases reports whether a file has a value that YAML aliases share.
func (c *conformity) usesAliases(f *File) bool {
	found, ok := c.aliases[f]
	if !ok {
		found = hasAlias(f.Root, map[*Node]bool{})
		c.aliases[f] = found
	}
	return found
}

// hasAlias walks n once per node, however shared, looking for an aliased
// value.
func hasAlias(n *Node, seen map[*Node]bool) bool {
	if n.aliased {
		return true
	}
	if seen[n] {
		return false
	}
	seen[n] = true
	for _, v := range n.Values {
		if hasAlias(v, seen) {
			return true
		}
	}
	for _, v := range n.Items {
		if hasAlias(v, seen) {
			return true
		}
	}
	return false
}

// mismatch checks value, read from node at, against schema s: nil when it
// conforms, or when at's file uses YAML aliases. The reason is the first
// violation found.
func (c *conformity) mismatch(s *Schema, at *Node, value any) *conformance {
	if s == nil || at == nil || at.File == nil || c.usesAliases(at.File) {
		return nil
	}
	err := c.validator.Validate(c.converter.Convert(s), value)
	if err == nil {
		return nil
	}
	var ve *support.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) == 0 {
		return &conformance{Reason: "it does not match the schema"}
	}
	first := ve.Violations[0]
	return &conformance{Pointer: first.Pointer, Reason: first.Message}
}

// nodeAt returns the node at pointer inside n or, when the pointer leads
// nowhere (a required property that is missing), at the longest part of it
// that leads somewhere (the whole pointer still goes into the message).
func nodeAt(n *Node, pointer string) *Node {
	var ix keyIndex = map[*Node]map[string]int{}
	for pointer != "" {
		if found, err := ix.walkPointer(n, pointer); err == nil {
			return found
		}
		pointer = pointer[:strings.LastIndex(pointer, "/")]
	}
	return n
}

// checkExample checks that the example item (the index-th of a message's
// examples) has a payload or headers, and that each matches its schema. It
// reports whether the example is kept: a lenient load drops a broken one.
func (p *parser) checkExample(m *Message, item *Node, index int, ex Example) (bool, error) {
	if p.freeFormExamples() {
		return true, nil
	}
	label := exampleLabel(item, index)
	payload, headers := item.Get("payload"), item.Get("headers")
	if payload == nil && headers == nil {
		return false, p.violation(item.Errorf("%s has neither payload nor headers: an example needs one of them", label))
	}
	for _, part := range []struct {
		name   string
		value  *Node
		data   any
		schema *SchemaRef
	}{{"payload", payload, ex.Payload, m.Payload}, {"headers", headers, ex.Headers, m.Headers}} {
		if part.value == nil || part.schema == nil {
			continue
		}
		if c := p.conforms().mismatch(part.schema.Value, part.value, part.data); c != nil {
			at := nodeAt(part.value, c.Pointer)
			err := at.Errorf("%s: its %s does not match the message's %s schema at %s: %s", label, part.name, part.name, pointerOrRoot(c.Pointer), c.Reason)
			return false, p.exampleMismatch(err)
		}
	}
	return true, nil
}

// exampleMismatch reports an example that does not match its schema: an
// error under the 2.x rules (a warning with -lenient), always a warning in
// a 3.x document. Real 3.x documents, valid against the 3.x JSON Schema,
// often carry examples older than their schemas; an example changes no
// generated code, so it is dropped with a warning rather than refusing
// the document.
func (p *parser) exampleMismatch(err *Error) error {
	if strings.HasPrefix(p.doc.Version, "3.") {
		p.warn(err)
		return nil
	}
	return p.violation(err)
}

// freeFormExamples reports whether the document's message examples are
// free-form: AsyncAPI 2.0 describes them as any maps; the Message Example
// Object (headers, payload, name, summary) came with 2.1.
func (p *parser) freeFormExamples() bool {
	return strings.HasPrefix(p.doc.Version, "2.0.")
}

func exampleLabel(item *Node, index int) string {
	if name := item.Get("name"); name != nil && name.Kind == KindString && name.Str != "" {
		return fmt.Sprintf("example %q", name.Str)
	}
	return fmt.Sprintf("example %d", index)
}

func pointerOrRoot(pointer string) string {
	if pointer == "" {
		return "its root"
	}
	return pointer
}

// conforms returns the parser's schema validator, made on first use.
func (p *parser) conforms() *conformity {
	if p.conformity == nil {
		p.conformity = newConformity()
	}
	return p.conformity
}

// checkDefaults checks that the default of every schema read conforms to
// the schema (AsyncAPI requires it, where JSON Schema only recommends it),
// in document order.
func (p *parser) checkDefaults() error {
	type schemaDefault struct {
		schema *Schema
		node   *Node
	}
	var withDefault []schemaDefault
	for v, info := range p.doc.SchemaInfo {
		if v.Default == nil {
			continue
		}
		if n := p.schemaNode(info.Loc); n != nil && n.Has("default") {
			withDefault = append(withDefault, schemaDefault{v, n})
		}
	}
	sort.Slice(withDefault, func(i, j int) bool { return nodeBefore(withDefault[i].node, withDefault[j].node) })
	for _, d := range withDefault {
		dflt := d.node.Get("default")
		if c := p.conforms().mismatch(d.schema, dflt, dflt.Interface()); c != nil {
			at := nodeAt(dflt, c.Pointer)
			err := at.Errorf("default does not match its schema at %s: %s", pointerOrRoot(c.Pointer), c.Reason)
			if err := p.violation(err); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaNode finds the node a schema was read from.
func (p *parser) schemaNode(loc Location) *Node {
	f, ok := p.loader.files[loc.File]
	if !ok {
		return nil
	}
	n, err := p.loader.keys.walkPointer(f.Root, loc.Pointer)
	if err != nil {
		return nil
	}
	return n
}

// nodeBefore orders nodes by file, line, column and pointer.
func nodeBefore(a, b *Node) bool {
	if a.File.Path != b.File.Path {
		return a.File.Path < b.File.Path
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	return a.Pointer < b.Pointer
}
