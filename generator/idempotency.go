package generator

import (
	"slices"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
)

// idempotencyHeader returns the header of a message's headers schema that
// carries its idempotency key: the first, by name, marked
// x-idempotency-key: true, else one named Idempotency-Key in any case; ""
// when there is none.
func idempotencyHeader(headers *document.Schema) string {
	if headers == nil {
		return ""
	}
	names := make([]string, 0, len(headers.Properties))
	for name := range headers.Properties {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if p := headers.Properties[name]; p != nil && p.Value != nil && p.Value.Extensions["x-idempotency-key"] == true {
			return name
		}
	}
	for _, name := range names {
		if strings.EqualFold(name, "Idempotency-Key") {
			return name
		}
	}
	return ""
}
