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
