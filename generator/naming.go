package generator

import (
	"fmt"
	"go/token"
	"go/types"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
)

// defaultInitialisms are the words written in capitals in Go names: the
// usual Go list plus the billing ones our users' specs are full of.
var defaultInitialisms = []string{
	"ACL", "API", "ARR", "ASCII", "CPU", "CSS", "CSV", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS",
	"ID", "IP", "JSON", "JWT", "LHS", "MRR", "OS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SQL",
	"SSH", "TCP", "TLS", "TTL", "UDP", "UI", "UID", "URI", "URL", "UTF8", "UUID", "VAT", "VM", "XML",
	"XMPP", "XSRF", "XSS",
}

// namer turns spec names into Go identifiers.
type namer struct {
	initialisms map[string]bool
}

func newNamer(extra []string) *namer {
	n := &namer{initialisms: map[string]bool{}}
	for _, w := range defaultInitialisms {
		n.initialisms[w] = true
	}
	for _, w := range extra {
		n.initialisms[strings.ToUpper(w)] = true
	}
	return n
}

// exported makes an exported Go identifier of any string: words are split
// at punctuation, spaces and case changes, capitalised, and initialisms
// written in capitals ("account_id" → "AccountID", "external_ids" →
// "ExternalIDs"). A name that would not start with an upper-case letter
// (a digit, or a script without case such as 名前) gets an X in front.
func (n *namer) exported(s string) string {
	name := n.pascal(s)
	if name == "" {
		return ""
	}
	if !token.IsExported(name) {
		name = "X" + name
	}
	return name
}

// pascal joins the capitalised words of s, with no guard for a leading
// digit: for suffixes such as enum constant names.
func (n *namer) pascal(s string) string {
	var b strings.Builder
	for _, w := range splitWords(s) {
		b.WriteString(n.word(w))
	}
	return b.String()
}

// typeName keeps a name that is already an exported Go identifier as it
// is written (components keep their keys, underscores included), except
// that its initialisms are capitalised as in every other name
// ("MrrMovementPayload" → "MRRMovementPayload"); it converts any other.
func (n *namer) typeName(s string) string {
	if token.IsIdentifier(s) && token.IsExported(s) {
		return n.withInitialisms(s)
	}
	return n.exported(s)
}

// withInitialisms writes, in identifier s, each word that is an
// initialism (or its plural) in capitals, and keeps every other word and
// every underscore as it is.
func (n *namer) withInitialisms(s string) string {
	parts := strings.Split(s, "_")
	for i, part := range parts {
		words := splitWords(part)
		for j, w := range words {
			if up := n.initialism(w); up != "" {
				words[j] = up
			}
		}
		parts[i] = strings.Join(words, "")
	}
	return strings.Join(parts, "_")
}

// initialism returns word w as the initialism it is, in capitals, or
// with a plural s ("ids" → "IDs"); "" when w is no initialism.
func (n *namer) initialism(w string) string {
	upper := strings.ToUpper(w)
	if n.initialisms[upper] {
		return upper
	}
	if len(w) > 2 && w[len(w)-1] == 's' && n.initialisms[upper[:len(upper)-1]] {
		return upper[:len(upper)-1] + "s"
	}
	return ""
}

// word capitalises one word, writing an initialism in capitals.
func (n *namer) word(w string) string {
	if up := n.initialism(w); up != "" {
		return up
	}
	lower := []rune(strings.ToLower(w))
	lower[0] = unicode.ToUpper(lower[0])
	return string(lower)
}

// splitWords splits at every rune that is not a letter or digit, and at
// case changes: "mrrMovement" → mrr, Movement; "HTTPServer" → HTTP, Server.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(s)
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if i > 0 && len(cur) > 0 && unicode.IsUpper(r) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// scope hands out identifiers that are unique within it: the second claim
// of a name gets "2", the third "3", in the order of the claims, so the
// result depends only on the order the spec lists things in.
type scope struct {
	used map[string]bool
	// next is, per name claimed more than once, the suffix to try first
	// on its next claim, so that k claims of one name cost O(k) in all.
	next map[string]int
	// probes counts the names tried, for tests of the work claims do.
	probes int
}

func newScope(reserved ...string) *scope {
	s := &scope{used: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		s.used[r] = true
	}
	return s
}

func (s *scope) claim(name string) string {
	s.probes++
	if !s.used[name] {
		s.used[name] = true
		return name
	}
	for i := max(s.next[name], 2); ; i++ {
		candidate := name + strconv.Itoa(i)
		s.probes++
		if !s.used[candidate] {
			s.used[candidate] = true
			s.next[name] = i + 1
			return candidate
		}
	}
}

// claimFamily claims name, or name with the first number suffix, such
// that it is free with each of suffixes after it, and claims those too;
// it returns the name claimed without suffix.
func (s *scope) claimFamily(name string, suffixes ...string) string {
	free := func(candidate string) bool {
		s.probes++
		if s.used[candidate] {
			return false
		}
		for _, suffix := range suffixes {
			if s.used[candidate+suffix] {
				return false
			}
		}
		return true
	}
	candidate := name
	if !free(candidate) {
		for i := max(s.next[name], 2); ; i++ {
			candidate = name + strconv.Itoa(i)
			if free(candidate) {
				s.next[name] = i + 1
				break
			}
		}
	}
	s.used[candidate] = true
	for _, suffix := range suffixes {
		s.used[candidate+suffix] = true
	}
	return candidate
}

// taken reports whether name has been claimed or reserved.
func (s *scope) taken(name string) bool { return s.used[name] }

// NameProblem says why name cannot be given to a declaration by x-go-name
// or typeNames, or "" when it can: it must be an exported Go identifier,
// which also keeps out keywords, builtins and "_". It is the one place
// that rule is written; the configuration checks typeNames with it.
func NameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case !token.IsIdentifier(name):
		return "it is not a Go identifier (a letter, then letters, digits or underscores, and no keyword)"
	case !token.IsExported(name):
		return "it does not start with an upper-case letter, so it would not be exported"
	}
	return ""
}

// InitialismProblem says why w cannot be an extra initialism, or "" when
// it can: it must be letters and digits, as the words of names are.
func InitialismProblem(w string) string {
	if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		return "must be letters and digits"
	}
	return ""
}

// PackageNameProblem says why name cannot be the generated package's
// name, or "" when it can.
func PackageNameProblem(name string) string {
	if !token.IsIdentifier(name) || name == "_" {
		return "it is not a Go identifier"
	}
	return ""
}

// typeOverride returns the type name that x-go-name, else the typeNames
// configuration, gives schema v, or "" when neither does. A name that is
// no exported identifier, that the generated package declares itself, or
// that another type has is an error at its place.
func (b *builder) typeOverride(v *document.Schema) (string, error) {
	info := b.doc.SchemaInfo[v]
	if info == nil {
		info = &document.SchemaInfo{}
	}
	if raw, ok := v.Extensions["x-go-name"]; ok {
		loc := goNameLoc(info)
		name, isString := raw.(string)
		if !isString {
			return "", &document.Error{Loc: loc, Msg: "x-go-name must be a string"}
		}
		return name, b.checkTypeOverride(loc, loc.File+"#"+loc.Pointer, "x-go-name", name)
	}
	if name, ok := b.overrides[info.Name]; ok && info.Name != "" {
		return name, b.checkTypeOverride(info.Loc, "typeNames "+info.Name, fmt.Sprintf("typeNames entry for %q", info.Name), name)
	}
	return "", nil
}

// checkTypeOverride refuses a type name that cannot be used; what says
// where the name comes from, and origin identifies the override (where
// it is written, or its typeNames key).
func (b *builder) checkTypeOverride(loc document.Location, origin, what, name string) error {
	msg := ""
	switch {
	case NameProblem(name) != "":
		msg = fmt.Sprintf("%s %q cannot name a Go type: %s", what, name, NameProblem(name))
	case b.isReserved(name):
		msg = fmt.Sprintf("%s %q is a name the generated package declares itself; choose another", what, name)
	case b.types.taken(name) && b.overridden[name] != origin:
		msg = fmt.Sprintf("%s %q is already the name of another type; choose another", what, name)
	default:
		b.overridden[name] = origin
		return nil
	}
	return &document.Error{Loc: loc, Msg: msg}
}

// isReserved reports whether the generated package declares name whatever
// the spec says.
func (b *builder) isReserved(name string) bool {
	_, found := slices.BinarySearch(b.pkg.Reserved, name)
	return found
}

// fieldName claims the Go name of struct field p in fields: the x-go-name
// of its inline schema, checked, else one made from the property name.
func (b *builder) fieldName(p property, fields *scope) (string, error) {
	v := p.schema.Value
	raw, ok := v.Extensions["x-go-name"]
	if !ok || p.schema.Ref != "" {
		return fields.claim(b.exportedOr(p.name, "Field")), nil
	}
	info := b.doc.SchemaInfo[v]
	if info == nil {
		info = &document.SchemaInfo{}
	}
	loc := goNameLoc(info)
	name, isString := raw.(string)
	msg := ""
	switch {
	case !isString:
		msg = "x-go-name must be a string"
	case NameProblem(name) != "":
		msg = fmt.Sprintf("x-go-name %q cannot name a struct field: %s", name, NameProblem(name))
	case slices.Contains(reservedFieldNames, name):
		msg = fmt.Sprintf("x-go-name %q is the name of a method of the generated struct; choose another", name)
	case fields.taken(name):
		msg = fmt.Sprintf("x-go-name %q is already the name of another field of this struct; choose another", name)
	default:
		return fields.claim(name), nil
	}
	return "", &document.Error{Loc: loc, Msg: msg}
}

// goNameLoc is where a schema's x-go-name is written, else the schema.
func goNameLoc(info *document.SchemaInfo) document.Location {
	if info.GoName.File != "" {
		return info.GoName
	}
	return info.Loc
}

// nameReceivers names, once every decoder is named, what the receiver and
// the brokers declare per received channel (a channel carrying a message
// with a decoder), and the headers accessors of its messages.
func (b *builder) nameReceivers() {
	received := receivedChannels(b.pkg.Channels)
	for _, c := range received {
		c.ReceiverFunc = model.SoleReceiverFunc
		if len(received) > 1 {
			c.ReceiverFunc = b.values.claim("New" + c.GoName + "Receiver")
		}
		c.ReceiveFunc = b.values.claim("receive" + c.GoName)
	}
	accessors := map[string]string{}
	for _, c := range received {
		for _, m := range channelDecodedMessages(c) {
			if m.HeadersDecodeFunc == "" {
				continue
			}
			if accessors[m.Headers.Name] == "" {
				accessors[m.Headers.Name] = b.values.claim(m.Headers.Name + "FromContext")
			}
			m.HeadersFromContextFunc = accessors[m.Headers.Name]
		}
	}
	b.nameKafkaKeys(received)
	for _, c := range received {
		c.BrokerDecodeFunc = b.values.claim("brokerDecode" + c.GoName)
		if addressHasParameters(c.Name) {
			c.ParametersType = b.values.claim(c.GoName + "Parameters")
			c.ParametersFromContextFunc = b.values.claim(c.GoName + "ParametersFromContext")
			c.ParseParametersFunc = b.values.claim("parse" + c.GoName + "Parameters")
		}
	}
	for _, c := range received {
		c.AddressParameters = b.addressParameters(c)
		b.nameParameterPatterns(c)
	}
	namePublications(received)
	b.nameDecodedLocals(received)
}

// decodeLocals are the names the functions decoding a channel's payloads
// give their arguments and variables, or import packages under, besides
// the locals holding each message.
var decodeLocals = []string{"h", "data", "i", "err", "ctx", "header", "v", "context", "http", "errors", "fmt"}

// nameDecodedLocals names, for each message of the received channels,
// the locals a channel's decoding function holds the message and its
// error in: the message's name in lower camel case ("orderPlaced",
// "orderPlacedErr"), so that another message gives new lines and renames
// none. The names are unique among all messages, so they can be used in
// any channel's function.
func (b *builder) nameDecodedLocals(received []*model.Channel) {
	locals := newScope(decodeLocals...)
	for _, c := range received {
		for _, m := range channelDecodedMessages(c) {
			if m.DecodedVar != "" {
				continue
			}
			local := lowerFirstWord(m.Name)
			m.DecodedVar = b.claimLocal(locals, local, "v"+m.Name)
			m.DecodeErrVar = b.claimLocal(locals, local+"Err", "err"+m.Name)
		}
	}
}

// claimLocal claims in locals the first of want and fallback that hides
// no name, else fallback with the first number that does not.
func (b *builder) claimLocal(locals *scope, want, fallback string) string {
	for _, name := range []string{want, fallback} {
		if token.IsIdentifier(name) && !b.hidesName(name, locals) {
			return locals.claim(name)
		}
	}
	for i := 2; ; i++ {
		if name := fallback + strconv.Itoa(i); !b.hidesName(name, locals) {
			return locals.claim(name)
		}
	}
}

// publishLocals are the names the body of a Publish or Request method
// gives its receiver, results and variables, or imports under, besides
// its arguments: an argument named like one would not compile.
var publishLocals = []string{
	"ctx", "v", "headers", "key", "p", "payload", "address", "err", "hv", "kb", "answer", "r", "x", "ok", "values",
	"fmt", "errors", "json", "context", "strconv", "slices", "regexp", "http", "kgo", "nats", "jetstream", "autopaho", "paho",
}

// publishLocalPrefixes begin the unexported package-level names of the
// broker support code a Publish method calls.
var publishLocalPrefixes = []string{"broker", "kafka", "nats", "mqtt", "parse"}

// addressParameters names, for the {parameters} of received channel c's
// address in the order it holds them, a field of its parameters struct
// and an argument of its Publish methods. A declared parameter brings its
// schema; an undeclared one is a string; a declared one the address does
// not hold is left out. A field whose name makes no identifier, or whose
// identifier is taken, gets a numbered one (Param1); an argument whose
// identifier is taken gets Param after it (rParam), and one whose name
// makes none a numbered one (param1).
func (b *builder) addressParameters(c *model.Channel) []*model.AddressParameter {
	fields, args := newScope(), newScope(publishLocals...)
	var out []*model.AddressParameter
	for i, name := range addressParameterNames(c.Name) {
		p := &model.Parameter{Name: name, Type: &model.TypeRef{Kind: model.BuiltinRef, Name: "string"}}
		if j := slices.IndexFunc(c.Parameters, func(d *model.Parameter) bool { return d.Name == name }); j >= 0 {
			p = c.Parameters[j]
		}
		numbered := strconv.Itoa(i + 1)
		field := b.parameterIdentifier(p.Name, true)
		if field == "" || fields.taken(field) {
			field = "Param" + numbered
		}
		arg := b.parameterIdentifier(p.Name, false)
		if arg != "" && b.hidesName(arg, args) {
			arg += "Param"
		}
		if arg == "" || b.hidesName(arg, args) {
			arg = "param" + numbered
		}
		out = append(out, &model.AddressParameter{Parameter: p, Field: fields.claim(field), Arg: args.claim(arg)})
	}
	return out
}

// nameParameterPatterns names the variable holding the compiled pattern
// of each of c's address parameters that has one and that c's parameter
// parser checks: the parser's channel and field, then "Pattern"
// ("shopOrdersShopIDPattern").
func (b *builder) nameParameterPatterns(c *model.Channel) {
	if c.ParseParametersFunc == "" {
		return
	}
	for _, ap := range c.AddressParameters {
		if ap.Parameter.Pattern != "" {
			ap.PatternVar = b.values.claim(lowerFirstWord(c.GoName) + ap.Field + "Pattern")
		}
	}
}

// parameterIdentifier makes a Go name of a parameter's name, its words
// capitalised and its initialisms in capitals, the first word in lower
// case unless exported; "" when name does not start with a letter (or,
// exported, with an upper-case one). The result may be a keyword or a
// predeclared name.
func (b *builder) parameterIdentifier(name string, exported bool) string {
	id := b.names.pascal(name)
	if !exported {
		id = lowerFirstWord(id)
	}
	first, _ := utf8.DecodeRuneInString(id)
	if id == "" || !unicode.IsLetter(first) || (exported && !token.IsExported(id)) {
		return ""
	}
	return id
}

// hidesName reports whether a local named name cannot be declared beside
// those of locals, or would hide a name the code around it uses: it is a
// keyword, a predeclared name, a local, or a package-level name.
func (b *builder) hidesName(name string, locals *scope) bool {
	return token.IsKeyword(name) || types.Universe.Lookup(name) != nil || locals.taken(name) || b.isPackageLevel(name)
}

// lowerFirstWord writes the first word of a Pascal-case identifier in
// lower case, all of an initialism ("IDFilter" → "idFilter",
// "ShopID" → "shopID").
func lowerFirstWord(id string) string {
	words := splitWords(id)
	if len(words) == 0 {
		return id
	}
	return strings.ToLower(words[0]) + id[len(words[0]):]
}

// isPackageLevel reports whether the generated package declares name at
// package level, or the broker support code may: a local of that name
// would hide it.
func (b *builder) isPackageLevel(name string) bool {
	if b.values.taken(name) || b.types.taken(name) {
		return true
	}
	return slices.ContainsFunc(publishLocalPrefixes, func(prefix string) bool { return strings.HasPrefix(name, prefix) })
}

// namePublications names the methods the broker publishers declare for
// the messages of the received channels: Publish<Message> for a message
// on one channel, else Publish followed by the operation's name, or by
// the message's and the channel's names; and beside each, Request and the
// same suffix. Publishers share one scope of method names.
func namePublications(received []*model.Channel) {
	channelsOf := map[*model.Message]int{}
	for _, c := range received {
		for _, m := range channelDecodedMessages(c) {
			channelsOf[m]++
		}
	}
	methods := newScope()
	for _, c := range received {
		for _, m := range channelDecodedMessages(c) {
			suffix := m.Name
			if channelsOf[m] > 1 {
				suffix = m.Name + c.GoName
				if op := operationOf(c, m); op != nil && op.GoName != "" && op.ID != "" {
					suffix = op.GoName
				}
			}
			publish := methods.claim("Publish" + suffix)
			request := methods.claim("Request" + strings.TrimPrefix(publish, "Publish"))
			c.Publications = append(c.Publications, &model.Publication{Message: m, PublishMethod: publish, RequestMethod: request})
		}
	}
}

// operationOf returns the operation of c that carries m.
func operationOf(c *model.Channel, m *model.Message) *model.Operation {
	for _, op := range c.Operations {
		if slices.Contains(op.Messages, m) {
			return op
		}
	}
	return nil
}

// nameKafkaKeys names, in a package with a Kafka server, the record key
// decoder and context accessor of each received message whose kafka
// binding declares a key.
func (b *builder) nameKafkaKeys(received []*model.Channel) {
	if !slices.ContainsFunc(b.pkg.Servers, isKafkaServer) {
		return
	}
	for _, c := range received {
		for _, m := range channelDecodedMessages(c) {
			if m.KafkaKey == nil || m.KafkaKeyDecodeFunc != "" {
				continue
			}
			m.KafkaKeyDecodeFunc = b.values.claim("decode" + m.Name + "KafkaKey")
			m.KafkaKeyFromContextFunc = b.values.claim(m.Name + "KafkaKeyFromContext")
		}
	}
}

// isKafkaServer reports whether a server speaks Kafka.
func isKafkaServer(s *model.Server) bool {
	switch strings.ToLower(s.Protocol) {
	case "kafka", "kafka-secure":
		return true
	}
	return false
}

// receivedChannels lists the channels that carry a message with a
// decoder, in spec order.
func receivedChannels(channels []*model.Channel) []*model.Channel {
	var out []*model.Channel
	for _, c := range channels {
		if len(channelDecodedMessages(c)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// channelDecodedMessages lists, each once and in operation order, the
// messages of c's operations that have a decoder.
func channelDecodedMessages(c *model.Channel) []*model.Message {
	var out []*model.Message
	for _, op := range c.Operations {
		for _, m := range op.Messages {
			if m != nil && m.DecodeFunc != "" && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// addressParameterNames lists the {names} of an address in order, as the
// generated code's brokerPattern reads them: from each '{' to the next '}'.
func addressParameterNames(address string) []string {
	var names []string
	rest := address
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return names
		}
		names = append(names, rest[open+1:open+end])
		rest = rest[open+end+1:]
	}
}

// addressHasParameters reports whether address holds a {parameter}: a
// '{' with a '}' after it, as the generated brokerPattern reads it.
func addressHasParameters(address string) bool {
	open := strings.IndexByte(address, '{')
	return open >= 0 && strings.IndexByte(address[open:], '}') >= 0
}

// ruleConstWords is how many segments of a schema's JSON pointer, the
// last ones, its rule table constant is named from.
const ruleConstWords = 8

// ruleConstSkipped are JSON pointer segments that say where a schema
// sits in the document's structure rather than what it is: its rule
// table constant is named without them.
var ruleConstSkipped = map[string]bool{
	"components": true, "schemas": true, "definitions": true, "$defs": true, "properties": true,
	"channels": true, "messages": true, "message": true, "payload": true, "publish": true, "subscribe": true,
}

// nameRuleConsts names the rule table constants of r, the rules of the
// schema at pointer: rule followed by the pointer's last segments that
// name something ("/components/schemas/Customer/properties/email" gives
// ruleCustomerEmail), with JSON and MapJSON after it for the entries
// derived from r.
func (b *builder) nameRuleConsts(r *model.Rules, pointer string) {
	var words []string
	for _, segment := range strings.Split(pointer, "/") {
		if strings.Contains(segment, "~") {
			segment = strings.ReplaceAll(strings.ReplaceAll(segment, "~1", "/"), "~0", "~")
		}
		if segment != "" && !ruleConstSkipped[segment] {
			words = append(words, segment)
		}
	}
	words = words[max(len(words)-ruleConstWords, 0):]
	name := b.names.pascal(strings.Join(words, " "))
	if name == "" {
		name = "Schema"
	}
	r.TableConst = b.values.claimFamily("rule"+name, "JSON", "MapJSON")
	r.JSONTableConst = r.TableConst + "JSON"
	r.MapJSONTableConst = r.TableConst + "MapJSON"
	b.pkg.RuleTableConsts = append(b.pkg.RuleTableConsts, r.TableConst, r.JSONTableConst, r.MapJSONTableConst)
}

// nameMethods names the methods of Handler and Sender: Handle<Message>
// and Send<Message> for each message, and Send<Channel> for each
// dispatching channel, in one scope per interface, so that a channel's
// method never takes the name of a message's.
func (b *builder) nameMethods() {
	handles, sends := newScope(), newScope()
	for _, m := range b.pkg.Messages {
		m.HandleMethod = handles.claim("Handle" + m.Name)
		m.SendMethod = sends.claim("Send" + m.Name)
	}
	for _, c := range b.pkg.Channels {
		if d := c.Dispatch; d != nil && strings.HasPrefix(d.Func, "Decode") {
			d.SendMethod = sends.claim("Send" + strings.TrimPrefix(d.Func, "Decode"))
		}
	}
}

// usePattern records that target is to hold the name of the variable of
// pattern, which namePatterns gives once every pattern is known.
func (b *builder) usePattern(pattern string, target *string) {
	uses, seen := b.patternUses[pattern]
	if !seen {
		b.patternOrder = append(b.patternOrder, pattern)
	}
	b.patternUses[pattern] = append(uses, target)
}

// namePatterns names the package-level variable of each distinct pattern
// from what the pattern is, whatever the order of the spec: pattern
// followed by its letters and digits ("^[a-z]{3}$" is patternAZ3). A
// pattern without any, or whose letters and digits another pattern
// shares, or whose name the package declares itself, gets the hash of its
// text after them too ("^.*$" is patterna9696f83; "^x-" beside "^X_" is
// patternXa500b462), not a number in the order met, so that adding a
// pattern to a spec renames at most the one pattern whose letters it
// shares. The names come from the package scope, so no type, constant or
// support name takes one, and they go to the rules and to Patterns.
func (b *builder) namePatterns() {
	shared := map[string]int{}
	for _, pattern := range b.patternOrder {
		shared[patternSlug(pattern)]++
	}
	for _, pattern := range b.patternOrder {
		slug := patternSlug(pattern)
		name := "pattern" + slug
		if slug == "" || shared[slug] > 1 || b.values.taken(name) {
			name += patternHash(pattern)
		}
		name = b.values.claim(name)
		for _, target := range b.patternUses[pattern] {
			*target = name
		}
		b.pkg.Patterns = append(b.pkg.Patterns, &model.Pattern{Expr: pattern, Var: name})
	}
	// Named once: a pattern used after this is named by the next call.
	b.patternOrder, b.patternUses = nil, map[string][]*string{}
}

// patternHash is the FNV-1a hash of a pattern's text in eight hex digits.
func patternHash(pattern string) string {
	h := fnv.New32a()
	h.Write([]byte(pattern))
	return fmt.Sprintf("%08x", h.Sum32())
}

// patternSlugRunes is how many letters and digits of a pattern its
// variable's name keeps at most.
const patternSlugRunes = 24

// patternSlug joins the runs of ASCII letters and digits of pattern, each
// starting with a capital, keeping at most patternSlugRunes of them.
func patternSlug(pattern string) string {
	var b strings.Builder
	startOfRun := true
	for _, r := range pattern {
		if b.Len() == patternSlugRunes {
			break
		}
		isAlnum := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if !isAlnum {
			startOfRun = true
			continue
		}
		if startOfRun {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
		startOfRun = false
	}
	return b.String()
}
