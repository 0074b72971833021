package support

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIsKafkaTopicName checks the names a request may give as the topic
// of its reply.
func TestIsKafkaTopicName(t *testing.T) {
	for name, want := range map[string]bool{
		"replies":                true,
		"shop.orders_v2-replies": true,
		strings.Repeat("t", 249): true,
		strings.Repeat("t", 250): false,
		"":                       false,
		".":                      false,
		"..":                     false,
		"...":                    true,
		"replies/1":              false,
		"répliques":              false,
		"replies ":               false,
		"replies\x00":            false,
	} {
		require.Equal(t, want, isKafkaTopicName(name), "%q", name)
	}
}

// TestIsKafkaTopicNameMatchesTheCharacterRule checks isKafkaTopicName
// against the regular expression it replaced, which differs only in
// accepting "." and "..", on random names near the rule's edges.
func TestIsKafkaTopicNameMatchesTheCharacterRule(t *testing.T) {
	rule := regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)
	const alphabet = "aZ09._-/ \x00é{}"
	random := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range random.IntN(4) + random.IntN(2)*(240+random.IntN(20)) {
			c := alphabet[random.IntN(len(alphabet))]
			if random.IntN(300) > 0 {
				c = alphabet[random.IntN(6)]
			}
			b.WriteByte(c)
		}
		name := b.String()
		want := rule.MatchString(name) && name != "." && name != ".."
		require.Equal(t, want, isKafkaTopicName(name), "%q", name)
	}
}
