package webhooktest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/webhooktest"
)

// installs counts the installs it is given.
type installs struct {
	monday.NopHandler
	seen []int64
}

func (h *installs) HandleInstall(_ context.Context, v *monday.InstallPayload) error {
	h.seen = append(h.seen, v.Data.AppID)
	return nil
}

func mondayInstall(t *testing.T) *monday.InstallPayload {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "payloads", "monday", "valid", "install.json"))
	require.NoError(t, err)
	v, err := monday.DecodeInstall(data)
	require.NoError(t, err)
	return v
}

// TestJWTRequestReachesTheHandler: a request signed with WithJWT passes
// the generated receiver's JWT check and reaches the handler, with no
// network.
func TestJWTRequestReachesTheHandler(t *testing.T) {
	h := &installs{}
	receiver := monday.NewReceiver(h, monday.WithJWTSecret([]byte("s3cret")))
	v := mondayInstall(t)
	req, err := webhooktest.NewRequest("/webhooks/monday", v, webhooktest.WithJWT([]byte("s3cret")))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Equal(t, []int64{v.Data.AppID}, h.seen)

	req, err = webhooktest.NewRequest("/webhooks/monday", v, webhooktest.WithJWT([]byte("other")))
	require.NoError(t, err)
	rec = httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	require.Equal(t, http.StatusUnauthorized, rec.Code, "another secret is refused")
}

func TestSharedSecretRequest(t *testing.T) {
	receiver := chartmogul.NewReceiver(chartmogul.NopHandler{}, chartmogul.WithSharedSecret("tok"))
	data, err := os.ReadFile(filepath.Join("..", "testdata", "payloads", "chartmogul", "valid", "mrr_movement.json"))
	require.NoError(t, err)
	req, err := webhooktest.NewRawRequest("/hooks", data, webhooktest.WithSharedSecret("tok"))
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	receiver.ServeHTTP(rec, req)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
}

func TestAPIKeyPlaces(t *testing.T) {
	req, err := webhooktest.NewRawRequest("/hooks?x=1", []byte(`{}`), webhooktest.WithAPIKey("query", "hook_key", "k"), webhooktest.WithAPIKey("header", "X-Key", "h"))
	require.NoError(t, err)
	require.Equal(t, "k", req.URL.Query().Get("hook_key"))
	require.Equal(t, "1", req.URL.Query().Get("x"))
	require.Equal(t, "h", req.Header.Get("X-Key"))
	_, err = webhooktest.NewRawRequest("/hooks", nil, webhooktest.WithAPIKey("cookie", "k", "v"))
	require.EqualError(t, err, `webhooktest: an API key goes in a header or the query, not "cookie"`)
}

// TestInvalidPayloadRefused: NewRequest builds only valid requests.
func TestInvalidPayloadRefused(t *testing.T) {
	v := mondayInstall(t)
	v.Type = "not-install"
	_, err := webhooktest.NewRequest("/webhooks/monday", v)
	require.ErrorContains(t, err, "webhooktest: the payload is not valid: ")
	var ve *monday.ValidationError
	require.ErrorAs(t, err, &ve)
}

func TestRequestShape(t *testing.T) {
	req, err := webhooktest.NewRawRequest("/hooks", []byte(`{"a":1}`), webhooktest.WithHeader("Idempotency-Key", "k-1"))
	require.NoError(t, err)
	require.Equal(t, http.MethodPost, req.Method)
	require.Equal(t, "application/json", req.Header.Get("Content-Type"))
	require.Equal(t, "k-1", req.Header.Get("Idempotency-Key"))
	var body map[string]int
	require.NoError(t, json.NewDecoder(req.Body).Decode(&body))
	require.Equal(t, map[string]int{"a": 1}, body)
	_, err = webhooktest.NewRawRequest("not a target", nil)
	require.Error(t, err)
}
