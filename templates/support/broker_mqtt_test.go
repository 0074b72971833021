package support

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMQTTMatchFollowsTheSpecWildcards(t *testing.T) {
	for _, c := range []struct {
		filter, topic string
		want          bool
	}{
		{"a/+/c", "a/b/c", true},
		{"a/+/c", "a//c", true},
		{"a/+/c", "a/b/c/d", false},
		{"a/+", "a", false},
		{"a/#", "a", true},
		{"a/#", "a/b/c", true},
		{"#", "a/b", true},
		{"#", "$SYS/x", false},
		{"+/x", "$SYS/x", false},
		{"$SYS/#", "$SYS/x", true},
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
	} {
		require.Equal(t, c.want, mqttMatch(c.filter, c.topic), "%s on %s", c.filter, c.topic)
	}
}

func TestMQTTSubscriptionsMergeOverlappingFilters(t *testing.T) {
	chans := func(addresses ...string) []brokerChannel {
		var out []brokerChannel
		for i, a := range addresses {
			out = append(out, brokerChannel{address: a, qos: byte(i % 3)})
		}
		return out
	}
	require.Equal(t, []mqttSubscription{{"lights/+/+", 1}},
		mqttSubscriptions(chans("lights/{id}/on", "lights/{id}/{action}")), "one contains the other")
	require.Equal(t, []mqttSubscription{{"meters/+/reading", 1}},
		mqttSubscriptions(chans("meters/{id}/reading", "meters/{id}-v2/reading")), "equal filters")
	require.Equal(t, []mqttSubscription{{"rooms/+/+", 1}},
		mqttSubscriptions(chans("rooms/{room}/lamp", "rooms/kitchen/{device}")), "a partial overlap")
	require.Equal(t, []mqttSubscription{{"a/+", 0}, {"b/+", 1}, {"$s/+", 2}},
		mqttSubscriptions(chans("a/{x}", "b/{x}", "$s/{x}")), "no overlap")
	// The third filter overlaps the first and second only once they are
	// merged with it, one after the other.
	require.Equal(t, []mqttSubscription{{"+/+/+", 2}},
		mqttSubscriptions(chans("a/b/{x}", "c/{y}/d", "{z}/b/d")))
}

// mqttTopics lists every topic of up to three levels, each level one of
// levels.
func mqttTopics(levels []string) []string {
	var out []string
	var walk func(prefix []string)
	walk = func(prefix []string) {
		if len(prefix) > 0 {
			out = append(out, strings.Join(prefix, "/"))
		}
		if len(prefix) == 3 {
			return
		}
		for _, l := range levels {
			walk(append(prefix[:len(prefix):len(prefix)], l))
		}
	}
	walk(nil)
	return out
}

// TestMQTTOverlapAndJoinAgreeWithMatch checks, over every pair of small
// filters and every small topic, that mqttOverlap holds exactly when a
// topic matches both, and that mqttJoin matches every topic either
// matches.
func TestMQTTOverlapAndJoinAgreeWithMatch(t *testing.T) {
	topics := mqttTopics([]string{"a", "b", "$s", ""})
	var filters []string
	for _, f := range mqttTopics([]string{"a", "b", "$s", "+", "#"}) {
		if !regexp.MustCompile(`#.`).MatchString(f) {
			filters = append(filters, f)
		}
	}
	for _, a := range filters {
		for _, b := range filters {
			both := false
			for _, topic := range topics {
				both = both || mqttMatch(a, topic) && mqttMatch(b, topic)
			}
			require.Equal(t, both, mqttOverlap(a, b), "overlap of %s and %s", a, b)
			if !both {
				continue
			}
			join := mqttJoin(a, b)
			for _, topic := range topics {
				if mqttMatch(a, topic) || mqttMatch(b, topic) {
					require.True(t, mqttMatch(join, topic), "%s, the join of %s and %s, misses %s", join, a, b, topic)
				}
			}
		}
	}
}
