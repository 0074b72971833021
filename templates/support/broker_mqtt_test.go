package support

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eclipse/paho.golang/autopaho"
	"github.com/stretchr/testify/require"
)

// mqttMatch reports whether topic matches filter, splitting both: the
// reference the trie and the merging are checked against.
func mqttMatch(filter, topic string) bool {
	fl, tl := strings.Split(filter, "/"), strings.Split(topic, "/")
	if strings.HasPrefix(topic, "$") && mqttWildcard(fl[0]) {
		return false
	}
	for i, f := range fl {
		switch {
		case f == "#":
			return true
		case i == len(tl), f != "+" && f != tl[i]:
			return false
		}
	}
	return len(fl) == len(tl)
}

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

// mqttSubscriptionsPairwise is how mqttSubscriptions merged before it had
// a trie, comparing a channel's filter with every filter kept, again
// after each merge: the reference the trie is checked against. comparisons
// counts the calls of mqttOverlap.
func mqttSubscriptionsPairwise(chans []brokerChannel, comparisons *int) []mqttSubscription {
	var out []mqttSubscription
	for _, ch := range chans {
		sub := mqttSubscription{filter: mqttFilter(ch.address), qos: ch.qos}
		for {
			i := slices.IndexFunc(out, func(o mqttSubscription) bool {
				*comparisons++
				return mqttOverlap(o.filter, sub.filter)
			})
			if i < 0 {
				break
			}
			sub = mqttSubscription{filter: mqttJoin(out[i].filter, sub.filter), qos: max(out[i].qos, sub.qos)}
			out = slices.Delete(out, i, i+1)
		}
		out = append(out, sub)
	}
	return out
}

// mqttChannelsOf are channels of the addresses, with QoS 0, 1, 2 in turn.
func mqttChannelsOf(addresses ...string) []brokerChannel {
	out := make([]brokerChannel, 0, len(addresses))
	for i, a := range addresses {
		out = append(out, brokerChannel{address: a, pattern: brokerPattern(a, mqttSegmentPattern), qos: byte(i % 3)})
	}
	return out
}

// mqttRandomAddresses are n addresses of one to four levels drawn from
// levels, from a generator seeded with seed.
func mqttRandomAddresses(seed uint64, n int, levels []string) []string {
	r := rand.New(rand.NewPCG(seed, 0))
	out := make([]string, n)
	for i := range out {
		parts := make([]string, 1+r.IntN(4))
		for j := range parts {
			parts[j] = levels[r.IntN(len(levels))]
		}
		out[i] = strings.Join(parts, "/")
	}
	return out
}

// requireMQTTMergeAsPairwise checks that mqttSubscriptions gives what the
// pairwise merge gives, and that the trie mqttMerge returns matches a
// topic exactly when one of the subscriptions does.
func requireMQTTMergeAsPairwise(t *testing.T, addresses []string, topics []string) {
	t.Helper()
	chans := mqttChannelsOf(addresses...)
	var comparisons int
	want := mqttSubscriptionsPairwise(chans, &comparisons)
	got, trie := mqttMerge(chans)
	require.Equal(t, want, got, "addresses %q", addresses)
	for _, topic := range topics {
		match := slices.ContainsFunc(want, func(s mqttSubscription) bool { return mqttMatch(s.filter, topic) })
		require.Equal(t, match, trie.mqttMatches(topic), "topic %q, subscriptions %v", topic, want)
	}
}

func TestMQTTMergeIsThePairwiseMergeOnEveryPairAndTriple(t *testing.T) {
	topics := mqttTopics([]string{"a", "b", "$s", ""})
	var filters []string
	for _, f := range mqttTopics([]string{"a", "$s", "+", "#", ""}) {
		if !regexp.MustCompile(`#.`).MatchString(f) {
			filters = append(filters, f)
		}
	}
	for _, a := range filters {
		for _, b := range filters {
			requireMQTTMergeAsPairwise(t, []string{a, b}, topics)
		}
	}
	r := rand.New(rand.NewPCG(7, 0))
	for range 2000 {
		triple := []string{filters[r.IntN(len(filters))], filters[r.IntN(len(filters))], filters[r.IntN(len(filters))]}
		requireMQTTMergeAsPairwise(t, triple, topics)
	}
}

func TestMQTTMergeIsThePairwiseMergeOnRandomSpecs(t *testing.T) {
	topics := mqttTopics([]string{"a", "b", "$s", ""})
	few := []string{"a", "b", "$s", "", "+", "#", "{x}", "c{y}"}
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "$s", "$t", "", "{x}", "+", "#"}
	for seed := range uint64(40) {
		for _, levels := range [][]string{few, many} {
			for _, n := range []int{5, 30, 300} {
				requireMQTTMergeAsPairwise(t, mqttRandomAddresses(seed, n, levels), topics)
			}
		}
	}
	// Mostly distinct filters, some overlapping: many survive.
	var distinct []string
	for i := range 400 {
		distinct = append(distinct, fmt.Sprintf("s/%d/{x}", i%97), fmt.Sprintf("s/+/%d", i%89))
	}
	distinct = append(distinct, "s/#", "#")
	requireMQTTMergeAsPairwise(t, distinct, []string{"s/1/x", "s/x/1", "t", "s", "$s/1"})
}

func TestMQTTMergeEdgeCases(t *testing.T) {
	topics := append(mqttTopics([]string{"a", "b", "$s", ""}), "a//b", "$SYS/x", "$SYS")
	for _, addresses := range [][]string{
		nil,
		{"a/b"},
		{"{x}"},
		{"#"},
		{"$SYS/#", "#"},
		{"$SYS/{x}", "{x}/{y}", "$SYS/a"},
		{"a/#", "a"},
		{"a", "a/#"},
		{"a/#/b", "a/c"},
		{"a//b", "a/{x}/b", "a//c"},
		{"", "/", "//", "{x}"},
		{"a/b", "a/b"},
		{"a/b/{x}", "c/{y}/d", "{z}/b/d"},
	} {
		requireMQTTMergeAsPairwise(t, addresses, topics)
	}
}

// mqttSpreadAddresses are n addresses whose filters do not overlap.
func mqttSpreadAddresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("site/{site}/device%d/reading", i)
	}
	return out
}

// TestMQTTMergeWorkGrowsLinearly counts the trie's steps (nodes visited,
// filters compared) to merge the filters of channels that do not
// overlap: 4,000 channels cost at most twice 20 times what 200 do (work
// linear in the channels is 20 times; the pairwise merge did 400 times).
func TestMQTTMergeWorkGrowsLinearly(t *testing.T) {
	steps := func(n int) int {
		_, trie := mqttMerge(mqttChannelsOf(mqttSpreadAddresses(n)...))
		return trie.steps
	}
	small, large := steps(200), steps(4000)
	require.LessOrEqual(t, large, 2*20*small, "200 channels: %d steps, 4,000: %d", small, large)
}

// TestMQTTSubscribedAllocatesNothing checks that matching a topic against
// the subscriptions allocates nothing, however many channels there are.
func TestMQTTSubscribedAllocatesNothing(t *testing.T) {
	for _, n := range []int{10, 1000} {
		c := &mqttConsumer{channels: mqttChannelsOf(mqttSpreadAddresses(n)...)}
		c.configure(autopaho.ClientConfig{})
		topic := fmt.Sprintf("site/north/device%d/reading", n-1)
		require.True(t, c.subscribed(topic))
		require.False(t, c.subscribed("site/north/device/reading"))
		allocs := testing.AllocsPerRun(100, func() { c.subscribed(topic) })
		require.Zero(t, allocs, "%d channels", n)
	}
}

// mqttOfAChannelByScan is how ofAChannel told the topics of the channels
// before mqttAddresses: every channel's pattern, in order. It is the
// reference mqttAddresses is checked against.
func mqttOfAChannelByScan(chans []brokerChannel, topic string) bool {
	return slices.ContainsFunc(chans, func(ch brokerChannel) bool { return ch.pattern.MatchString(topic) })
}

// requireMQTTAddressesAsBefore checks that mqttAddresses tells every
// topic as mqttOfAChannelByScan does.
func requireMQTTAddressesAsBefore(t *testing.T, addresses []string, topics []string) {
	t.Helper()
	chans := mqttChannelsOf(addresses...)
	a := newMQTTAddresses(chans)
	for _, topic := range topics {
		require.Equal(t, mqttOfAChannelByScan(chans, topic), a.has(topic), "topic %q, addresses %q", topic, addresses)
	}
}

func TestMQTTAddressesAsBefore(t *testing.T) {
	topics := append(mqttTopics([]string{"a", "b", "xa", "$s", "", "+", "#"}), "a/b/c/d", "a//b")
	levels := []string{"a", "b", "", "$s", "+", "#", "{x}", "x{y}", "{p/q}", "{p", "q}"}
	for seed := range uint64(200) {
		for _, n := range []int{1, 3, 10} {
			requireMQTTAddressesAsBefore(t, mqttRandomAddresses(seed, n, levels), topics)
		}
	}
	for _, addresses := range [][]string{
		nil,
		{"{x}/a"},
		{"$SYS/{x}"},
		{"a/#", "a/+"},
		{"a{x/y}b", "a/b"},
	} {
		requireMQTTAddressesAsBefore(t, addresses, append(topics, "$SYS/a", "$x/a", "av/wb"))
	}
}

// TestMQTTReceivedChecksAllocateNothing checks that telling whether a
// topic is a channel's allocates nothing, however many channels there
// are.
func TestMQTTReceivedChecksAllocateNothing(t *testing.T) {
	for _, n := range []int{10, 1000} {
		c := &mqttConsumer{channels: mqttChannelsOf(mqttSpreadAddresses(n)...)}
		c.configure(autopaho.ClientConfig{})
		topic := fmt.Sprintf("site/north/device%d/reading", n-1)
		require.True(t, c.ofAChannel(topic))
		require.False(t, c.ofAChannel("site/north/device/reading"))
		allocs := testing.AllocsPerRun(100, func() { c.ofAChannel(topic) })
		require.Zero(t, allocs, "%d channels", n)
	}
}
