package senderapikeyheader

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

func TestSenderSendsTheKeyInItsHeader(t *testing.T) {
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	s, err := NewSender(srv.URL+"/events", WithInsecureHTTP(), WithAPIKey("k3y"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SendNoteAdded(testContext(t), &Note{ID: 7, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if len(h.requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(h.requests))
	}
	r := h.requests[0]
	if got := r.Header.Get("X-Hook-Key"); got != "k3y" {
		t.Errorf("X-Hook-Key = %q, want k3y", got)
	}
	if got := r.Header.Get("Authorization"); got != "" {
		t.Errorf("Authorization = %q, want none", got)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query = %q, want none", r.URL.RawQuery)
	}
	if got, want := h.bodies[0], `{"id":7,"text":"hello"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
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
