package document

import (
	"fmt"
	"strings"
)

// messageList reads an operation's message, which may be a single message
// or {oneOf: [...]}, and returns each message. key is the message's
// components key when it is read from components.messages.
func (p *parser) messageList(raw *Node, key string) ([]*Message, error) {
	n, err := p.loader.Follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, "message", KindMap); err != nil {
		return nil, err
	}
	oneOf := n.Get("oneOf")
	if oneOf == nil {
		m, err := p.message(raw, n, key)
		if err != nil {
			return nil, err
		}
		return []*Message{m}, nil
	}
	if err := expectKind(oneOf, "message oneOf", KindList); err != nil {
		return nil, err
	}
	out := make([]*Message, 0, len(oneOf.Items))
	for _, item := range oneOf.Items {
		target, err := p.loader.Follow(item)
		if err != nil {
			return nil, err
		}
		if err := expectKind(target, "message", KindMap); err != nil {
			return nil, err
		}
		if target.Has("oneOf") {
			return nil, target.Errorf("a message inside oneOf cannot itself be a oneOf")
		}
		m, err := p.message(item, target, "")
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// message reads one message object (n, which raw refers to or is), once:
// a message used by several operations is the same *Message.
func (p *parser) message(raw, n *Node, key string) (*Message, error) {
	if m, ok := p.messages[n]; ok {
		return m, nil
	}
	if key == "" {
		key = componentKey(n, "messages")
	}
	merged, err := p.applyTraits(n, messageTraitObject)
	if err != nil {
		return nil, err
	}
	m := &Message{Key: key, Loc: n.Loc()}
	if err := p.readMessage(m, merged); err != nil {
		return nil, err
	}
	if err := p.messageID(merged); err != nil {
		return nil, err
	}
	p.messages[n] = m
	p.doc.Messages = append(p.doc.Messages, m)
	return m, nil
}

func (p *parser) readMessage(m *Message, n *Node) error {
	fields := []struct {
		key string
		dst *string
	}{
		{"name", &m.Name}, {"title", &m.Title}, {"summary", &m.Summary}, {"description", &m.Description},
		{"contentType", &m.ContentType}, {"schemaFormat", &m.SchemaFormat},
	}
	for _, f := range fields {
		var err error
		if *f.dst, err = optString(n, f.key); err != nil {
			return err
		}
	}
	if err := checkSchemaFormat(n, m.SchemaFormat); err != nil {
		return err
	}
	var err error
	if payload := n.Get("payload"); payload != nil {
		if m.Payload, err = p.schemas.schema(payload); err != nil {
			return err
		}
	}
	if headers := n.Get("headers"); headers != nil {
		if m.Headers, err = p.schemas.schema(headers); err != nil {
			return err
		}
		if err := objectHeaders(headers, m.Headers); err != nil {
			return err
		}
	}
	if m.CorrelationID, err = p.correlationID(n); err != nil {
		return err
	}
	if m.Bindings, err = p.bindings().read(n, "message"); err != nil {
		return err
	}
	m.Examples, err = p.examples(n, m)
	return err
}

func (p *parser) correlationID(msg *Node) (string, error) {
	raw := msg.Get("correlationId")
	if raw == nil {
		return "", nil
	}
	n, err := p.loader.Follow(raw)
	if err != nil {
		return "", err
	}
	if err := expectKind(n, "correlationId", KindMap); err != nil {
		return "", err
	}
	return reqString(n, "location")
}

// examples reads message examples: in 2.x a list of {headers, payload,
// name, summary} objects, each checked against the message's schemas.
func (p *parser) examples(msg *Node, m *Message) ([]Example, error) {
	list, err := optList(msg, "examples")
	if list == nil || err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(list.Items))
	for i, item := range list.Items {
		if err := expectKind(item, fmt.Sprintf("examples[%d]", i), KindMap); err != nil {
			return nil, err
		}
		ex, err := p.example(item)
		if err != nil {
			return nil, err
		}
		keep, err := p.checkExample(m, item, i, ex)
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, ex)
		}
	}
	return out, nil
}

// example reads one example object.
func (p *parser) example(item *Node) (Example, error) {
	ex := Example{}
	var err error
	if ex.Name, err = optString(item, "name"); err != nil {
		return ex, err
	}
	if ex.Summary, err = optString(item, "summary"); err != nil {
		return ex, err
	}
	if h := item.Get("headers"); h != nil {
		if ex.Headers, err = dataValue(h, p.loader.budget); err != nil {
			return ex, err
		}
	}
	if pl := item.Get("payload"); pl != nil {
		ex.HasPayload = true
		if ex.Payload, err = dataValue(pl, p.loader.budget); err != nil {
			return ex, err
		}
	}
	return ex, nil
}

// componentKey returns the key of n when it sits directly under
// components.<kind> of its file, else "".
func componentKey(n *Node, kind string) string {
	prefix := "/components/" + kind + "/"
	rest, ok := strings.CutPrefix(n.Pointer, prefix)
	if !ok || strings.Contains(rest, "/") {
		return ""
	}
	return unescapePointer(rest)
}

// applyTraits merges an operation's or message's traits into it with JSON
// Merge Patch (RFC 7386), in the order listed, as AsyncAPI 2.x specifies.
// The merged node keeps the positions of the values it is made of. A field
// a trait must not carry (checked, and refused unless lenient, before) is
// left out of the merge.
func (p *parser) applyTraits(n *Node, trait object) (*Node, error) {
	traits, err := optList(n, "traits")
	if traits == nil || err != nil {
		return n, err
	}
	m := &merger{budget: p.loader.budget, merged: map[[2]*Node]*Node{}, nulls: map[*Node]bool{}}
	merged := withoutKey(n, "traits")
	for _, raw := range traits.Items {
		t, err := p.loader.Follow(raw)
		if err != nil {
			return nil, err
		}
		if err := expectKind(t, "a trait", KindMap); err != nil {
			return nil, err
		}
		for field := range traitRefusals(trait) {
			if t.Has(field) {
				t = withoutKey(t, field)
			}
		}
		if merged, err = m.merge(merged, t); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

func withoutKey(n *Node, key string) *Node {
	out := *n
	out.Keys, out.Values, out.KeyNodes, out.aliased = nil, nil, nil, false
	for i, k := range n.Keys {
		if k != key {
			out.Keys = append(out.Keys, k)
			out.Values = append(out.Values, n.Values[i])
			out.KeyNodes = append(out.KeyNodes, n.KeyNodes[i])
		}
	}
	return &out
}

// merger applies JSON Merge Patches. It merges each pair of nodes once:
// values shared through YAML aliases stay shared instead of being copied
// out into a tree, and every merge spends from the Load's budget.
type merger struct {
	budget *budget
	merged map[[2]*Node]*Node
	// nulls caches whether a map has a null member at any depth.
	nulls map[*Node]bool
}

// merge applies patch to target as RFC 7386 describes, without changing
// either; target may be nil.
func (m *merger) merge(target, patch *Node) (*Node, error) {
	if patch.Kind != KindMap {
		return patch, nil
	}
	key := [2]*Node{target, patch}
	if out, ok := m.merged[key]; ok {
		return out, nil
	}
	if err := m.budget.spend(patch); err != nil {
		return nil, err
	}
	if (target == nil || target.Kind != KindMap || target == patch) && !m.hasNull(patch) {
		// Nothing to merge into (or the same value again) and nothing to
		// delete: the patch itself, still shared wherever the document
		// shares it.
		return patch, nil
	}
	if target == nil || target.Kind != KindMap {
		target = &Node{Kind: KindMap, File: patch.File, Pointer: patch.Pointer, Line: patch.Line, Column: patch.Column}
	}
	out := *target
	out.aliased = false
	out.Keys = append([]string(nil), target.Keys...)
	out.Values = append([]*Node(nil), target.Values...)
	out.KeyNodes = append([]*Node(nil), target.KeyNodes...)
	pos := make(map[string]int, len(out.Keys))
	for i, k := range out.Keys {
		pos[k] = i
	}
	removed := map[int]bool{}
	for i, k := range patch.Keys {
		v := patch.Values[i]
		idx, present := pos[k]
		switch {
		case v.Kind == KindNull && present:
			removed[idx] = true
			delete(pos, k)
		case v.Kind == KindNull:
		default:
			var prev *Node
			if present {
				prev = out.Values[idx]
			}
			merged, err := m.merge(prev, v)
			if err != nil {
				return nil, err
			}
			if present {
				out.Values[idx] = merged
				continue
			}
			pos[k] = len(out.Keys)
			out.Keys = append(out.Keys, k)
			out.Values = append(out.Values, merged)
			out.KeyNodes = append(out.KeyNodes, patch.KeyNodes[i])
		}
	}
	if len(removed) > 0 {
		dropEntries(&out, removed)
	}
	m.merged[key] = &out
	return &out, nil
}

// hasNull reports whether the map n has a null member, at any depth.
func (m *merger) hasNull(n *Node) bool {
	if n.Kind != KindMap {
		return false
	}
	if found, ok := m.nulls[n]; ok {
		return found
	}
	found := false
	for _, v := range n.Values {
		if v.Kind == KindNull || m.hasNull(v) {
			found = true
			break
		}
	}
	m.nulls[n] = found
	return found
}

// dropEntries removes the map entries at the positions in removed.
func dropEntries(n *Node, removed map[int]bool) {
	keys, values, keyNodes := n.Keys[:0], n.Values[:0], n.KeyNodes[:0]
	for i := range n.Keys {
		if !removed[i] {
			keys = append(keys, n.Keys[i])
			values = append(values, n.Values[i])
			keyNodes = append(keyNodes, n.KeyNodes[i])
		}
	}
	n.Keys, n.Values, n.KeyNodes = keys, values, keyNodes
}

// messageID checks that a message's messageId, traits merged, is unique
// among all messages.
func (p *parser) messageID(merged *Node) error {
	id, err := optString(merged, "messageId")
	if id == "" || err != nil {
		return err
	}
	idNode := merged.Get("messageId")
	if first, dup := p.msgIDs[id]; dup {
		return p.violation(idNode.Errorf("duplicate messageId %q (first at %s)", id, placeFrom(first, idNode)))
	}
	p.msgIDs[id] = idNode
	return nil
}

// objectHeaders checks that a message's headers schema describes an
// object: headers are named values, nothing else.
func objectHeaders(n *Node, headers *SchemaRef) error {
	t := headers.Value.Type
	if t == nil || len(*t) == 0 || (len(*t) == 1 && t.Is("object")) {
		return nil
	}
	return n.Errorf("message headers must be an object schema (type: object), not type %s", strings.Join(*t, ", "))
}

// placeFrom names where first is, as seen from here: its line when both
// are in the same file, else its file and line.
func placeFrom(first, here *Node) string {
	if first.File == here.File {
		return fmt.Sprintf("line %d", first.Line)
	}
	return fmt.Sprintf("%s:%d", first.Loc().File, first.Line)
}
