package senderapikeyheader

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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
