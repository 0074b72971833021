package templates

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// The headers a request and its reply carry over Kafka when the spec
// names none: where the reply goes, and the correlation ID.
const (
	defaultReplyAddressHeader = "asyncgen-reply-to"
	defaultCorrelationHeader  = "asyncgen-correlation-id"
)

// replyRoute is where the reply to a message goes over Kafka: the reply
// channel's address ("" when it has none, or one that is not a Kafka
// topic, such as one with parameters), the
// header of a request naming another, and the header of the correlation
// ID.
type replyRoute struct {
	address, addressHeader, correlationHeader string
}

// replyRouteOf is the route of m's reply; false when m has no reply whose
// code is generated.
func replyRouteOf(m *model.Message) (replyRoute, bool) {
	if replyOf(m) == nil {
		return replyRoute{}, false
	}
	route := replyRoute{
		addressHeader:     headerOfLocation(m.Reply.AddressLocation),
		correlationHeader: headerOfLocation(m.CorrelationIDLocation),
	}
	if route.addressHeader == "" {
		route.addressHeader = defaultReplyAddressHeader
	}
	if route.correlationHeader == "" {
		route.correlationHeader = defaultCorrelationHeader
	}
	if isKafkaTopicName(m.Reply.Address) {
		route.address = m.Reply.Address
	}
	return route, true
}

// isKafkaTopicName reports whether a reply's address is a topic its reply
// can go to: a legal Kafka topic name (1 to 249 ASCII letters, digits,
// dots, underscores and hyphens, and neither "." nor ".."), so without
// parameters. It is the rule support's isKafkaTopicName applies at run
// time. (A regular expression would compile {1,249} to some 500
// instructions, 227 KB, at every start of the CLI.)
func isKafkaTopicName(address string) bool {
	if address == "" || len(address) > 249 || address == "." || address == ".." {
		return false
	}
	return strings.IndexFunc(address, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) < 0
}

// headerOfLocation is the header a runtime expression points to
// ("$message.header#/replyTo" is replyTo); "" for any other expression.
func headerOfLocation(location string) string {
	name, ok := strings.CutPrefix(location, "$message.header#/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return ""
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
}

// replyRouteValue renders a brokerReplyRoute.
func replyRouteValue(route replyRoute) jen.Code {
	return jen.Id("brokerReplyRoute").Add(replyRouteFields(route))
}

// replyRouteFields renders the fields of a brokerReplyRoute, in braces.
func replyRouteFields(route replyRoute) jen.Code {
	fields := jen.Dict{
		jen.Id("addressHeader"):     jen.Lit(route.addressHeader),
		jen.Id("correlationHeader"): jen.Lit(route.correlationHeader),
	}
	if route.address != "" {
		fields[jen.Id("address")] = jen.Lit(route.address)
	}
	return jen.Values(fields)
}

// kafkaRequests are the Publish methods that get a Kafka Request method:
// their message has a reply whose channel has an address without
// parameters, the topic the requester reads.
func kafkaRequests(chans []*brokerChannel) []publishMethod {
	var out []publishMethod
	for _, pm := range publishMethods(chans) {
		if route, ok := replyRouteOf(pm.m); ok && route.address != "" {
			out = append(out, pm)
		}
	}
	return out
}

// KafkaRequestWithoutMethod is a message whose Kafka Publish method gets
// no Request method though its reply's code is generated: the reply
// channel's address is not a Kafka topic a requester can read (it has
// parameters, is null, or holds characters a topic cannot).
type KafkaRequestWithoutMethod struct {
	// Reply is the message's reply.
	Reply *model.Reply
	// Request names the Request method the message does not get.
	Request string
	// AddressHeader is the header of a request naming the topic of its
	// reply, which a KafkaSubscriber still answers to.
	AddressHeader string
}

// KafkaRequestsWithoutMethod lists, in the order of the Publish methods,
// the messages of pkg whose Kafka Publish method gets no Request method
// because their reply's address is not a Kafka topic; none for a package
// without Kafka code.
func KafkaRequestsWithoutMethod(pkg *model.Package) []KafkaRequestWithoutMethod {
	if !hasKafkaTransport(pkg) {
		return nil
	}
	var out []KafkaRequestWithoutMethod
	for _, pm := range publishMethods(brokerChannels(pkg)) {
		if route, ok := replyRouteOf(pm.m); ok && route.address == "" {
			out = append(out, KafkaRequestWithoutMethod{Reply: pm.m.Reply, Request: pm.request, AddressHeader: route.addressHeader})
		}
	}
	return out
}

// kafkaReplyTopics are the reply topics of requests, sorted, each once.
func kafkaReplyTopics(requests []publishMethod) []string {
	var out []string
	for _, pm := range requests {
		route, _ := replyRouteOf(pm.m)
		out = append(out, route.address)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// kafkaCorrelationHeaders are the correlation headers of requests, sorted,
// each once: where the requester looks for a reply's correlation ID.
func kafkaCorrelationHeaders(requests []publishMethod) []string {
	var out []string
	for _, pm := range requests {
		route, _ := replyRouteOf(pm.m)
		out = append(out, route.correlationHeader)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// kafkaRoutesValue renders the map[string]brokerReplyRoute of the
// channels whose messages have a reply, by their Kafka address: the route
// of the first such message; nil when none has one.
func kafkaRoutesValue(chans []*brokerChannel) jen.Code {
	routes := jen.Dict{}
	for _, bc := range chans {
		for _, m := range bc.messages {
			if route, ok := replyRouteOf(m); ok {
				routes[jen.Lit(brokerAddressOn(bc, "kafka"))] = replyRouteFields(route)
				break
			}
		}
	}
	if len(routes) == 0 {
		return nil
	}
	return jen.Map(jen.String()).Id("brokerReplyRoute").Values(routes)
}

// kafkaRequestCall renders the call sending a Request method's payload
// as a Kafka request and waiting for the reply's payload.
func kafkaRequestCall(pm publishMethod, hv jen.Code) jen.Code {
	route, _ := replyRouteOf(pm.m)
	key := jen.Nil()
	if pm.m.KafkaKey != nil {
		key = jen.Id("kb")
	}
	return jen.Id("p").Dot("requests").Dot("request").Call(jen.Id("ctx"), jen.Id("address"), key, jen.Id("payload"), hv, replyRouteValue(route))
}

// kafkaRequesterDecls declares NewKafkaRequester, KafkaReplyOptions and
// the KafkaPublisher methods counting requests and replies, for a package
// with Kafka requests.
func kafkaRequesterDecls(f *jen.File, requests []publishMethod) {
	var headers, topics []jen.Code
	for _, h := range kafkaCorrelationHeaders(requests) {
		headers = append(headers, jen.Lit(h))
	}
	for _, t := range kafkaReplyTopics(requests) {
		topics = append(topics, jen.Lit(t))
	}
	kgoClient := jen.Op("*").Qual(kgoPath, "Client")
	f.Add(docComment("NewKafkaRequester returns a KafkaPublisher producing with producer whose Request methods wait for their replies, which replies consumes: a client made with KafkaReplyOptions among its options, and no consumer group, so that it reads every reply to the requests it sends. One goroutine, started by the first request, reads the replies and hands each to the request with its correlation ID; it ends when replies is closed, which ends the requests still waiting. A reply that no request waits for (unknown, or come after its request's context ended) is dropped and counted (see DroppedReplies). producer and replies may be the same client when it consumes nothing else."))
	f.Func().Id("NewKafkaRequester").Params(jen.List(jen.Id("producer"), jen.Id("replies")).Add(kgoClient)).Op("*").Id("KafkaPublisher").Block(
		jen.Return(jen.Op("&").Id("KafkaPublisher").Values(jen.Dict{
			jen.Id("client"):   jen.Id("producer"),
			jen.Id("requests"): jen.Id("newKafkaRequester").Call(jen.Id("producer"), jen.Id("replies"), jen.Index().String().Values(headers...)),
		})))
	f.Line()
	f.Add(docComment("KafkaReplyOptions are the client options the replies client of NewKafkaRequester needs: the reply topics of the spec's requests, read from the first record of the last minute of each partition, so that a reply produced before the client found its position is not missed. Add the brokers and anything else the cluster needs, and no consumer group."))
	f.Func().Id("KafkaReplyOptions").Params().Index().Qual(kgoPath, "Opt").Block(
		jen.Return(jen.Id("kafkaReplyOptions").Call(jen.Index().String().Values(topics...))))
	f.Line()
	f.Add(docComment("PendingRequests is how many requests wait for their reply: each leaves when its reply comes or its context ends."))
	f.Func().Params(jen.Id("p").Op("*").Id("KafkaPublisher")).Id("PendingRequests").Params().Int().Block(
		jen.Return(jen.Id("p").Dot("requests").Dot("pending").Call()))
	f.Line()
	f.Add(docComment("DroppedReplies is how many replies came that no request waited for: replies to other requesters, or replies that came after their request's context ended."))
	f.Func().Params(jen.Id("p").Op("*").Id("KafkaPublisher")).Id("DroppedReplies").Params().Int64().Block(
		jen.Return(jen.Id("p").Dot("requests").Dot("droppedReplies").Call()))
	f.Line()
}

// kafkaRequestsDoc says how a KafkaSubscriber answers requests, for a
// package with a message whose operation has a reply; "" otherwise.
func kafkaRequestsDoc(chans []*brokerChannel) string {
	if kafkaRoutesValue(chans) == nil {
		return ""
	}
	return " A message with a reply is a request (see the Request methods of KafkaPublisher): once handled, the handler's reply, validated, is produced to the topic the request's reply address header names, else to the reply channel's address, with the request's correlation ID, before the request's offset is committed; producing it is tried " +
		"5 times, after which it is dropped and reported (SubscribeErrors). A request with a correlation ID that is invalid, or whose handler returned a nil or invalid reply, is reported as invalid and answered with an empty record with an asyncgen-error header saying what is wrong (a nil or invalid reply is never sent). A request already handled (see SubscribeIdempotency), whose reply was not kept, is answered with an empty record with an asyncgen-error header saying so, at once. The route of a channel's replies is the one of its first message with a reply."
}

// kafkaRequestMethodDoc says how a Kafka Request method finds its reply.
func kafkaRequestMethodDoc(pm publishMethod) string {
	route, _ := replyRouteOf(pm.m)
	return fmt.Sprintf(" The request carries a correlation ID in header %s (the one headers give, else a random UUID) and its reply topic in header %s (the one headers give, else %s); the reply is the record with that correlation ID that the replies client of NewKafkaRequester reads.",
		route.correlationHeader, route.addressHeader, route.address)
}
