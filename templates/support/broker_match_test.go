package support

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// brokerMatchByPatterns is brokerMatch as it was: every channel's pattern
// tried in turn. It is the reference brokerMatch must agree with.
func brokerMatchByPatterns(chans []brokerChannel, address string) (brokerChannel, []string, bool) {
	for _, ch := range chans {
		if m := ch.pattern.FindStringSubmatch(address); m != nil {
			return ch, m[1:], true
		}
	}
	return brokerChannel{}, nil, false
}

// randomBrokerChannels makes n channels from a small alphabet of levels,
// parameters, regular expression characters and unbalanced braces, so
// that addresses repeat and overlap.
func randomBrokerChannels(random *rand.Rand, n int) []brokerChannel {
	parts := []string{"a", "b", "a.b", "x+y", "{id}", "{p}", "a{b", "b}", "$", "(c)"}
	seps := []string{".", "/", ""}
	chans := make([]brokerChannel, n)
	for i := range chans {
		address := parts[random.IntN(len(parts))]
		for range random.IntN(3) {
			address += seps[random.IntN(len(seps))] + parts[random.IntN(len(parts))]
		}
		chans[i] = brokerChannel{address: address, pattern: brokerPattern(address, natsSegmentPattern)}
	}
	return chans
}

// TestBrokerMatchAgreesWithThePatterns checks brokerMatch, which compares
// the address of a channel without parameters instead of matching its
// pattern, against every pattern tried in turn, on seeded random channels
// and addresses: the channels' own addresses, with parameters filled in,
// and others.
func TestBrokerMatchAgreesWithThePatterns(t *testing.T) {
	random := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		chans := randomBrokerChannels(random, 1+random.IntN(12))
		other := randomBrokerChannels(random, 12)
		var addresses []string
		for _, ch := range append(chans, other...) {
			addresses = append(addresses, ch.address, brokerFilled(ch.address, "7"), brokerFilled(ch.address, "x.y"))
		}
		for _, address := range addresses {
			wantCh, wantValues, wantOK := brokerMatchByPatterns(chans, address)
			gotCh, gotValues, gotOK := brokerMatch(chans, address)
			require.Equal(t, wantOK, gotOK, "%q in %v", address, chans)
			require.Equal(t, wantCh.address, gotCh.address, "%q", address)
			require.Equal(t, len(wantValues), len(gotValues), "%q", address)
			for i := range wantValues {
				require.Equal(t, wantValues[i], gotValues[i], "%q", address)
			}
		}
	}
}

// brokerFilled is address with every balanced {name} replaced by value.
func brokerFilled(address, value string) string {
	var out strings.Builder
	for {
		open := strings.IndexByte(address, '{')
		end := strings.IndexByte(address[max(open, 0):], '}')
		if open < 0 || end < 0 {
			out.WriteString(address)
			return out.String()
		}
		out.WriteString(address[:open] + value)
		address = address[open+end+1:]
	}
}

// BenchmarkBrokerMatch finds the channel of a message on the last of n
// channels without parameters, as a subscriber does for each message.
//
//	go test ./templates/support -run '^$' -bench BrokerMatch -benchmem
func BenchmarkBrokerMatch(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		chans := make([]brokerChannel, n)
		for i := range chans {
			address := fmt.Sprintf("shop.orders.%d", i)
			chans[i] = brokerChannel{address: address, pattern: brokerPattern(address, natsSegmentPattern)}
		}
		last := chans[n-1].address
		for _, impl := range []struct {
			name  string
			match func([]brokerChannel, string) (brokerChannel, []string, bool)
		}{{"patterns", brokerMatchByPatterns}, {"brokerMatch", brokerMatch}} {
			b.Run(fmt.Sprintf("channels=%d/impl=%s", n, impl.name), func(b *testing.B) {
				for b.Loop() {
					if _, _, ok := impl.match(chans, last); !ok {
						b.Fatal("no channel")
					}
				}
			})
		}
	}
}
