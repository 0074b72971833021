package monday_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

// Every valid fixture goes through the generated sender, signed with an
// HS256 JWT, and the generated receiver, which verifies it, and reaches
// the handler as the value that was sent. Date-times are compared as JSON:
// the receiver decodes "+00:00" and "Z" to the same instant in different
// locations.
func TestSendReceiveFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			sent, err := monday.DecodeMondayWebhook(fixtures[name])
			require.NoError(t, err)
			h := &recorder{}
			srv := httptest.NewServer(monday.NewReceiver(h, monday.WithJWTSecret(secret)))
			defer srv.Close()
			s, err := monday.NewSender(srv.URL, monday.WithInsecureHTTP(), monday.WithJWTSecret(secret), monday.WithoutRetry())
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, s.SendMondayWebhook(ctx, sent))

			h.mu.Lock()
			defer h.mu.Unlock()
			require.Len(t, h.got, 1)
			require.Equal(t, reflect.TypeOf(sent), reflect.TypeOf(h.got[0]))
			require.JSONEq(t, jsonText(t, sent), jsonText(t, h.got[0]))
			require.Contains(t, h.claims[0], "exp")
		})
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
