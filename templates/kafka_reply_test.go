package templates

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

func TestHeaderOfLocation(t *testing.T) {
	for location, want := range map[string]string{
		"$message.header#/correlationId": "correlationId",
		"$message.header#/a~1b~0c":       "a/b~c",
		"$message.header#/MQMD/CorrelId": "",
		"$message.header#/":              "",
		"$message.payload#/sentAt":       "",
		"":                               "",
	} {
		require.Equal(t, want, headerOfLocation(location), location)
	}
}

// TestReplyRouteOf checks the route of a reply: the spec's headers where
// its locations name one, asyncgen's own otherwise, and an address only
// when it is a Kafka topic.
func TestReplyRouteOf(t *testing.T) {
	reply := &model.Message{WireName: "answer", DecodeFunc: "DecodeAnswer", Payload: &model.TypeRef{Kind: model.NamedRef, Name: "AnswerPayload"}}
	for _, tc := range []struct {
		name    string
		message model.Message
		want    replyRoute
	}{
		{"defaults", model.Message{Reply: &model.Reply{Messages: []*model.Message{reply}, Address: "answers"}},
			replyRoute{address: "answers", addressHeader: "asyncgen-reply-to", correlationHeader: "asyncgen-correlation-id"}},
		{"spec headers", model.Message{CorrelationIDLocation: "$message.header#/id", Reply: &model.Reply{Messages: []*model.Message{reply}, Address: "answers", AddressLocation: "$message.header#/replyTo"}},
			replyRoute{address: "answers", addressHeader: "replyTo", correlationHeader: "id"}},
		{"parameters", model.Message{Reply: &model.Reply{Messages: []*model.Message{reply}, Address: "answers.{shop}"}},
			replyRoute{addressHeader: "asyncgen-reply-to", correlationHeader: "asyncgen-correlation-id"}},
		{"not a topic", model.Message{Reply: &model.Reply{Messages: []*model.Message{reply}, Address: "answers/by shop"}},
			replyRoute{addressHeader: "asyncgen-reply-to", correlationHeader: "asyncgen-correlation-id"}},
	} {
		got, ok := replyRouteOf(&tc.message)
		require.True(t, ok, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
	_, ok := replyRouteOf(&model.Message{})
	require.False(t, ok, "a message without a reply has no route")
}

// TestIsKafkaTopicName checks the rule a reply's address must meet to be
// the topic its reply goes to.
func TestIsKafkaTopicName(t *testing.T) {
	for name, want := range kafkaTopicNameCases() {
		require.Equal(t, want, isKafkaTopicName(name), "%q", name)
	}
}

// kafkaTopicNameCases are names and whether Kafka accepts each as a
// topic's.
func kafkaTopicNameCases() map[string]bool {
	return map[string]bool{
		"replies":                true,
		"shop.orders_v2-replies": true,
		"A9":                     true,
		strings.Repeat("t", 249): true,
		strings.Repeat("t", 250): false,
		"":                       false,
		".":                      false,
		"..":                     false,
		"...":                    true,
		"replies/{id}":           false,
		"replies.{id}":           false,
		"répliques":              false,
		"replies ":               false,
		"replies\n":              false,
		"replies\x00":            false,
	}
}
