package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"encoding/json"
	"fmt"
)

// tupleMarshal encodes the present positions of a tuple, then the rest.
func tupleMarshal(tuple string, items []any, present []bool, rest []any) ([]byte, error) {
	n := 0
	for n < len(items) && present[n] {
		n++
	}
	for i := n; i < len(items); i++ {
		if present[i] {
			return nil, fmt.Errorf("encoding %s: item %d is set but item %d is not", tuple, i, n)
		}
	}
	if len(rest) > 0 && n < len(items) {
		return nil, fmt.Errorf("encoding %s: Rest is set but item %d is not", tuple, n)
	}
	return json.Marshal(append(items[:n:n], rest...))
}

// tupleDecode checks how many items a tuple has and decodes its positions.
func tupleDecode(tuple string, items []json.RawMessage, targets []any, minItems int, closed bool) error {
	if len(items) < minItems {
		return fmt.Errorf("decoding %s: %d items, want at least %d", tuple, len(items), minItems)
	}
	if closed && len(items) > len(targets) {
		return fmt.Errorf("decoding %s: %d items, want at most %d", tuple, len(items), len(targets))
	}
	for i := 0; i < len(items) && i < len(targets); i++ {
		if err := json.Unmarshal(items[i], targets[i]); err != nil {
			return fmt.Errorf("decoding %s item %d: %w", tuple, i, err)
		}
	}
	return nil
}
