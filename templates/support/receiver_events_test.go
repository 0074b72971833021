package support

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// events collects ReceiverEvents.
type events struct {
	mu   sync.Mutex
	list []ReceiverEvent
}

func (e *events) observe(ev ReceiverEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, ev)
}

// last returns the one event seen since the previous call.
func (e *events) last(t *testing.T) ReceiverEvent {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	require.Len(t, e.list, 1)
	ev := e.list[0]
	e.list = nil
	return ev
}

func (e *events) none(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	require.Empty(t, e.list)
}

// Every refusal, redelivery, retry and unknown message is one event,
// with the status and the reason answered; a delivery is none.
func TestReceiverEvents(t *testing.T) {
	seen := &events{}
	fail := false
	rc := idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0), maxBodyBytes: 64, observe: seen.observe, onError: func(*http.Request, error) {}}, true,
		func(context.Context, []byte) error {
			if fail {
				return errors.New("database down")
			}
			return nil
		})
	request := func(method, contentType, auth, body string) int {
		r := httptest.NewRequest(method, "/hook", strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		if auth != "" {
			r.Header.Set("Authorization", "Bearer "+auth)
		}
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, r)
		return w.Code
	}
	for _, c := range []struct {
		status           int
		method, ct, auth string
		body, reason     string
	}{
		{http.StatusMethodNotAllowed, http.MethodGet, "application/json", "s3cret", `{}`, "method GET"},
		{http.StatusUnsupportedMediaType, http.MethodPost, "text/plain", "s3cret", `{}`, "not JSON"},
		{http.StatusRequestEntityTooLarge, http.MethodPost, "application/json", "s3cret", `{"pad":"` + strings.Repeat("x", 100) + `"}`, "larger than 64 bytes"},
		{http.StatusUnauthorized, http.MethodPost, "application/json", "wrong", `{}`, "unauthenticated"},
		{http.StatusBadRequest, http.MethodPost, "application/json", "s3cret", `{"bad":1}`, "violation"},
	} {
		require.Equal(t, c.status, request(c.method, c.ct, c.auth, c.body))
		ev := seen.last(t)
		require.Equal(t, ReceiverRefused, ev.Kind, c.status)
		require.Equal(t, c.status, ev.Status)
		require.Contains(t, ev.Reason, c.reason)
		require.Equal(t, "/hook", ev.Request.URL.Path)
	}

	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	seen.none(t)
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.Equal(t, ReceiverEvent{Kind: ReceiverRedelivery, Status: http.StatusNoContent, Key: "d1"}, withoutRequest(seen.last(t)))
	require.Equal(t, http.StatusConflict, post(rc, `{"a":2}`, "d1"))
	ev := seen.last(t)
	require.Equal(t, ReceiverRefused, ev.Kind)
	require.Equal(t, http.StatusConflict, ev.Status)

	fail = true
	require.Equal(t, http.StatusInternalServerError, post(rc, `{"b":1}`, "d2"))
	ev = seen.last(t)
	require.Equal(t, ReceiverEvent{Kind: ReceiverRetry, Status: http.StatusInternalServerError, Reason: "the handler failed", Key: "d2"}, withoutRequest(ev))
}

func withoutRequest(e ReceiverEvent) ReceiverEvent {
	e.Request = nil
	return e
}

// A payload naming a message the spec does not list is an event.
func TestReceiverEventsUnknownMessage(t *testing.T) {
	seen := &events{}
	rc := newReceiverCore(receiverSettings{observe: seen.observe, onUnknown: func(*http.Request, error) {}}, []receiverAuth{receiverSharedSecretAuth("s3cret")},
		func([]byte) (receiverDelivery, error) {
			return receiverDelivery{unknownMessage: true}, errors.New("unknown message")
		})
	require.Equal(t, http.StatusAccepted, post(rc, `{"type":"new"}`, ""))
	require.Equal(t, ReceiverUnknownMessage, seen.last(t).Kind)
}

// The slog adapter logs each event with its fields, refusals as
// warnings.
func TestSlogReceiverEvents(t *testing.T) {
	var buf bytes.Buffer
	log := SlogReceiverEvents(slog.New(slog.NewJSONHandler(&buf, nil)))
	r := httptest.NewRequest(http.MethodPost, "/hook", nil)
	log(ReceiverEvent{Kind: ReceiverRefused, Status: 401, Reason: "unauthenticated", Request: r})
	log(ReceiverEvent{Kind: ReceiverRedelivery, Status: 204, Key: "evt_1"})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	require.Equal(t, "WARN", first["level"])
	require.Equal(t, "webhook receiver: refused", first["msg"])
	require.Equal(t, float64(401), first["status"])
	require.Equal(t, "unauthenticated", first["reason"])
	require.Equal(t, "/hook", first["path"])
	require.Equal(t, "INFO", second["level"])
	require.Equal(t, "evt_1", second["idempotency_key"])
}
