package document

import (
	"strings"
)

// message reads a 3.x message object n once; key is its key under the
// channel's messages, used when it is not a components message.
func (v *v3Reader) message(n *Node, key string) (*Message, error) {
	if m, ok := v.messages[n]; ok {
		return m, nil
	}
	if err := expectKind(n, "message "+shown(key), KindMap); err != nil {
		return nil, err
	}
	if k := componentKey(n, "messages"); k != "" {
		key = k
	}
	merged, err := v.applyTraitsV3(n)
	if err != nil {
		return nil, err
	}
	m := &Message{Key: key, Loc: n.Loc()}
	if err := v.readMessage(m, merged); err != nil {
		return nil, err
	}
	v.messages[n] = m
	v.doc.Messages = append(v.doc.Messages, m)
	return m, nil
}

func (v *v3Reader) readMessage(m *Message, n *Node) error {
	fields := []struct {
		key string
		dst *string
	}{
		{"name", &m.Name}, {"title", &m.Title}, {"summary", &m.Summary}, {"description", &m.Description},
		{"contentType", &m.ContentType},
	}
	for _, f := range fields {
		var err error
		if *f.dst, err = optString(n, f.key); err != nil {
			return err
		}
	}
	var err error
	if payload := n.Get("payload"); payload != nil {
		if m.Payload, err = v.schemaOrMulti(payload); err != nil {
			return err
		}
	}
	if headers := n.Get("headers"); headers != nil {
		if m.Headers, err = v.schemaOrMulti(headers); err != nil {
			return err
		}
	}
	if m.CorrelationID, err = v.correlationID(n); err != nil {
		return err
	}
	if m.Bindings, err = v.bindings().read(n, "message"); err != nil {
		return err
	}
	m.Examples, err = v.examples(n, m)
	return err
}

// bindings reads 3.x bindings objects, whose $refs may pass through
// other $refs.
func (v *v3Reader) bindings() bindingsReader {
	return bindingsReader{follow: v.follow, schema: v.schemaOrMulti}
}

// schemaOrMulti reads a schema that may be a Multi Format Schema Object
// ({schemaFormat, schema}): the formats 2.x reads are read, the others
// refused at their schemaFormat.
func (v *v3Reader) schemaOrMulti(n *Node) (*SchemaRef, error) {
	target, err := v.follow(n)
	if err != nil {
		return nil, err
	}
	if target.Kind != KindMap || !target.Has("schemaFormat") {
		return v.schemas.schema(n)
	}
	format, err := reqString(target, "schemaFormat")
	if err != nil {
		return nil, err
	}
	if err := checkSchemaFormat(target, format); err != nil {
		return nil, err
	}
	inner := target.Get("schema")
	if inner == nil {
		return nil, missing(target, "schema")
	}
	ref, err := v.schemas.schema(inner)
	if err != nil || IsRef(inner) {
		return ref, err
	}
	// The schema written inside is known by the name of the object that
	// holds it: components.schemas.X.schema is X.
	if info := v.doc.SchemaInfo[ref.Value]; info != nil {
		info.Name = schemaName(target)
	}
	if IsRef(n) {
		return &SchemaRef{Ref: nodeKey(inner), Value: ref.Value}, nil
	}
	return ref, nil
}

// componentSchemas reads components.schemas, whose entries may be Multi
// Format Schema Objects.
func (v *v3Reader) componentSchemas(comps *Node) error {
	schemas, err := optMap(comps, "schemas")
	if schemas == nil || err != nil {
		return err
	}
	for i, name := range schemas.Keys {
		ref, err := v.schemaOrMulti(schemas.Values[i])
		if err != nil {
			return err
		}
		v.doc.Schemas = append(v.doc.Schemas, &NamedSchema{Name: name, Schema: ref})
	}
	return nil
}

// applyTraitsV3 merges a 3.x operation's or message's traits into it. As
// in 2.x the traits are JSON Merge Patches applied in order, but a trait
// never overrides what the object itself says: the object is applied
// last. The result keeps the object's position.
func (v *v3Reader) applyTraitsV3(n *Node) (*Node, error) {
	traits, err := optList(n, "traits")
	if traits == nil || err != nil {
		return n, err
	}
	m := &merger{budget: v.loader.budget, merged: map[[2]*Node]*Node{}, nulls: map[*Node]bool{}}
	var merged *Node
	for _, raw := range traits.Items {
		t, err := v.follow(raw)
		if err != nil {
			return nil, err
		}
		if err := expectKind(t, "a trait", KindMap); err != nil {
			return nil, err
		}
		if merged, err = m.merge(merged, t); err != nil {
			return nil, err
		}
	}
	if merged, err = m.merge(merged, withoutKey(n, "traits")); err != nil {
		return nil, err
	}
	out := *merged
	out.File, out.Pointer, out.Line, out.Column = n.File, n.Pointer, n.Line, n.Column
	return &out, nil
}

// correlationID reads a message's correlationId location.
func (v *v3Reader) correlationID(msg *Node) (string, error) {
	raw := msg.Get("correlationId")
	if raw == nil {
		return "", nil
	}
	n, err := v.follow(raw)
	if err != nil {
		return "", err
	}
	if err := expectKind(n, "correlationId", KindMap); err != nil {
		return "", err
	}
	return reqString(n, "location")
}

// Reply is an operation's reply (3.x reply, 2.x x-reply): where the reply
// goes and what it is.
type Reply struct {
	// AddressLocation is the runtime expression that finds the reply's
	// address in the request ("$message.header#/replyTo"); "" when the
	// reply names none.
	AddressLocation string
	// Channel is the reply's channel; nil when the reply names none.
	Channel  *Channel
	Messages []*Message
	Loc      Location
}

// reply reads an operation's reply and checks that its messages belong to
// its channel.
func (v *v3Reader) reply(opKey string, op *Node) (*Reply, error) {
	raw := op.Get("reply")
	if raw == nil {
		return nil, nil
	}
	n, err := v.follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, "reply", KindMap); err != nil {
		return nil, err
	}
	r := &Reply{Loc: n.Loc()}
	if r.AddressLocation, err = v.replyAddress(n.Get("address")); err != nil {
		return nil, err
	}
	if chRef := n.Get("channel"); chRef != nil {
		if !IsRef(chRef) {
			return nil, chRef.Errorf("operation %s: the reply's channel must be a $ref to a channel", shown(opKey))
		}
		if r.Channel, err = v.replyChannel(chRef); err != nil {
			return nil, err
		}
	}
	r.Messages, err = v.operationMessages("the reply of operation "+shown(opKey), n, r.Channel)
	return r, err
}

// replyChannel reads the channel a reply's $ref names: a root channel, or
// one written elsewhere (components.channels).
func (v *v3Reader) replyChannel(ref *Node) (*Channel, error) {
	place, err := v.refPlace(ref)
	if err != nil {
		return nil, err
	}
	if ch := v.rootChannels[place]; ch != nil {
		return ch, nil
	}
	key := place.Pointer[strings.LastIndex(place.Pointer, "/")+1:]
	return v.channel(unescapePointer(key), place, place)
}

// replyAddress reads a reply's address object and returns its location, a
// runtime expression into the request message.
func (v *v3Reader) replyAddress(raw *Node) (string, error) {
	return readReplyAddress(v.follow, raw)
}

// readReplyAddress reads a Reply Address Object (3.x reply.address, 2.x
// x-reply.address), following $refs with follow, and returns its location.
func readReplyAddress(follow func(*Node) (*Node, error), raw *Node) (string, error) {
	if raw == nil {
		return "", nil
	}
	n, err := follow(raw)
	if err != nil {
		return "", err
	}
	if err := expectKind(n, "reply address", KindMap); err != nil {
		return "", err
	}
	loc, err := reqString(n, "location")
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(loc, "$message.header#") && !strings.HasPrefix(loc, "$message.payload#") {
		return "", n.Get("location").Errorf("location %q must be a runtime expression into the request, such as \"$message.header#/replyTo\"", loc)
	}
	if _, err := optString(n, "description"); err != nil {
		return "", err
	}
	return loc, nil
}
