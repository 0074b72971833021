package templates

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// receivedChannel is a channel a Receiver serves: the messages of its
// operations that have a decoder, and the names of its functions.
type receivedChannel struct {
	ch       *model.Channel
	messages []*model.Message
	// constructor is the exported function making its http.Handler;
	// receive the unexported one decoding its payloads.
	constructor string
	receive     string
	// pkg is the package, for the types of the messages' headers.
	pkg *model.Package
}

// receivedChannels lists the channels the builder named a receiver for
// (those that carry a message with a decoder), with those messages.
func receivedChannels(pkg *model.Package) []*receivedChannel {
	var out []*receivedChannel
	for _, ch := range pkg.Channels {
		if ch.ReceiverFunc == "" {
			continue
		}
		var msgs []*model.Message
		for _, op := range ch.Operations {
			for _, m := range op.Messages {
				if m != nil && m.DecodeFunc != "" && !slices.Contains(msgs, m) {
					msgs = append(msgs, m)
				}
			}
		}
		out = append(out, &receivedChannel{ch: ch, messages: msgs, constructor: ch.ReceiverFunc, receive: ch.ReceiveFunc, pkg: pkg})
	}
	return out
}

// receivedMessages lists the messages of the channels, each once.
func receivedMessages(chans []*receivedChannel) []*model.Message {
	var out []*model.Message
	for _, rc := range chans {
		for _, m := range rc.messages {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// receiverRoots are the support declarations receiver.gen.go carries even
// where its code does not call them: API for the user.
func receiverRoots(kinds []authKind) []string {
	roots := []string{"IdempotencyStore", "MemoryIdempotencyStore", "NewMemoryIdempotencyStore", "IdempotencyClaimed", "ReceiverEvent", "ReceiverRefused", "SlogReceiverEvents",
		"InboxEvent", "WithInboxAttempts", "WithInboxBackoff", "WithInboxConcurrency", "WithInboxLease", "WithInboxPoll", "WithInboxIdempotency", "WithInboxErrors", "WithInboxEvents", "ReceiverDeadLetter"}
	if slices.Contains(kinds, authJWT) {
		roots = append(roots, "ClaimsFromContext")
	}
	return roots
}

// Receiver emits the http.Handler that receives the package's messages:
// the Handler interface, NopHandler, the receiver options, and a
// constructor per channel. It returns nil for a package without an HTTP
// transport.
func Receiver(pkg *model.Package) (*jen.File, error) {
	if !hasHTTPTransport(pkg) {
		return nil, nil
	}
	chans := receivedChannels(pkg)
	kinds := authKinds(pkg)
	f := newFile(pkg)
	f.ImportName(jwtPath, "jwt")
	accessors := headerAccessors(receivedMessages(chans))
	handlerDecls(f, pkg, chans, accessors)
	headerAccessorDecls(f, receivedMessages(chans), accessors)
	optionDecls(f, pkg, kinds)
	constructorDecls(f, pkg, chans, kinds)
	return f, nil
}

// handlerDecls declares Handler and NopHandler.
func handlerDecls(f *jen.File, pkg *model.Package, chans []*receivedChannel, accessors map[string]string) {
	msgs := receivedMessages(chans)
	var methods []jen.Code
	for _, m := range msgs {
		doc := handleDoc(pkg, m)
		if m.HeadersDecodeFunc != "" {
			doc += fmt.Sprintf(" Its headers, decoded and valid, are %s(ctx).", accessors[m.Headers.Name])
		}
		methods = append(methods, docComment(doc), handleSignature(m))
	}
	f.Add(docComment(handlerDoc(pkg)))
	f.Type().Id("Handler").Interface(methods...)
	f.Line()
	f.Comment("NopHandler acknowledges every message without doing anything; embed it in a")
	f.Comment("Handler to implement only some methods.")
	f.Type().Id("NopHandler").Struct()
	for _, m := range msgs {
		f.Line()
		nop := []jen.Code{jen.Nil()}
		if reply := replyOf(m); reply != nil {
			f.Add(docComment(fmt.Sprintf("%s has no %s reply to give: it fails, %s", m.HandleMethod, reply.names, nopFailureDoc(pkg))))
			nop = []jen.Code{jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(m.HandleMethod + " is not implemented: NopHandler has no reply to give"))}
		} else {
			f.Commentf("%s acknowledges the message.", m.HandleMethod)
		}
		f.Func().Params(jen.Id("NopHandler")).Add(handleSignature(m)).Block(jen.Return(nop...))
	}
	f.Line()
}

// nopFailureDoc says what the transports of pkg do when a NopHandler
// method fails for want of a reply.
func nopFailureDoc(pkg *model.Package) string {
	switch {
	case !hasHTTPTransport(pkg):
		return "and a Subscriber delivers the message again, as for any handler error."
	case hasBrokerTransport(pkg):
		return "and the Receiver answers 500; a Subscriber delivers the message again."
	default:
		return "and the Receiver answers 500."
	}
}

// handleSignature is Handle<Message>(ctx context.Context, v *Payload)
// error, or (*Reply, error) for a message with a reply.
func handleSignature(m *model.Message) *jen.Statement {
	return jen.Id(m.HandleMethod).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("v").Op("*").Add(TypeCode(m.Payload)),
	).Add(handleResults(m))
}

// handlerDoc is the doc comment of Handler, which the package's
// Receiver, its Subscribers, or both pass messages to.
func handlerDoc(pkg *model.Package) string {
	const embed = " Embed NopHandler to implement only the methods of the messages you need."
	if !hasHTTPTransport(pkg) {
		return "Handler is what a Subscriber passes each message to, decoded and valid, with " +
			"its context. An error makes the Subscriber deliver the message again, as its doc " +
			"says; nil acknowledges it." + embed
	}
	doc := "Handler is what a Receiver passes each message to, decoded and valid, with " +
		"the request's context. An error makes the Receiver answer 500, so that the sender may " +
		"deliver the message again; nil acknowledges it."
	if hasBrokerTransport(pkg) {
		doc += " The package's Subscribers pass messages to it too."
	}
	return doc + embed
}

// replyHandlingDoc says what becomes of a Handler method's reply, by the
// transports of pkg.
func replyHandlingDoc(pkg *model.Package, names string) string {
	var parts []string
	if hasHTTPTransport(pkg) {
		parts = append(parts, "the Receiver validates it and writes it as the response's JSON body (200); a nil or invalid reply is answered 500 and never sent")
	}
	if hasNATSTransport(pkg) {
		parts = append(parts, "the core NATS Subscriber validates it and answers the request with it; a nil or invalid reply is answered with an error and never sent")
	}
	if hasKafkaTransport(pkg) {
		parts = append(parts, "the Kafka Subscriber validates it and produces it to the reply topic with the request's correlation ID; a nil or invalid reply is answered with an error record and never sent")
	}
	if others := replyDroppingSubscribers(pkg); others != "" {
		parts = append(parts, "the "+others)
	}
	return fmt.Sprintf(" It returns the reply, a %s message: %s.", names, strings.Join(parts, "; "))
}

// replyDroppingSubscribers says which Subscribers of pkg drop a Handler
// method's reply ("JetStream Subscriber drops it"); "" when none does.
func replyDroppingSubscribers(pkg *model.Package) string {
	var names []string
	if hasNATSTransport(pkg) {
		names = append(names, "JetStream")
	}
	if hasMQTTTransport(pkg) {
		names = append(names, "MQTT")
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0] + " Subscriber drops it"
	}
	return strings.Join(names, " and ") + " Subscribers drop it"
}

// handleDoc is the doc comment of a Handler method.
func handleDoc(pkg *model.Package, m *model.Message) string {
	doc := fmt.Sprintf("%s receives each %s message.", m.HandleMethod, m.WireName)
	about := strings.TrimSpace(m.Summary)
	if about == "" {
		about = strings.TrimSpace(m.Description)
	}
	if about == "" {
		about = strings.TrimSpace(m.Title)
	}
	if about != "" {
		doc += " " + about
	}
	if reply := replyOf(m); reply != nil {
		doc += replyHandlingDoc(pkg, reply.names)
	}
	return doc
}

// optionDecls declares ReceiverOption, the configuration it sets, and
// the options.
func optionDecls(f *jen.File, pkg *model.Package, kinds []authKind) {
	f.Comment("ReceiverOption configures a Receiver. A CredentialOption is one.")
	f.Type().Id("ReceiverOption").Interface(jen.Id("applyReceiver").Params(jen.Op("*").Id("receiverConfig")))
	f.Line()
	fields := []jen.Code{
		jen.Comment("credentials are what the spec's security scheme checks."),
		jen.Id("credentials").Id("credentials"),
		jen.Id("settings").Id("receiverSettings"),
	}
	if slices.Contains(kinds, authJWT) {
		fields = append(fields, jen.Comment("claimsCheck is the function of WithClaimsCheck."),
			jen.Id("claimsCheck").Func().Params(jen.Qual(jwtPath, "MapClaims")).Error())
	}
	f.Comment("receiverConfig is what a Receiver's options set.")
	f.Type().Id("receiverConfig").Struct(fields...)
	f.Line()
	f.Comment("applyReceiver sets the secret the Receiver checks.")
	f.Func().Params(jen.Id("o").Id("CredentialOption")).Id("applyReceiver").Params(jen.Id("c").Op("*").Id("receiverConfig")).Block(
		jen.Id("o").Call(jen.Op("&").Id("c").Dot("credentials")))
	f.Line()
	f.Comment("receiverOption is a ReceiverOption that is not a credential.")
	f.Type().Id("receiverOption").Func().Params(jen.Op("*").Id("receiverConfig"))
	f.Line()
	f.Func().Params(jen.Id("o").Id("receiverOption")).Id("applyReceiver").Params(jen.Id("c").Op("*").Id("receiverConfig")).Block(
		jen.Id("o").Call(jen.Id("c")))
	for _, opt := range receiverOptions(pkg, kinds) {
		f.Line()
		f.Add(opt.decl())
	}
	f.Line()
}

// receiverOptionSpec is one option function: func name(params)
// ReceiverOption setting the config with body.
type receiverOptionSpec struct {
	doc    string
	name   string
	params []jen.Code
	body   []jen.Code
}

func (o receiverOptionSpec) decl() jen.Code {
	return jen.Add(docComment(o.doc)).Line().
		Func().Id(o.name).Params(o.params...).Id("ReceiverOption").Block(
		jen.Return(jen.Id("receiverOption").Call(jen.Func().Params(jen.Id("c").Op("*").Id("receiverConfig")).Block(o.body...))))
}

// setting renders c.settings.field = value.
func setting(field string, value jen.Code) jen.Code {
	return jen.Id("c").Dot("settings").Dot(field).Op("=").Add(value)
}

// callbackType is the type func(*http.Request, error).
func callbackType() jen.Code {
	return jen.Func().Params(jen.Op("*").Qual("net/http", "Request"), jen.Error())
}

// receiverOptions lists the options the package's Receiver has.
func receiverOptions(pkg *model.Package, kinds []authKind) []receiverOptionSpec {
	opts := []receiverOptionSpec{
		{
			doc:    "WithMaxBodyBytes sets the largest body a Receiver reads, 1 MiB by default; a larger one is answered 413 Request Entity Too Large. n <= 0 keeps the default.",
			name:   "WithMaxBodyBytes",
			params: []jen.Code{jen.Id("n").Int64()},
			body:   []jen.Code{setting("maxBodyBytes", jen.Id("n"))},
		},
		{
			doc:  "WithStrictEnums refuses, with 400, a payload whose only violations are enum values the spec does not list. By default such a payload is delivered to the handler: a provider adding a value to an enum loses no event.",
			name: "WithStrictEnums",
			body: []jen.Code{setting("strictEnums", jen.True())},
		},
		{
			doc: "WithIdempotency makes a Receiver call the handler once per delivery, keyed by the header the spec declares as the message's idempotency key (see WithIdempotencyByBodyHash for messages without one): " +
				"only a request that authenticates and is valid claims its key, for the lease of WithIdempotencyLease; " +
				"a request whose key the store holds as completed is acknowledged with 204 without calling the handler; one whose key another request is handling is answered 503 with Retry-After: 1, so that the sender retries; " +
				"one whose key was claimed for another body is answered 409 Conflict; a store that fails or is full is answered 503; a handler error or panic releases the key, so that a retry delivers it. " +
				"A nil store is a MemoryIdempotencyStore of the Receiver's own, with the defaults of NewMemoryIdempotencyStore; several replicas share a store such as github.com/asyncgen/asyncgen/store/redis.",
			name:   "WithIdempotency",
			params: []jen.Code{jen.Id("store").Id("IdempotencyStore")},
			body:   []jen.Code{setting("idempotent", jen.True()), setting("store", jen.Id("store"))},
		},
		{
			doc: "WithIdempotencyByBodyHash makes the hex SHA-256 of the body the idempotency key of a request without a declared idempotency header. " +
				"Without it such a request is not deduplicated. Opt in only when the provider never sends the same body for two distinct events: with it, a test event or heartbeat whose body never changes is delivered once and then acknowledged without calling the handler.",
			name: "WithIdempotencyByBodyHash",
			body: []jen.Code{setting("bodyHashKeys", jen.True())},
		},
		{
			doc:    "WithIdempotencyLease sets how long a claim holds its key (1 minute by default): the handler's context is cancelled when the lease ends, and the key is then free for a redelivery, so that a handler that never returns cannot hold it forever. d <= 0 keeps the default.",
			name:   "WithIdempotencyLease",
			params: []jen.Code{jen.Id("d").Qual("time", "Duration")},
			body:   []jen.Code{setting("lease", jen.Id("d"))},
		},
		{
			doc: "WithInbox makes a Receiver keep each request that authenticates and is valid in inbox, and answer 202 Accepted as soon as inbox has kept it (503 with Retry-After: 1 when it fails), without calling the handler: " +
				"an InboxWorker made by NewInboxWorker delivers the kept events to the handler later, retrying them while it fails. The credentials headers (Authorization, Proxy-Authorization, Cookie) are not kept. " +
				"With WithInbox, the Receiver's idempotency options do not apply; give the store to the worker with WithInboxIdempotency.",
			name:   "WithInbox",
			params: []jen.Code{jen.Id("inbox").Id("Inbox")},
			body:   []jen.Code{setting("inbox", jen.Id("inbox"))},
		},
		{
			doc:    "WithOrderingKey sets the function naming each kept event's ordering key, from its message's name in the spec and its body (for instance the customer's ID): events with the same non-empty key are delivered one after the other, in arrival order; the others in parallel. It applies with WithInbox.",
			name:   "WithOrderingKey",
			params: []jen.Code{jen.Id("key").Func().Params(jen.Id("message").String(), jen.Id("body").Index().Byte()).String()},
			body:   []jen.Code{setting("orderingKey", jen.Id("key"))},
		},
		{
			doc: "WithEvents sets the function told of every refusal (400, 401, 405, 409, 413, 415), every redelivery acknowledged without calling the handler, every answer that asks the sender to retry (500, 503) and every unknown message (202), as a ReceiverEvent. " +
				"SlogReceiverEvents(logger) logs them. observe runs before the answer is complete; it must be quick and safe for concurrent use.",
			name:   "WithEvents",
			params: []jen.Code{jen.Id("observe").Func().Params(jen.Id("ReceiverEvent"))},
			body:   []jen.Code{setting("observe", jen.Id("observe"))},
		},
		{
			doc:    "WithReceiveErrors sets the function told of the errors a Receiver answers 401, 500 or 503 for: why a request did not authenticate (its 401 body says only \"unauthenticated\"), a credential option given an empty secret, handler errors, recovered handler panics (with their stack), handlers that exit their goroutine, and idempotency store failures. By default they are logged with log/slog.",
			name:   "WithReceiveErrors",
			params: []jen.Code{jen.Id("report").Add(callbackType())},
			body:   []jen.Code{setting("onError", jen.Id("report"))},
		},
	}
	if slices.ContainsFunc(pkg.Channels, func(ch *model.Channel) bool { return ch.Dispatch != nil }) {
		opts = append(opts, receiverOptionSpec{
			doc:    "WithUnknownMessages sets the function told of payloads whose discriminator names a message the spec does not list (the error wraps ErrUnknownMessage). A Receiver acknowledges them with 202 Accepted and does not dispatch them; by default they are logged with log/slog.",
			name:   "WithUnknownMessages",
			params: []jen.Code{jen.Id("report").Add(callbackType())},
			body:   []jen.Code{setting("onUnknown", jen.Id("report"))},
		})
	}
	opts = append(opts, receiverOptionSpec{
		doc:    "WithAuthenticator replaces the check of the spec's security scheme with authenticate: a request passes when it returns nil, and is answered 401 otherwise." + unsupportedNote(pkg, kinds),
		name:   "WithAuthenticator",
		params: []jen.Code{jen.Id("authenticate").Func().Params(jen.Op("*").Qual("net/http", "Request")).Error()},
		body:   []jen.Code{setting("authenticator", jen.Id("authenticate"))},
	})
	if slices.Contains(kinds, authJWT) {
		opts = append(opts, receiverOptionSpec{
			doc:    "WithClaimsCheck sets a function that checks the claims of a verified JSON Web Token, such as the app it was made for; an error refuses the request with 401.",
			name:   "WithClaimsCheck",
			params: []jen.Code{jen.Id("check").Func().Params(jen.Qual(jwtPath, "MapClaims")).Error()},
			body:   []jen.Code{jen.Id("c").Dot("claimsCheck").Op("=").Id("check")},
		})
	}
	return opts
}

// unsupportedNote tells how to receive when the spec's scheme is one the
// Receiver cannot check.
func unsupportedNote(pkg *model.Package, kinds []authKind) string {
	if !slices.Contains(kinds, authUnsupported) {
		return ""
	}
	return fmt.Sprintf(" The spec's security scheme %s is not one a Receiver can check, so without this option it refuses every request.", unsupportedSchemes(pkg))
}

// unsupportedSchemes names the schemes of kind authUnsupported.
func unsupportedSchemes(pkg *model.Package) string {
	var names []string
	for _, s := range usedSchemes(pkg) {
		if schemeKind(s) == authUnsupported {
			names = append(names, fmt.Sprintf("%s (%s)", s.Name, s.Type))
		}
	}
	return orList(names)
}

// constructorDecls declares the auths method, and per channel its
// constructor and its receive function.
func constructorDecls(f *jen.File, pkg *model.Package, chans []*receivedChannel, kinds []authKind) {
	auths := authCalls(pkg, kinds)
	authsExpr := jen.Nil()
	if len(auths) > 0 {
		f.Comment("auths are the ways the spec's security schemes let a request authenticate.")
		f.Func().Params(jen.Id("c").Op("*").Id("receiverConfig")).Id("auths").Params().Index().Id("receiverAuth").Block(
			jen.Return(jen.Index().Id("receiverAuth").Values(auths...)))
		f.Line()
		authsExpr = jen.Id("c").Dot("auths").Call()
	}
	for _, rc := range chans {
		f.Add(docComment(constructorDoc(pkg, rc, chans, kinds)))
		f.Func().Id(rc.constructor).Params(jen.Id("h").Id("Handler"), jen.Id("opts").Op("...").Id("ReceiverOption")).Qual("net/http", "Handler").Block(
			jen.Return(jen.Id("newReceiver").Call(jen.Id("h"), jen.Id(rc.receive), jen.Id("opts"))))
		f.Line()
	}
	f.Comment("newReceiver applies opts and makes the http.Handler of the channel whose")
	f.Comment("payloads receive decodes.")
	receiveType := jen.Func().Params(jen.Id("Handler"), jen.Index().Byte()).Params(jen.Id("receiverDelivery"), jen.Error())
	f.Func().Id("newReceiver").Params(jen.Id("h").Id("Handler"), jen.Id("receive").Add(receiveType), jen.Id("opts").Index().Id("ReceiverOption")).Qual("net/http", "Handler").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen receiver: nil Handler"))),
		jen.Var().Id("c").Id("receiverConfig"),
		jen.For(jen.List(jen.Id("_"), jen.Id("o")).Op(":=").Range().Id("opts")).Block(
			jen.If(jen.Id("o").Op("!=").Nil()).Block(jen.Id("o").Dot("applyReceiver").Call(jen.Op("&").Id("c")))),
		jen.Id("c").Dot("settings").Dot("credentialsErr").Op("=").Id("c").Dot("credentials").Dot("err").Call(),
		jen.Return(jen.Id("newReceiverCore").Call(jen.Id("c").Dot("settings"), authsExpr,
			jen.Func().Params(jen.Id("data").Index().Byte()).Params(jen.Id("receiverDelivery"), jen.Error()).Block(
				jen.Return(jen.Id("receive").Call(jen.Id("h"), jen.Id("data")))))),
	)
	f.Line()
	inboxWorkerDecls(f, chans)
	for _, rc := range chans {
		f.Add(receiveFunc(rc))
	}
}

// inboxWorkerDecls declares NewInboxWorker and receiveInboxEvent, which
// decodes a kept event with the receive function of its message's
// channel.
func inboxWorkerDecls(f *jen.File, chans []*receivedChannel) {
	f.Comment("NewInboxWorker makes the worker delivering to h the events that a Receiver with WithInbox kept in inbox. Call its Run method.")
	f.Func().Id("NewInboxWorker").Params(jen.Id("h").Id("Handler"), jen.Id("inbox").Id("Inbox"), jen.Id("opts").Op("...").Id("InboxWorkerOption")).Op("*").Id("InboxWorker").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen inbox worker: nil Handler"))),
		jen.Return(jen.Id("newInboxWorker").Call(jen.Id("inbox"), jen.Id("opts"),
			jen.Func().Params(jen.Id("e").Id("InboxEvent")).Params(jen.Id("receiverDelivery"), jen.Error()).Block(
				jen.Return(jen.Id("receiveInboxEvent").Call(jen.Id("h"), jen.Id("e")))))),
	)
	f.Line()
	seen := map[string]bool{}
	var cases []jen.Code
	for _, rc := range chans {
		for _, m := range rc.messages {
			if seen[m.WireName] {
				continue
			}
			seen[m.WireName] = true
			cases = append(cases, jen.Case(jen.Lit(m.WireName)).Block(jen.Return(jen.Id(rc.receive).Call(jen.Id("h"), jen.Id("e").Dot("Body")))))
		}
	}
	cases = append(cases, jen.Default().Block(jen.Return(jen.Id("receiverDelivery").Values(),
		jen.Qual("fmt", "Errorf").Call(jen.Lit("the kept event names message %q, which the spec does not list"), jen.Id("e").Dot("Message")))))
	f.Comment("receiveInboxEvent decodes a kept event into a delivery to h, with the receive function of its message's channel.")
	f.Func().Id("receiveInboxEvent").Params(jen.Id("h").Id("Handler"), jen.Id("e").Id("InboxEvent")).Params(jen.Id("receiverDelivery"), jen.Error()).Block(
		jen.Switch(jen.Id("e").Dot("Message")).Block(cases...),
	)
	f.Line()
}

// authCalls are the receiverAuth values of the supported kinds.
func authCalls(pkg *model.Package, kinds []authKind) []jen.Code {
	var out []jen.Code
	creds := func(field string) *jen.Statement { return jen.Id("c").Dot("credentials").Dot(field) }
	for _, k := range kinds {
		switch k {
		case authSharedSecret:
			out = append(out, jen.Id("receiverSharedSecretAuth").Call(creds("sharedSecret")))
		case authJWT:
			out = append(out, jen.Id("receiverJWTAuth").Call(creds("jwtSecret"), jen.Id("c").Dot("claimsCheck")))
		case authAPIKey:
			s := apiKeyScheme(pkg)
			out = append(out, jen.Id("receiverAPIKeyAuth").Call(jen.Lit(s.In), jen.Lit(s.ParamName), creds("apiKey")))
		}
	}
	return out
}

// constructorDoc documents a channel's constructor: what it answers when.
func constructorDoc(pkg *model.Package, rc *receivedChannel, chans []*receivedChannel, kinds []authKind) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s returns an http.Handler that receives the messages of channel %s: it takes a POST request with a JSON body, checks it, decodes and validates the payload, and passes it to the Handler method of its message. ", rc.constructor, rc.ch.Name)
	if len(chans) > 1 {
		// Neither a list of the others (with one per channel, the comments
		// would grow with the square of the channels) nor their count (a
		// channel added would change every comment).
		b.WriteString("The spec has several channels, each with a constructor like this one: mount each on its own path. ")
	}
	b.WriteString(selectionDoc(rc))
	b.WriteString(replyDoc(rc))
	b.WriteString("\n\nIt answers, checking in this order: 405 Method Not Allowed (with Allow: POST) to a method other than POST; 415 to a Content-Type other than application/json or application/*+json (parameters allowed, charset UTF-8); 413 to a body larger than WithMaxBodyBytes (1 MiB by default); 401, with a body saying only \"unauthenticated\" (WithReceiveErrors hears why), to a request that does not authenticate; 400, with a JSON body listing each violation's pointer, keyword and message, to a payload that is not one JSON value or breaks its schema (at most 100 violations are listed, then one entry counting the rest); 500 when the handler returns an error, panics or calls runtime.Goexit (the handler runs in a goroutine of its own; WithReceiveErrors hears of each); and 204 No Content when the handler returns nil. When the request ends (the client hangs up), or the idempotency lease runs out, before the handler returns, the Receiver answers 503 (with Retry-After) and tells WithReceiveErrors; the handler goes on, and its outcome settles its idempotency key. A payload whose only violations are enum values the spec does not list is delivered, unless WithStrictEnums. WithIdempotency adds deduplication: then 409 to a key claimed for another body, and 503 when the key is in flight or the store fails or is full.")
	b.WriteString("\n\n" + authDoc(pkg, kinds))
	return b.String()
}

// replyDoc says which of a channel's messages are answered with a reply;
// "" when none is.
func replyDoc(rc *receivedChannel) string {
	var answered []string
	for _, m := range rc.messages {
		if reply := replyOf(m); reply != nil {
			answered = append(answered, fmt.Sprintf("%s with a %s", m.WireName, reply.names))
		}
	}
	if len(answered) == 0 {
		return ""
	}
	return fmt.Sprintf(" Requests are answered with a reply (%s): the JSON body of a 200 answer, which the handler returns and the Receiver validates; instead of 204, a request with a reply is answered 200, or 500 when the reply is nil or invalid, and it is handled at once even with WithInbox.", strings.Join(answered, "; "))
}

// selectionDoc says how a payload's message is chosen.
func selectionDoc(rc *receivedChannel) string {
	switch {
	case rc.ch.Dispatch != nil:
		return fmt.Sprintf("The payload's %q property names its message: a payload without it is refused with 400, and one naming a message the spec does not list is acknowledged with 202 Accepted and not dispatched (see WithUnknownMessages).", rc.ch.Dispatch.Property)
	case len(rc.messages) == 1:
		return fmt.Sprintf("Every payload is %s message.", withArticle(rc.messages[0].WireName))
	}
	var names []string
	for _, m := range rc.messages {
		names = append(names, m.WireName)
	}
	return fmt.Sprintf("The channel's messages (%s) have no discriminator: a payload is the one message it is valid as, or else the one whose only violations are unknown enum values; a payload valid as several, or as none, is refused with 400.", strings.Join(names, ", "))
}

// authDoc says how the Receiver authenticates requests.
func authDoc(pkg *model.Package, kinds []authKind) string {
	var parts []string
	for _, k := range kinds {
		switch k {
		case authSharedSecret:
			parts = append(parts, "The spec declares no security scheme: with WithSharedSecret, a request must carry the token as \"Authorization: Bearer <token>\" or in the \"token\" query parameter; without it, every request is accepted, but WithSharedSecret with an empty or white-space token refuses every request.")
		case authJWT:
			parts = append(parts, fmt.Sprintf("The Authorization header must hold, with or without \"Bearer \", an HS256 JSON Web Token signed with the key of WithJWTSecret, with an exp claim, within its exp, nbf and iat (%s leeway), and accepted by WithClaimsCheck when set; other algorithms, none included, and tokens whose header lists critical extensions (crit) are refused; the signature is checked before the claims are read. Without WithJWTSecret, or with an empty or white-space one, every request is refused. A handler finds the verified claims with ClaimsFromContext.", "30 s"))
		case authAPIKey:
			s := apiKeyScheme(pkg)
			parts = append(parts, fmt.Sprintf("The %q %s must hold the key of WithAPIKey, compared in constant time; without WithAPIKey, or with an empty or white-space key, every request is refused.", s.ParamName, apiKeyPlace(s)))
		case authUnsupported:
			parts = append(parts, fmt.Sprintf("The security scheme %s is not one a Receiver can check: a request passes only a check it implements, or the function of WithAuthenticator.", unsupportedSchemes(pkg)))
		}
	}
	if len(parts) > 1 {
		parts = append([]string{"The spec allows several security schemes; a request passes when it passes one."}, parts...)
	}
	parts = append(parts, "WithAuthenticator replaces these checks.")
	return strings.Join(parts, " ")
}

// receiveFunc declares receive<Channel>, which decodes a payload of the
// channel into a delivery to its Handler method.
func receiveFunc(rc *receivedChannel) jen.Code {
	var body []jen.Code
	switch {
	case rc.ch.Dispatch != nil:
		body = dispatchBody(rc)
	case len(rc.messages) == 1:
		m := rc.messages[0]
		body = []jen.Code{
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(m.DecodeFunc).Call(jen.Id("data")),
			jen.Return(deliveryValue(rc.pkg, m, jen.Id("v")), jen.Err()),
		}
	default:
		body = pickBody(rc)
	}
	doc := fmt.Sprintf("%s decodes a payload of channel %s into a delivery to h; the error is what decoding returned.", rc.receive, rc.ch.Name)
	return jen.Add(docComment(doc)).Line().
		Func().Id(rc.receive).Params(jen.Id("h").Id("Handler"), jen.Id("data").Index().Byte()).Params(jen.Id("receiverDelivery"), jen.Error()).Block(body...).Line()
}

// deliveryValue renders the receiverDelivery passing v to m's Handler
// method; for a message with a reply, one whose answer checks and encodes
// the reply.
func deliveryValue(pkg *model.Package, m *model.Message, v jen.Code) jen.Code {
	fields := jen.Dict{
		jen.Id("message"): jen.Lit(m.WireName),
	}
	reply := replyOf(m)
	if reply == nil {
		fields[jen.Id("handle")] = jen.Func().Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
			jen.Return(jen.Id("h").Dot(m.HandleMethod).Call(jen.Id("ctx"), v)))
	} else {
		encoder := jen.Id("receiverReplyEncoder").Call(jen.Lit(reply.names), jen.Id(reply.decode))
		fields[jen.Id("answer")] = jen.Func().Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Return(encoder.Call(jen.Id("h").Dot(m.HandleMethod).Call(jen.Id("ctx"), v))))
	}
	if m.IdempotencyHeader != "" {
		fields[jen.Id("keyHeader")] = jen.Lit(m.IdempotencyHeader)
	}
	if m.HeadersDecodeFunc != "" {
		fields[jen.Id("headers")] = jen.Func().Params(jen.Id("header").Qual("net/http", "Header")).Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Id(m.HeadersDecodeFunc).Call(jen.Id("header"))))
	}
	if names := declaredHeaderNames(pkg, m); len(names) > 0 {
		lits := make([]jen.Code, len(names))
		for i, name := range names {
			lits[i] = jen.Lit(name)
		}
		fields[jen.Id("headerNames")] = jen.Index().String().Values(lits...)
	}
	if reply != nil {
		return jen.Id("receiverDelivery").Values(fields).Dot("answering").Call()
	}
	return jen.Id("receiverDelivery").Values(fields)
}

// declaredHeaderNames are the headers m's headers schema names, as the
// spec spells them: its fields, then the required names no field covers.
func declaredHeaderNames(pkg *model.Package, m *model.Message) []string {
	if m.Headers == nil || m.HeadersDecodeFunc == "" {
		return nil
	}
	var t *model.Type
	for _, candidate := range pkg.Types {
		if candidate.Name == m.Headers.Name {
			t = candidate
			break
		}
	}
	if t == nil {
		return nil
	}
	var names []string
	for _, f := range t.Fields {
		names = append(names, f.JSONName)
	}
	for _, name := range requiredNames(t).Items() {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// dispatchBody decodes with the channel's Decode function and switches on
// the type of what it returns.
func dispatchBody(rc *receivedChannel) []jen.Code {
	var cases []jen.Code
	for _, c := range rc.ch.Dispatch.Cases {
		cases = append(cases, jen.Case(jen.Op("*").Id(c.Message.Payload.Name)).Block(
			jen.Return(deliveryValue(rc.pkg, c.Message, jen.Id("v")), jen.Err())))
	}
	return []jen.Code{
		jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(rc.ch.Dispatch.Func).Call(jen.Id("data")),
		jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(cases...),
		jen.Return(jen.Id("receiverDelivery").Values(jen.Dict{
			jen.Id("unknownMessage"): jen.Qual("errors", "Is").Call(jen.Err(), jen.Id("ErrUnknownMessage")),
		}), jen.Err()),
	}
}

// pickBody decodes the payload as each message of a channel without a
// discriminator and lets receiverPick choose.
func pickBody(rc *receivedChannel) []jen.Code {
	var body, names, errs, cases []jen.Code
	for i, m := range rc.messages {
		body = append(body, jen.List(jen.Id(m.DecodedVar), jen.Id(m.DecodeErrVar)).Op(":=").Id(m.DecodeFunc).Call(jen.Id("data")))
		names = append(names, jen.Lit(m.WireName))
		errs = append(errs, jen.Id(m.DecodeErrVar))
		cases = append(cases, jen.Case(jen.Lit(i)).Block(jen.Return(deliveryValue(rc.pkg, m, jen.Id(m.DecodedVar)), jen.Err())))
	}
	body = append(body,
		jen.List(jen.Id("i"), jen.Err()).Op(":=").Id("receiverPick").Call(jen.Lit(rc.ch.Name),
			jen.Index().String().Values(names...), jen.Index().Error().Values(errs...)),
		jen.Switch(jen.Id("i")).Block(cases...),
		jen.Return(jen.Id("receiverDelivery").Values(), jen.Err()),
	)
	return body
}
