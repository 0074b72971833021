package document

import (
	"fmt"

	"github.com/asyncgen/asyncgen/internal/suggest"
)

// closestKey is a hint naming the key of map that is closest to missing,
// such as ` (did you mean "Customer"?)`, or "" when none is close.
func closestKey(m *Node, missing string) string {
	if found := suggest.Closest(missing, m.Keys); found != "" {
		return fmt.Sprintf(" (did you mean %q?)", found)
	}
	return ""
}
