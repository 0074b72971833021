package document

// This file reads the schema keywords whose values are not schemas. Their
// values were checked (checkKeyword) before they are read here, so what
// is read has the right kind.

// valueKeyword reads one keyword whose value is not a schema into v.
// Keywords the model does not hold are ignored.
func (rd *schemaReader) valueKeyword(v *Schema, key string, n *Node) error {
	if set, ok := stringKeywords[key]; ok {
		set(v, n.Str)
		return nil
	}
	if set, ok := boolKeywords[key]; ok {
		set(v, n.Bool)
		return nil
	}
	if field, ok := countKeywords[key]; ok {
		count, _ := countOf(n)
		field(v, count)
		return nil
	}
	switch key {
	case "type":
		v.Type = readTypes(n)
	case "required":
		v.Required = readNames(n)
	case "minimum", "maximum", "multipleOf":
		readBound(v, key, n)
	case "exclusiveMinimum":
		readExclusive(&v.ExclusiveMin, n)
	case "exclusiveMaximum":
		readExclusive(&v.ExclusiveMax, n)
	case "externalDocs":
		v.ExternalDocs = &ExternalDocs{URL: n.Get("url").strOrEmpty(), Description: n.Get("description").strOrEmpty()}
	case "enum", "const", "default", "example", "examples":
		return rd.plainKeyword(v, key, n)
	}
	return nil
}

// plainKeyword reads a keyword whose value is any JSON value.
func (rd *schemaReader) plainKeyword(v *Schema, key string, n *Node) error {
	value, err := rd.values.data(n)
	if err != nil {
		return err
	}
	switch key {
	case "enum":
		v.Enum = value.([]any)
	case "const":
		v.Const = value
	case "default":
		v.Default = value
	case "example":
		v.Example = value
	case "examples":
		v.Examples = value.([]any)
	}
	return nil
}

// stringKeywords set the keywords whose values are strings.
var stringKeywords = map[string]func(v *Schema, s string){
	"title":       func(v *Schema, s string) { v.Title = s },
	"description": func(v *Schema, s string) { v.Description = s },
	"format":      func(v *Schema, s string) { v.Format = s },
	"pattern":     func(v *Schema, s string) { v.Pattern = s },
}

// boolKeywords set the keywords whose values are booleans.
var boolKeywords = map[string]func(v *Schema, b bool){
	"uniqueItems":     func(v *Schema, b bool) { v.UniqueItems = b },
	"nullable":        func(v *Schema, b bool) { v.Nullable = b },
	"readOnly":        func(v *Schema, b bool) { v.ReadOnly = b },
	"writeOnly":       func(v *Schema, b bool) { v.WriteOnly = b },
	"allowEmptyValue": func(v *Schema, b bool) { v.AllowEmptyValue = b },
	"deprecated":      func(v *Schema, b bool) { v.Deprecated = b },
}

// countKeywords set the keywords whose values are non-negative integers.
var countKeywords = map[string]func(v *Schema, n uint64){
	"minLength":     func(v *Schema, n uint64) { v.MinLength = n },
	"maxLength":     func(v *Schema, n uint64) { v.MaxLength = &n },
	"minItems":      func(v *Schema, n uint64) { v.MinItems = n },
	"maxItems":      func(v *Schema, n uint64) { v.MaxItems = &n },
	"minProperties": func(v *Schema, n uint64) { v.MinProps = n },
	"maxProperties": func(v *Schema, n uint64) { v.MaxProps = &n },
	"minContains":   func(v *Schema, n uint64) { v.MinContains = &n },
	"maxContains":   func(v *Schema, n uint64) { v.MaxContains = &n },
}

// readTypes reads "type": one name, or a list of names.
func readTypes(n *Node) *Types {
	if n.Kind == KindString {
		return &Types{n.Str}
	}
	t := Types(readNames(n))
	return &t
}

// readNames reads a list of strings.
func readNames(n *Node) []string {
	out := make([]string, len(n.Items))
	for i, item := range n.Items {
		out[i] = item.Str
	}
	return out
}

// readBound reads minimum, maximum or multipleOf, keeping the literal.
func readBound(v *Schema, key string, n *Node) {
	number := Number(n.Str)
	switch key {
	case "minimum":
		v.Min = &number
	case "maximum":
		v.Max = &number
	default:
		v.MultipleOf = &number
	}
}

// readExclusive reads exclusiveMinimum or exclusiveMaximum: a number, or
// OpenAPI 3.0's boolean.
func readExclusive(b *ExclusiveBound, n *Node) {
	if n.Kind == KindBool {
		value := n.Bool
		b.Bool = &value
		return
	}
	number := Number(n.Str)
	b.Value = &number
}
