package receiverunsupported

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func post(h http.Handler, user, password string) int {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"id":"e1"}`))
	r.Header.Set("Content-Type", "application/json")
	if user != "" {
		r.SetBasicAuth(user, password)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// The spec's basic scheme is not one the Receiver implements: it refuses
// every request until WithAuthenticator says how to check them.
func TestUnsupportedSchemeFailsClosed(t *testing.T) {
	if got := post(NewReceiver(NopHandler{}), "u", "p"); got != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", got)
	}
	basic := WithAuthenticator(func(r *http.Request) error {
		if user, password, ok := r.BasicAuth(); ok && user == "u" && password == "p" {
			return nil
		}
		return errors.New("bad credentials")
	})
	if got := post(NewReceiver(NopHandler{}, basic), "u", "p"); got != http.StatusNoContent {
		t.Errorf("status %d, want 204", got)
	}
	if got := post(NewReceiver(NopHandler{}, basic), "u", "x"); got != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", got)
	}
}
