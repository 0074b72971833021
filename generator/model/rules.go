package model

// Rules are the validation keywords of one schema, for the validators and
// decoders. They mirror the schema: subschemas are Rules too, shared when
// the schemas are shared, so a recursive schema gives cyclic Rules.
// Keywords asyncgen does not check (prefixItems, patternProperties,
// dependentRequired, if/then/else, contains, propertyNames) are left out.
type Rules struct {
	// Source says where the schema is: "specs/x.yaml#/components/schemas/X".
	Source string
	// Never is set for the schema false, which accepts no value.
	Never bool
	// Types lists the JSON types the schema allows: "null", "boolean",
	// "object", "array", "number", "integer", "string". Empty allows all.
	Types []string
	// Enum lists the allowed values as JSON values: nil, bool, float64,
	// string, []any, map[string]any. Empty allows all.
	Enum []any
	// Const is the only allowed value, when the schema has const.
	Const *Const
	// Format is a format the validators check (date-time, date, time,
	// email, uri, uuid, ipv4, ipv6, hostname); other formats are ignored.
	Format string

	// Pattern is a regular expression (RE2 syntax) strings must match.
	Pattern string
	// MinLength and MaxLength bound a string's length in runes.
	MinLength, MaxLength *uint64

	// Minimum and Maximum are inclusive bounds of numbers.
	Minimum, Maximum *float64
	// ExclusiveMinimum and ExclusiveMaximum are exclusive bounds; the
	// OpenAPI boolean form is turned into these.
	ExclusiveMinimum, ExclusiveMaximum *float64
	// MultipleOf is what numbers must be a multiple of.
	MultipleOf *float64

	// MinItems and MaxItems bound an array's length.
	MinItems, MaxItems *uint64
	// UniqueItems forbids equal items.
	UniqueItems bool
	// Items are the rules of every item.
	Items *Rules

	// Required lists the properties an object must have.
	Required []string
	// Properties are the rules of named properties, in spec order.
	Properties []*PropertyRules
	// AdditionalProperties are the rules of the other properties.
	AdditionalProperties *Rules
	// NoAdditionalProperties forbids properties not in Properties.
	NoAdditionalProperties bool
	// MinProperties and MaxProperties bound the number of properties.
	MinProperties, MaxProperties *uint64

	// AllOf, AnyOf, OneOf and Not compose other schemas.
	AllOf, AnyOf, OneOf []*Rules
	Not                 *Rules
}

// Const holds a const value (a JSON value, which may be nil).
type Const struct {
	Value any
}

// PropertyRules are the rules of one named property.
type PropertyRules struct {
	Name  string
	Rules *Rules
}

// Dispatch is how a channel's decoder picks the message a payload is.
type Dispatch struct {
	// Func is the decode function's name; Interface names the interface
	// every payload type implements, with the unexported method Marker.
	Func      string
	Interface string
	Marker    string
	// Property is the discriminator: the payload property whose string
	// value names the message.
	Property string
	Cases    []*DispatchCase
}

// DispatchCase is one message of a dispatching channel.
type DispatchCase struct {
	Value   string
	Message *Message
}
