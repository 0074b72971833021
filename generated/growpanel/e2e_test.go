package growpanel_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

// delivered is a Handler that keeps every message, safe for the server's
// goroutines.
type delivered struct {
	mu  sync.Mutex
	got []growpanel.GrowpanelWebhookMessage
}

func (h *delivered) keep(v growpanel.GrowpanelWebhookMessage) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, v)
	return nil
}

func (h *delivered) HandleMRRMovement(_ context.Context, v *growpanel.MRRMovementPayload) error {
	return h.keep(v)
}

func (h *delivered) HandleScheduledCancellation(_ context.Context, v *growpanel.ScheduledCancellationPayload) error {
	return h.keep(v)
}

func (h *delivered) HandleFailedPayment(_ context.Context, v *growpanel.FailedPaymentPayload) error {
	return h.keep(v)
}

// sendMessage sends v with the Send method of its own message.
func sendMessage(ctx context.Context, s *growpanel.Sender, v growpanel.GrowpanelWebhookMessage) error {
	switch v := v.(type) {
	case *growpanel.MRRMovementPayload:
		return s.SendMRRMovement(ctx, v)
	case *growpanel.ScheduledCancellationPayload:
		return s.SendScheduledCancellation(ctx, v)
	case *growpanel.FailedPaymentPayload:
		return s.SendFailedPayment(ctx, v)
	}
	panic("not a growpanel message")
}

// Every valid fixture goes through the generated sender, both through the
// Send method of its message and through SendGrowpanelWebhook, and the
// generated receiver, and reaches the handler as the value that was sent.
func TestSendReceiveFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	send := map[string]func(context.Context, *growpanel.Sender, growpanel.GrowpanelWebhookMessage) error{
		"message": sendMessage,
		"channel": func(ctx context.Context, s *growpanel.Sender, v growpanel.GrowpanelWebhookMessage) error {
			return s.SendGrowpanelWebhook(ctx, v)
		},
	}
	for _, name := range receivertest.Names(fixtures) {
		for how, sendFunc := range send {
			t.Run(name+"/"+how, func(t *testing.T) {
				sent, err := growpanel.DecodeGrowpanelWebhook(fixtures[name])
				require.NoError(t, err)
				h := &delivered{}
				srv := httptest.NewServer(growpanel.NewReceiver(h, growpanel.WithSharedSecret("token")))
				defer srv.Close()
				s, err := growpanel.NewSender(srv.URL, growpanel.WithInsecureHTTP(), growpanel.WithSharedSecret("token"), growpanel.WithoutRetry())
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				require.NoError(t, sendFunc(ctx, s, sent))

				h.mu.Lock()
				defer h.mu.Unlock()
				require.Len(t, h.got, 1)
				require.Equal(t, reflect.TypeOf(sent), reflect.TypeOf(h.got[0]))
				require.JSONEq(t, jsonText(t, sent), jsonText(t, h.got[0]))
			})
		}
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
