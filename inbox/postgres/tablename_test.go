package postgres

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestIsTableNameMatchesTheRule checks isTableName against the regular
// expression it replaced, on random names near the rule's edges: lengths
// around 51 and 63, digits first, dots, bytes outside the rule.
func TestIsTableNameMatchesTheRule(t *testing.T) {
	rule := regexp.MustCompile(`^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,50}$`)
	const alphabet = "az_09.A -;é"
	random := rand.New(rand.NewPCG(3, 4))
	part := func() string {
		var b strings.Builder
		n := random.IntN(4)
		if random.IntN(2) == 0 {
			n = 48 + random.IntN(18)
		}
		for range n {
			c := alphabet[random.IntN(len(alphabet))]
			if random.IntN(40) > 0 {
				c = "abz_09"[random.IntN(6)]
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	for range 50000 {
		name := part()
		if random.IntN(2) == 0 {
			name += "." + part()
		}
		if got, want := isTableName(name), rule.MatchString(name); got != want {
			t.Fatalf("isTableName(%q) = %v, the rule says %v", name, got, want)
		}
	}
}
