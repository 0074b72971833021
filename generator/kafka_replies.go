package generator

import (
	"fmt"
	"strings"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates"
)

// kafkaRequestsWithoutMethod are warnings, in spec order, for the replies
// whose requests get a Kafka Publish method but no Request method, their
// reply channel's address being no Kafka topic: one per Request method
// not generated, at the reply.
func (b *builder) kafkaRequestsWithoutMethod(missing []templates.KafkaRequestWithoutMethod) []*document.Error {
	byReply := map[*model.Reply][]templates.KafkaRequestWithoutMethod{}
	for _, m := range missing {
		byReply[m.Reply] = append(byReply[m.Reply], m)
	}
	var out []*document.Error
	for _, r := range b.replies {
		for _, m := range byReply[r.built] {
			why, remedy := notKafkaTopic(r.built.Address, r.built.Channel)
			msg := fmt.Sprintf("%s: KafkaPublisher gets no %s method. %s; a KafkaSubscriber still answers each request to the topic its %s header names",
				why, m.Request, remedy, m.AddressHeader)
			out = append(out, &document.Error{Loc: r.from.Loc, Msg: msg})
		}
	}
	return out
}

// notKafkaTopic says why a reply's address, on channel, is not a Kafka
// topic, and how the reply channel gets one.
func notKafkaTopic(address, channel string) (why, remedy string) {
	switch {
	case address == "":
		return fmt.Sprintf("the reply's channel %q has no address, so no Kafka topic", channel),
			"Give the reply channel an address that is a topic to get it"
	case strings.Contains(address, "{"):
		return fmt.Sprintf("the reply's address %q has parameters, so it is not one Kafka topic", address),
			"Give the reply channel an address without parameters to get it"
	}
	return fmt.Sprintf("the reply's address %q is not a Kafka topic name (1 to 249 ASCII letters, digits, '.', '_' and '-')", address),
		"Give the reply channel an address that is a topic name to get it"
}
