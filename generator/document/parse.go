package document

import (
	"fmt"
	"regexp"
	"strings"
)

// Load reads the AsyncAPI 2.x or 3.x document at path, and every file its
// $refs name, into a Document.
func Load(path string, opts Options) (*Document, error) {
	l := NewLoader(opts)
	f, err := l.Load(path)
	if err != nil {
		return nil, err
	}
	p := &parser{
		loader:   l,
		doc:      &Document{Path: f.Path, SchemaInfo: map[*Schema]*SchemaInfo{}},
		messages: map[*Node]*Message{},
		opIDs:    map[string]*Node{},
		msgIDs:   map[string]*Node{},

		channelAt:         map[*Node]*Channel{},
		componentMessages: map[*Message]bool{},
	}
	p.schemas = newSchemaSet(l, p.doc.SchemaInfo)
	parse := p.parse
	if isV3(f.Root) {
		parse = p.parseV3
	}
	if err := parse(f.Root); err != nil {
		return nil, err
	}
	return p.doc, nil
}

type parser struct {
	loader   *Loader
	doc      *Document
	schemas  *schemaSet
	messages map[*Node]*Message
	opIDs    map[string]*Node
	msgIDs   map[string]*Node
	// conformity checks examples and defaults against their schemas.
	conformity *conformity
	// channelAt finds a channel by the value of its entry in channels,
	// for the $ref of an x-reply.
	channelAt map[*Node]*Channel
	// componentMessages holds the messages of components.messages.
	componentMessages map[*Message]bool
	// pendingReplies are the x-reply extensions read after the channels.
	pendingReplies []pendingReply
}

func (p *parser) parse(root *Node) error {
	if err := expectKind(root, "an AsyncAPI document", KindMap); err != nil {
		return err
	}
	if err := p.version(root); err != nil {
		return err
	}
	if err := p.checkStructure(root); err != nil {
		return err
	}
	steps := []func(*Node) error{p.info, p.defaultContentType, p.components, p.servers, p.channels, p.replies}
	for _, step := range steps {
		if err := step(root); err != nil {
			return err
		}
	}
	return p.checkDefaults()
}

var versionPattern = regexp.MustCompile(`^2\.([0-6])\.(\d+)$`)

// version accepts AsyncAPI 2.0.0 to 2.6.x and refuses everything else with
// a message that says what the document is.
func (p *parser) version(root *Node) error {
	v := root.Get("asyncapi")
	if v == nil {
		for _, other := range []string{"openapi", "swagger"} {
			if o := root.Get(other); o != nil {
				return o.Errorf("this is an OpenAPI document (%s: %s), not an AsyncAPI document", other, o.Str)
			}
		}
		return root.Errorf(`not an AsyncAPI document: missing required field "asyncapi"`)
	}
	if v.Kind != KindString {
		return v.Errorf("asyncapi must be a version string such as \"2.6.0\", not %s", v.Kind)
	}
	if strings.HasPrefix(v.Str, "3.") {
		return v.Errorf("AsyncAPI %s documents are not supported: asyncgen reads %s", versionText(v.Str), versionsRead)
	}
	if !versionPattern.MatchString(v.Str) {
		return v.Errorf("unsupported AsyncAPI version %q: asyncgen reads %s", v.Str, versionsRead)
	}
	p.doc.Version = v.Str
	return nil
}

func (p *parser) info(root *Node) error {
	info := root.Get("info")
	if info == nil {
		return missing(root, "info")
	}
	if err := expectKind(info, "info", KindMap); err != nil {
		return err
	}
	var err error
	if p.doc.Info.Title, err = reqString(info, "title"); err != nil {
		return err
	}
	if p.doc.Info.Version, err = reqString(info, "version"); err != nil {
		return err
	}
	p.doc.Info.Description, err = optString(info, "description")
	return err
}

func (p *parser) defaultContentType(root *Node) error {
	var err error
	p.doc.DefaultContentType, err = optString(root, "defaultContentType")
	return err
}

// components reads the schemas, messages and security schemes declared
// under components; the other kinds are read where a $ref uses them.
func (p *parser) components(root *Node) error {
	comps, err := optMap(root, "components")
	if comps == nil || err != nil {
		return err
	}
	if err := p.componentSchemas(comps); err != nil {
		return err
	}
	if err := p.securitySchemes(comps); err != nil {
		return err
	}
	msgs, err := optMap(comps, "messages")
	if msgs == nil || err != nil {
		return err
	}
	for i, key := range msgs.Keys {
		list, err := p.messageList(msgs.Values[i], key)
		if err != nil {
			return err
		}
		for _, m := range list {
			p.componentMessages[m] = true
		}
	}
	return nil
}

func (p *parser) componentSchemas(comps *Node) error {
	schemas, err := optMap(comps, "schemas")
	if schemas == nil || err != nil {
		return err
	}
	for i, name := range schemas.Keys {
		ref, err := p.schemas.schema(schemas.Values[i])
		if err != nil {
			return err
		}
		p.doc.Schemas = append(p.doc.Schemas, &NamedSchema{Name: name, Schema: ref})
	}
	return nil
}

var securityTypes = map[string]bool{
	"userPassword": true, "apiKey": true, "X509": true, "symmetricEncryption": true,
	"asymmetricEncryption": true, "httpApiKey": true, "http": true, "oauth2": true,
	"openIdConnect": true, "plain": true, "scramSha256": true, "scramSha512": true, "gssapi": true,
}

func (p *parser) securitySchemes(comps *Node) error {
	schemes, err := optMap(comps, "securitySchemes")
	if schemes == nil || err != nil {
		return err
	}
	for i, name := range schemes.Keys {
		n, err := p.loader.Follow(schemes.Values[i])
		if err != nil {
			return err
		}
		s, err := readSecurityScheme(name, n)
		if err != nil {
			return err
		}
		p.doc.SecuritySchemes = append(p.doc.SecuritySchemes, s)
	}
	return nil
}

func readSecurityScheme(name string, n *Node) (*SecurityScheme, error) {
	if err := expectKind(n, "security scheme "+name, KindMap); err != nil {
		return nil, err
	}
	s := &SecurityScheme{Name: name, Loc: n.Loc()}
	fields := []struct {
		key string
		dst *string
	}{{"description", &s.Description}, {"in", &s.In}, {"name", &s.ParamName}, {"scheme", &s.Scheme}, {"bearerFormat", &s.BearerFormat}}
	var err error
	if s.Type, err = reqString(n, "type"); err != nil {
		return nil, err
	}
	if !securityTypes[s.Type] {
		return nil, n.Get("type").Errorf("unknown security scheme type %q", s.Type)
	}
	for _, f := range fields {
		if *f.dst, err = optString(n, f.key); err != nil {
			return nil, err
		}
	}
	if s.Type == "httpApiKey" && (s.In == "" || s.ParamName == "") {
		return nil, n.Errorf(`security scheme %s: httpApiKey needs "name" and "in"`, name)
	}
	if s.Type == "http" && s.Scheme == "" {
		return nil, missing(n, "scheme")
	}
	return s, nil
}

func (p *parser) servers(root *Node) error {
	servers, err := optMap(root, "servers")
	if servers == nil || err != nil {
		return err
	}
	for i, name := range servers.Keys {
		n, err := p.loader.Follow(servers.Values[i])
		if err != nil {
			return err
		}
		s, err := p.server(name, n)
		if err != nil {
			return err
		}
		p.doc.Servers = append(p.doc.Servers, s)
	}
	return nil
}

func (p *parser) server(name string, n *Node) (*Server, error) {
	if err := expectKind(n, "server "+name, KindMap); err != nil {
		return nil, err
	}
	s := &Server{Name: name, Loc: n.Loc()}
	var err error
	if s.URL, err = reqString(n, "url"); err != nil {
		return nil, err
	}
	if s.Protocol, err = reqString(n, "protocol"); err != nil {
		return nil, err
	}
	if s.ProtocolVersion, err = optString(n, "protocolVersion"); err != nil {
		return nil, err
	}
	if s.Description, err = optString(n, "description"); err != nil {
		return nil, err
	}
	if s.Variables, err = p.serverVariables(n); err != nil {
		return nil, err
	}
	if err := p.urlVariablesDeclared(s, n); err != nil {
		return nil, err
	}
	if s.Bindings, err = p.bindings().read(n, "server"); err != nil {
		return nil, err
	}
	s.Security, err = p.security(n)
	return s, err
}

// bindings reads 2.x bindings objects.
func (p *parser) bindings() bindingsReader {
	return bindingsReader{follow: p.loader.Follow, schema: p.schemas.schema}
}

func (p *parser) serverVariables(server *Node) ([]*ServerVariable, error) {
	vars, err := optMap(server, "variables")
	if vars == nil || err != nil {
		return nil, err
	}
	out := make([]*ServerVariable, 0, len(vars.Keys))
	for i, name := range vars.Keys {
		n, err := p.loader.Follow(vars.Values[i])
		if err != nil {
			return nil, err
		}
		if err := expectKind(n, "server variable "+name, KindMap); err != nil {
			return nil, err
		}
		v := &ServerVariable{Name: name}
		if v.Default, err = optString(n, "default"); err != nil {
			return nil, err
		}
		if v.Description, err = optString(n, "description"); err != nil {
			return nil, err
		}
		if v.Enum, err = stringList(n, "enum"); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// security reads a list of security requirements and checks that each names
// a declared scheme.
func (p *parser) security(n *Node) ([]SecurityRequirement, error) {
	list, err := optList(n, "security")
	if list == nil || err != nil {
		return nil, err
	}
	var out []SecurityRequirement
	for _, item := range list.Items {
		if err := expectKind(item, "a security requirement", KindMap); err != nil {
			return nil, err
		}
		for i, scheme := range item.Keys {
			if !p.hasScheme(scheme) {
				return nil, item.KeyNodes[i].Errorf("security requirement names %q, which is not in components.securitySchemes", scheme)
			}
			scopes, err := stringList(item, scheme)
			if err != nil {
				return nil, err
			}
			out = append(out, SecurityRequirement{Scheme: scheme, Scopes: scopes})
		}
	}
	return out, nil
}

func (p *parser) hasScheme(name string) bool {
	for _, s := range p.doc.SecuritySchemes {
		if s.Name == name {
			return true
		}
	}
	return false
}

func (p *parser) channels(root *Node) error {
	channels := root.Get("channels")
	if channels == nil {
		return missing(root, "channels")
	}
	if err := expectKind(channels, "channels", KindMap); err != nil {
		return err
	}
	for i, name := range channels.Keys {
		n, err := p.loader.Follow(channels.Values[i])
		if err != nil {
			return err
		}
		ch, err := p.channel(name, n, channels.KeyNodes[i])
		if err != nil {
			return err
		}
		p.doc.Channels = append(p.doc.Channels, ch)
		p.channelAt[channels.Values[i]] = ch
	}
	return nil
}

var channelParam = regexp.MustCompile(`\{([^{}]*)\}`)

// maxAddress is the longest channel address, in bytes, a document may
// give: the longest topic MQTT carries (Kafka and NATS take far shorter
// ones). Generated code matches, and subscribers merge, addresses level by
// level, so a longer one would only cost memory.
const maxAddress = 65535

// checkAddressLength refuses an address longer than maxAddress, at at.
func checkAddressLength(address string, at *Node) error {
	if len(address) > maxAddress {
		return at.Errorf("the channel address is %d bytes long: an address holds at most %d (the longest MQTT topic)", len(address), maxAddress)
	}
	return nil
}

func (p *parser) channel(name string, n, keyNode *Node) (*Channel, error) {
	if err := expectKind(n, "channel "+name, KindMap); err != nil {
		return nil, err
	}
	ch := &Channel{Name: name, Loc: keyNode.Loc()}
	if err := checkAddressLength(name, keyNode); err != nil {
		return nil, err
	}
	if strings.ContainsAny(name, "?#") {
		return nil, keyNode.Errorf("channel name %q carries a query string or fragment: a channel name is a path only", name)
	}
	if err := p.channelServers(n); err != nil {
		return nil, err
	}
	var err error
	if ch.Description, err = optString(n, "description"); err != nil {
		return nil, err
	}
	if ch.Parameters, err = p.parameters(n); err != nil {
		return nil, err
	}
	if ch.Bindings, err = p.bindings().read(n, "channel"); err != nil {
		return nil, err
	}
	for _, m := range channelParam.FindAllStringSubmatch(name, -1) {
		if !hasParameter(ch.Parameters, m[1]) {
			return nil, keyNode.Errorf("channel %q uses parameter {%s}, which its parameters do not declare", name, m[1])
		}
	}
	if ch.Publish, err = p.operation(n, "publish"); err != nil {
		return nil, err
	}
	ch.Subscribe, err = p.operation(n, "subscribe")
	return ch, err
}

func hasParameter(params []*Parameter, name string) bool {
	for _, prm := range params {
		if prm.Name == name {
			return true
		}
	}
	return false
}

func (p *parser) parameters(ch *Node) ([]*Parameter, error) {
	params, err := optMap(ch, "parameters")
	if params == nil || err != nil {
		return nil, err
	}
	out := make([]*Parameter, 0, len(params.Keys))
	for i, name := range params.Keys {
		n, err := p.loader.Follow(params.Values[i])
		if err != nil {
			return nil, err
		}
		if err := expectKind(n, "parameter "+name, KindMap); err != nil {
			return nil, err
		}
		prm := &Parameter{Name: name}
		if prm.Description, err = optString(n, "description"); err != nil {
			return nil, err
		}
		if prm.Location, err = optString(n, "location"); err != nil {
			return nil, err
		}
		if s := n.Get("schema"); s != nil {
			if prm.Schema, err = p.schemas.schema(s); err != nil {
				return nil, err
			}
		}
		out = append(out, prm)
	}
	return out, nil
}

func (p *parser) operation(ch *Node, action string) (*Operation, error) {
	raw := ch.Get(action)
	if raw == nil {
		return nil, nil
	}
	n, err := p.loader.Follow(raw)
	if err != nil {
		return nil, err
	}
	if err := expectKind(n, action, KindMap); err != nil {
		return nil, err
	}
	if n, err = p.applyTraits(n, operationTraitObject); err != nil {
		return nil, err
	}
	op := &Operation{Action: action, Loc: n.Loc()}
	if op.OperationID, err = p.operationID(n); err != nil {
		return nil, err
	}
	if op.Summary, err = optString(n, "summary"); err != nil {
		return nil, err
	}
	if op.Description, err = optString(n, "description"); err != nil {
		return nil, err
	}
	if op.Security, err = p.security(n); err != nil {
		return nil, err
	}
	if op.Bindings, err = p.bindings().read(n, "operation"); err != nil {
		return nil, err
	}
	if msg := n.Get("message"); msg != nil {
		if op.Messages, err = p.messageList(msg, ""); err != nil {
			return nil, err
		}
	}
	if len(op.Messages) == 0 {
		p.warn(n.Errorf("%s operation has no message: nothing is generated for it", action))
		return nil, nil
	}
	p.noteReply(op, n)
	return op, nil
}

// operationID reads an operationId and checks it is unique in the document.
func (p *parser) operationID(n *Node) (string, error) {
	id, err := optString(n, "operationId")
	if id == "" || err != nil {
		return id, err
	}
	idNode := n.Get("operationId")
	if first, dup := p.opIDs[id]; dup {
		return "", idNode.Errorf("duplicate operationId %q (first used at line %d)", id, first.Line)
	}
	p.opIDs[id] = idNode
	return id, nil
}

var serverURLVariable = regexp.MustCompile(`\{([^{}]*)\}`)

// urlVariablesDeclared checks that every {variable} in a server URL is
// declared in the server's variables.
func (p *parser) urlVariablesDeclared(s *Server, n *Node) error {
	for _, m := range serverURLVariable.FindAllStringSubmatch(s.URL, -1) {
		if !hasVariable(s.Variables, m[1]) {
			err := n.Get("url").Errorf("server %s: url uses {%s}, which its variables do not declare", s.Name, m[1])
			if err := p.violation(err); err != nil {
				return err
			}
		}
	}
	return nil
}

func hasVariable(vars []*ServerVariable, name string) bool {
	for _, v := range vars {
		if v.Name == name {
			return true
		}
	}
	return false
}

// channelServers checks that a channel's servers name servers the
// document declares.
func (p *parser) channelServers(ch *Node) error {
	list, err := optList(ch, "servers")
	if list == nil || err != nil {
		return err
	}
	for i, item := range list.Items {
		if err := expectKind(item, fmt.Sprintf("servers[%d]", i), KindString); err != nil {
			return err
		}
		if !p.hasServer(item.Str) {
			if err := p.violation(item.Errorf("channel servers names %q, which is not in servers", item.Str)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) hasServer(name string) bool {
	for _, s := range p.doc.Servers {
		if s.Name == name {
			return true
		}
	}
	return false
}
