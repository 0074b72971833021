package document

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file checks the values of schema keywords on the node tree, where
// every value has its position, before a schema is converted: a keyword of
// the wrong JSON type, an unknown type name or a multipleOf that is not
// positive is reported at the keyword itself, in our own words.

// jsonTypes are the type names JSON Schema knows, sorted.
var jsonTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// checkKeyword checks the value v of the schema keyword key. Keywords it
// does not know, and those whose value is a schema (checked when the
// schema is read), pass.
func checkKeyword(key string, v *Node) error {
	switch key {
	case "title", "description", "format", "pattern", "$schema", "$comment", "$id", "$anchor",
		"$dynamicRef", "$dynamicAnchor", "contentMediaType", "contentEncoding":
		return wantKind(key, v, KindString)
	case "uniqueItems", "nullable", "readOnly", "writeOnly", "deprecated", "allowEmptyValue":
		return wantKind(key, v, KindBool)
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
		"minContains", "maxContains":
		return wantCount(key, v)
	case "minimum", "maximum":
		return wantKind(key, v, KindNumber)
	case "multipleOf":
		return wantPositive(key, v)
	case "exclusiveMinimum", "exclusiveMaximum":
		return wantOneOf(key, v, "a number or a boolean", KindNumber, KindBool)
	case "type":
		return checkType(v)
	case "required":
		return checkRequired(v)
	case "enum", "examples":
		return wantKind(key, v, KindList)
	case "items":
		return wantOneOf(key, v, "a schema (an object or a boolean) or an array of schemas", KindMap, KindBool, KindList)
	case "additionalItems":
		return wantOneOf(key, v, "a schema (an object or a boolean)", KindMap, KindBool)
	case "discriminator":
		return checkDiscriminator(v)
	case "dependentRequired":
		return checkDependentRequired(v)
	case "dependencies":
		return checkDependencies(v)
	case "externalDocs":
		return checkFields(key, v, map[string]Kind{"url": KindString, "description": KindString})
	case "xml":
		return checkFields(key, v, map[string]Kind{
			"name": KindString, "namespace": KindString, "prefix": KindString,
			"attribute": KindBool, "wrapped": KindBool,
		})
	}
	return nil
}

// wantKind requires v to be of kind.
func wantKind(key string, v *Node, kind Kind) error {
	if v.Kind != kind {
		return wrongKind(key, v, article(kind))
	}
	return nil
}

// wantOneOf requires v to be of one of kinds; want says them in words.
func wantOneOf(key string, v *Node, want string, kinds ...Kind) error {
	for _, k := range kinds {
		if v.Kind == k {
			return nil
		}
	}
	return wrongKind(key, v, want)
}

// wrongKind is the error for a keyword whose value has the wrong JSON type:
// "format must be a string, not an object".
func wrongKind(key string, v *Node, want string) error {
	return v.Errorf("%s must be %s, not %s", key, want, described(v.Kind))
}

// described names a kind of value after "not": "an object", "null".
func described(k Kind) string {
	if k == KindNull {
		return "null"
	}
	return article(k)
}

// wantCount requires a non-negative integer that fits the schema model.
func wantCount(key string, v *Node) error {
	const want = "a non-negative integer"
	if v.Kind != KindNumber {
		return wrongKind(key, v, want)
	}
	f, _ := v.Float()
	if f < 0 || f != math.Trunc(f) {
		return v.Errorf("%s must be %s, not %s", key, want, v.Str)
	}
	if _, ok := countOf(v); !ok {
		return v.Errorf("%s %s is too large", key, v.Str)
	}
	return nil
}

// countOf reads a whole, non-negative number ("5", "5.0", "5e2") as a
// uint64; ok is false when it is not one or does not fit.
func countOf(v *Node) (n uint64, ok bool) {
	if n, err := strconv.ParseUint(v.Str, 10, 64); err == nil {
		return n, true
	}
	f, isNumber := v.Float()
	if !isNumber || f < 0 || f != math.Trunc(f) || f >= 1<<64 {
		return 0, false
	}
	return uint64(f), true
}

// wantPositive requires a number greater than 0, as multipleOf needs: a
// multipleOf of 0 would divide by zero, and a negative one means nothing.
func wantPositive(key string, v *Node) error {
	if v.Kind != KindNumber {
		return wrongKind(key, v, article(KindNumber))
	}
	if f, _ := v.Float(); f <= 0 {
		return v.Errorf("%s must be greater than 0, not %s", key, v.Str)
	}
	return nil
}

// checkType checks "type": a known type name, or an array of them.
func checkType(v *Node) error {
	switch v.Kind {
	case KindString:
		return checkTypeName(v)
	case KindList:
		for i, item := range v.Items {
			if item.Kind != KindString {
				return wrongKind(fmt.Sprintf("type[%d]", i), item, article(KindString))
			}
			if err := checkTypeName(item); err != nil {
				return err
			}
		}
		return nil
	}
	return wrongKind("type", v, "a string or an array of strings")
}

// checkTypeName refuses a type name JSON Schema does not know, suggesting
// the closest known one.
func checkTypeName(v *Node) error {
	for _, known := range jsonTypes {
		if v.Str == known {
			return nil
		}
	}
	known := strings.Join(jsonTypes, ", ")
	if guess := closestType(v.Str); guess != "" {
		return v.Errorf("unknown type %q: did you mean %q? (the types are %s)", v.Str, guess, known)
	}
	return v.Errorf("unknown type %q (the types are %s)", v.Str, known)
}

// typeAliases are names other languages give JSON's types.
var typeAliases = map[string]string{
	"int": "integer", "long": "integer", "bool": "boolean", "float": "number", "double": "number",
	"decimal": "number", "str": "string", "text": "string", "map": "object", "dict": "object",
	"list": "array", "nil": "null", "none": "null",
}

// closestType returns the known type name nearest to name: the same name in
// other case, another language's name for it, or one a small typo away.
// It returns "" when none is close.
func closestType(name string) string {
	lower := strings.ToLower(strings.TrimSpace(name))
	if alias, ok := typeAliases[lower]; ok {
		return alias
	}
	best, bestDist := "", 3 // at most two edits away
	for _, known := range jsonTypes {
		if d := editDistance(lower, known, bestDist); d < bestDist {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, or limit when
// it is at least limit. Its work is bounded by limit and len(b), so a
// hostile long a costs no more than reading it.
func editDistance(a, b string, limit int) int {
	if diff := len(a) - len(b); diff >= limit || -diff >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// checkRequired checks "required": an array of property names.
func checkRequired(v *Node) error {
	switch v.Kind {
	case KindList:
		return checkNames("required", v)
	case KindBool:
		return v.Errorf("required must be an array of property names, not a boolean (JSON Schema draft-04's required: true on a property is written as required: [name] on its object)")
	}
	return wrongKind("required", v, "an array of property names")
}

// checkNames requires every item of the list v to be a string.
func checkNames(key string, v *Node) error {
	for i, item := range v.Items {
		if item.Kind != KindString {
			return wrongKind(fmt.Sprintf("%s[%d]", key, i), item, "a string (a property name)")
		}
	}
	return nil
}

// checkDiscriminator checks AsyncAPI's string discriminator and OpenAPI's
// object one ({propertyName, mapping}).
func checkDiscriminator(v *Node) error {
	switch v.Kind {
	case KindString:
		return nil
	case KindMap:
		if err := checkFields("discriminator", v, map[string]Kind{"propertyName": KindString, "mapping": KindMap}); err != nil {
			return err
		}
		mapping := v.Get("mapping")
		if mapping == nil {
			return nil
		}
		for i, value := range mapping.Values {
			if value.Kind != KindString {
				return wrongKind("discriminator mapping "+strconv.Quote(mapping.Keys[i]), value, "a string (a schema name or $ref)")
			}
		}
		return nil
	}
	return wrongKind("discriminator", v, "a string or an object")
}

// checkDependentRequired checks "dependentRequired": an object whose
// values are arrays of property names.
func checkDependentRequired(v *Node) error {
	if v.Kind != KindMap {
		return wrongKind("dependentRequired", v, article(KindMap))
	}
	for i, names := range v.Values {
		key := "dependentRequired " + strconv.Quote(v.Keys[i])
		if names.Kind != KindList {
			return wrongKind(key, names, "an array of property names")
		}
		if err := checkNames(key, names); err != nil {
			return err
		}
	}
	return nil
}

// checkDependencies checks draft-07 "dependencies": an object whose values
// are arrays of property names or schemas (checked when read).
func checkDependencies(v *Node) error {
	if v.Kind != KindMap {
		return wrongKind("dependencies", v, article(KindMap))
	}
	for i, dep := range v.Values {
		key := "dependencies " + strconv.Quote(v.Keys[i])
		switch dep.Kind {
		case KindList:
			if err := checkNames(key, dep); err != nil {
				return err
			}
		case KindMap, KindBool:
		default:
			return wrongKind(key, dep, "an array of property names or a schema")
		}
	}
	return nil
}

// checkFields requires v to be an object whose known fields have the
// given kinds; other fields pass.
func checkFields(key string, v *Node, fields map[string]Kind) error {
	if v.Kind != KindMap {
		return wrongKind(key, v, article(KindMap))
	}
	for i, name := range v.Keys {
		if kind, ok := fields[name]; ok && v.Values[i].Kind != kind {
			return wrongKind(key+" "+name, v.Values[i], article(kind))
		}
	}
	return nil
}
