package support

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBrokerPatternCapturesParametersAndQuotesTheRest(t *testing.T) {
	p := brokerPattern("a.b{x}.c+d.{y}", kafkaSegmentPattern)
	m := p.FindStringSubmatch("a.b1.c+d.z-2")
	require.Equal(t, []string{"a.b1.c+d.z-2", "1", "z-2"}, m)
	require.False(t, p.MatchString("aXb1.c+d.z"), "the dot is literal")
	require.False(t, p.MatchString("a.b1.c+d.z.w"), "a parameter is one part")
	require.False(t, p.MatchString("a.b1.c+d.z2 "), "anchored")

	// Braces that open no parameter are literal.
	require.True(t, brokerPattern("a{b", natsSegmentPattern).MatchString("a{b"))
	require.True(t, brokerPattern("a}b{", natsSegmentPattern).MatchString("a}b{"))
	// Regular expression syntax in an address is literal.
	require.True(t, brokerPattern("(.*)[x]", natsSegmentPattern).MatchString("(.*)[x]"))
	require.False(t, brokerPattern("(.*)[x]", natsSegmentPattern).MatchString("ab"))
}

func TestBrokerAddressRefusesValuesThatAreNotOnePart(t *testing.T) {
	got, err := brokerAddress("s.{id}.x.{n}", natsSegment, "id", "lamp-1", "n", "42")
	require.NoError(t, err)
	require.Equal(t, "s.lamp-1.x.42", got)
	for _, bad := range []string{"", "a.b", "*", ">", "a b"} {
		_, err := brokerAddress("s.{id}", natsSegment, "id", bad)
		require.Error(t, err, "NATS %q", bad)
	}
	for _, bad := range []string{"", "a/b", "+", "#", "a\x00"} {
		_, err := brokerAddress("s/{id}", mqttSegment, "id", bad)
		require.Error(t, err, "MQTT %q", bad)
	}
	for _, bad := range []string{"", "a.b", "a b", "ä"} {
		_, err := brokerAddress("s.{id}", kafkaSegment, "id", bad)
		require.Error(t, err, "Kafka %q", bad)
	}
}

func TestBrokerWildcards(t *testing.T) {
	require.Equal(t, "s.*.x.*", natsWildcard("s.{id}.x.{n}"))
	require.Equal(t, "s/+/x/+", mqttFilter("s/{id}/x/{n}"))
	require.Equal(t, "s/+", mqttFilter("s/a{id}b"))
	require.Equal(t, "plain", natsWildcard("plain"))
}

func TestBrokerHeaderValues(t *testing.T) {
	type headers struct {
		Trace *string `json:"trace-id,omitempty"`
		N     *int64  `json:"n,omitempty"`
		Null  *int64  `json:"null"`
	}
	trace, n := "abc", int64(7)
	got, err := brokerHeaderValues(&headers{Trace: &trace, N: &n})
	require.NoError(t, err)
	require.Equal(t, [][2]string{{"n", "7"}, {"trace-id", "abc"}}, got)
	got, err = brokerHeaderValues(nil)
	require.NoError(t, err)
	require.Empty(t, got)
}

func TestBrokerBackoffDoublesUpTo30Seconds(t *testing.T) {
	require.Equal(t, 100*time.Millisecond, brokerBackoff(1))
	require.Equal(t, 200*time.Millisecond, brokerBackoff(2))
	require.Equal(t, 30*time.Second, brokerBackoff(20))
	require.Equal(t, 30*time.Second, brokerBackoff(1<<30))
}

func TestBrokerProcessOutcomes(t *testing.T) {
	handled := 0
	ch := brokerChannel{
		address: "t",
		pattern: brokerPattern("t", kafkaSegmentPattern),
		decode: func(data []byte) (brokerDelivery, error) {
			d := brokerDelivery{message: "m", handle: func(context.Context) error {
				handled++
				switch string(data) {
				case "fail":
					return errors.New("boom")
				case "panic":
					panic("boom")
				}
				return nil
			}}
			switch string(data) {
			case "enum":
				return d, &ValidationError{Violations: []Violation{{Keyword: "enum", Message: "unknown"}}}
			case "bad":
				return brokerDelivery{}, &ValidationError{Violations: []Violation{{Keyword: "type"}}}
			case "unknown":
				return brokerDelivery{unknownMessage: true}, ErrUnknownMessage
			}
			return d, nil
		},
	}
	var s brokerSettings
	run := func(address, payload string) (brokerOutcome, error) {
		return brokerProcess(context.Background(), &s, []brokerChannel{ch}, "", address, []byte(payload), http.Header{})
	}
	outcome, err := run("t", "ok")
	require.Equal(t, brokerHandled, outcome)
	require.NoError(t, err)
	outcome, _ = run("t", "fail")
	require.Equal(t, brokerFailed, outcome)
	outcome, err = run("t", "panic")
	require.Equal(t, brokerFailed, outcome)
	require.True(t, strings.Contains(err.Error(), "panicked"), err.Error())
	outcome, _ = run("t", "bad")
	require.Equal(t, brokerInvalid, outcome)
	outcome, err = run("t", "unknown")
	require.Equal(t, brokerInvalid, outcome)
	require.ErrorIs(t, err, ErrUnknownMessage)
	outcome, _ = run("other", "ok")
	require.Equal(t, brokerInvalid, outcome)

	before := handled
	outcome, _ = run("t", "enum")
	require.Equal(t, brokerHandled, outcome, "unknown enum values are delivered by default")
	require.Equal(t, before+1, handled)
	s.strictEnums = true
	outcome, _ = run("t", "enum")
	require.Equal(t, brokerInvalid, outcome)
}

func TestBrokerProcessWithAStoreHandlesEachKeyOnce(t *testing.T) {
	calls := map[string]int{}
	fail := true
	ch := brokerChannel{
		address: "t",
		pattern: brokerPattern("t", kafkaSegmentPattern),
		decode: func(data []byte) (brokerDelivery, error) {
			return brokerDelivery{message: "m", handle: func(context.Context) error {
				calls[string(data)]++
				if string(data) == "flaky" && fail {
					fail = false
					return errors.New("boom")
				}
				return nil
			}}, nil
		},
	}
	s := brokerSettings{store: NewMemoryIdempotencyStore(time.Hour, 100)}
	run := func(key, payload string) (brokerOutcome, error) {
		return brokerProcess(context.Background(), &s, []brokerChannel{ch}, key, "t", []byte(payload), http.Header{})
	}
	for range 3 {
		outcome, err := run("kafka:t:0:1", "a")
		require.NoError(t, err)
		require.Equal(t, brokerHandled, outcome)
	}
	require.Equal(t, 1, calls["a"], "a key handled once is acknowledged without the handler")

	outcome, err := run("kafka:t:0:1", "b")
	require.Equal(t, brokerInvalid, outcome, "the same key with another payload")
	require.ErrorContains(t, err, "handled with another payload")

	outcome, _ = run("", "flaky")
	require.Equal(t, brokerFailed, outcome)
	outcome, err = run("", "flaky")
	require.NoError(t, err)
	require.Equal(t, brokerHandled, outcome, "a failed handler releases its key")
	outcome, _ = run("", "flaky")
	require.Equal(t, brokerHandled, outcome)
	require.Equal(t, 2, calls["flaky"], "without a broker key, address and payload are the key")
}

// TestBrokerProcessMarksARequestHandledBefore: a request the store says
// was handled is refused with errBrokerHandledBefore when its message has
// a reply in the spec, and answered as before (without an error) when it
// has none.
func TestBrokerProcessMarksARequestHandledBefore(t *testing.T) {
	for _, answers := range []bool{true, false} {
		d := brokerDelivery{message: "m", handle: func(context.Context) error { return nil }}
		if answers {
			d.answer = func(context.Context) ([]byte, error) { return []byte(`{"ok":true}`), nil }
		}
		ch := brokerChannel{address: "t", pattern: brokerPattern("t", kafkaSegmentPattern),
			decode: func([]byte) (brokerDelivery, error) { return d, nil }}
		s := brokerSettings{store: NewMemoryIdempotencyStore(time.Hour, 100)}
		run := func() *brokerReply {
			ctx, reply := brokerExpectReply(context.Background())
			outcome, err := brokerProcess(ctx, &s, []brokerChannel{ch}, "kafka:t:0:7", "t", []byte(`{}`), http.Header{})
			require.NoError(t, err)
			require.Equal(t, brokerHandled, outcome)
			return reply
		}
		first := run()
		require.NoError(t, first.refusal(nil), "answers=%v: the first delivery is answered with its reply", answers)
		again := run()
		require.Nil(t, again.body)
		if answers {
			require.ErrorIs(t, again.refusal(nil), errBrokerHandledBefore)
			require.Equal(t, []byte(`{"ok":true}`), first.body)
		} else {
			require.NoError(t, again.refusal(nil), "a message without a reply in the spec is not refused")
		}
		cause := errors.New("invalid")
		require.Same(t, cause, again.refusal(cause), "a cause comes first")
	}
}
