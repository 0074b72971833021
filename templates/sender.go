package templates

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// sending writes sender.gen.go for one package.
type sending struct {
	pkg   *model.Package
	kinds []authKind
	// validated are the payload types that have a Validate method.
	validated func(*model.TypeRef) bool
}

// Sender emits the Sender of a package: its options, NewSender, the
// signing of requests with the spec's security scheme and one Send method
// per message that an operation carries. It returns nil for a package
// without an HTTP transport.
func Sender(pkg *model.Package, validated func(*model.TypeRef) bool) (*jen.File, error) {
	if !hasHTTPTransport(pkg) {
		return nil, nil
	}
	s := &sending{pkg: pkg, kinds: authKinds(pkg), validated: validated}
	f := newFile(pkg)
	f.ImportName(jwtPath, "jwt")
	for _, code := range s.declarations() {
		f.Add(code)
		f.Line()
	}
	sent := sentMessages(pkg)
	for _, msg := range sent {
		f.Add(s.sendMethod(msg))
		f.Line()
	}
	for _, ch := range pkg.Channels {
		if code := channelSendMethod(ch, sent); code != nil {
			f.Add(code)
			f.Line()
		}
	}
	return f, nil
}

// channelSendMethod declares the Send method of a dispatching channel,
// which takes any of its messages (what its Decode function returns) and
// calls the message's own Send method: a relay decodes and sends on
// without a type switch of its own. It returns nil for a channel that does
// not dispatch, or one of whose messages is not sent.
func channelSendMethod(ch *model.Channel, sent []*model.Message) jen.Code {
	d := ch.Dispatch
	if d == nil || d.SendMethod == "" {
		return nil
	}
	name := d.SendMethod
	var cases []jen.Code
	var pairs []string
	for _, c := range d.Cases {
		if !slices.Contains(sent, c.Message) || c.Message.Payload.Kind != model.NamedRef {
			return nil
		}
		send := jen.Id("s").Dot(c.Message.SendMethod).Call(jen.Id("ctx"), jen.Id("v"))
		if replyOf(c.Message) != nil {
			// A relay passes the message on; the reply stays here.
			cases = append(cases, jen.Case(jen.Op("*").Id(c.Message.Payload.Name)).Block(
				jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(send), jen.Return(jen.Err())))
		} else {
			cases = append(cases, jen.Case(jen.Op("*").Id(c.Message.Payload.Name)).Block(jen.Return(send)))
		}
		pairs = append(pairs, fmt.Sprintf("%s for *%s", c.Message.SendMethod, c.Message.Payload.Name))
	}
	doc := fmt.Sprintf("%s posts m, a message of channel %s such as %s returns, with the Send "+
		"method of its type: %s. It is for relays, which decode and send on.", name, ch.Name, d.Func, strings.Join(pairs, ", "))
	if slices.ContainsFunc(d.Cases, func(c *model.DispatchCase) bool { return replyOf(c.Message) != nil }) {
		doc += " It drops the replies of the messages that have one; their Send methods return them."
	}
	return docComment(doc).(*jen.Statement).Line().
		Func().Params(jen.Id("s").Op("*").Id("Sender")).Id(name).
		Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("m").Id(d.Interface)).Error().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("m").Assert(jen.Type())).Block(cases...),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("send %s: %%T is not a message of the channel", literalPercent(ch.Name))), jen.Id("m"))),
	)
}

// sentMessages are the messages with a decoder that some operation
// carries, each once, in the package's order.
func sentMessages(pkg *model.Package) []*model.Message {
	carried := map[*model.Message]bool{}
	for _, ch := range pkg.Channels {
		for _, op := range ch.Operations {
			for _, m := range op.Messages {
				carried[m] = true
			}
		}
	}
	var out []*model.Message
	for _, m := range pkg.Messages {
		if m.DecodeFunc != "" && carried[m] {
			out = append(out, m)
		}
	}
	return out
}

// declarations are everything but the Send methods.
func (s *sending) declarations() []jen.Code {
	return []jen.Code{
		jen.Comment("senderUserAgent is the User-Agent of the requests a Sender makes.").Line().
			Const().Id("senderUserAgent").Op("=").Lit("asyncgen-" + s.pkg.Name + "-sender"),
		jen.Comment("SenderOption configures a Sender: a CredentialOption, or one of the options").Line().
			Comment("below.").Line().
			Type().Id("SenderOption").Interface(jen.Id("applySender").Params(jen.Op("*").Id("senderConfig"))),
		jen.Comment("senderConfig is what the options of NewSender set.").Line().
			Type().Id("senderConfig").Struct(
			jen.Id("credentials").Id("credentials"),
			jen.Id("client").Op("*").Qual("net/http", "Client"),
			jen.Id("insecureHTTP").Bool(),
			jen.Id("timeout").Qual("time", "Duration"),
			jen.Id("retry").Id("RetryPolicy"),
		),
		jen.Comment("applySender sets the secret in a Sender's credentials.").Line().
			Func().Params(jen.Id("o").Id("CredentialOption")).Id("applySender").Params(jen.Id("c").Op("*").Id("senderConfig")).Block(
			jen.Id("o").Call(jen.Op("&").Id("c").Dot("credentials"))),
		jen.Comment("senderOption is an option only a Sender takes.").Line().
			Type().Id("senderOption").Func().Params(jen.Op("*").Id("senderConfig")),
		jen.Comment("applySender sets what the option sets.").Line().
			Func().Params(jen.Id("o").Id("senderOption")).Id("applySender").Params(jen.Id("c").Op("*").Id("senderConfig")).Block(
			jen.Id("o").Call(jen.Id("c"))),
		senderOptionFunc("WithInsecureHTTP lets NewSender take an http:// endpoint, for a test server "+
			"on loopback. Messages and credentials then travel unencrypted.",
			"WithInsecureHTTP", nil, jen.Id("c").Dot("insecureHTTP").Op("=").True()),
		senderOptionFunc("WithAttemptTimeout bounds each attempt of a Send, from dialling to reading "+
			"the answer; 5 s without it. An attempt that runs out of time is retried. Zero "+
			"or less leaves only the context to bound an attempt.",
			"WithAttemptTimeout", []jen.Code{jen.Id("d").Qual("time", "Duration")}, jen.Id("c").Dot("timeout").Op("=").Id("d")),
		senderOptionFunc("WithRetry sets how a Sender retries; DefaultRetryPolicy without it. A field of policy left at zero takes its value from DefaultRetryPolicy.",
			"WithRetry", []jen.Code{jen.Id("policy").Id("RetryPolicy")}, jen.Id("c").Dot("retry").Op("=").Id("policy")),
		senderOptionFunc("WithoutRetry makes a Sender try each message once.",
			"WithoutRetry", nil, jen.Id("c").Dot("retry").Op("=").Id("RetryPolicy").Values(jen.Dict{jen.Id("MaxAttempts"): jen.Lit(1)})),
		senderOptionFunc("WithHTTPClient makes a Sender send with a copy of client, keeping its "+
			"Transport, Jar and Timeout. A Sender never follows redirects, whatever "+
			"client.CheckRedirect says: a 3xx answer is a failure. The client itself is not changed.",
			"WithHTTPClient", []jen.Code{jen.Id("client").Op("*").Qual("net/http", "Client")}, jen.Id("c").Dot("client").Op("=").Id("client")),
		s.senderType(),
		s.newSender(),
		s.signRequest(),
		s.jwtSigner(),
	}
}

// senderOptionFunc declares an exported option that sets one thing.
func senderOptionFunc(doc, name string, params []jen.Code, set jen.Code) jen.Code {
	return docComment(doc).(*jen.Statement).Line().
		Func().Id(name).Params(params...).Id("SenderOption").Block(
		jen.Return(jen.Id("senderOption").Call(jen.Func().Params(jen.Id("c").Op("*").Id("senderConfig")).Block(set))))
}

// senderType declares Sender.
func (s *sending) senderType() jen.Code {
	doc := "Sender posts messages of " + specName(s.pkg) + " to one endpoint, as the provider's " +
		"webhooks do: each Send validates its value, encodes it once and POSTs it as JSON " +
		"with the credentials and an Idempotency-Key header that stays the same on every " +
		"attempt, retrying network errors, 429 and 5xx answers as its RetryPolicy says. " +
		"It is safe for concurrent use."
	return docComment(doc).(*jen.Statement).Line().
		Type().Id("Sender").Struct(jen.Id("transport").Op("*").Id("sendTransport"))
}

// specName names the spec in doc comments: its title, else the package.
func specName(pkg *model.Package) string {
	if t := strings.TrimSpace(pkg.Title); t != "" {
		return t
	}
	return "package " + pkg.Name
}

// newSender declares NewSender.
func (s *sending) newSender() jen.Code {
	doc := "NewSender returns a Sender posting to endpoint, an absolute https:// URL (http:// " +
		"with WithInsecureHTTP). It sends with a new http.Client unless WithHTTPClient, bounds " +
		"each attempt to 5 s unless WithAttemptTimeout, and retries as DefaultRetryPolicy " +
		"unless WithRetry or WithoutRetry."
	if need := s.requiredCredentials(); need != "" {
		doc += " The spec requires credentials: NewSender returns an error without " + need +
			", so that nothing is ever sent unsigned."
	}
	body := []jen.Code{
		jen.Id("cfg").Op(":=").Id("senderConfig").Values(jen.Dict{
			jen.Id("timeout"): jen.Lit(5).Op("*").Qual("time", "Second"),
			jen.Id("retry"):   jen.Id("DefaultRetryPolicy").Call(),
		}),
		jen.For(jen.List(jen.Id("_"), jen.Id("opt")).Op(":=").Range().Id("opts")).Block(
			jen.If(jen.Id("opt").Op("!=").Nil()).Block(jen.Id("opt").Dot("applySender").Call(jen.Op("&").Id("cfg")))),
		jen.List(jen.Id("u"), jen.Err()).Op(":=").Id("sendCheckEndpoint").Call(jen.Id("endpoint"), jen.Id("cfg").Dot("insecureHTTP")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("new sender: %w"), jen.Err()))),
	}
	body = append(body, jen.If(jen.Err().Op(":=").Id("cfg").Dot("credentials").Dot("err").Call(), jen.Err().Op("!=").Nil()).Block(
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("new sender: %w"), jen.Err()))))
	if missing := s.missingCredentials(); missing != nil {
		body = append(body, jen.If(missing).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("new sender: the spec requires credentials: pass "+s.requiredCredentials())))))
	}
	body = append(body, jen.Return(jen.Op("&").Id("Sender").Values(jen.Dict{
		jen.Id("transport"): jen.Id("newSendTransport").Call(
			jen.Id("u"), jen.Id("cfg").Dot("client"), jen.Id("cfg").Dot("timeout"), jen.Id("cfg").Dot("retry"),
			jen.Id("senderUserAgent"), jen.Id("cfg").Dot("credentials").Dot("signRequest")),
	}), jen.Nil()))
	return docComment(doc).(*jen.Statement).Line().
		Func().Id("NewSender").Params(jen.Id("endpoint").String(), jen.Id("opts").Op("...").Id("SenderOption")).
		Params(jen.Op("*").Id("Sender"), jen.Error()).Block(body...)
}

// requiredCredentials names the options of which a Sender needs one: the
// spec requires a scheme the sender implements. "" when none is required.
func (s *sending) requiredCredentials() string {
	var opts []string
	if slices.Contains(s.kinds, authJWT) {
		opts = append(opts, "WithJWTSecret")
	}
	if slices.Contains(s.kinds, authAPIKey) {
		opts = append(opts, "WithAPIKey")
	}
	return strings.Join(opts, " or ")
}

// missingCredentials is the condition under which cfg has none of the
// required credentials; nil when none is required.
func (s *sending) missingCredentials() jen.Code {
	var conds []jen.Code
	if slices.Contains(s.kinds, authJWT) {
		conds = append(conds, jen.Len(jen.Id("cfg").Dot("credentials").Dot("jwtSecret")).Op("==").Lit(0))
	}
	if slices.Contains(s.kinds, authAPIKey) {
		conds = append(conds, jen.Id("cfg").Dot("credentials").Dot("apiKey").Op("==").Lit(""))
	}
	if len(conds) == 0 {
		return nil
	}
	cond := jen.Add(conds[0])
	for _, c := range conds[1:] {
		cond = cond.Op("&&").Add(c)
	}
	return cond
}

// signRequest declares the method adding the credentials to a request.
func (s *sending) signRequest() jen.Code {
	c := func() *jen.Statement { return jen.Id("c") }
	setHeader := func(name string, value jen.Code) jen.Code {
		return jen.Id("req").Dot("Header").Dot("Set").Call(jen.Lit(name), value)
	}
	var body []jen.Code
	var doc []string
	for _, k := range s.kinds {
		switch k {
		case authSharedSecret:
			doc = append(doc, "the shared secret, if any, as a bearer token")
			body = append(body, jen.If(c().Dot("sharedSecret").Op("!=").Lit("")).Block(
				setHeader("Authorization", jen.Lit("Bearer ").Op("+").Add(c().Dot("sharedSecret")))))
		case authJWT:
			doc = append(doc, fmt.Sprintf("a new HS256 JWT, valid for %s, as a bearer token", "five minutes"))
			body = append(body, jen.If(jen.Len(c().Dot("jwtSecret")).Op(">").Lit(0)).Block(
				jen.List(jen.Id("token"), jen.Err()).Op(":=").Id("senderJWT").Call(c().Dot("jwtSecret"), jen.Qual("time", "Now").Call()),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				setHeader("Authorization", jen.Lit("Bearer ").Op("+").Id("token"))))
		case authAPIKey:
			scheme := apiKeyScheme(s.pkg)
			doc = append(doc, fmt.Sprintf("the API key in the %q %s", scheme.ParamName, apiKeyPlace(scheme)))
			var set []jen.Code
			if scheme.In == "query" {
				set = []jen.Code{
					jen.Id("q").Op(":=").Id("req").Dot("URL").Dot("Query").Call(),
					jen.Id("q").Dot("Set").Call(jen.Lit(scheme.ParamName), c().Dot("apiKey")),
					jen.Id("req").Dot("URL").Dot("RawQuery").Op("=").Id("q").Dot("Encode").Call(),
				}
			} else {
				set = []jen.Code{setHeader(scheme.ParamName, c().Dot("apiKey"))}
			}
			body = append(body, jen.If(c().Dot("apiKey").Op("!=").Lit("")).Block(set...))
		}
	}
	body = append(body, jen.Return(jen.Nil()))
	text := "signRequest adds the credentials to the request of one attempt"
	if len(doc) > 0 {
		text += ": " + strings.Join(doc, "; ")
	}
	return docComment(text + ".").(*jen.Statement).Line().
		Func().Params(jen.Id("c").Id("credentials")).Id("signRequest").
		Params(jen.Id("req").Op("*").Qual("net/http", "Request")).Error().Block(body...)
}

// jwtSigner declares senderJWT, for packages whose spec uses JWTs.
func (s *sending) jwtSigner() jen.Code {
	if !slices.Contains(s.kinds, authJWT) {
		return jen.Null()
	}
	return jen.Comment("senderJWTLifetime is how long a token a Sender signs is valid: each attempt").Line().
		Comment("signs a new one, so that a long run of retries never sends an expired token.").Line().
		Const().Id("senderJWTLifetime").Op("=").Lit(5).Op("*").Qual("time", "Minute").Line().Line().
		Comment("senderJWT signs an HS256 token issued at now that expires senderJWTLifetime").Line().
		Comment("later.").Line().
		Func().Id("senderJWT").Params(jen.Id("secret").Index().Byte(), jen.Id("now").Qual("time", "Time")).
		Params(jen.String(), jen.Error()).Block(
		jen.Id("claims").Op(":=").Qual(jwtPath, "RegisteredClaims").Values(jen.Dict{
			jen.Id("IssuedAt"):  jen.Qual(jwtPath, "NewNumericDate").Call(jen.Id("now")),
			jen.Id("ExpiresAt"): jen.Qual(jwtPath, "NewNumericDate").Call(jen.Id("now").Dot("Add").Call(jen.Id("senderJWTLifetime"))),
		}),
		jen.List(jen.Id("token"), jen.Err()).Op(":=").Qual(jwtPath, "NewWithClaims").
			Call(jen.Qual(jwtPath, "SigningMethodHS256"), jen.Id("claims")).Dot("SignedString").Call(jen.Id("secret")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Lit(""), jen.Qual("fmt", "Errorf").Call(jen.Lit("sign JWT: %w"), jen.Err()))),
		jen.Return(jen.Id("token"), jen.Nil()),
	)
}

// sendMethod declares Send<Message>: it returns an error, or the reply
// and an error for a message with a reply.
func (s *sending) sendMethod(msg *model.Message) jen.Code {
	name := msg.SendMethod
	prefix := fmt.Sprintf("send %s: ", wireName(msg))
	reply := replyOf(msg)
	// returns are the results before the error: nil for the reply.
	var returns []jen.Code
	if reply != nil {
		returns = []jen.Code{jen.Nil()}
	}
	fail := func(format string) jen.Code {
		return jen.Return(append(returns, jen.Qual("fmt", "Errorf").Call(jen.Lit(literalPercent(prefix)+format), jen.Err()))...)
	}
	body := []jen.Code{
		jen.If(jen.Id("v").Op("==").Nil()).Block(
			jen.Return(append(returns, jen.Qual("errors", "New").Call(jen.Lit(prefix+"nil payload")))...)),
	}
	if s.validated(msg.Payload) {
		body = append(body, jen.If(jen.Err().Op(":=").Id("v").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(fail("%w")))
	}
	body = append(body,
		jen.List(jen.Id("body"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("v")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("encode: %w")),
	)
	if !s.validated(msg.Payload) {
		// No Validate method (a union, a tuple or an alias): check what
		// the receiver will decode.
		body = append(body, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id(msg.DecodeFunc).Call(jen.Id("body")), jen.Err().Op("!=").Nil()).Block(fail("%w")))
	}
	if reply != nil {
		body = append(body, receiveReply(reply, fail)...)
	} else {
		body = append(body,
			jen.If(jen.Err().Op(":=").Id("s").Dot("transport").Dot("post").Call(jen.Id("ctx"), jen.Id("body")), jen.Err().Op("!=").Nil()).Block(fail("%w")),
			jen.Return(jen.Nil()),
		)
	}
	return docComment(sendDoc(name, msg)).(*jen.Statement).Line().
		Func().Params(jen.Id("s").Op("*").Id("Sender")).Id(name).
		Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("v").Op("*").Add(TypeCode(msg.Payload))).Add(handleResults(msg)).Block(body...)
}

// receiveReply posts the encoded body and decodes the answer as reply,
// which its Decode function validates.
func receiveReply(reply *replyCode, fail func(format string) jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("answer"), jen.Err()).Op(":=").Id("s").Dot("transport").Dot("request").Call(jen.Id("ctx"), jen.Id("body")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w")),
		jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(reply.decode).Call(jen.Id("answer")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail(fmt.Sprintf("delivered, but the reply is not a valid %s message: %%w", literalPercent(reply.names)))),
		jen.Return(jen.Id("r"), jen.Nil()),
	}
}

// sendDoc is the doc comment of a Send method.
func sendDoc(name string, msg *model.Message) string {
	doc := fmt.Sprintf("%s posts v to the Sender's endpoint as message %q.", name, wireName(msg))
	if about := messageAbout(msg); about != "" {
		doc += " " + about
	}
	doc += "\n\nAn invalid v is never sent: the error wraps its *ValidationError. A message " +
		"that no attempt delivered makes an error wrapping a *SendError, which says how many " +
		"attempts were made and what the last one got; when ctx ends first, errors.Is(err, " +
		"ctx.Err()) holds."
	if reply := replyOf(msg); reply != nil {
		doc += fmt.Sprintf(" It returns the reply, a %s message: the JSON body of the 2xx answer (at most 1 MiB), "+
			"decoded and validated. A reply that is missing (204, or a receiver that had handled the same "+
			"delivery before) or invalid is an error, the latter wrapping its *ValidationError; the message "+
			"was delivered all the same.", reply.names)
	}
	return doc
}

// wireName is the message's name in the spec, or its Go name for a message
// the spec leaves unnamed.
func wireName(msg *model.Message) string {
	if msg.WireName != "" {
		return msg.WireName
	}
	return msg.Name
}

// messageAbout is what the spec says about a message, in one paragraph.
func messageAbout(msg *model.Message) string {
	for _, text := range []string{msg.Summary, msg.Description, msg.Title} {
		if t := strings.Join(strings.Fields(text), " "); t != "" {
			if !strings.HasSuffix(t, ".") {
				t += "."
			}
			return t
		}
	}
	return ""
}
