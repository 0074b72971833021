package senderapikeyquery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// hook records the requests it gets and answers 204.
type hook struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.requests = append(h.requests, r)
	h.bodies = append(h.bodies, string(body))
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSenderNeedsTheKey(t *testing.T) {
	_, err := NewSender("https://hooks.example.com/events")
	if err == nil || !strings.Contains(err.Error(), "WithAPIKey") {
		t.Fatalf("NewSender without a key: got %v, want an error naming WithAPIKey", err)
	}
	if _, err := NewSender("https://hooks.example.com/events", WithAPIKey("")); err == nil {
		t.Fatal("NewSender with an empty key: want an error")
	}
}

func TestSenderSendsTheKeyInTheQuery(t *testing.T) {
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	s, err := NewSender(srv.URL+"/events?tenant=a%20b", WithInsecureHTTP(), WithAPIKey("k3y&x=1"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.SendNoteAdded(testContext(t), &Note{ID: 7, Text: "hello"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(h.requests) != 2 {
		t.Fatalf("got %d requests, want 2", len(h.requests))
	}
	for _, r := range h.requests {
		q := r.URL.Query()
		if got := q.Get("hook_key"); got != "k3y&x=1" {
			t.Errorf("hook_key = %q, want the key", got)
		}
		if got := q.Get("tenant"); got != "a b" {
			t.Errorf("tenant = %q: the endpoint query is kept", got)
		}
		if len(q) != 2 || len(q["hook_key"]) != 1 {
			t.Errorf("query = %v, want tenant and one hook_key", q)
		}
		if r.URL.Path != "/events" {
			t.Errorf("path = %q", r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "" {
			t.Errorf("Authorization = %q, want none", got)
		}
	}
}

func TestSenderNeverSendsAnInvalidNote(t *testing.T) {
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	s, err := NewSender(srv.URL, WithInsecureHTTP(), WithAPIKey("k3y"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.SendNoteAdded(testContext(t), &Note{ID: 0, Text: ""})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 2 {
		t.Fatalf("got %v, want a *ValidationError with 2 violations", err)
	}
	if len(h.requests) != 0 {
		t.Fatalf("an invalid note reached the server")
	}
}

// A key read from an unset environment variable is empty or blank: the
// sender refuses to start, and the receiver refuses every request and
// says why through WithReceiveErrors.
func TestBlankKeyRefuses(t *testing.T) {
	for _, blank := range []string{"", " ", "\t\n"} {
		if _, err := NewSender("https://hooks.example.com/events", WithAPIKey(blank)); err == nil || !strings.Contains(err.Error(), "WithAPIKey") {
			t.Errorf("NewSender with key %q: got %v, want an error naming WithAPIKey", blank, err)
		}
		var reported []error
		rcv := NewReceiver(NopHandler{}, WithAPIKey(blank), WithReceiveErrors(func(_ *http.Request, err error) { reported = append(reported, err) }))
		r := httptest.NewRequest(http.MethodPost, "/?hook_key="+url.QueryEscape(blank), strings.NewReader(`{"id": 7, "text": "hello"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Hook-Key", blank)
		w := httptest.NewRecorder()
		rcv.ServeHTTP(w, r)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("receiver with key %q: status %d, want 401", blank, w.Code)
		}
		if len(reported) != 1 || !strings.Contains(reported[0].Error(), "WithAPIKey") {
			t.Errorf("receiver with key %q: reported %v, want one error naming WithAPIKey", blank, reported)
		}
	}
}
