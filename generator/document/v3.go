package document

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// versionsRead names the AsyncAPI versions Load reads, for the message that
// refuses any other.
const versionsRead = "AsyncAPI 2.0.0 to 2.6.0, 3.0.x and 3.1.x"

var v3VersionPattern = regexp.MustCompile(`^3\.[01]\.\d+$`)

var plainVersion = regexp.MustCompile(`^[0-9A-Za-z.+-]+$`)

// versionText renders a version for a message: as written when it looks
// like one, quoted otherwise, so that the message stays on one line.
func versionText(v string) string {
	if plainVersion.MatchString(v) {
		return v
	}
	return strconv.Quote(v)
}

// shown renders a name from the document for a message: as written, or
// quoted when it holds control characters such as a newline, so that every
// message stays on one line.
func shown(name string) string {
	if strings.IndexFunc(name, unicode.IsControl) < 0 {
		return name
	}
	return strconv.Quote(name)
}

// isV3 reports whether root declares an AsyncAPI version Load reads as 3.x.
func isV3(root *Node) bool {
	v := root.Get("asyncapi")
	return v != nil && v.Kind == KindString && v3VersionPattern.MatchString(v.Str)
}

// v3Reader reads an AsyncAPI 3.0 or 3.1 document into the Document shape
// the 2.x reading makes: root operations are listed under the channel they
// use, and every message is read once.
type v3Reader struct {
	*parser
	// rootChannels maps each entry of the root channels object (the value
	// written there, which may be a $ref) to its channel.
	rootChannels map[*Node]*Channel
	// rootServers holds each entry of the root servers object.
	rootServers map[*Node]bool
	// channelMessages lists each channel's messages, as written, and
	// messageOf finds one by its entry or the message object it names.
	channelMessages map[*Channel][]*Message
	messageOf       map[*Channel]map[*Node]*Message
	// readChannels maps each channel object read so far to its channel.
	readChannels map[*Node]*Channel
	// followed and resolving serve follow (v3refs.go).
	followed  map[*Node]*Node
	resolving map[*Node]bool
}

// rootFields are the fields an AsyncAPI 3.x document may have besides x-
// extensions.
var rootFields = []string{"asyncapi", "id", "info", "servers", "defaultContentType", "channels", "operations", "components"}

// parseV3 reads an AsyncAPI 3.0.x or 3.1.x document.
func (p *parser) parseV3(root *Node) error {
	p.doc.Version = root.Get("asyncapi").Str
	v := &v3Reader{
		parser:          p,
		rootChannels:    map[*Node]*Channel{},
		rootServers:     map[*Node]bool{},
		channelMessages: map[*Channel][]*Message{},
		messageOf:       map[*Channel]map[*Node]*Message{},
		readChannels:    map[*Node]*Channel{},
		followed:        map[*Node]*Node{},
		resolving:       map[*Node]bool{},
	}
	if err := refuseUnknownFields(root, "an AsyncAPI document", rootFields); err != nil {
		return err
	}
	// The structure first, then info: a fragment without info that breaks
	// a 3.0 rule is refused for the rule.
	steps := []func(*Node) error{v.components, v.servers, v.channels, v.operations, p.info, p.defaultContentType}
	for _, step := range steps {
		if err := step(root); err != nil {
			return err
		}
	}
	return nil
}

// refuseUnknownFields refuses a member of the map n that is neither one of fields
// nor an x- extension.
func refuseUnknownFields(n *Node, what string, fields []string) error {
	for i, key := range n.Keys {
		if strings.HasPrefix(key, "x-") || slices.Contains(fields, key) {
			continue
		}
		return n.KeyNodes[i].Errorf("%s has no field %q (it may have %s, and x- extensions)", what, key, strings.Join(fields, ", "))
	}
	return nil
}

func (v *v3Reader) servers(root *Node) error {
	servers, err := optMap(root, "servers")
	if servers == nil || err != nil {
		return err
	}
	for i, name := range servers.Keys {
		v.rootServers[servers.Values[i]] = true
		s, err := v.server(name, servers.Values[i])
		if err != nil {
			return err
		}
		v.doc.Servers = append(v.doc.Servers, s)
	}
	return nil
}

// server reads a 3.x server: host, pathname and protocol instead of 2.x's url.
func (v *v3Reader) server(name string, raw *Node) (*Server, error) {
	n, err := v.follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, "server "+shown(name), KindMap); err != nil {
		return nil, err
	}
	s := &Server{Name: name, Loc: n.Loc()}
	var host, pathname string
	fields := []struct {
		key      string
		dst      *string
		required bool
	}{
		{"host", &host, true}, {"protocol", &s.Protocol, true}, {"pathname", &pathname, false},
		{"protocolVersion", &s.ProtocolVersion, false}, {"description", &s.Description, false},
	}
	for _, f := range fields {
		read := optString
		if f.required {
			read = reqString
		}
		if *f.dst, err = read(n, f.key); err != nil {
			return nil, err
		}
	}
	s.URL = s.Protocol + "://" + host + pathname
	if s.Variables, err = v.serverVariables(n); err != nil {
		return nil, err
	}
	if s.Bindings, err = v.bindings().read(n, "server"); err != nil {
		return nil, err
	}
	s.Security, err = v.security(n)
	return s, err
}

// security reads a 3.x security list: security schemes, each written in
// place or (usually) a $ref into components.securitySchemes.
func (v *v3Reader) security(n *Node) ([]SecurityRequirement, error) {
	list, err := optList(n, "security")
	if list == nil || err != nil {
		return nil, err
	}
	out := make([]SecurityRequirement, 0, len(list.Items))
	for _, item := range list.Items {
		scheme, err := v.follow(item)
		if err != nil {
			return nil, err
		}
		name := componentKey(scheme, "securitySchemes")
		if name == "" || !v.hasScheme(name) {
			if name, err = v.inlineScheme(scheme); err != nil {
				return nil, err
			}
		}
		scopes, err := stringList(scheme, "scopes")
		if err != nil {
			return nil, err
		}
		out = append(out, SecurityRequirement{Scheme: name, Scopes: scopes})
	}
	return out, nil
}

// inlineScheme reads a security scheme written where it is used, naming it
// after its place ("#/servers/prod/security/0", the file's base name first
// when the root document is not the file), and returns that name.
func (v *v3Reader) inlineScheme(n *Node) (string, error) {
	name := "#" + n.Pointer
	if n.File.Path != v.doc.Path {
		name = filepath.Base(n.File.Path) + name
	}
	if v.hasScheme(name) {
		return name, nil
	}
	s, err := readSecurityScheme(name, n)
	if err != nil {
		return "", err
	}
	v.doc.SecuritySchemes = append(v.doc.SecuritySchemes, s)
	return name, nil
}

func (v *v3Reader) channels(root *Node) error {
	channels, err := optMap(root, "channels")
	if channels == nil || err != nil {
		return err
	}
	for i, key := range channels.Keys {
		ch, err := v.channel(key, channels.Values[i], channels.KeyNodes[i])
		if err != nil {
			return err
		}
		v.rootChannels[channels.Values[i]] = ch
		if err := v.channelServers(key, channels.Values[i]); err != nil {
			return err
		}
		v.doc.Channels = append(v.doc.Channels, ch)
	}
	return nil
}

// channel reads a 3.x channel once, wherever it is written.
func (v *v3Reader) channel(key string, raw, keyNode *Node) (*Channel, error) {
	n, err := v.follow(raw)
	if err != nil {
		return nil, err
	}
	if ch, ok := v.readChannels[n]; ok {
		return ch, nil
	}
	if err := expectKind(n, "channel "+shown(key), KindMap); err != nil {
		return nil, err
	}
	ch := &Channel{Name: key, Key: key, Loc: keyNode.Loc()}
	address, err := channelAddress(n)
	if err != nil {
		return nil, err
	}
	if address != nil {
		ch.Name = address.Str
	} else {
		ch.Unaddressed = true
	}
	if ch.Description, err = optString(n, "description"); err != nil {
		return nil, err
	}
	if ch.Parameters, err = v.parameters(n); err != nil {
		return nil, err
	}
	if err := v.checkAddressParameters(n, address); err != nil {
		return nil, err
	}
	if ch.Bindings, err = v.bindings().read(n, "channel"); err != nil {
		return nil, err
	}
	v.readChannels[n] = ch
	return ch, v.readChannelMessages(ch, n)
}

// channelAddress returns a channel's address node; nil when the address is
// null or absent (the channel's address is unknown or dynamic).
func channelAddress(ch *Node) (*Node, error) {
	a := ch.Get("address")
	if a == nil || a.Kind == KindNull {
		return nil, nil
	}
	if a.Kind != KindString {
		return nil, a.Errorf("address must be a string or null, not %s", a.Kind)
	}
	return a, checkAddressLength(a.Str, a)
}

// checkAddressParameters checks that the {names} in a channel's address
// and its parameters are the same set. A channel that declares no
// parameters at all is read with a warning for each {name} of its address:
// the spec asks for them, but real documents leave them out, and nothing
// generated depends on them (the {name} is any string).
func (v *v3Reader) checkAddressParameters(ch, address *Node) error {
	if address == nil {
		return nil // no address: nothing to check against
	}
	params := ch.Get("parameters")
	if params == nil {
		v.warnUndeclaredParameters(address)
		return nil
	}
	used := map[string]bool{}
	for _, m := range channelParam.FindAllStringSubmatch(address.Str, -1) {
		used[m[1]] = true
		if params.Get(m[1]) == nil {
			return address.Errorf("address %q uses parameter {%s}, which the channel's parameters do not declare", address.Str, shown(m[1]))
		}
	}
	for i, name := range params.Keys {
		if !used[name] {
			return params.KeyNodes[i].Errorf("parameter %q is not used in the channel's address (a channel declares only the {names} its address uses)", name)
		}
	}
	return nil
}

// warnUndeclaredParameters warns, once per name, of the {names} of an
// address whose channel has no parameters.
func (v *v3Reader) warnUndeclaredParameters(address *Node) {
	seen := map[string]bool{}
	for _, m := range channelParam.FindAllStringSubmatch(address.Str, -1) {
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		v.warn(address.Errorf("address %q uses parameter {%s}, which the channel does not declare (it has no parameters): it is read as any string", address.Str, shown(m[1])))
	}
}

func (v *v3Reader) parameters(ch *Node) ([]*Parameter, error) {
	params, err := optMap(ch, "parameters")
	if params == nil || err != nil {
		return nil, err
	}
	out := make([]*Parameter, 0, len(params.Keys))
	for i, name := range params.Keys {
		n, err := v.follow(params.Values[i])
		if err != nil {
			return nil, err
		}
		if err := expectKind(n, "parameter "+shown(name), KindMap); err != nil {
			return nil, err
		}
		prm := &Parameter{Name: name}
		if prm.Description, err = optString(n, "description"); err != nil {
			return nil, err
		}
		if prm.Location, err = optString(n, "location"); err != nil {
			return nil, err
		}
		if _, err := stringList(n, "enum"); err != nil {
			return nil, err
		}
		out = append(out, prm)
	}
	return out, nil
}

func (v *v3Reader) readChannelMessages(ch *Channel, n *Node) error {
	msgs, err := optMap(n, "messages")
	if msgs == nil || err != nil {
		return err
	}
	for i, key := range msgs.Keys {
		target, err := v.follow(msgs.Values[i])
		if err != nil {
			return err
		}
		m, err := v.message(target, key)
		if err != nil {
			return err
		}
		v.channelMessages[ch] = append(v.channelMessages[ch], m)
		index := v.messageOf[ch]
		if index == nil {
			index = map[*Node]*Message{}
			v.messageOf[ch] = index
		}
		index[msgs.Values[i]], index[target] = m, m
	}
	return nil
}

// channelServers checks that a root channel's servers are $refs to root
// servers.
func (v *v3Reader) channelServers(key string, raw *Node) error {
	n, err := v.follow(raw)
	if err != nil {
		return err
	}
	list, err := optList(n, "servers")
	if list == nil || err != nil {
		return err
	}
	for _, item := range list.Items {
		if !IsRef(item) {
			return item.Errorf("channel %s: servers must list $refs to servers in the root servers object, not %s", shown(key), item.Kind)
		}
		target, err := v.refPlace(item)
		if err != nil {
			return err
		}
		if !v.rootServers[target] {
			return item.Errorf("channel %s: $ref %q is not a server of the root servers object (a root channel uses root servers only)", shown(key), item.Get("$ref").Str)
		}
	}
	return nil
}

func (v *v3Reader) operations(root *Node) error {
	ops, err := optMap(root, "operations")
	if ops == nil || err != nil {
		return err
	}
	for i, key := range ops.Keys {
		op, ch, err := v.operation(key, ops.Values[i])
		if err != nil {
			return err
		}
		ch.Operations = append(ch.Operations, op)
	}
	return nil
}

// operation reads a root operation and finds the root channel it uses.
func (v *v3Reader) operation(key string, raw *Node) (*Operation, *Channel, error) {
	n, err := v.follow(raw)
	if err != nil {
		return nil, nil, err
	}
	if err := expectKind(n, "operation "+shown(key), KindMap); err != nil {
		return nil, nil, err
	}
	if n, err = v.applyTraitsV3(n); err != nil {
		return nil, nil, err
	}
	op := &Operation{OperationID: key, Loc: n.Loc()}
	if op.Action, err = operationAction(n); err != nil {
		return nil, nil, err
	}
	ch, err := v.operationChannel(key, n)
	if err != nil {
		return nil, nil, err
	}
	if op.Summary, err = optString(n, "summary"); err != nil {
		return nil, nil, err
	}
	if op.Description, err = optString(n, "description"); err != nil {
		return nil, nil, err
	}
	if op.Security, err = v.security(n); err != nil {
		return nil, nil, err
	}
	if op.Bindings, err = v.bindings().read(n, "operation"); err != nil {
		return nil, nil, err
	}
	if op.Messages, err = v.operationMessages("operation "+shown(key), n, ch); err != nil {
		return nil, nil, err
	}
	op.Reply, err = v.reply(key, n)
	return op, ch, err
}

func operationAction(op *Node) (string, error) {
	action, err := reqString(op, "action")
	if err != nil {
		return "", err
	}
	if action != "send" && action != "receive" {
		return "", op.Get("action").Errorf("action must be \"send\" or \"receive\", not %q", action)
	}
	return action, nil
}

// operationChannel finds the root channel an operation's channel $ref names.
func (v *v3Reader) operationChannel(key string, op *Node) (*Channel, error) {
	raw := op.Get("channel")
	if raw == nil {
		return nil, missing(op, "channel")
	}
	if !IsRef(raw) {
		return nil, raw.Errorf("operation %s: channel must be a $ref to a channel in the root channels object", shown(key))
	}
	target, err := v.refPlace(raw)
	if err != nil {
		return nil, err
	}
	ch := v.rootChannels[target]
	if ch == nil {
		return nil, raw.Errorf("operation %s: $ref %q is not a channel of the root channels object (a root operation uses root channels only)", shown(key), raw.Get("$ref").Str)
	}
	return ch, nil
}

// operationMessages reads the messages an operation or reply lists, each
// a $ref to a message of its channel; all the channel's messages when it
// lists none.
func (v *v3Reader) operationMessages(what string, n *Node, ch *Channel) ([]*Message, error) {
	list, err := optList(n, "messages")
	if err != nil {
		return nil, err
	}
	if list == nil {
		if ch == nil {
			return nil, nil
		}
		return slices.Clone(v.channelMessages[ch]), nil
	}
	out := make([]*Message, 0, len(list.Items))
	for _, item := range list.Items {
		m, err := v.listedMessage(what, item, ch)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// listedMessage resolves one $ref of an operation's or reply's messages
// and checks that it names a message of ch.
func (v *v3Reader) listedMessage(what string, item *Node, ch *Channel) (*Message, error) {
	if !IsRef(item) {
		return nil, item.Errorf("%s: messages must list $refs to messages of its channel, not %s", what, item.Kind)
	}
	place, err := v.refPlace(item)
	if err != nil {
		return nil, err
	}
	target, err := v.follow(place)
	if err != nil {
		return nil, err
	}
	ref := item.Get("$ref").Str
	if ch == nil {
		return nil, item.Errorf("%s lists message %q but names no channel for it", what, ref)
	}
	if m := v.messageOf[ch][place]; m != nil {
		return m, nil
	}
	if m := v.messageOf[ch][target]; m != nil {
		return m, nil
	}
	return nil, item.Errorf("%s: message %q is not one of the messages of its channel %s (an operation's messages must come from its channel)", what, ref, shown(ch.Key))
}
