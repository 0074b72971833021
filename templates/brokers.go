package templates

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// kgoPath is the Kafka client generated code imports, only in packages
// whose spec has a Kafka server.
const kgoPath = "github.com/twmb/franz-go/pkg/kgo"

// isKafkaServer reports whether a server speaks Kafka.
func isKafkaServer(s *model.Server) bool {
	switch strings.ToLower(s.Protocol) {
	case "kafka", "kafka-secure":
		return true
	}
	return false
}

// natsPath and jetstreamPath are the NATS client packages generated code
// imports, only in packages whose spec has a NATS server.
const (
	natsPath      = "github.com/nats-io/nats.go"
	jetstreamPath = "github.com/nats-io/nats.go/jetstream"
)

// autopahoPath and pahoPath are the MQTT client packages generated code
// imports, only in packages whose spec has an MQTT server.
const (
	autopahoPath = "github.com/eclipse/paho.golang/autopaho"
	pahoPath     = "github.com/eclipse/paho.golang/paho"
)

// isMQTTServer reports whether a server speaks MQTT.
func isMQTTServer(s *model.Server) bool {
	switch strings.ToLower(s.Protocol) {
	case "mqtt", "secure-mqtt", "mqtt5":
		return true
	}
	return false
}

// hasMQTTTransport reports whether a package gets an MQTT publisher and
// subscriber.
func hasMQTTTransport(pkg *model.Package) bool {
	return hasDeliverableMessage(pkg) && slices.ContainsFunc(pkg.Servers, isMQTTServer)
}

// isNATSServer reports whether a server speaks NATS.
func isNATSServer(s *model.Server) bool {
	return strings.EqualFold(s.Protocol, "nats")
}

// hasNATSTransport reports whether a package gets NATS publishers and
// subscribers.
func hasNATSTransport(pkg *model.Package) bool {
	return hasDeliverableMessage(pkg) && slices.ContainsFunc(pkg.Servers, isNATSServer)
}

// hasKafkaTransport reports whether a package gets a Kafka publisher and
// subscriber: a server speaks Kafka and a channel carries a message with a
// decoder.
func hasKafkaTransport(pkg *model.Package) bool {
	return hasDeliverableMessage(pkg) && slices.ContainsFunc(pkg.Servers, isKafkaServer)
}

// brokerChannel is a channel as the broker code sees it: its messages
// with a decoder, its parameters, and the names of what is declared for
// it.
type brokerChannel struct {
	ch       *model.Channel
	messages []*model.Message
	params   []brokerParam
	// decode is the function turning a payload into a brokerDelivery;
	// paramsType, paramsFunc and paramsParse are the parameters struct, its
	// context accessor and its parser ("" without parameters).
	decode, paramsType, paramsFunc, paramsParse string
}

// brokerParam is a channel parameter as the builder named it, with the
// Go type of its field and argument.
type brokerParam struct {
	p     *model.Parameter
	field string
	arg   string
	typ   string
	// patternVar names the variable of p's compiled pattern.
	patternVar string
}

// brokerChannels lists the channels that carry a message with a decoder,
// with the names the builder gave their declarations.
func brokerChannels(pkg *model.Package) []*brokerChannel {
	var out []*brokerChannel
	for _, rc := range receivedChannels(pkg) {
		bc := &brokerChannel{ch: rc.ch, messages: rc.messages}
		bc.decode = rc.ch.BrokerDecodeFunc
		if params := brokerParams(rc.ch.AddressParameters); len(params) > 0 {
			bc.paramsType = rc.ch.ParametersType
			bc.paramsFunc = rc.ch.ParametersFromContextFunc
			bc.paramsParse = rc.ch.ParseParametersFunc
			bc.params = params
		}
		out = append(out, bc)
	}
	return out
}

// brokerParams gives the parameters of a channel address, in the order
// it holds them, their Go types: int64 or bool as their schemas say,
// else string.
func brokerParams(params []*model.AddressParameter) []brokerParam {
	var out []brokerParam
	for _, ap := range params {
		p := ap.Parameter
		typ := "string"
		if p.Type != nil && p.Type.Kind == model.BuiltinRef && (p.Type.Name == "int64" || p.Type.Name == "bool") {
			typ = p.Type.Name
		}
		out = append(out, brokerParam{p: p, field: ap.Field, arg: ap.Arg, typ: typ, patternVar: ap.PatternVar})
	}
	return out
}

// Brokers emits brokers.gen.go: the publishers and subscribers of the
// package's broker protocols. It returns nil for a package whose servers
// speak none.
func Brokers(pkg *model.Package, validated func(*model.TypeRef) bool) (*jen.File, error) {
	kafka, nats, mqtt := hasKafkaTransport(pkg), hasNATSTransport(pkg), hasMQTTTransport(pkg)
	if !kafka && !nats && !mqtt {
		return nil, nil
	}
	chans := brokerChannels(pkg)
	f := newFile(pkg)
	f.ImportName(kgoPath, "kgo")
	f.ImportName(natsPath, "nats")
	f.ImportName(jetstreamPath, "jetstream")
	f.ImportName(autopahoPath, "autopaho")
	f.ImportName(pahoPath, "paho")
	if !hasHTTPTransport(pkg) {
		rcs := receivedChannels(pkg)
		accessors := headerAccessors(receivedMessages(rcs))
		handlerDecls(f, pkg, rcs, accessors)
		headerAccessorDecls(f, receivedMessages(rcs), accessors)
	}
	for _, bc := range chans {
		brokerParamDecls(f, bc)
		f.Add(brokerDecodeFunc(bc))
	}
	if kafka {
		kafkaDecls(f, chans, validated)
		kafkaKeyDecls(f, pkg, chans, validated)
	}
	if nats {
		natsDecls(f, chans, validated)
	}
	if mqtt {
		mqttDecls(f, chans, validated)
	}
	return f, nil
}

// brokerParamDecls declares a channel's parameters struct, its context
// accessor and its parser.
func brokerParamDecls(f *jen.File, bc *brokerChannel) {
	if bc.paramsType == "" {
		return
	}
	var fields, parse []jen.Code
	for i, p := range bc.params {
		doc := fmt.Sprintf("%s is the value of parameter %s.", p.field, p.p.Name)
		if d := strings.TrimSpace(p.p.Description); d != "" {
			doc += " " + d
		}
		fields = append(fields, docComment(doc), jen.Id(p.field).Id(p.typ))
		parse = append(parse, brokerParseParam(p, i)...)
	}
	f.Add(docComment(fmt.Sprintf("%s are the parameters of channel %s, taken from the address a message came on.", bc.paramsType, bc.ch.Name)))
	f.Type().Id(bc.paramsType).Struct(fields...)
	f.Line()
	f.Add(docComment(fmt.Sprintf("%s returns the parameters of the channel %s message a Subscriber passes to a Handler method with ctx.", bc.paramsFunc, bc.ch.Name)))
	f.Func().Id(bc.paramsFunc).Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Op("*").Id(bc.paramsType), jen.Bool()).Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("ctx").Dot("Value").Call(jen.Id("brokerParametersKey").Values()).Assert(jen.Op("*").Id(bc.paramsType)),
		jen.Return(jen.Id("v"), jen.Id("ok")),
	)
	f.Line()
	f.Add(docComment(fmt.Sprintf("%s parses the parameter values of channel %s, in the order of its address.", bc.paramsParse, bc.ch.Name)))
	body := append([]jen.Code{
		jen.If(jen.Len(jen.Id("values")).Op("!=").Lit(len(bc.params))).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("want %d values, got %d"), jen.Lit(len(bc.params)), jen.Len(jen.Id("values"))))),
		jen.Id("p").Op(":=").Op("&").Id(bc.paramsType).Values(),
	}, parse...)
	body = append(body, jen.Return(jen.Id("p"), jen.Nil()))
	f.Func().Id(bc.paramsParse).Params(jen.Id("values").Index().String()).Params(jen.Any(), jen.Error()).Block(body...)
	f.Line()
	brokerParamPatterns(f, bc)
}

// brokerParamPatterns declares the compiled pattern of each of bc's
// parameters that has one, compiled once for every message parsed.
func brokerParamPatterns(f *jen.File, bc *brokerChannel) {
	for _, p := range bc.params {
		if p.patternVar == "" {
			continue
		}
		f.Add(docComment(fmt.Sprintf("%s is the pattern of parameter %s of channel %s.", p.patternVar, p.p.Name, bc.ch.Name)))
		f.Var().Id(p.patternVar).Op("=").Qual("regexp", "MustCompile").Call(jen.Lit(p.p.Pattern))
		f.Line()
	}
}

// formatText escapes the verbs of text, spec text, to be part of a
// format string.
func formatText(text string) string {
	return strings.ReplaceAll(text, "%", "%%")
}

// brokerParseParam checks values[i] against p's enum and pattern and
// parses it into p's field.
func brokerParseParam(p brokerParam, i int) []jen.Code {
	value := jen.Id("values").Index(jen.Lit(i))
	var out []jen.Code
	if len(p.p.Enum) > 0 {
		var allowed []jen.Code
		for _, v := range p.p.Enum {
			allowed = append(allowed, jen.Lit(v))
		}
		out = append(out, jen.If(jen.Op("!").Qual("slices", "Contains").Call(jen.Index().String().Values(allowed...), value)).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("%s: %%q is not one of the values the spec allows (%s)", formatText(p.p.Name), formatText(strings.Join(p.p.Enum, ", ")))), value))))
	}
	if p.patternVar != "" {
		out = append(out, jen.If(jen.Op("!").Id(p.patternVar).Dot("MatchString").Call(value)).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("%s: %%q does not match the pattern %s", formatText(p.p.Name), formatText(p.p.Pattern))), value))))
	}
	var parse jen.Code
	switch p.typ {
	case "int64":
		parse = jen.Qual("strconv", "ParseInt").Call(value, jen.Lit(10), jen.Lit(64))
	case "bool":
		parse = jen.Qual("strconv", "ParseBool").Call(value)
	default:
		return append(out, jen.Id("p").Dot(p.field).Op("=").Add(value))
	}
	return append(out, jen.Block(
		jen.List(jen.Id("x"), jen.Err()).Op(":=").Add(parse),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("%s: %%q is not %s", formatText(p.p.Name), map[string]string{"int64": "an integer", "bool": "true or false"}[p.typ])), value))),
		jen.Id("p").Dot(p.field).Op("=").Id("x"),
	))
}

// brokerDecodeFunc declares the function decoding a payload of a channel
// into a brokerDelivery to h.
func brokerDecodeFunc(bc *brokerChannel) jen.Code {
	var body []jen.Code
	switch {
	case bc.ch.Dispatch != nil:
		var cases []jen.Code
		for _, c := range bc.ch.Dispatch.Cases {
			cases = append(cases, jen.Case(jen.Op("*").Id(c.Message.Payload.Name)).Block(
				jen.Return(brokerDeliveryValue(c.Message, jen.Id("v")), jen.Err())))
		}
		body = []jen.Code{
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(bc.ch.Dispatch.Func).Call(jen.Id("data")),
			jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(cases...),
			jen.Return(jen.Id("brokerDelivery").Values(jen.Dict{
				jen.Id("unknownMessage"): jen.Qual("errors", "Is").Call(jen.Err(), jen.Id("ErrUnknownMessage")),
			}), jen.Err()),
		}
	case len(bc.messages) == 1:
		m := bc.messages[0]
		body = []jen.Code{
			jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(m.DecodeFunc).Call(jen.Id("data")),
			jen.Return(brokerDeliveryValue(m, jen.Id("v")), jen.Err()),
		}
	default:
		var names, errs, cases []jen.Code
		for i, m := range bc.messages {
			body = append(body, jen.List(jen.Id(m.DecodedVar), jen.Id(m.DecodeErrVar)).Op(":=").Id(m.DecodeFunc).Call(jen.Id("data")))
			names = append(names, jen.Lit(m.WireName))
			errs = append(errs, jen.Id(m.DecodeErrVar))
			cases = append(cases, jen.Case(jen.Lit(i)).Block(jen.Return(brokerDeliveryValue(m, jen.Id(m.DecodedVar)), jen.Err())))
		}
		body = append(body,
			jen.List(jen.Id("i"), jen.Err()).Op(":=").Id("receiverPick").Call(jen.Lit(bc.ch.Name),
				jen.Index().String().Values(names...), jen.Index().Error().Values(errs...)),
			jen.Switch(jen.Id("i")).Block(cases...),
			jen.Return(jen.Id("brokerDelivery").Values(), jen.Err()),
		)
	}
	doc := fmt.Sprintf("%s decodes a payload of channel %s into a delivery to h; the error is what decoding returned.", bc.decode, bc.ch.Name)
	return jen.Add(docComment(doc)).Line().
		Func().Id(bc.decode).Params(jen.Id("h").Id("Handler"), jen.Id("data").Index().Byte()).Params(jen.Id("brokerDelivery"), jen.Error()).Block(body...).Line()
}

// brokerDeliveryValue renders the brokerDelivery passing v to m's Handler
// method.
func brokerDeliveryValue(m *model.Message, v jen.Code) jen.Code {
	fields := jen.Dict{
		jen.Id("message"): jen.Lit(m.WireName),
		jen.Id("handle"):  jen.Func().Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(handleDropReply(m, v)...),
	}
	if reply := replyOf(m); reply != nil {
		encoder := jen.Id("receiverReplyEncoder").Call(jen.Lit(reply.names), jen.Id(reply.decode))
		fields[jen.Id("answer")] = jen.Func().Params(jen.Id("ctx").Qual("context", "Context")).Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Return(encoder.Call(jen.Id("h").Dot(m.HandleMethod).Call(jen.Id("ctx"), v))))
	}
	if m.KafkaKeyDecodeFunc != "" {
		fields[jen.Id("key")] = jen.Id(m.KafkaKeyDecodeFunc)
	}
	if m.HeadersDecodeFunc != "" {
		fields[jen.Id("headers")] = jen.Func().Params(jen.Id("header").Qual("net/http", "Header")).Params(jen.Any(), jen.Error()).Block(
			jen.Return(jen.Id(m.HeadersDecodeFunc).Call(jen.Id("header"))))
	}
	return jen.Id("brokerDelivery").Values(fields)
}

// brokerChannelsValue renders the []brokerChannel of chans for a
// protocol ("kafka", "nats" or "mqtt"): their addresses on it, their
// parameters matching segment (a regular expression's text), and what
// the receiving operations' bindings ask of a subscription.
func brokerChannelsValue(chans []*brokerChannel, protocol string, segment jen.Code) jen.Code {
	var items []jen.Code
	for _, bc := range chans {
		address := brokerAddressOn(bc, protocol)
		fields := jen.Dict{
			jen.Id("address"): jen.Lit(address),
			jen.Id("pattern"): jen.Id("brokerPattern").Call(jen.Lit(address), segment),
			jen.Id("decode"): jen.Func().Params(jen.Id("data").Index().Byte()).Params(jen.Id("brokerDelivery"), jen.Error()).Block(
				jen.Return(jen.Id(bc.decode).Call(jen.Id("h"), jen.Id("data")))),
		}
		if bc.paramsParse != "" {
			fields[jen.Id("params")] = jen.Id(bc.paramsParse)
		}
		if op := bindingOperation(bc.ch, model.Receive, nil); op != nil && protocol == "nats" && op.NATSQueue != "" {
			fields[jen.Id("queue")] = jen.Lit(op.NATSQueue)
		}
		if protocol == "mqtt" {
			fields[jen.Id("qos")] = jen.Lit(mqttQoS(bindingOperation(bc.ch, model.Receive, nil)))
		}
		items = append(items, jen.Values(fields))
	}
	return jen.Index().Id("brokerChannel").Values(items...)
}

// publishMethod is one Publish method, and its Request method: a message
// on a channel, with the method names the builder gave it.
type publishMethod struct {
	name, request string
	bc            *brokerChannel
	m             *model.Message
}

// publishMethods lists the Publish methods of the channels' messages.
func publishMethods(chans []*brokerChannel) []publishMethod {
	var out []publishMethod
	for _, bc := range chans {
		for _, pub := range bc.ch.Publications {
			out = append(out, publishMethod{name: pub.PublishMethod, request: pub.RequestMethod, bc: bc, m: pub.Message})
		}
	}
	return out
}

// publisherProtocol is what a protocol's Publish methods differ in.
type publisherProtocol struct {
	// recv is the publisher type; segment the regexp variable checking a
	// parameter value; destination "topic" or "subject"; headers how the
	// headers travel.
	recv, segment, destination, headers string
	// protocol is "kafka", "nats" or "mqtt".
	protocol string
	// send renders the call publishing payload to address with hv (the
	// header values), returning an error.
	send func(pm publishMethod, hv jen.Code) jen.Code
	// request renders the call sending payload to address with hv as a
	// request, returning the answer's payload and an error; nil for a
	// protocol without Request methods.
	request func(pm publishMethod, hv jen.Code) jen.Code
}

// kafkaDecls declares KafkaPublisher, KafkaSubscriber and their
// constructors.
func kafkaDecls(f *jen.File, chans []*brokerChannel, validated func(*model.TypeRef) bool) {
	requests := kafkaRequests(chans)
	publisherDoc := "KafkaPublisher publishes the package's messages with a franz-go client the caller configured and owns. Each Publish method validates the message first, so that an invalid one is never sent, and waits for the broker to acknowledge the record."
	publisherFields := []jen.Code{jen.Id("client").Op("*").Qual(kgoPath, "Client")}
	if len(requests) > 0 {
		publisherDoc += " Its Request methods need the replies client of NewKafkaRequester."
		publisherFields = append(publisherFields, jen.Comment("requests sends the requests of the Request methods and waits for their replies; nil without a replies client."), jen.Id("requests").Op("*").Id("kafkaRequester"))
	}
	f.Add(docComment(publisherDoc))
	f.Type().Id("KafkaPublisher").Struct(publisherFields...)
	f.Line()
	f.Comment("NewKafkaPublisher returns a KafkaPublisher producing with client.")
	f.Func().Id("NewKafkaPublisher").Params(jen.Id("client").Op("*").Qual(kgoPath, "Client")).Op("*").Id("KafkaPublisher").Block(
		jen.Return(jen.Op("&").Id("KafkaPublisher").Values(jen.Dict{jen.Id("client"): jen.Id("client")})))
	f.Line()
	proto := publisherProtocol{recv: "KafkaPublisher", segment: "kafkaSegment", destination: "topic", headers: "record headers", protocol: "kafka",
		send: func(pm publishMethod, hv jen.Code) jen.Code {
			key := jen.Nil()
			if pm.m.KafkaKey != nil {
				key = jen.Id("kb")
			}
			return jen.Id("kafkaPublish").Call(jen.Id("ctx"), jen.Id("p").Dot("client"), jen.Id("address"), key, jen.Id("payload"), hv)
		},
		request: kafkaRequestCall}
	for _, pm := range publishMethods(chans) {
		f.Add(publishMethodDecl(proto, pm, validated))
		f.Line()
		if reply := replyOf(pm.m); reply != nil && slices.ContainsFunc(requests, func(r publishMethod) bool { return r.name == pm.name }) {
			f.Add(requestMethodDecl(proto, pm, reply, validated))
			f.Line()
		}
	}
	if len(requests) > 0 {
		kafkaRequesterDecls(f, requests)
	}
	kafkaSubscriberDecls(f, chans)
	kafkaTopicDecls(f, chans)
}

// kafkaTopicDecls declares KafkaTopics and CreateKafkaTopics, for a
// package with a channel without parameters: the topics such channels
// use, with the partitions, replicas and topic configuration of their
// kafka bindings.
func kafkaTopicDecls(f *jen.File, chans []*brokerChannel) {
	var topics []jen.Code
	seen := map[string]bool{}
	for _, bc := range chans {
		name := brokerAddressOn(bc, "kafka")
		if len(bc.params) > 0 || seen[name] {
			continue
		}
		seen[name] = true
		topics = append(topics, kafkaTopicValue(bc.ch, name))
	}
	if len(topics) == 0 {
		return
	}
	f.Add(docComment("KafkaTopics are the topics of the spec's channels without parameters, each with the partitions, replicas and topic configuration its channel's kafka binding gives (-1 partitions or replicas: the cluster's default): what CreateKafkaTopics creates. A channel with parameters has a topic per value, which it leaves out."))
	f.Func().Id("KafkaTopics").Params().Index().Id("KafkaTopic").Block(
		jen.Return(jen.Index().Id("KafkaTopic").Values(topics...)))
	f.Line()
	f.Add(docComment("CreateKafkaTopics creates, with client, the topics of KafkaTopics that the cluster does not have, and returns the names of those it already had, whose settings it leaves as they are. The error names each topic it could not create and says why."))
	f.Func().Id("CreateKafkaTopics").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("client").Op("*").Qual(kgoPath, "Client")).Params(jen.Index().String(), jen.Error()).Block(
		jen.Return(jen.Id("kafkaCreateTopics").Call(jen.Id("ctx"), jen.Id("client"), jen.Id("KafkaTopics").Call())))
	f.Line()
}

// kafkaTopicValue renders the KafkaTopic of channel ch, whose topic is
// name.
func kafkaTopicValue(ch *model.Channel, name string) jen.Code {
	partitions, replicas := -1, -1
	if ch.KafkaPartitions > 0 {
		partitions = ch.KafkaPartitions
	}
	if ch.KafkaReplicas > 0 {
		replicas = ch.KafkaReplicas
	}
	fields := jen.Dict{
		jen.Id("Name"):       jen.Lit(name),
		jen.Id("Partitions"): jen.Lit(partitions),
		jen.Id("Replicas"):   jen.Lit(replicas),
	}
	if len(ch.KafkaTopicConfig) > 0 {
		configs := jen.Dict{}
		for _, c := range ch.KafkaTopicConfig {
			configs[jen.Lit(c.Name)] = jen.Lit(c.Value)
		}
		fields[jen.Id("Configs")] = jen.Map(jen.String()).String().Values(configs)
	}
	return jen.Values(fields)
}

// kafkaKeyDecls declares, for each received message whose kafka binding
// declares a record key, the function decoding and validating the key and
// the accessor a handler gets it with.
func kafkaKeyDecls(f *jen.File, pkg *model.Package, chans []*brokerChannel, validated func(*model.TypeRef) bool) {
	var seen []*model.Message
	for _, bc := range chans {
		for _, m := range bc.messages {
			if m.KafkaKeyDecodeFunc == "" || slices.Contains(seen, m) {
				continue
			}
			seen = append(seen, m)
			f.Add(kafkaKeyDecodeFunc(m, isObjectKafkaKey(pkg, m), validated))
			f.Add(kafkaKeyAccessor(m))
		}
	}
}

// isObjectKafkaKey reports whether m has a record key whose type is a
// struct: such a key is read with the type's decodeJSON, which checks the
// type of every property and every required one, however deep. A key of
// another type is read as kafkaKeyDecode reads it.
func isObjectKafkaKey(pkg *model.Package, m *model.Message) bool {
	if m.KafkaKeyDecodeFunc == "" || m.KafkaKey == nil || m.KafkaKey.Kind != model.NamedRef {
		return false
	}
	i := slices.IndexFunc(pkg.Types, func(t *model.Type) bool { return t.Name == m.KafkaKey.Name })
	return i >= 0 && pkg.Types[i].Kind == model.StructKind
}

// kafkaKeyDecodeFunc declares the function reading m's record key and
// validating it against the key schema: with the key type's decodeJSON
// when object is set, else as kafkaKeyDecode reads it.
func kafkaKeyDecodeFunc(m *model.Message, object bool, validated func(*model.TypeRef) bool) jen.Code {
	var body []jen.Code
	if object {
		validate := jen.Nil()
		if validated(m.KafkaKey) {
			validate = jen.Id("key").Dot("validate")
		}
		body = []jen.Code{
			jen.Var().Id("key").Add(TypeCode(m.KafkaKey)),
			jen.If(jen.Err().Op(":=").Id("kafkaKeyDecodeObject").Call(jen.Id("data"), jen.Id("key").Dot("decodeJSON"), validate), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("key"), jen.Err())),
			jen.Return(jen.Id("key"), jen.Nil()),
		}
	} else {
		body = []jen.Code{
			jen.Var().Id("key").Add(TypeCode(m.KafkaKey)),
			jen.If(jen.Err().Op(":=").Id("kafkaKeyDecode").Call(jen.Id("data"), jen.Op("&").Id("key")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Err())),
		}
		if validated(m.KafkaKey) {
			body = append(body, jen.If(jen.Err().Op(":=").Id("key").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("key"), jen.Err())))
		}
		body = append(body, jen.Return(jen.Id("key"), jen.Nil()))
	}
	doc := fmt.Sprintf("%s reads the record key of %s message and validates it against the key schema of its kafka binding; a key that breaks the schema is returned with the error.", m.KafkaKeyDecodeFunc, withArticle(wireName(m)))
	return jen.Add(docComment(doc)).Line().
		Func().Id(m.KafkaKeyDecodeFunc).Params(jen.Id("data").Index().Byte()).Params(jen.Any(), jen.Error()).Block(body...).Line()
}

// kafkaKeyAccessor declares the function a handler gets m's decoded
// record key from its context with.
func kafkaKeyAccessor(m *model.Message) jen.Code {
	doc := fmt.Sprintf("%s returns the record key of the %s message a KafkaSubscriber passes to %s with ctx, read as the key schema of its kafka binding and valid against it; false when ctx carries none (the message came by another protocol).", m.KafkaKeyFromContextFunc, wireName(m), m.HandleMethod)
	return jen.Add(docComment(doc)).Line().
		Func().Id(m.KafkaKeyFromContextFunc).Params(jen.Id("ctx").Qual("context", "Context")).Params(TypeCode(m.KafkaKey), jen.Bool()).Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("ctx").Dot("Value").Call(jen.Id("brokerKafkaKeyKey").Values()).Assert(TypeCode(m.KafkaKey)),
		jen.Return(jen.Id("v"), jen.Id("ok"))).Line()
}

// publishMethodDecl declares one Publish method of a publisher.
func publishMethodDecl(proto publisherProtocol, pm publishMethod, validated func(*model.TypeRef) bool) jen.Code {
	return sendMethodDecl(proto, pm, nil, validated)
}

// requestMethodDecl declares the Request method of a message with a
// reply: its Publish method's checks, then a request whose answer is
// decoded and validated as the reply.
func requestMethodDecl(proto publisherProtocol, pm publishMethod, reply *replyCode, validated func(*model.TypeRef) bool) jen.Code {
	return sendMethodDecl(proto, pm, reply, validated)
}

// sendMethodDecl declares the Publish method of pm, or its Request method
// when reply is not nil.
func sendMethodDecl(proto publisherProtocol, pm publishMethod, reply *replyCode, validated func(*model.TypeRef) bool) jen.Code {
	prefix := fmt.Sprintf("publish %s to %s: ", wireName(pm.m), pm.bc.ch.Name)
	if reply != nil {
		prefix = fmt.Sprintf("request %s on %s: ", wireName(pm.m), pm.bc.ch.Name)
	}
	fail := func(format string) jen.Code {
		errorf := jen.Qual("fmt", "Errorf").Call(jen.Lit(formatText(prefix)+format), jen.Err())
		if reply != nil {
			return jen.Return(jen.Nil(), errorf)
		}
		return jen.Return(errorf)
	}
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	pairs := []jen.Code{jen.Lit(brokerAddressOn(pm.bc, proto.protocol)), jen.Id(proto.segment)}
	for _, p := range pm.bc.params {
		params = append(params, jen.Id(p.arg).Id(p.typ))
		pairs = append(pairs, jen.Lit(p.p.Name), jen.Qual("fmt", "Sprint").Call(jen.Id(p.arg)))
	}
	keyed := proto.protocol == "kafka" && pm.m.KafkaKey != nil
	if keyed {
		params = append(params, jen.Id("key").Add(TypeCode(pm.m.KafkaKey)))
	}
	params = append(params, jen.Id("v").Op("*").Add(TypeCode(pm.m.Payload)))
	nilPayload := []jen.Code{jen.Qual("errors", "New").Call(jen.Lit(prefix + "nil payload"))}
	if reply != nil {
		nilPayload = append([]jen.Code{jen.Nil()}, nilPayload...)
	}
	body := []jen.Code{
		jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Return(nilPayload...)),
	}
	if keyed {
		body = append(body, kafkaKeyChecks(pm.m.KafkaKey, validated, fail)...)
	}
	if validated(pm.m.Payload) {
		body = append(body, jen.If(jen.Err().Op(":=").Id("v").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(fail("%w")))
	}
	body = append(body,
		jen.List(jen.Id("payload"), jen.Err()).Op(":=").Qual("encoding/json", "Marshal").Call(jen.Id("v")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("encode: %w")))
	if !validated(pm.m.Payload) {
		body = append(body, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id(pm.m.DecodeFunc).Call(jen.Id("payload")), jen.Err().Op("!=").Nil()).Block(fail("%w")))
	}
	if len(pm.bc.params) > 0 {
		var values []jen.Code
		for _, p := range pm.bc.params {
			values = append(values, jen.Qual("fmt", "Sprint").Call(jen.Id(p.arg)))
		}
		body = append(body, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Id(pm.bc.paramsParse).Call(jen.Index().String().Values(values...)), jen.Err().Op("!=").Nil()).Block(fail("%w")))
	}
	body = append(body,
		jen.List(jen.Id("address"), jen.Err()).Op(":=").Id("brokerAddress").Call(pairs...),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w")))
	headers := jen.Nil()
	if pm.m.HeadersDecodeFunc != "" {
		params = append(params, jen.Id("headers").Op("*").Id(pm.m.Headers.Name))
		body = append(body, jen.Var().Id("hv").Index().Index(jen.Lit(2)).String(),
			jen.If(jen.Id("headers").Op("!=").Nil()).Block(kafkaHeaderChecks(pm, validated, fail)...))
		headers = jen.Id("hv")
	}
	name, results := pm.name, jen.Error()
	doc := fmt.Sprintf("%s publishes v as message %s to the %s of channel %s.", pm.name, wireName(pm.m), proto.destination, pm.bc.ch.Name)
	if reply != nil {
		name, results = pm.request, jen.Params(reply.typ, jen.Error())
		doc = fmt.Sprintf("%s sends v as message %s to the %s of channel %s as a request, and waits for the reply, a %s message, until ctx ends.", name, wireName(pm.m), proto.destination, pm.bc.ch.Name, reply.names)
		body = append(body,
			jen.List(jen.Id("answer"), jen.Err()).Op(":=").Add(proto.request(pm, headers)),
			jen.If(jen.Err().Op("!=").Nil()).Block(fail("%w")),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(reply.decode).Call(jen.Id("answer")),
			jen.If(jen.Err().Op("!=").Nil()).Block(fail(fmt.Sprintf("the reply is not a valid %s message: %%w", formatText(reply.names)))),
			jen.Return(jen.Id("r"), jen.Nil()))
	} else {
		body = append(body,
			jen.If(jen.Err().Op(":=").Add(proto.send(pm, headers)), jen.Err().Op("!=").Nil()).Block(fail("%w")),
			jen.Return(jen.Nil()))
	}
	if address := brokerAddressOn(pm.bc, proto.protocol); address != pm.bc.ch.Name {
		doc += fmt.Sprintf(" The channel's kafka binding names its topic: %s.", address)
	}
	if keyed {
		doc += " key, the record key of the message's kafka binding, is validated and travels as the record's key: a string as its text, any other value as JSON."
	}
	if reply != nil && proto.protocol == "kafka" {
		doc += kafkaRequestMethodDoc(pm)
	}
	doc += publishBindingsDoc(proto.protocol, pm)
	if len(pm.bc.params) > 0 {
		doc += fmt.Sprintf(" The parameters fill the %s's {placeholders}%s.", proto.destination, segmentDoc(proto.segment))
	}
	if pm.m.HeadersDecodeFunc != "" {
		doc += fmt.Sprintf(" headers, when not nil, are validated and travel as %s.", proto.headers)
	}
	if about := messageAbout(pm.m); about != "" {
		doc += " " + about
	}
	doc += "\n\nAn invalid v is never sent: the error wraps its *ValidationError."
	if reply != nil {
		doc += " A reply that does not decode or breaks its schema is an error wrapping what is wrong (a *ValidationError when it breaks its schema), and so is an answer saying the subscriber refused the request (the request or the handler's reply broke the spec). When ctx ends first, errors.Is(err, ctx.Err()) holds."
	}
	return jen.Add(docComment(doc)).Line().
		Func().Params(jen.Id("p").Op("*").Id(proto.recv)).Id(name).Params(params...).Add(results).Block(body...)
}

// segmentDoc says what a parameter value may be.
func segmentDoc(segment string) string {
	switch segment {
	case "kafkaSegment":
		return "; each value must be a non-empty run of letters, digits, '_' and '-'"
	case "mqttSegment":
		return "; each value must be one level: not empty, without '/', '+', '#' or NUL"
	case "natsSegment":
		return "; each value must be one token: not empty, without '.', '*', '>' or white space"
	}
	return ""
}

// kafkaHeaderChecks validates the headers of a Publish method and turns
// them into header values.
func kafkaHeaderChecks(pm publishMethod, validated func(*model.TypeRef) bool, fail func(string) jen.Code) []jen.Code {
	var out []jen.Code
	if validated(pm.m.Headers) {
		out = append(out, jen.If(jen.Err().Op(":=").Id("headers").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(fail("headers: %w")))
	}
	return append(out,
		jen.If(jen.List(jen.Id("hv"), jen.Err()).Op("=").Id("brokerHeaderValues").Call(jen.Id("headers")), jen.Err().Op("!=").Nil()).Block(fail("%w")))
}

// kafkaSubscriberDecls declares KafkaSubscriber, its constructor, Run and
// KafkaConsumeOptions.
func kafkaSubscriberDecls(f *jen.File, chans []*brokerChannel) {
	var names []string
	for _, bc := range chans {
		names = append(names, bc.ch.Name)
	}
	f.Add(docComment(fmt.Sprintf("KafkaSubscriber consumes the topics of channels %s with a franz-go client, and passes each message, decoded and valid, to a Handler, with its channel's parameters, its headers and, for a message whose kafka binding declares a key, its record key (see the <Message>KafkaKeyFromContext functions) in the context. "+
		"It processes the records of a fetch in order and commits their offsets only after the handler returned nil (at-least-once delivery): a handler error or panic makes it try the record again, with a pause doubling from 100 ms to 30 s, until it succeeds or Run's context ends. "+
		"An invalid record (an unknown topic, parameters, headers, a record key or a payload that break the spec, a missing key the spec declares, or a message the spec does not list) is reported (see SubscribeInvalidMessages), republished to the dead-letter topic of SubscribeDeadLetter when set, and committed: it never blocks the partition. "+
		"A payload whose only violations are enum values the spec does not list is delivered, unless SubscribeStrictEnums. "+
		"An empty record with an asyncgen-error header and no asyncgen-address header is a KafkaSubscriber's answer to a request it could not answer with a reply, meant for the requester: it is committed without being handled or reported.", strings.Join(names, ", ")) + kafkaRequestsDoc(chans)))
	f.Type().Id("KafkaSubscriber").Struct(jen.Id("consumer").Op("*").Id("kafkaConsumer"))
	f.Line()
	f.Add(docComment("NewKafkaSubscriber returns a KafkaSubscriber taking records from client, which must be made with KafkaConsumeOptions among its options (a consumer group, the channels' topics, and no automatic commits)."))
	consumer := jen.Dict{
		jen.Id("client"):   jen.Id("client"),
		jen.Id("channels"): brokerChannelsValue(chans, "kafka", jen.Id("kafkaSegmentPattern")),
		jen.Id("settings"): jen.Id("newBrokerSettings").Call(jen.Id("opts")),
	}
	if routes := kafkaRoutesValue(chans); routes != nil {
		consumer[jen.Id("respond")] = jen.Id("kafkaAnswerer").Call(routes)
	}
	f.Func().Id("NewKafkaSubscriber").Params(jen.Id("client").Op("*").Qual(kgoPath, "Client"), jen.Id("h").Id("Handler"), jen.Id("opts").Op("...").Id("SubscriberOption")).Op("*").Id("KafkaSubscriber").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen subscriber: nil Handler"))),
		jen.Return(jen.Op("&").Id("KafkaSubscriber").Values(jen.Dict{jen.Id("consumer"): jen.Op("&").Id("kafkaConsumer").Values(consumer)})))
	f.Line()
	f.Add(docComment("Run consumes until ctx ends, when it returns ctx's error, or the client is closed, when it returns nil. Call it from one goroutine."))
	f.Func().Params(jen.Id("s").Op("*").Id("KafkaSubscriber")).Id("Run").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id("s").Dot("consumer").Dot("run").Call(jen.Id("ctx"))))
	f.Line()
	group, client := kafkaBindingIDs(chans)
	doc := "KafkaConsumeOptions are the client options a KafkaSubscriber needs: the consumer group, the topics of the spec's channels as regular expressions (a parameter matches a run of letters, digits, '_' and '-'), and no automatic commits. Add the brokers and anything else the cluster needs."
	body := []jen.Code{jen.Id("h").Op(":=").Id("NopHandler").Values()}
	if group != "" {
		doc += fmt.Sprintf(" An empty group is %s, the groupId of the spec's kafka binding.", strconv.Quote(group))
		body = append(body, jen.If(jen.Id("group").Op("==").Lit("")).Block(jen.Id("group").Op("=").Lit(group)))
	}
	opts := []jen.Code{
		jen.Qual(kgoPath, "ConsumerGroup").Call(jen.Id("group")),
		jen.Qual(kgoPath, "ConsumeRegex").Call(),
		jen.Qual(kgoPath, "ConsumeTopics").Call(jen.Id("kafkaTopicPatterns").Call(brokerChannelsValue(chans, "kafka", jen.Id("kafkaSegmentPattern"))).Op("...")),
		jen.Qual(kgoPath, "DisableAutoCommit").Call(),
	}
	if client != "" {
		doc += fmt.Sprintf(" The client ID is %s, the clientId of the spec's kafka binding.", strconv.Quote(client))
		opts = append(opts, jen.Qual(kgoPath, "ClientID").Call(jen.Lit(client)))
	}
	f.Add(docComment(doc))
	f.Func().Id("KafkaConsumeOptions").Params(jen.Id("group").String()).Index().Qual(kgoPath, "Opt").Block(
		append(body, jen.Return(jen.Index().Qual(kgoPath, "Opt").Values(opts...)))...)
	f.Line()
}

// kafkaBindingIDs are the groupId and clientId the kafka bindings of the
// channels' receiving operations give, the first of each; "" for none.
func kafkaBindingIDs(chans []*brokerChannel) (group, client string) {
	for _, bc := range chans {
		for _, op := range bc.ch.Operations {
			if op.Direction != model.Receive {
				continue
			}
			if group == "" {
				group = op.KafkaGroupID
			}
			if client == "" {
				client = op.KafkaClientID
			}
		}
	}
	return group, client
}

// natsDecls declares NATSPublisher, NATSSubscriber, NATSJetStreamSubscriber,
// their constructors and NATSSubjects.
func natsDecls(f *jen.File, chans []*brokerChannel, validated func(*model.TypeRef) bool) {
	f.Add(docComment("NATSPublisher publishes the package's messages with a NATS connection the caller configured and owns, on core NATS or JetStream. Each Publish method validates the message first, so that an invalid one is never sent."))
	requests := natsRequests(chans)
	publisherFields := []jen.Code{jen.Id("publish").Id("natsPublisher")}
	if len(requests) > 0 {
		publisherFields = append(publisherFields, jen.Comment("conn sends the requests of the Request methods, on core NATS."), jen.Id("conn").Op("*").Qual(natsPath, "Conn"))
	}
	f.Type().Id("NATSPublisher").Struct(publisherFields...)
	f.Line()
	f.Comment("NewNATSPublisher returns an NATSPublisher publishing on core NATS with conn:")
	f.Comment("a Publish method returns once the message is written to the connection.")
	core := jen.Dict{jen.Id("publish"): jen.Id("natsCorePublisher").Call(jen.Id("conn"))}
	if len(requests) > 0 {
		core[jen.Id("conn")] = jen.Id("conn")
	}
	f.Func().Id("NewNATSPublisher").Params(jen.Id("conn").Op("*").Qual(natsPath, "Conn")).Op("*").Id("NATSPublisher").Block(
		jen.Return(jen.Op("&").Id("NATSPublisher").Values(core)))
	f.Line()
	f.Comment("NewNATSJetStreamPublisher returns an NATSPublisher publishing with js: a")
	f.Comment("Publish method returns once a stream has stored the message.")
	if len(requests) > 0 {
		f.Comment("Request methods send their requests on core NATS with js's connection.")
	}
	stream := jen.Dict{jen.Id("publish"): jen.Id("natsJetStreamPublisher").Call(jen.Id("js"))}
	if len(requests) > 0 {
		stream[jen.Id("conn")] = jen.Id("js").Dot("Conn").Call()
	}
	f.Func().Id("NewNATSJetStreamPublisher").Params(jen.Id("js").Qual(jetstreamPath, "JetStream")).Op("*").Id("NATSPublisher").Block(
		jen.Return(jen.Op("&").Id("NATSPublisher").Values(stream)))
	f.Line()
	proto := publisherProtocol{recv: "NATSPublisher", segment: "natsSegment", destination: "subject", headers: "NATS headers", protocol: "nats",
		send: func(_ publishMethod, hv jen.Code) jen.Code {
			return jen.Id("natsPublish").Call(jen.Id("ctx"), jen.Id("p").Dot("publish"), jen.Id("address"), jen.Id("payload"), hv)
		},
		request: func(_ publishMethod, hv jen.Code) jen.Code {
			return jen.Id("natsRequest").Call(jen.Id("ctx"), jen.Id("p").Dot("conn"), jen.Id("address"), jen.Id("payload"), hv)
		}}
	for _, pm := range publishMethods(chans) {
		f.Add(publishMethodDecl(proto, pm, validated))
		f.Line()
		if reply := replyOf(pm.m); reply != nil {
			f.Add(requestMethodDecl(proto, pm, reply, validated))
			f.Line()
		}
	}
	channels := brokerChannelsValue(chans, "nats", jen.Id("natsSegmentPattern"))
	f.Add(docComment("NATSSubjects are the subjects of the spec's channels, with * for each token holding a parameter, and subjects that overlap (a subject could match both, as lights.*.on and lights.*.*) merged into one matching what either matches (lights.*.*): what a stream of the messages subscribes to, which JetStream accepts only without overlaps."))
	f.Func().Id("NATSSubjects").Params().Index().String().Block(
		jen.Id("h").Op(":=").Id("NopHandler").Values(),
		jen.Return(jen.Id("natsSubjects").Call(channels)))
	f.Line()
	invalidDoc := "An invalid message (parameters, headers or a payload that break the spec, or a message the spec does not list) is reported (see SubscribeInvalidMessages) and republished to the dead-letter subject of SubscribeDeadLetter when set. A payload whose only violations are enum values the spec does not list is delivered, unless SubscribeStrictEnums."
	f.Add(docComment("NATSSubscriber subscribes on core NATS to the subject of each channel and passes each message, decoded and valid, to a Handler, with its channel's parameters and its headers in the context, one at a time. A message whose subject matches several channels is handled once, as a message of the first of them in the spec. Core NATS keeps no message: a handler error or panic makes it try the message again, with a pause doubling from 100 ms to 30 s, until it succeeds or Run's context ends, and messages arriving meanwhile wait in a buffer of 65,536, after which nats.go drops the slow subscriber's messages. For at-least-once delivery, use NATSJetStreamSubscriber. A channel joins the queue group of the nats binding of its receiving operation, or the one of SubscribeQueue, which overrides it. " + invalidDoc + natsRequestsDoc(chans)))
	f.Type().Id("NATSSubscriber").Struct(jen.Id("consumer").Op("*").Id("natsCoreConsumer"))
	f.Line()
	f.Comment("NewNATSSubscriber returns an NATSSubscriber subscribing with conn.")
	f.Func().Id("NewNATSSubscriber").Params(jen.Id("conn").Op("*").Qual(natsPath, "Conn"), jen.Id("h").Id("Handler"), jen.Id("opts").Op("...").Id("SubscriberOption")).Op("*").Id("NATSSubscriber").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen subscriber: nil Handler"))),
		jen.Return(jen.Op("&").Id("NATSSubscriber").Values(jen.Dict{jen.Id("consumer"): jen.Op("&").Id("natsCoreConsumer").Values(jen.Dict{
			jen.Id("conn"):     jen.Id("conn"),
			jen.Id("channels"): channels,
			jen.Id("settings"): jen.Id("newBrokerSettings").Call(jen.Id("opts")),
		})})))
	f.Line()
	f.Add(docComment("Run subscribes, handles messages until ctx ends, then unsubscribes and returns ctx's error; it returns at once an error saying why it could not subscribe."))
	f.Func().Params(jen.Id("s").Op("*").Id("NATSSubscriber")).Id("Run").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id("s").Dot("consumer").Dot("run").Call(jen.Id("ctx"))))
	f.Line()
	f.Add(docComment("NATSJetStreamSubscriber consumes from a JetStream consumer and passes each message, decoded and valid, to a Handler, with its channel's parameters and its headers in the context. It acks a message once the handler returned nil, and naks one whose handler failed or panicked with a delay doubling from 100 ms to 30 s with its deliveries (at-least-once delivery, as many attempts as the consumer's MaxDeliver allows). An invalid message is reported (see SubscribeInvalidMessages), republished to the dead-letter subject of SubscribeDeadLetter when set, and terminated: it is never redelivered. A payload whose only violations are enum values the spec does not list is delivered, unless SubscribeStrictEnums."))
	f.Type().Id("NATSJetStreamSubscriber").Struct(jen.Id("consumer").Op("*").Id("natsJetStreamConsumer"))
	f.Line()
	f.Add(docComment("NewNATSJetStreamSubscriber returns an NATSJetStreamSubscriber taking messages from consumer, a consumer with explicit acks on a stream of the subjects of NATSSubjects; conn publishes dead letters."))
	f.Func().Id("NewNATSJetStreamSubscriber").Params(jen.Id("conn").Op("*").Qual(natsPath, "Conn"), jen.Id("consumer").Qual(jetstreamPath, "Consumer"), jen.Id("h").Id("Handler"), jen.Id("opts").Op("...").Id("SubscriberOption")).Op("*").Id("NATSJetStreamSubscriber").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen subscriber: nil Handler"))),
		jen.Return(jen.Op("&").Id("NATSJetStreamSubscriber").Values(jen.Dict{jen.Id("consumer"): jen.Op("&").Id("natsJetStreamConsumer").Values(jen.Dict{
			jen.Id("conn"):     jen.Id("conn"),
			jen.Id("consumer"): jen.Id("consumer"),
			jen.Id("channels"): channels,
			jen.Id("settings"): jen.Id("newBrokerSettings").Call(jen.Id("opts")),
		})})))
	f.Line()
	f.Add(docComment("Run consumes until ctx ends, then stops the consumption, waits for the message being handled, and returns ctx's error; it returns at once an error saying why it could not consume."))
	f.Func().Params(jen.Id("s").Op("*").Id("NATSJetStreamSubscriber")).Id("Run").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id("s").Dot("consumer").Dot("run").Call(jen.Id("ctx"))))
	f.Line()
}

// natsRequestsDoc says how a NATSSubscriber answers requests, for a
// package with a message whose operation has a reply; "" otherwise.
func natsRequestsDoc(chans []*brokerChannel) string {
	if len(natsRequests(chans)) == 0 {
		return ""
	}
	return " A message with a reply subject is a request (see the Request methods of NATSPublisher): once handled, it is answered with the handler's reply, validated, for a message with a reply in the spec, and with an empty payload for any other. A request that is invalid, or whose handler returned a nil or invalid reply, is answered with an empty payload and an asyncgen-error header saying what is wrong, and reported as invalid (a nil or invalid reply is never sent). A request already handled (see SubscribeIdempotency) is answered with an empty payload and an asyncgen-error header saying that its reply was not kept, for a message with a reply in the spec, and with an empty payload for any other."
}

// natsRequests are the Publish methods whose message has a reply: those
// that get a Request method.
func natsRequests(chans []*brokerChannel) []publishMethod {
	var out []publishMethod
	for _, pm := range publishMethods(chans) {
		if replyOf(pm.m) != nil {
			out = append(out, pm)
		}
	}
	return out
}

// mqttDecls declares MQTTPublisher, MQTTSubscriber, their constructors
// and MQTTTopicFilters.
func mqttDecls(f *jen.File, chans []*brokerChannel, validated func(*model.TypeRef) bool) {
	cm := jen.Op("*").Qual(autopahoPath, "ConnectionManager")
	f.Add(docComment("MQTTPublisher publishes the package's messages with an autopaho connection manager the caller configured and owns, over MQTT 5. Each Publish method validates the message first, so that an invalid one is never sent, and publishes it with the QoS and retain flag of the mqtt binding of its sending operation (QoS 1, not retained, without one), waiting for the broker's acknowledgement when the QoS is 1 or 2."))
	f.Type().Id("MQTTPublisher").Struct(jen.Id("cm").Add(cm))
	f.Line()
	f.Comment("NewMQTTPublisher returns an MQTTPublisher publishing with cm.")
	f.Func().Id("NewMQTTPublisher").Params(jen.Id("cm").Add(cm)).Op("*").Id("MQTTPublisher").Block(
		jen.Return(jen.Op("&").Id("MQTTPublisher").Values(jen.Dict{jen.Id("cm"): jen.Id("cm")})))
	f.Line()
	proto := publisherProtocol{recv: "MQTTPublisher", segment: "mqttSegment", destination: "topic", headers: "MQTT 5 user properties", protocol: "mqtt",
		send: func(pm publishMethod, hv jen.Code) jen.Code {
			op := bindingOperation(pm.bc.ch, model.Send, pm.m)
			return jen.Id("mqttPublish").Call(jen.Id("ctx"), jen.Id("p").Dot("cm"), jen.Id("address"), jen.Lit(mqttQoS(op)), jen.Lit(op != nil && op.MQTTRetain), jen.Id("payload"), hv)
		}}
	for _, pm := range publishMethods(chans) {
		f.Add(publishMethodDecl(proto, pm, validated))
		f.Line()
	}
	channels := brokerChannelsValue(chans, "mqtt", jen.Id("mqttSegmentPattern"))
	f.Add(docComment("MQTTTopicFilters are the topic filters an MQTTSubscriber subscribes to on each connection: the spec's channels' addresses with + for each level holding a parameter, with filters that overlap (a topic could match both, as lights/+/on and lights/+/+) merged into one matching what either matches (lights/+/+). A broker sends a message once per subscription it matches, so that each message comes once."))
	f.Func().Id("MQTTTopicFilters").Params().Index().String().Block(
		jen.Id("h").Op(":=").Id("NopHandler").Values(),
		jen.Return(jen.Id("mqttFilters").Call(channels)))
	f.Line()
	f.Add(docComment("MQTTSubscriber subscribes to the filters of MQTTTopicFilters (with the QoS of the mqtt binding of each channel's receiving operation, else 1; the highest of them for merged filters) and passes each message, decoded and valid, to a Handler, with its channel's parameters and its headers (MQTT 5 user properties) in the context. " +
		"A message whose topic matches several channels is handled once, as a message of the first of them in the spec. " +
		"It lives in the autopaho client configuration (see Configure): it subscribes again on every connection autopaho makes, so a dropped connection or a restarted broker loses no subscription. " +
		"It handles a message in the connection's receiving goroutine, before the message is acknowledged: a handler error or panic makes it try again, with a pause doubling from 100 ms to 30 s, until it succeeds or Run's context ends. " +
		"With paho's EnableManualAcknowledgment set, a message whose handler did not succeed before Run's context ended is not acknowledged, and the broker delivers it again to a session that outlives the connection (at-least-once); without it, paho acknowledges every message once the handlers returned. " +
		"An invalid message (parameters, headers or a payload that break the spec, a message the spec does not list, or a topic of no channel that a filter lets through) is reported (see SubscribeInvalidMessages), republished to the dead-letter topic of SubscribeDeadLetter when set, and acknowledged: it never blocks the topic. A payload whose only violations are enum values the spec does not list is delivered, unless SubscribeStrictEnums."))
	f.Type().Id("MQTTSubscriber").Struct(jen.Id("consumer").Op("*").Id("mqttConsumer"))
	f.Line()
	f.Comment("NewMQTTSubscriber returns an MQTTSubscriber passing messages to h; give")
	f.Comment("Configure's result to autopaho.NewConnection.")
	f.Func().Id("NewMQTTSubscriber").Params(jen.Id("h").Id("Handler"), jen.Id("opts").Op("...").Id("SubscriberOption")).Op("*").Id("MQTTSubscriber").Block(
		jen.If(jen.Id("h").Op("==").Nil()).Block(jen.Panic(jen.Lit("asyncgen subscriber: nil Handler"))),
		jen.Return(jen.Op("&").Id("MQTTSubscriber").Values(jen.Dict{jen.Id("consumer"): jen.Op("&").Id("mqttConsumer").Values(jen.Dict{
			jen.Id("channels"): channels,
			jen.Id("settings"): jen.Id("newBrokerSettings").Call(jen.Id("opts")),
			jen.Id("started"):  jen.Make(jen.Chan().Struct()),
		})})))
	f.Line()
	f.Add(docComment("Configure returns cfg with the subscriber's handlers added: a PUBLISH handler, which autopaho gives every connection it makes, and an OnConnectionUp that calls cfg's own and then subscribes on the new connection. Make the connection manager with the result, and the subscriber with no other."))
	f.Func().Params(jen.Id("s").Op("*").Id("MQTTSubscriber")).Id("Configure").Params(jen.Id("cfg").Qual(autopahoPath, "ClientConfig")).Qual(autopahoPath, "ClientConfig").Block(
		jen.Return(jen.Id("s").Dot("consumer").Dot("configure").Call(jen.Id("cfg"))))
	f.Line()
	f.Add(docComment("Run handles messages until ctx ends, then waits for the message being handled and returns ctx's error. Messages that arrive before Run is called wait for it. Call it once."))
	f.Func().Params(jen.Id("s").Op("*").Id("MQTTSubscriber")).Id("Run").Params(jen.Id("ctx").Qual("context", "Context")).Error().Block(
		jen.Return(jen.Id("s").Dot("consumer").Dot("run").Call(jen.Id("ctx"))))
	f.Line()
}

// hasBrokerTransport reports whether some server of pkg speaks Kafka,
// NATS or MQTT.
func hasBrokerTransport(pkg *model.Package) bool {
	return hasKafkaTransport(pkg) || hasNATSTransport(pkg) || hasMQTTTransport(pkg)
}

// brokerAddressOn is a channel's address on a protocol: on Kafka, the
// topic its kafka binding names when it has no parameters to fill.
func brokerAddressOn(bc *brokerChannel, protocol string) string {
	if protocol == "kafka" && bc.ch.KafkaTopic != "" && len(bc.params) == 0 {
		return bc.ch.KafkaTopic
	}
	return bc.ch.Name
}

// bindingOperation returns the first operation of ch in direction dir
// that carries m (any message when m is nil).
func bindingOperation(ch *model.Channel, dir model.Direction, m *model.Message) *model.Operation {
	for _, op := range ch.Operations {
		if op.Direction == dir && (m == nil || slices.Contains(op.Messages, m)) {
			return op
		}
	}
	return nil
}

// mqttQoS is the QoS an operation's mqtt binding asks for; 1 when it
// asks for none.
func mqttQoS(op *model.Operation) int {
	if op == nil || op.MQTTQoS == nil {
		return 1
	}
	return *op.MQTTQoS
}

// kafkaKeyChecks validates a Publish method's key and turns it into the
// record key kb.
func kafkaKeyChecks(key *model.TypeRef, validated func(*model.TypeRef) bool, fail func(string) jen.Code) []jen.Code {
	var out []jen.Code
	if validated(key) {
		out = append(out, jen.If(jen.Err().Op(":=").Id("key").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(fail("key: %w")))
	}
	return append(out,
		jen.List(jen.Id("kb"), jen.Err()).Op(":=").Id("kafkaKeyBytes").Call(jen.Id("key")),
		jen.If(jen.Err().Op("!=").Nil()).Block(fail("key: %w")))
}

// publishBindingsDoc says what the bindings of a Publish method's
// channel, operation and message do on protocol, and which are ignored.
func publishBindingsDoc(protocol string, pm publishMethod) string {
	op := bindingOperation(pm.bc.ch, model.Send, pm.m)
	var doc string
	if protocol == "mqtt" && op != nil && (op.MQTTQoS != nil || op.MQTTRetain) {
		doc += fmt.Sprintf(" The operation's mqtt binding sets QoS %d, retain %t.", mqttQoS(op), op.MQTTRetain)
	}
	var ignored []string
	note := func(what string, names []string) {
		for _, n := range names {
			ignored = append(ignored, n+" ("+what+")")
		}
	}
	note("channel", pm.bc.ch.IgnoredBindings)
	if op != nil {
		note("operation", op.IgnoredBindings)
	}
	note("message", pm.m.IgnoredBindings)
	if len(ignored) > 0 {
		doc += " Bindings asyncgen ignores: " + strings.Join(ignored, ", ") + "."
	}
	return doc
}
