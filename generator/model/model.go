// Package model is the intermediate representation between a loaded AsyncAPI
// document and the Go code emitted for it. It is plain data: the generator
// builds it, the emitters in templates read it, and neither side needs to
// know about the other's inputs.
package model

import "slices"

// Package is everything one generated Go package holds.
type Package struct {
	// Name is the Go package name.
	Name string
	// Sources are the spec paths the package is made from, relative to the
	// output directory and slash-separated, for the generated header.
	Sources []string
	// Title and Description come from the spec's info object.
	Title       string
	Description string
	// Types are the named Go types, in declaration order.
	Types           []*Type
	Messages        []*Message
	Channels        []*Channel
	Servers         []*Server
	SecuritySchemes []*SecurityScheme
	// Reserved are the package-level names the generated code declares
	// whatever the spec says (the support code's and the emitters' fixed
	// names), sorted; no name the builder or an emitter derives from the
	// spec takes one.
	Reserved []string
	// RuleTableConsts are the names the builder gave the rule table
	// constants of all Rules (their TableConst, JSONTableConst and
	// MapJSONTableConst), in the order given; the generated code declares
	// those of the entries its rule table has.
	RuleTableConsts []string
	// Patterns are the distinct regular expressions of all Rules, each
	// with the variable the builder named for it, in the order named; the
	// generated code declares those its checks use.
	Patterns []*Pattern
}

// TypeKind says which kind of declaration a Type is.
type TypeKind int

// The kinds of Type.
const (
	// StructKind is a struct with Fields.
	StructKind TypeKind = iota
	// EnumKind is a defined type over a builtin with one constant per value.
	EnumKind
	// DefinedKind is a defined type over Underlying: type X []Y.
	DefinedKind
	// AliasKind is an alias of Underlying: type X = any.
	AliasKind
	// UnionKind is a sum type (oneOf, anyOf): a struct with one field per
	// variant, of which one is set, whose JSON methods pick the variant.
	UnionKind
	// TupleKind is a JSON array with a type per position (prefixItems): a
	// struct with one field per position, encoded as an array.
	TupleKind
)

// Type is a named Go type.
type Type struct {
	Name string
	// Doc is the doc comment text, without comment markers.
	Doc string
	// Source says where the schema is: "specs/x.yaml#/components/schemas/X".
	Source string
	Kind   TypeKind
	// Fields of a StructKind type, in the order the schema lists them.
	Fields []*Field
	// Enum holds the values of an EnumKind type.
	Enum *Enum
	// Underlying is the type a DefinedKind or AliasKind type is made of, or
	// the builtin an EnumKind type is made of.
	Underlying *TypeRef
	// Union holds the variants of a UnionKind type.
	Union *Union
	// Tuple holds what a TupleKind type allows after its Fields, which
	// are its positions.
	Tuple *Tuple
	// Rules are the validation keywords of the type's schema; nil when
	// nothing is checked.
	Rules *Rules
}

// Union is the set of variants of a UnionKind type.
type Union struct {
	// OneOf is true for oneOf (exactly one variant may match a value) and
	// false for anyOf (the first variant that matches is kept).
	OneOf bool
	// Discriminator is the property whose value names the variant; "" when
	// variants are told apart by what the value looks like.
	Discriminator string
	Variants      []*Variant
}

// Variant is one alternative of a Union.
type Variant struct {
	// Field is the name of the Go field holding the variant.
	Field string
	// Type is the field's type: a pointer, or a slice or map.
	Type *TypeRef
	// Tags are the discriminator values that select this variant.
	Tags []string
	// Match says what a JSON value must look like to be this variant.
	Match Match
	// Rules are the validation keywords of the variant's schema, which a
	// value must pass to be this variant.
	Rules *Rules
}

// Match is the shape a JSON value must have to be decoded as a variant.
type Match struct {
	// JSONType is "object", "array", "string", "integer", "number",
	// "boolean", or "" for any.
	JSONType string
	// Required lists the properties an object must have.
	Required []string
	// Consts are properties with a fixed value.
	Consts []PropertyConst
	// Values lists, as JSON, every value the whole value may take (const
	// or enum); empty when any is allowed.
	Values []string
	// Closed is true when no property besides Known is allowed.
	Closed bool
	Known  []string
}

// PropertyConst is a property that must have one value.
type PropertyConst struct {
	Name string
	// JSON is the value, encoded.
	JSON string
}

// Tuple is what a TupleKind type allows besides its positions.
type Tuple struct {
	// MinItems is how many positions must be present; the fields of
	// those are values, the others pointers.
	MinItems int
	// Rest is the type of the items after the positions; nil when none
	// are allowed.
	Rest *TypeRef
}

// Field is a struct field.
type Field struct {
	Name     string
	JSONName string
	Doc      string
	Type     *TypeRef
	// Required fields must be present in the payload.
	Required bool
	// Nullable fields may be null.
	Nullable bool
	// OmitEmpty adds omitempty to the json tag.
	OmitEmpty bool
}

// Enum is the set of values of an EnumKind type.
type Enum struct {
	Values []*EnumValue
	// ValuesFunc names the function that lists every value in spec order.
	ValuesFunc string
}

// EnumValue is one enum constant.
type EnumValue struct {
	// Const is the Go constant's name.
	Const string
	// Value is a string, int64 or float64.
	Value any
	// Doc describes the value, when the spec does.
	Doc string
}

// RefKind says what a TypeRef refers to.
type RefKind int

// The kinds of TypeRef.
const (
	// BuiltinRef is a predeclared type such as string or int64.
	BuiltinRef RefKind = iota
	// NamedRef is a Type of this package.
	NamedRef
	// SliceRef is []Elem.
	SliceRef
	// MapRef is map[string]Elem.
	MapRef
	// PointerRef is *Elem.
	PointerRef
	// AnyRef is any.
	AnyRef
	// TimeRef is time.Time.
	TimeRef
)

// TypeRef is a use of a Go type.
type TypeRef struct {
	Kind RefKind
	// Name is the builtin's or the named type's name.
	Name string
	Elem *TypeRef
}

// Message is a message a channel carries.
type Message struct {
	// Name is the Go name, from the message's name or components key.
	Name string
	// WireName is the message's name in the spec, or its components key.
	WireName    string
	Title       string
	Summary     string
	Description string
	ContentType string
	Payload     *TypeRef
	Headers     *TypeRef
	Examples    []*Example
	Source      string
	// PayloadRules are the validation keywords of the payload schema.
	PayloadRules *Rules
	// HandleMethod names the Handler method receiving the message
	// (Handle<Message>), and SendMethod the Sender method posting it
	// (Send<Message>).
	HandleMethod, SendMethod string
	// DecodeFunc names the function that decodes and validates a payload;
	// empty when the message has no payload.
	DecodeFunc string
	// HeadersDecodeFunc names the function that reads the headers struct
	// from an http.Header and validates it; empty when the message has no
	// headers or they are not a struct.
	HeadersDecodeFunc string
	// HeadersFromContextFunc names the function a handler gets the
	// message's decoded headers from its context with; empty when the
	// message is received by no channel or has no HeadersDecodeFunc.
	// Messages with the same headers type share it.
	HeadersFromContextFunc string
	// DecodedVar and DecodeErrVar name the locals in which the function
	// decoding a channel's payloads, when it tries each of the channel's
	// messages, holds what decoding as this message returned; empty when
	// the message is received by no channel.
	DecodedVar, DecodeErrVar string
	// IdempotencyHeader is the header the spec declares as the message's
	// idempotency key: one marked x-idempotency-key: true, else one named
	// Idempotency-Key (in any case); empty when there is none.
	IdempotencyHeader string
	// CorrelationIDLocation is the runtime expression of the message's
	// correlationId ("$message.header#/correlationId"); "" for none.
	CorrelationIDLocation string
	// KafkaKey is the type of the Kafka record key its kafka binding
	// declares; nil when it declares none.
	KafkaKey *TypeRef
	// KafkaKeyDecodeFunc and KafkaKeyFromContextFunc name the function a
	// Kafka subscriber decodes and validates the record key with, and the
	// one a handler gets the decoded key from its context with; empty
	// when the message has no KafkaKey, is received by no channel, or no
	// server speaks Kafka.
	KafkaKeyDecodeFunc      string
	KafkaKeyFromContextFunc string
	// IgnoredBindings names the message's bindings asyncgen does not act
	// on ("amqp", "kafka.schemaIdLocation").
	IgnoredBindings []string

	// Reply is the reply of the first operation that carries the message
	// and has one: what its Handler method returns and its Send method
	// gives back; nil when no operation carrying it has a reply.
	Reply *Reply
}

// Example is a message example, as JSON.
type Example struct {
	Name    string
	Summary string
	Payload []byte
}

// Channel is a channel with its operations.
type Channel struct {
	// Name is the channel's name in the spec.
	Name        string
	GoName      string
	Description string
	Parameters  []*Parameter
	Operations  []*Operation
	// Dispatch says how to tell the channel's messages apart; nil unless
	// the channel carries several messages with a discriminator.
	Dispatch *Dispatch
	// KafkaTopic is the topic of its kafka binding when it differs from
	// the channel's name; "" when not given.
	KafkaTopic string
	// KafkaPartitions is the number of partitions its kafka binding
	// gives; 0 when not given.
	KafkaPartitions int
	// KafkaReplicas is the replication factor its kafka binding gives; 0
	// when not given.
	KafkaReplicas int
	// KafkaTopicConfig is the topic configuration its kafka binding gives,
	// sorted by name; empty when not given.
	KafkaTopicConfig []KafkaTopicConfig
	// IgnoredBindings names the channel's bindings asyncgen does not act
	// on.
	IgnoredBindings []string

	// The names below are given to channels that carry a message with a
	// DecodeFunc (received channels), and are empty on the others.
	//
	// ReceiverFunc names the exported function making the channel's
	// http.Handler: SoleReceiverFunc when it is the one received channel,
	// else New<GoName>Receiver. ReceiveFunc names the unexported function
	// decoding its payloads.
	ReceiverFunc string
	ReceiveFunc  string
	// BrokerDecodeFunc names the function brokers decode the channel's
	// messages with.
	BrokerDecodeFunc string
	// ParametersType, ParametersFromContextFunc and ParseParametersFunc
	// name the struct of the address's {parameters}, the function a
	// handler gets it from its context with, and the function parsing it
	// from an address; empty when the address has no parameters.
	ParametersType            string
	ParametersFromContextFunc string
	ParseParametersFunc       string
	// AddressParameters are the {parameters} of the address, in the order
	// it holds them, with the names the broker code gives them; empty
	// when the address has none.
	AddressParameters []*AddressParameter
	// Publications are the messages of a received channel a broker
	// publisher sends, in operation order, with the names of its methods.
	Publications []*Publication
}

// AddressParameter is a {parameter} of a channel address as the broker
// code declares it.
type AddressParameter struct {
	// Parameter is the declared parameter of that name, or a string one
	// when the channel declares none.
	Parameter *Parameter
	// Field names its field in the channel's ParametersType; Arg names
	// the argument of the Publish and Request methods that fills it.
	Field, Arg string
	// PatternVar names the package-level variable holding the
	// parameter's pattern compiled, declared beside the channel's
	// parameter parser; "" when the parameter has no pattern or the
	// channel no parser.
	PatternVar string
}

// Publication is a message a broker publisher sends on a channel.
type Publication struct {
	Message *Message
	// PublishMethod names the publishers' method sending Message on the
	// channel; RequestMethod names the one sending it as a request and
	// waiting for its reply, declared when Message has a reply.
	PublishMethod, RequestMethod string
}

// KafkaTopicConfig is one entry of a Kafka topic configuration: a topic
// config Kafka defines and its value as Kafka reads it.
type KafkaTopicConfig struct {
	Name, Value string
}

// Parameter is a channel parameter.
type Parameter struct {
	Name        string
	Description string
	// Type is the builtin string, int64 or bool.
	Type *TypeRef
	// Enum lists the values allowed, as text; empty when any is.
	Enum []string
	// Pattern is a regular expression the value must match; "" for none.
	Pattern string
}

// Direction says whether the application described sends or receives.
type Direction int

// The directions of an Operation.
const (
	// Send is AsyncAPI 2.x subscribe: the application sends the messages.
	Send Direction = iota
	// Receive is AsyncAPI 2.x publish: the application receives them.
	Receive
)

// Operation is a publish or subscribe operation.
type Operation struct {
	ID          string
	GoName      string
	Direction   Direction
	Summary     string
	Description string
	Messages    []*Message
	Security    []string
	// KafkaGroupID and KafkaClientID are the consumer group and client
	// IDs of its kafka binding; "" when not given.
	KafkaGroupID  string
	KafkaClientID string
	// MQTTQoS is the quality of service of its mqtt binding, 0 to 2; nil
	// when not given.
	MQTTQoS *int
	// MQTTRetain is the retain flag of its mqtt binding.
	MQTTRetain bool
	// NATSQueue is the queue group of its nats binding; "" when not
	// given.
	NATSQueue string
	// IgnoredBindings names the operation's bindings asyncgen does not
	// act on.
	IgnoredBindings []string

	// Reply is what answers the operation's messages (AsyncAPI 3.x
	// reply); nil when the operation has none. 2.x has no reply.
	Reply *Reply
}

// Reply is the answer to an operation's message: over HTTP, the body of
// the response to the request that carried it.
type Reply struct {
	// Messages are the messages the reply may be, in spec order.
	Messages []*Message
	// Channel is the reply channel's name (its address, else its key);
	// "" when the reply names no channel (it travels on the request's
	// connection).
	Channel string
	// Address is the reply channel's address, where a broker sends the
	// reply when the request names no other; "" when the reply names no
	// channel or its channel's address is null or absent.
	Address string
	// AddressLocation is the runtime expression that finds the reply's
	// address in the request, such as "$message.header#/replyTo"; "" when
	// the reply names none.
	AddressLocation string
	// Dispatch tells apart the messages of a reply that has several: the
	// reply channel's; nil when the reply has one message, or several
	// that no discriminator tells apart.
	Dispatch *Dispatch
}

// Message returns the one message a reply is; nil when it has several
// or none.
func (r *Reply) Message() *Message {
	if r == nil || len(r.Messages) != 1 {
		return nil
	}
	return r.Messages[0]
}

// Server is a server the spec declares.
type Server struct {
	Name        string
	URL         string
	Protocol    string
	Description string
	Security    []string
}

// SecurityScheme is a declared security scheme.
type SecurityScheme struct {
	Name         string
	Type         string
	Description  string
	Scheme       string
	BearerFormat string
	In           string
	ParamName    string
}

// Names lists, sorted and once each, the package-level names the model
// gives: types, enum constants and their values functions, decoders,
// dispatch interfaces and the per-channel functions of the receiver and
// the brokers, rule table constants and pattern variables. The generated
// package declares these and the fixed names of Reserved, and no others.
func (p *Package) Names() []string {
	var names []string
	add := func(more ...string) {
		for _, n := range more {
			if n != "" {
				names = append(names, n)
			}
		}
	}
	for _, t := range p.Types {
		add(t.Name)
		if t.Enum != nil {
			add(t.Enum.ValuesFunc)
			for _, v := range t.Enum.Values {
				add(v.Const)
			}
		}
	}
	for _, m := range p.Messages {
		add(m.DecodeFunc, m.HeadersDecodeFunc, m.HeadersFromContextFunc, m.KafkaKeyDecodeFunc, m.KafkaKeyFromContextFunc)
	}
	for _, c := range p.Channels {
		if d := c.Dispatch; d != nil {
			add(d.Func, d.Interface)
		}
		add(c.ReceiverFunc, c.ReceiveFunc, c.BrokerDecodeFunc, c.ParametersType, c.ParametersFromContextFunc, c.ParseParametersFunc)
		for _, ap := range c.AddressParameters {
			add(ap.PatternVar)
		}
	}
	add(p.RuleTableConsts...)
	for _, pattern := range p.Patterns {
		add(pattern.Var)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// SoleReceiverFunc is the ReceiverFunc of the one received channel of a
// package: a fixed name, reserved whatever the spec says.
const SoleReceiverFunc = "NewReceiver"
