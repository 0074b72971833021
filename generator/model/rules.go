package model

// Rules are the validation keywords of one schema, for the validators and
// decoders. They mirror the schema: subschemas are Rules too, shared when
// the schemas are shared, so a recursive schema gives cyclic Rules.
type Rules struct {
	// Source says where the schema is: "specs/x.yaml#/components/schemas/X".
	Source string
	// TableConst names the constant of the rules' entry in the rule table
	// of the generated code (ruleCustomerEmail); JSONTableConst and
	// MapJSONTableConst name those of the entries holding what of them is
	// checked on a value's JSON form, and on a map's. The builder gives
	// them, unique among the package's names.
	TableConst, JSONTableConst, MapJSONTableConst string
	// Never is set for the schema false, which accepts no value.
	Never bool
	// Types lists the JSON types the schema allows: "null", "boolean",
	// "object", "array", "number", "integer", "string". Empty allows all.
	Types []string
	// Enum lists the allowed values as JSON values: nil, bool, int64 (a
	// whole number, kept to the digit), float64, string, []any,
	// map[string]any. Empty allows all.
	Enum []any
	// Const is the only allowed value, when the schema has const.
	Const *Const
	// Format is a format the validators check (date-time, date, time,
	// email, uri, uuid, ipv4, ipv6, hostname); other formats are ignored.
	Format string

	// Pattern is a regular expression (RE2 syntax) strings must match.
	Pattern string
	// PatternVar names the package-level variable holding Pattern
	// compiled; the builder gives it, one per distinct pattern of the
	// package, and "" when Pattern is "".
	PatternVar string
	// MinLength and MaxLength bound a string's length in runes.
	MinLength, MaxLength *uint64

	// Minimum and Maximum are inclusive bounds of numbers.
	Minimum, Maximum *float64
	// ExclusiveMinimum and ExclusiveMaximum are exclusive bounds; the
	// OpenAPI boolean form is turned into these.
	ExclusiveMinimum, ExclusiveMaximum *float64
	// MultipleOf is what numbers must be a multiple of.
	MultipleOf *float64
	// MinimumInt, MaximumInt, ExclusiveMinimumInt, ExclusiveMaximumInt and
	// MultipleOfInt are the same bounds to the digit, set beside the
	// float64 ones when the spec writes the bound as a whole number that
	// fits an int64 (9007199254740993, 5.0); nil otherwise.
	MinimumInt, MaximumInt                   *int64
	ExclusiveMinimumInt, ExclusiveMaximumInt *int64
	MultipleOfInt                            *int64

	// MinItems and MaxItems bound an array's length.
	MinItems, MaxItems *uint64
	// UniqueItems forbids equal items.
	UniqueItems bool
	// Items are the rules of every item (after PrefixItems, when there
	// are some).
	Items *Rules
	// PrefixItems are the rules of the first items, by position.
	PrefixItems []*Rules
	// Contains are rules some items must pass: at least MinContains (1
	// when nil) and at most MaxContains of them.
	Contains                 *Rules
	MinContains, MaxContains *uint64

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
	// PatternProperties are the rules of the properties whose names match
	// a pattern (RE2); such properties are not additional.
	PatternProperties []*PatternRules
	// PropertyNames are rules every property name, as a string, passes.
	PropertyNames *Rules
	// DependentRequired lists, by property, the properties an object that
	// has it must have too; sorted by property.
	DependentRequired []*Dependency
	// DependentSchemas are rules an object that has the property named
	// must pass; sorted by property.
	DependentSchemas []*PropertyRules

	// If, Then and Else: a value that passes If must pass Then, one that
	// fails it must pass Else.
	If, Then, Else *Rules

	// AllOf, AnyOf, OneOf and Not compose other schemas.
	AllOf, AnyOf, OneOf []*Rules
	Not                 *Rules
	// Discriminator, when set, picks by one property of an object the
	// schema of OneOf (else AnyOf) the object is checked against.
	Discriminator *Discriminator
}

// Discriminator is an OpenAPI or AsyncAPI discriminator: the value of
// property Property of an object names the one schema of a oneOf or anyOf
// the object must pass.
type Discriminator struct {
	Property string
	// Cases are the values that name a schema, sorted by value.
	Cases []*DiscriminatorCase
}

// DiscriminatorCase is one value of a discriminator and the index, in
// OneOf (else AnyOf), of the schema it names.
type DiscriminatorCase struct {
	Value   string
	Variant int
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
	// SendMethod names the Sender method posting any message of the
	// channel (Send<Channel>).
	SendMethod string
	// Property is the discriminator: the payload property whose value
	// names the message.
	Property string
	// Type is the JSON type of the property's values: "string",
	// "integer" or "boolean".
	Type  string
	Cases []*DispatchCase
}

// DispatchCase is one message of a dispatching channel.
type DispatchCase struct {
	// Value is the property's value naming the message: the string, the
	// integer in decimal, or true or false.
	Value   string
	Message *Message
}

// PatternRules are the rules of the properties whose names match Pattern.
type PatternRules struct {
	Pattern string
	// Var names the package-level variable holding Pattern compiled, as
	// Rules.PatternVar does.
	Var   string
	Rules *Rules
}

// Pattern is a distinct regular expression of a package's rules and the
// package-level variable the generated code compiles it into.
type Pattern struct {
	// Expr is the regular expression as the spec writes it.
	Expr string
	// Var is the variable's name.
	Var string
}

// Dependency says that an object with property Property must also have
// the properties Required.
type Dependency struct {
	Property string
	Required []string
}
