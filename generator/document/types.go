package document

// Document is a loaded AsyncAPI 2.x or 3.x document with every $ref
// resolved. A 3.x document is read into the same shape: its root operations
// are listed by the channel they use (Channel.Operations).
type Document struct {
	// Path is the file the document was loaded from.
	Path string
	// Version is the document's asyncapi field, such as "2.6.0".
	Version            string
	Info               Info
	DefaultContentType string
	Servers            []*Server
	Channels           []*Channel
	// Messages lists every message once: those under components.messages
	// in document order, then those written inline in channels.
	Messages []*Message
	// Schemas lists components.schemas in document order.
	Schemas         []*NamedSchema
	SecuritySchemes []*SecurityScheme
	// Schema facts (positions, property order, names) by schema.
	SchemaInfo map[*Schema]*SchemaInfo
}

// Info is the document's info object.
type Info struct {
	Title       string
	Version     string
	Description string
}

// Server is one entry of servers.
type Server struct {
	Name            string
	URL             string
	Protocol        string
	ProtocolVersion string
	Description     string
	Variables       []*ServerVariable
	Security        []SecurityRequirement
	// Bindings are the server's bindings; nil when it has none.
	Bindings *Bindings
	Loc      Location
}

// ServerVariable is a variable in a server URL.
type ServerVariable struct {
	Name        string
	Default     string
	Description string
	Enum        []string
}

// SecurityScheme is one entry of components.securitySchemes.
type SecurityScheme struct {
	Name        string
	Type        string
	Description string
	// In and ParamName describe httpApiKey and apiKey schemes.
	In        string
	ParamName string
	// Scheme and BearerFormat describe http schemes.
	Scheme       string
	BearerFormat string
	Loc          Location
}

// SecurityRequirement names a scheme and its scopes.
type SecurityRequirement struct {
	Scheme string
	Scopes []string
}

// Channel is one entry of channels.
type Channel struct {
	// Name is the channel's address: in 2.x its key, in 3.x its address,
	// or its key when the address is null or absent.
	Name string
	// Key is the channel's key under channels in a 3.x document; "" in 2.x.
	Key string
	// Unaddressed is set for a 3.x channel whose address is null or
	// absent: unknown or dynamic, so Name is only its key.
	Unaddressed bool
	Description string
	Parameters  []*Parameter
	// Publish and Subscribe are a 2.x channel's operations.
	Publish   *Operation
	Subscribe *Operation
	// Operations are the 3.x root operations on this channel, in document
	// order.
	Operations []*Operation
	// Bindings are the channel's bindings; nil when it has none.
	Bindings *Bindings
	Loc      Location
}

// AllOperations lists the channel's operations, whatever the version.
func (ch *Channel) AllOperations() []*Operation {
	var out []*Operation
	for _, op := range []*Operation{ch.Publish, ch.Subscribe} {
		if op != nil {
			out = append(out, op)
		}
	}
	return append(out, ch.Operations...)
}

// Parameter is a channel parameter.
type Parameter struct {
	Name        string
	Description string
	Location    string
	Schema      *SchemaRef
}

// Operation is a channel's publish or subscribe operation (2.x) or a root
// operation (3.x). In AsyncAPI 2.x, subscribe means the application
// described sends the messages, and publish means it receives them; 3.x
// says send and receive.
type Operation struct {
	// Action is "publish" or "subscribe" (2.x), "send" or "receive" (3.x).
	Action      string
	OperationID string
	Summary     string
	Description string
	Messages    []*Message
	Security    []SecurityRequirement
	// Reply is the operation's reply: 3.x reply, 2.x x-reply (asyncgen's
	// extension); nil when it has none.
	Reply *Reply
	// Bindings are the operation's bindings; nil when it has none.
	Bindings *Bindings
	Loc      Location
}

// Receives reports whether the application described receives the
// operation's messages: 2.x publish, 3.x receive.
func (op *Operation) Receives() bool {
	return op.Action == "publish" || op.Action == "receive"
}

// Message is a message with its traits merged.
type Message struct {
	// Key is the message's key under components.messages, or "".
	Key          string
	Name         string
	Title        string
	Summary      string
	Description  string
	ContentType  string
	SchemaFormat string
	Payload      *SchemaRef
	Headers      *SchemaRef
	// CorrelationID is the location expression of the correlation ID.
	CorrelationID string
	Examples      []Example
	// Bindings are the message's bindings; nil when it has none.
	Bindings *Bindings
	Loc      Location
}

// Example is one of a message's examples.
type Example struct {
	Name    string
	Summary string
	Headers any
	Payload any
	// HasPayload tells an absent payload from a null one.
	HasPayload bool
}

// NamedSchema is one entry of components.schemas.
type NamedSchema struct {
	Name   string
	Schema *SchemaRef
}

// SchemaInfo is what the loader knows about a schema beyond the schema
// itself: where it is written, what it is called, and its property order.
type SchemaInfo struct {
	Loc Location
	// Name is the name a referenced schema is known by (its key under
	// components.schemas, or the last segment of the pointer), or "".
	Name string
	// PropertyOrder lists the properties in the order the document gives.
	PropertyOrder []string
	// GoName is where the schema's x-go-name value is written, if it has one.
	GoName Location
}
