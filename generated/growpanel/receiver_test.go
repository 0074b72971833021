package growpanel_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

var payloads = filepath.Join("..", "..", "testdata", "payloads", "growpanel")

// recorder keeps every message it is given.
type recorder struct {
	got []growpanel.GrowpanelWebhookMessage
}

func (h *recorder) HandleMRRMovement(_ context.Context, v *growpanel.MrrMovementPayload) error {
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
