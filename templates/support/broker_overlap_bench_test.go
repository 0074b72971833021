package support

import (
	"fmt"
	"testing"

	"github.com/eclipse/paho.golang/autopaho"
)

// benchMQTTChannels are n channels whose filters do not overlap, as a
// large spec's: site/{site}/device<i>/reading.
func benchMQTTChannels(n int) []brokerChannel {
	out := make([]brokerChannel, n)
	for i := range out {
		address := fmt.Sprintf("site/{site}/device%d/reading", i)
		out[i] = brokerChannel{address: address, pattern: brokerPattern(address, mqttSegmentPattern), qos: 1}
	}
	return out
}

// benchNATSChannels are n channels whose subjects do not overlap:
// site.{site}.device<i>.reading.
func benchNATSChannels(n int) []brokerChannel {
	out := make([]brokerChannel, n)
	for i := range out {
		address := fmt.Sprintf("site.{site}.device%d.reading", i)
		out[i] = brokerChannel{address: address, pattern: brokerPattern(address, natsSegmentPattern)}
	}
	return out
}

func BenchmarkMQTTSubscriptions4000(b *testing.B) {
	chans := benchMQTTChannels(4000)
	b.ReportAllocs()
	for b.Loop() {
		mqttSubscriptions(chans)
	}
}

func BenchmarkNATSSubjects4000(b *testing.B) {
	chans := benchNATSChannels(4000)
	b.ReportAllocs()
	for b.Loop() {
		natsSubjects(chans)
	}
}

// BenchmarkNATSOwner looks up the owner of a message of the last
// channel (address), and of a message only the last channel's wildcard
// subject matches (wildcard): site.{site}.x{device}.reading is
// site.*.*.reading, which site.north.other.reading matches.
func BenchmarkNATSOwner(b *testing.B) {
	for _, n := range []int{100, 1000} {
		chans := benchNATSChannels(n)
		last := "site.{site}.x{device}.reading"
		chans[n-1] = brokerChannel{address: last, pattern: brokerPattern(last, natsSegmentPattern)}
		owners := newNATSOwners(chans)
		for _, c := range []struct{ name, subject string }{
			{"address", "site.north.xdoor.reading"},
			{"wildcard", "site.north.other.reading"},
		} {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					owners.owner(c.subject)
				}
			})
		}
	}
}

// BenchmarkMQTTSubscribed checks a message of the last channel against
// the subscriptions.
func BenchmarkMQTTSubscribed(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c := &mqttConsumer{channels: benchMQTTChannels(n)}
			c.configure(autopaho.ClientConfig{})
			topic := fmt.Sprintf("site/north/device%d/reading", n-1)
			b.ReportAllocs()
			for b.Loop() {
				c.subscribed(topic)
			}
		})
	}
}

// BenchmarkMQTTSubscriptionsCrossing merges 2,000 filters a<i>/b and
// then 2,000 filters +/c<j>: none overlaps another, but each of the later
// has every earlier one under its +, which the trie reads as the pairwise
// merge (the reference, pairwise) did.
func BenchmarkMQTTSubscriptionsCrossing(b *testing.B) {
	var addresses []string
	for i := range 2000 {
		addresses = append(addresses, fmt.Sprintf("a%d/b", i))
	}
	for j := range 2000 {
		addresses = append(addresses, fmt.Sprintf("{x}/c%d", j))
	}
	chans := mqttChannelsOf(addresses...)
	b.Run("trie", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mqttSubscriptions(chans)
		}
	})
	b.Run("pairwise", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var comparisons int
			mqttSubscriptionsPairwise(chans, &comparisons)
		}
	})
}

// BenchmarkMQTTSubscriptionsAllThenHash merges 4,000 filters that do not
// overlap and then #, which overlaps each of them.
func BenchmarkMQTTSubscriptionsAllThenHash(b *testing.B) {
	chans := append(benchMQTTChannels(4000), brokerChannel{address: "#"})
	b.Run("trie", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mqttSubscriptions(chans)
		}
	})
	b.Run("pairwise", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var comparisons int
			mqttSubscriptionsPairwise(chans, &comparisons)
		}
	})
}

// BenchmarkMQTTOfAChannel tells whether a topic of the last channel is a
// channel's, with mqttAddresses (index) and by trying every pattern as
// before (scan).
func BenchmarkMQTTOfAChannel(b *testing.B) {
	for _, n := range []int{100, 1000} {
		chans := benchMQTTChannels(n)
		addresses := newMQTTAddresses(chans)
		topic := fmt.Sprintf("site/north/device%d/reading", n-1)
		b.Run(fmt.Sprintf("index/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				addresses.has(topic)
			}
		})
		b.Run(fmt.Sprintf("scan/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				mqttOfAChannelByScan(chans, topic)
			}
		})
	}
}
