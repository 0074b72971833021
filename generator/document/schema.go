package document

import (
	"encoding/json"
	"strings"
)

// checkSchemaFormat refuses a message's schemaFormat unless it is one
// asyncgen reads: the AsyncAPI Schema Object, JSON Schema draft-07, or the
// OpenAPI 3.0 Schema Object. The schema model holds all three, and the
// schema reader reads each one's spellings (OpenAPI's nullable, boolean
// exclusive bounds and object discriminator; draft-07's tuple items and
// dependencies) for every schema.
func checkSchemaFormat(msg *Node, format string) error {
	if format == "" {
		return nil
	}
	mediaType, _, _ := strings.Cut(format, ";")
	switch strings.TrimSpace(strings.ToLower(mediaType)) {
	case "application/vnd.aai.asyncapi", "application/vnd.aai.asyncapi+json", "application/vnd.aai.asyncapi+yaml",
		"application/schema+json", "application/schema+yaml",
		"application/vnd.oai.openapi", "application/vnd.oai.openapi+json", "application/vnd.oai.openapi+yaml":
		return nil
	}
	kind := "this schema format"
	switch {
	case strings.Contains(format, "avro"):
		kind = "Avro schemas"
	case strings.Contains(format, "raml"):
		kind = "RAML data types"
	case strings.Contains(format, "protobuf"):
		kind = "Protocol Buffers schemas"
	}
	return msg.Get("schemaFormat").Errorf("unsupported schemaFormat %q: %s are not supported (use AsyncAPI, JSON Schema draft-07 or OpenAPI 3.0 schemas)", format, kind)
}

// data converts a non-schema value, counting what it expands to. Numbers
// become Numbers, which keep their literal (the node tree holds only
// numbers a float64 can hold).
func (vr *valueReader) data(n *Node) (any, error) {
	if err := vr.budget.spend(n); err != nil {
		return nil, err
	}
	switch n.Kind {
	case KindList:
		out := make([]any, len(n.Items))
		for i, item := range n.Items {
			var err error
			if out[i], err = vr.data(item); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindMap:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			var err error
			if out[k], err = vr.data(n.Values[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	case KindNumber:
		return Number(n.Str), nil
	}
	return n.Interface(), nil
}

// valueReader converts plain values (examples, enum items, defaults),
// spending from the Load's budget.
type valueReader struct {
	budget *budget
}

// dataValue converts an example or other plain value, spending from b.
func dataValue(n *Node, b *budget) (any, error) {
	vr := &valueReader{budget: b}
	v, err := vr.data(n)
	if err != nil {
		return nil, err
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers turns json.Number into int64 or float64.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = normalizeNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalizeNumbers(x[k])
		}
	}
	return v
}
