package receiverauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder counts the messages of each kind it is given.
type recorder struct {
	orders []string
	pings  []int64
	levels []string
}

func (h *recorder) HandleOrderPlaced(_ context.Context, v *OrderPlacedPayload) error {
	h.orders = append(h.orders, v.ID)
	return nil
}

func (h *recorder) HandlePing(_ context.Context, v *PingPayload) error {
	h.pings = append(h.pings, v.Ping)
	return nil
}

func (h *recorder) HandleLevel(_ context.Context, v *LevelPayload) error {
	h.levels = append(h.levels, string(v.Level))
	return nil
}

func post(h http.Handler, body string, headers ...string) int {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestAPIKeyInHeader(t *testing.T) {
	h := &recorder{}
	rcv := NewOrdersReceiver(h, WithAPIKey("k3y"))
	for _, c := range []struct {
		headers []string
		want    int
	}{
		{nil, http.StatusUnauthorized},
		{[]string{"X-Hook-Key", "k3"}, http.StatusUnauthorized},
		{[]string{"X-Hook-Key", "k3y "}, http.StatusUnauthorized},
		{[]string{"Authorization", "Bearer k3y"}, http.StatusUnauthorized},
		{[]string{"X-Hook-Key", "k3y"}, http.StatusNoContent},
	} {
		if got := post(rcv, `{"id":"o1"}`, c.headers...); got != c.want {
			t.Errorf("headers %q: status %d, want %d", c.headers, got, c.want)
		}
	}
	if len(h.orders) != 1 {
		t.Errorf("delivered %d orders, want 1", len(h.orders))
	}
}

func TestNoAPIKeyRefusesEverything(t *testing.T) {
	if got := post(NewOrdersReceiver(&recorder{}), `{"id":"o1"}`, "X-Hook-Key", ""); got != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", got)
	}
}

// The spec declares Delivery-ID the idempotency key of OrderPlaced: it,
// not the body, says which requests are one delivery. A key comes with
// one body (another is a conflict), and a request without it is not
// deduplicated unless WithIdempotencyByBodyHash.
func TestIdempotencyKeyFromTheDeclaredHeader(t *testing.T) {
	h := &recorder{}
	rcv := NewOrdersReceiver(h, WithAPIKey("k"), WithIdempotency(nil))
	steps := []struct {
		body, id string
		want     int
	}{
		{`{"id":"a"}`, "d1", http.StatusNoContent},
		{`{"id":"a"}`, "d1", http.StatusNoContent},
		{`{"id":"a", "total": 1}`, "d1", http.StatusConflict},
		{`{"id":"a"}`, "d2", http.StatusNoContent},
		{`{"id":"b"}`, "", http.StatusNoContent},
		{`{"id":"b"}`, "", http.StatusNoContent},
	}
	for _, s := range steps {
		headers := []string{"X-Hook-Key", "k"}
		if s.id != "" {
			headers = append(headers, "Delivery-ID", s.id)
		}
		if got := post(rcv, s.body, headers...); got != s.want {
			t.Fatalf("%s %s: status %d, want %d", s.body, s.id, got, s.want)
		}
	}
	if got := strings.Join(h.orders, ","); got != "a,a,b,b" {
		t.Errorf("delivered %s, want a,a,b,b (d1 once, d2 once, b twice without the header)", got)
	}

	h = &recorder{}
	rcv = NewOrdersReceiver(h, WithAPIKey("k"), WithIdempotency(nil), WithIdempotencyByBodyHash())
	for range 2 {
		if got := post(rcv, `{"id":"b"}`, "X-Hook-Key", "k"); got != http.StatusNoContent {
			t.Fatalf("status %d", got)
		}
	}
	if got := strings.Join(h.orders, ","); got != "b" {
		t.Errorf("delivered %s, want b: the body's hash is the key", got)
	}
}

// The signals channel has no discriminator: a payload is the one message
// it is valid as.
func TestMessageWithoutDiscriminator(t *testing.T) {
	h := &recorder{}
	rcv := NewSignalsReceiver(h, WithAPIKey("k"))
	for _, c := range []struct {
		body string
		want int
	}{
		{`{"ping": 7}`, http.StatusNoContent},
		{`{"level": "high"}`, http.StatusNoContent},
		{`{"level": "extreme"}`, http.StatusNoContent},
		{`{"ping": 7, "level": "high"}`, http.StatusBadRequest},
		{`{}`, http.StatusBadRequest},
		{`{"ping": "7"}`, http.StatusBadRequest},
		{`[`, http.StatusBadRequest},
	} {
		if got := post(rcv, c.body, "X-Hook-Key", "k"); got != c.want {
			t.Errorf("%s: status %d, want %d", c.body, got, c.want)
		}
	}
	if len(h.pings) != 1 || h.pings[0] != 7 {
		t.Errorf("pings %v, want [7]", h.pings)
	}
	if got := strings.Join(h.levels, ","); got != "high,extreme" {
		t.Errorf("levels %s, want high,extreme (an unknown enum value is delivered)", got)
	}
	strict := NewSignalsReceiver(h, WithAPIKey("k"), WithStrictEnums())
	if got := post(strict, `{"level": "extreme"}`, "X-Hook-Key", "k"); got != http.StatusBadRequest {
		t.Errorf("strict enums: status %d, want 400", got)
	}
}
