package document

import (
	"errors"
	"fmt"
	"strings"

	"path/filepath"
	"sort"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// conformance is why a value does not match a schema, and where inside the
// value.
type conformance struct {
	// Pointer is the JSON pointer of the failing part of the value.
	Pointer string
	Reason  string
}

// conformity checks values against the schemas of the loaded files as a
// JSON Schema draft-07 validator sees them, $refs across files included.
// It reads only files the loader has already read, and compiles each
// schema once.
//
// A file that uses YAML aliases is not checked: the validator walks a value
// once per path that reaches it, and aliases can make those paths
// exponentially many.
type conformity struct {
	loader   *Loader
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
	aliases  map[*File]bool
}

func newConformity(l *Loader) *conformity {
	c := &conformity{loader: l, compiled: map[string]*jsonschema.Schema{}, aliases: map[*File]bool{}}
	c.compiler = jsonschema.NewCompiler()
	c.compiler.DefaultDraft(jsonschema.Draft7)
	c.compiler.UseLoader(loadedFiles{c})
	return c
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

// loadedFiles serves the validator the files the loader holds, by URL.
type loadedFiles struct{ c *conformity }

// Load returns the plain value of the loaded file url names.
func (lf loadedFiles) Load(url string) (any, error) {
	for key, f := range lf.c.loader.files {
		if schemaURL(key) != url {
			continue
		}
		if lf.c.usesAliases(f) {
			return nil, fmt.Errorf("%s uses YAML aliases", url)
		}
		return f.Root.Interface(), nil
	}
	return nil, fmt.Errorf("%s was not loaded", url)
}

// schemaURL names a loaded file for the validator: its URL, or a file URL.
func schemaURL(key string) string {
	if isRemote(key) {
		return key
	}
	abs, err := filepath.Abs(key)
	if err != nil {
		abs = key
	}
	return "file://" + filepath.ToSlash(abs)
}

// mismatch checks value against the schema at node n; nil when it
// conforms, or when the schema cannot be compiled (its own checks report
// what is wrong with it) or its file uses YAML aliases.
func (c *conformity) mismatch(n *Node, value any) *conformance {
	if n.File == nil || c.usesAliases(n.File) {
		return nil
	}
	loc := schemaURL(n.File.Path) + "#" + n.Pointer
	schema, ok := c.compiled[loc]
	if !ok {
		schema, _ = c.compiler.Compile(loc)
		c.compiled[loc] = schema
	}
	if schema == nil {
		return nil
	}
	err := schema.Validate(value)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &conformance{Reason: "it does not match the schema"}
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	pointer := ""
	for _, token := range ve.InstanceLocation {
		pointer += "/" + escapePointer(token)
	}
	return &conformance{Pointer: pointer, Reason: plainReason(ve.Error())}
}

// plainReason keeps the last line of a validator's reason, without its
// "- at '/pointer': " prefix (the message gives the pointer itself) and
// without the validator's schema URL: "got number, want string".
func plainReason(reason string) string {
	lines := strings.Split(strings.TrimSpace(reason), "\n")
	last := strings.TrimLeft(lines[len(lines)-1], " -")
	if rest, ok := strings.CutPrefix(last, "at '"); ok {
		if _, after, found := strings.Cut(rest, "': "); found {
			return after
		}
	}
	if strings.HasPrefix(last, "jsonschema") {
		return "it does not match the schema"
	}
	return last
}

// nodeAt returns the node at pointer inside n, or n itself when the
// pointer leads nowhere (the pointer still goes into the message).
func nodeAt(n *Node, pointer string) *Node {
	if pointer == "" {
		return n
	}
	var ix keyIndex = map[*Node]map[string]int{}
	if found, err := ix.walkPointer(n, pointer); err == nil {
		return found
	}
	return n
}

// checkExample checks that the example item (the index-th of a message's
// examples) has a payload or headers, and that each matches its schema. It
// reports whether the example is kept: a lenient load drops a broken one.
func (p *parser) checkExample(msg, item *Node, index int, ex Example) (bool, error) {
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
		schema *Node
	}{{"payload", payload, ex.Payload, msg.Get("payload")}, {"headers", headers, ex.Headers, msg.Get("headers")}} {
		if part.value == nil || part.schema == nil {
			continue
		}
		if c := p.conforms().mismatch(part.schema, part.data); c != nil {
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
		p.conformity = newConformity(p.loader)
	}
	return p.conformity
}

// checkDefaults checks that the default of every schema read conforms to
// the schema (AsyncAPI requires it, where JSON Schema only recommends it),
// in document order.
func (p *parser) checkDefaults() error {
	var withDefault []*Node
	for v, info := range p.doc.SchemaInfo {
		if v.Default == nil {
			continue
		}
		if n := p.schemaNode(info.Loc); n != nil && n.Has("default") {
			withDefault = append(withDefault, n)
		}
	}
	sort.Slice(withDefault, func(i, j int) bool { return nodeBefore(withDefault[i], withDefault[j]) })
	for _, n := range withDefault {
		dflt := n.Get("default")
		if c := p.conforms().mismatch(n, dflt.Interface()); c != nil {
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
