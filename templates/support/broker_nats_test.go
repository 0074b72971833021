package support

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// natsMatch reports whether subject matches the wildcard subject
// wildcard, splitting both: the reference the tries are checked against.
func natsMatch(wildcard, subject string) bool {
	tw, ts := strings.Split(wildcard, "."), strings.Split(subject, ".")
	for i, w := range tw {
		switch {
		case w == ">":
			return i < len(ts)
		case i == len(ts), w != "*" && w != ts[i]:
			return false
		}
	}
	return len(tw) == len(ts)
}

func TestNATSMatchFollowsTheWildcards(t *testing.T) {
	for _, c := range []struct {
		wildcard, subject string
		want              bool
	}{
		{"a.*.c", "a.b.c", true},
		{"a.*.c", "a.b.c.d", false},
		{"a.*", "a", false},
		{"a.>", "a", false},
		{"a.>", "a.b.c", true},
		{">", "a", true},
		{"a.b", "a.b", true},
		{"a.b", "a.c", false},
	} {
		require.Equal(t, c.want, natsMatch(c.wildcard, c.subject), "%s on %s", c.wildcard, c.subject)
	}
}

func TestNATSSubjectsMergeOverlappingSubjects(t *testing.T) {
	chans := func(addresses ...string) []brokerChannel {
		var out []brokerChannel
		for _, a := range addresses {
			out = append(out, brokerChannel{address: a})
		}
		return out
	}
	require.Equal(t, []string{"lights.*.*"}, natsSubjects(chans("lights.{id}.on", "lights.{id}.{action}")))
	require.Equal(t, []string{"*"}, natsSubjects(chans("lights/{id}/on", "rooms/{room}")))
	require.Equal(t, []string{"a.*", "b.*"}, natsSubjects(chans("a.{x}", "b.{x}")))
	require.Equal(t, []string{"*.*.*"}, natsSubjects(chans("a.b.{x}", "c.{y}.d", "{z}.b.d")))
}

// natsSubjectsUpTo lists every subject of up to three tokens, each token
// one of tokens.
func natsSubjectsUpTo(tokens []string) []string {
	var out []string
	var walk func(prefix []string)
	walk = func(prefix []string) {
		if len(prefix) > 0 {
			out = append(out, strings.Join(prefix, "."))
		}
		if len(prefix) == 3 {
			return
		}
		for _, tok := range tokens {
			walk(append(prefix[:len(prefix):len(prefix)], tok))
		}
	}
	walk(nil)
	return out
}

// TestNATSOverlapAndJoinAgreeWithMatch checks, over every pair of small
// wildcard subjects and every small subject, that natsOverlap holds
// exactly when a subject matches both, and that natsJoin matches every
// subject either matches.
func TestNATSOverlapAndJoinAgreeWithMatch(t *testing.T) {
	subjects := natsSubjectsUpTo([]string{"a", "b"})
	var wildcards []string
	for _, w := range natsSubjectsUpTo([]string{"a", "b", "*", ">"}) {
		if !regexp.MustCompile(`>.`).MatchString(w) {
			wildcards = append(wildcards, w)
		}
	}
	for _, a := range wildcards {
		for _, b := range wildcards {
			both := false
			for _, s := range subjects {
				both = both || natsMatch(a, s) && natsMatch(b, s)
			}
			require.Equal(t, both, natsOverlap(a, b), "overlap of %s and %s", a, b)
			if !both {
				continue
			}
			join := natsJoin(a, b)
			for _, s := range subjects {
				if natsMatch(a, s) || natsMatch(b, s) {
					require.True(t, natsMatch(join, s), "%s, the join of %s and %s, misses %s", join, a, b, s)
				}
			}
		}
	}
}

func TestNATSOwnerIsTheFirstChannelMatching(t *testing.T) {
	chans := []brokerChannel{
		{address: "lights.{id}.on", pattern: brokerPattern("lights.{id}.on", natsSegmentPattern)},
		{address: "lights.{id}.{action}", pattern: brokerPattern("lights.{id}.{action}", natsSegmentPattern)},
		{address: "audit{shop}", pattern: brokerPattern("audit{shop}", natsSegmentPattern)},
		{address: "{any}", pattern: brokerPattern("{any}", natsSegmentPattern)},
	}
	owners := newNATSOwners(chans)
	require.Equal(t, 0, owners.owner("lights.1.on"))
	require.Equal(t, 1, owners.owner("lights.1.off"))
	require.Equal(t, 2, owners.owner("auditnorth"))
	require.Equal(t, 3, owners.owner("north"))
	chans[3] = brokerChannel{address: "x{any}", pattern: brokerPattern("x{any}", natsSegmentPattern)}
	owners = newNATSOwners(chans)
	require.Equal(t, 2, owners.owner("north"), "no address matches: the first wildcard that does")
	require.Equal(t, -1, owners.owner("a.b"))
	require.True(t, owners.owns("a.b", 1), "a message no channel owns is handled")
	require.False(t, owners.owns("lights.1.on", 1))
}

// natsOwnerByScan is how natsOwner found the owner of a message before
// natsOwners: every channel's address, then every channel's wildcard
// subject, in order. It is the reference natsOwners is checked against.
func natsOwnerByScan(chans []brokerChannel, subject string) int {
	if i := slices.IndexFunc(chans, func(ch brokerChannel) bool { return ch.pattern.MatchString(subject) }); i >= 0 {
		return i
	}
	return slices.IndexFunc(chans, func(ch brokerChannel) bool { return natsMatch(natsWildcard(ch.address), subject) })
}

// natsSubjectsPairwise is how natsSubjects merged before it had a trie,
// comparing a channel's subject with every subject kept, again after each
// merge: the reference the trie is checked against. comparisons counts
// the calls of natsOverlap.
func natsSubjectsPairwise(chans []brokerChannel, comparisons *int) []string {
	var out []string
	for _, ch := range chans {
		subject := natsWildcard(ch.address)
		for {
			i := slices.IndexFunc(out, func(o string) bool {
				*comparisons++
				return natsOverlap(o, subject)
			})
			if i < 0 {
				break
			}
			subject = natsJoin(out[i], subject)
			out = slices.Delete(out, i, i+1)
		}
		out = append(out, subject)
	}
	return out
}

// natsChannelsOf are channels of the addresses.
func natsChannelsOf(addresses ...string) []brokerChannel {
	out := make([]brokerChannel, 0, len(addresses))
	for _, a := range addresses {
		out = append(out, brokerChannel{address: a, pattern: brokerPattern(a, natsSegmentPattern)})
	}
	return out
}

// natsRandomAddresses are n addresses of one to four tokens drawn from
// tokens, from a generator seeded with seed.
func natsRandomAddresses(seed uint64, n int, tokens []string) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]string, n)
	for i := range out {
		parts := make([]string, 1+r.IntN(4))
		for j := range parts {
			parts[j] = tokens[r.IntN(len(tokens))]
		}
		out[i] = strings.Join(parts, ".")
	}
	return out
}

// requireNATSAsBefore checks that natsSubjects gives what the pairwise
// merge gives, and that natsOwners names the owner natsOwnerByScan does
// for every subject.
func requireNATSAsBefore(t *testing.T, addresses []string, subjects []string) {
	t.Helper()
	chans := natsChannelsOf(addresses...)
	var comparisons int
	require.Equal(t, natsSubjectsPairwise(chans, &comparisons), natsSubjects(chans), "addresses %q", addresses)
	owners := newNATSOwners(chans)
	for _, s := range subjects {
		require.Equal(t, natsOwnerByScan(chans, s), owners.owner(s), "subject %q, addresses %q", s, addresses)
	}
}

func TestNATSAsBeforeOnEveryPairAndTriple(t *testing.T) {
	subjects := natsSubjectsUpTo([]string{"a", "b", "xa", ""})
	var wildcards []string
	for _, w := range natsSubjectsUpTo([]string{"a", "*", ">", "", "x{p}"}) {
		if !regexp.MustCompile(`>.`).MatchString(w) {
			wildcards = append(wildcards, w)
		}
	}
	for _, a := range wildcards {
		for _, b := range wildcards {
			requireNATSAsBefore(t, []string{a, b}, subjects)
		}
	}
	r := rand.New(rand.NewPCG(7, 1))
	for range 2000 {
		triple := []string{wildcards[r.IntN(len(wildcards))], wildcards[r.IntN(len(wildcards))], wildcards[r.IntN(len(wildcards))]}
		requireNATSAsBefore(t, triple, subjects)
	}
}

func TestNATSAsBeforeOnRandomSpecs(t *testing.T) {
	subjects := natsSubjectsUpTo([]string{"a", "b", "xa", "", "*", ">"})
	few := []string{"a", "b", "", "*", ">", "{x}", "x{y}", "{p.q}", "{p", "q}"}
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "", "{x}", "x{y}", "*", ">", "{p.q}"}
	for seed := range uint64(40) {
		for _, tokens := range [][]string{few, many} {
			for _, n := range []int{5, 30, 300} {
				requireNATSAsBefore(t, natsRandomAddresses(seed, n, tokens), subjects)
			}
		}
	}
	// Mostly distinct subjects, some overlapping: many survive.
	var distinct []string
	for i := range 400 {
		distinct = append(distinct, fmt.Sprintf("s.%d.{x}", i%97), fmt.Sprintf("s.{y}.%d", i%89))
	}
	distinct = append(distinct, "s.>", ">")
	requireNATSAsBefore(t, distinct, []string{"s.1.x", "s.x.1", "t", "s", "s.1"})
}

func TestNATSAsBeforeOnEdgeCases(t *testing.T) {
	subjects := append(natsSubjectsUpTo([]string{"a", "b", "xa", ""}), "a..b", "a.b.c.d.e")
	for _, addresses := range [][]string{
		nil,
		{"a.b"},
		{"{x}"},
		{">"},
		{"a.>", "a"},
		{"a", "a.>"},
		{"a.>.b", "a.c"},
		{"a..b", "a.{x}.b", "a..c"},
		{"", ".", "..", "{x}"},
		{"a.b", "a.b"},
		{"a{x.y}b", "a.b", "a{x}"},
		{"{x", "y}", "{x.y}"},
		{"a.b.{x}", "c.{y}.d", "{z}.b.d"},
	} {
		requireNATSAsBefore(t, addresses, subjects)
	}
}

// natsSpreadAddresses are n addresses whose subjects do not overlap.
func natsSpreadAddresses(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("site.{site}.device%d.reading", i)
	}
	return out
}

// TestNATSMergeWorkGrowsLinearly counts the trie's steps (nodes visited,
// subjects compared) to merge the subjects of channels that do not
// overlap: 4,000 channels cost at most twice 20 times what 200 do (work
// linear in the channels is 20 times; the pairwise merge did 400 times).
func TestNATSMergeWorkGrowsLinearly(t *testing.T) {
	steps := func(n int) int {
		_, trie := natsMerge(natsChannelsOf(natsSpreadAddresses(n)...))
		return trie.steps
	}
	small, large := steps(200), steps(4000)
	require.LessOrEqual(t, large, 2*20*small, "200 channels: %d steps, 4,000: %d", small, large)
}

// TestNATSOwnerAllocatesNothing checks that finding the owner of a
// message allocates nothing, however many channels there are, whether an
// address or only a wildcard subject matches.
func TestNATSOwnerAllocatesNothing(t *testing.T) {
	for _, n := range []int{10, 1000} {
		addresses := natsSpreadAddresses(n)
		addresses[n-1] = "site.{site}.x{device}.reading"
		owners := newNATSOwners(natsChannelsOf(addresses...))
		for _, subject := range []string{"site.north.xdoor.reading", "site.north.other.reading"} {
			require.Equal(t, n-1, owners.owner(subject))
			allocs := testing.AllocsPerRun(100, func() { owners.owner(subject) })
			require.Zero(t, allocs, "%d channels, %s", n, subject)
		}
	}
}
