package support

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
	require.Equal(t, 0, natsOwner(chans, "lights.1.on"))
	require.Equal(t, 1, natsOwner(chans, "lights.1.off"))
	require.Equal(t, 2, natsOwner(chans, "auditnorth"))
	require.Equal(t, 3, natsOwner(chans, "north"))
	chans[3] = brokerChannel{address: "x{any}", pattern: brokerPattern("x{any}", natsSegmentPattern)}
	require.Equal(t, 2, natsOwner(chans, "north"), "no address matches: the first wildcard that does")
	require.Equal(t, -1, natsOwner(chans, "a.b"))
	require.True(t, natsOwns(chans, "a.b", 1), "a message no channel owns is handled")
	require.False(t, natsOwns(chans, "lights.1.on", 1))
}
