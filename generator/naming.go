package generator

import (
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"unicode"

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

// addressHasParameters reports whether address holds a {parameter}: a
// '{' with a '}' after it, as the generated brokerPattern reads it.
func addressHasParameters(address string) bool {
	open := strings.IndexByte(address, '{')
	return open >= 0 && strings.IndexByte(address[open:], '}') >= 0
}
