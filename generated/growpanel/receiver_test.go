package growpanel_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

var payloads = filepath.Join("..", "..", "testdata", "payloads", "growpanel")

// recorder keeps every message it is given.
type recorder struct {
	got []growpanel.GrowpanelWebhookMessage
}

func (h *recorder) HandleMRRMovement(_ context.Context, v *growpanel.MRRMovementPayload) error {
	h.got = append(h.got, v)
	return nil
}

func (h *recorder) HandleScheduledCancellation(_ context.Context, v *growpanel.ScheduledCancellationPayload) error {
	h.got = append(h.got, v)
	return nil
}

func (h *recorder) HandleFailedPayment(_ context.Context, v *growpanel.FailedPaymentPayload) error {
	h.got = append(h.got, v)
	return nil
}

func TestReceiverDeliversValidFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			want, err := growpanel.DecodeGrowpanelWebhook(fixtures[name])
			require.NoError(t, err)
			h := &recorder{}
			w := receivertest.Serve(growpanel.NewReceiver(h), receivertest.Request(fixtures[name]))
			require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
			require.Len(t, h.got, 1)
			require.Equal(t, reflect.TypeOf(want), reflect.TypeOf(h.got[0]))
			require.Equal(t, want, h.got[0])
		})
	}
}

// The invalid fixtures get what the channel decoder says: 202 for an
// unknown event, delivery when the only violations are unknown enum
// values (400 under WithStrictEnums), 400 with the violations otherwise.
func TestReceiverInvalidFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "invalid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			_, decodeErr := growpanel.DecodeGrowpanelWebhook(fixtures[name])
			var ve *growpanel.ValidationError
			drift := errors.As(decodeErr, &ve) && ve.OnlyUnknownEnumValues()
			for _, strict := range []bool{false, true} {
				h := &recorder{}
				unknown := 0
				opts := []growpanel.ReceiverOption{growpanel.WithUnknownMessages(func(*http.Request, error) { unknown++ })}
				if strict {
					opts = append(opts, growpanel.WithStrictEnums())
				}
				w := receivertest.Serve(growpanel.NewReceiver(h, opts...), receivertest.Request(fixtures[name]))
				switch {
				case decodeErr == nil:
					// A wrong event const names another message, which the
					// payload is valid as.
					require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
					require.Len(t, h.got, 1)
				case errors.Is(decodeErr, growpanel.ErrUnknownMessage):
					require.Equal(t, http.StatusAccepted, w.Code)
					require.Equal(t, 1, unknown)
					require.Empty(t, h.got)
				case drift && !strict:
					require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
					require.Len(t, h.got, 1)
				default:
					require.Equal(t, http.StatusBadRequest, w.Code)
					require.Empty(t, h.got)
					p := receivertest.ReadProblem(t, w)
					if ve != nil {
						require.Len(t, p.Violations, len(ve.Violations))
					}
				}
			}
		})
	}
}

func TestReceiverSharedSecret(t *testing.T) {
	body := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))["test_payload.json"]
	rcv := growpanel.NewReceiver(&recorder{}, growpanel.WithSharedSecret("t0ken"))
	require.Equal(t, http.StatusUnauthorized, receivertest.Serve(rcv, receivertest.Request(body)).Code)
	require.Equal(t, http.StatusUnauthorized, receivertest.Serve(rcv, receivertest.Request(body, receivertest.Header("Authorization", "Bearer t0ke"))).Code)
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(body, receivertest.Header("Authorization", "Bearer t0ken"))).Code)
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(body, func(r *http.Request) { r.URL.RawQuery = "token=t0ken" })).Code)
}

// movements is a mrr_movement payload with n empty movements, each
// missing its eight required properties.
func movements(n int) []byte {
	items := strings.TrimSuffix(strings.Repeat("{},", n), ",")
	return []byte(`{"event":"mrr_movement","account_id":"a","customer":{"id":"c"},"movements":[` + items + `]}`)
}

// 12 KB of empty movements make 32,000 violations: the list stops at 100
// and one last entry counts the rest, exactly; the 400 answer stays small.
func TestReceiverManyViolationsAreCapped(t *testing.T) {
	violations := func(n int) []growpanel.Violation {
		_, err := growpanel.DecodeGrowpanelWebhook(movements(n))
		var ve *growpanel.ValidationError
		require.ErrorAs(t, err, &ve)
		return ve.Violations
	}
	// Below the cap every violation is listed: what one movement adds.
	perMovement := len(violations(11)) - len(violations(10))
	fixed := len(violations(10)) - 10*perMovement
	require.Equal(t, 8, perMovement)

	const n = 4000
	body := movements(n)
	require.Greater(t, len(body), 12_000)
	got := violations(n)
	require.Len(t, got, 101)
	last := got[100]
	require.Equal(t, "more", last.Keyword)
	require.Contains(t, last.Message, " "+strconv.Itoa(fixed+n*perMovement-100)+" more violations")

	w := receivertest.Serve(growpanel.NewReceiver(&recorder{}), receivertest.Request(body))
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Less(t, w.Body.Len(), 16<<10, "the answer to 12 KB of input")
	require.Len(t, receivertest.ReadProblem(t, w).Violations, 101)
}

// A 1 MiB body of empty movements, or one quoting a megabyte-long value
// back, gets a 400 answer of a few kilobytes.
func TestReceiverInvalidAnswerIsBounded(t *testing.T) {
	rcv := growpanel.NewReceiver(&recorder{}, growpanel.WithMaxBodyBytes(2<<20))
	w := receivertest.Serve(rcv, receivertest.Request(movements(340_000)))
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Less(t, w.Body.Len(), 64<<10)
	long := strings.Repeat("é", 500_000)
	w = receivertest.Serve(rcv, receivertest.Request([]byte(`{"event":"mrr_movement","account_id":"a","customer":{"id":"c"},"movements":[{"type":"`+long+`","mrr_change":1,"currency":"usd","date":"2025-01-01","plan_name":"p","subscription_id":"s","description":"d","is_future":false}]}`)))
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Less(t, w.Body.Len(), 4<<10)
	for _, v := range receivertest.ReadProblem(t, w).Violations {
		require.True(t, utf8.ValidString(v.Message))
		require.LessOrEqual(t, len(v.Message), 1<<10)
	}
}
