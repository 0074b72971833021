package decodeheaders

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// headersHandler keeps what it is given.
type headersHandler struct {
	ids     []string
	headers []*DeliveryHeaders
}

func (h *headersHandler) HandleDelivery(ctx context.Context, v *DeliveryPayload) error {
	hd, ok := DeliveryHeadersFromContext(ctx)
	if !ok {
		panic("no headers in the context")
	}
	h.ids, h.headers = append(h.ids, v.ID), append(h.headers, hd)
	return nil
}

// send posts body with headers to a Receiver of h, returning the status
// and the pointer and keyword of each violation in the answer.
func send(t *testing.T, h Handler, body string, header http.Header, opts ...ReceiverOption) (int, []violation) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	for k, v := range header {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	NewReceiver(h, opts...).ServeHTTP(w, r)
	var problem struct {
		Offset     *int
		Violations []struct{ Pointer, Keyword string }
	}
	if w.Code != http.StatusNoContent {
		if err := json.Unmarshal(w.Body.Bytes(), &problem); err != nil {
			t.Fatalf("answer %d: %q: %v", w.Code, w.Body, err)
		}
	}
	var out []violation
	for _, v := range problem.Violations {
		out = append(out, violation{v.Pointer, v.Keyword})
	}
	return w.Code, out
}

func TestReceiverDeliversHeaders(t *testing.T) {
	h := &headersHandler{}
	code, vs := send(t, h, `{"id":"d1"}`, valid())
	if code != http.StatusNoContent || vs != nil {
		t.Fatalf("got %d %v", code, vs)
	}
	if len(h.headers) != 1 || h.headers[0].XAttempt != 3 || h.headers[0].XSignature != "v1=ab12" || h.ids[0] != "d1" {
		t.Fatalf("got %+v %v", h.headers, h.ids)
	}
	if _, ok := DeliveryHeadersFromContext(context.Background()); ok {
		t.Fatal("headers in a context no Receiver made")
	}
}

func TestReceiverRefusesHeaders(t *testing.T) {
	h := &headersHandler{}
	code, vs := send(t, h, `{"id":"d1"}`, http.Header{})
	want := []violation{{"/headers/X-Attempt", "required"}, {"/headers/x-signature", "required"}, {"/headers/X-Trace", "required"}}
	if code != http.StatusBadRequest || !reflect.DeepEqual(vs, want) {
		t.Fatalf("got %d %v", code, vs)
	}
	// Header violations come before the payload's.
	hd := valid()
	hd.Set("X-Attempt", "0")
	code, vs = send(t, h, `{}`, hd)
	want = []violation{{"/headers/X-Attempt", "minimum"}, {"/id", "required"}}
	if code != http.StatusBadRequest || !reflect.DeepEqual(vs, want) {
		t.Fatalf("got %d %v", code, vs)
	}
	// Malformed JSON is answered as such, whatever the headers.
	code, vs = send(t, h, `{"id":`, http.Header{})
	if code != http.StatusBadRequest || vs != nil {
		t.Fatalf("got %d %v", code, vs)
	}
	if len(h.ids) != 0 {
		t.Fatalf("the handler was called: %v", h.ids)
	}
}

func TestReceiverHeaderEnumDrift(t *testing.T) {
	h := &headersHandler{}
	hd := valid()
	hd.Set("X-Region", "asia")
	if code, vs := send(t, h, `{"id":"d1"}`, hd); code != http.StatusNoContent || len(h.headers) != 1 || *h.headers[0].XRegion != "asia" {
		t.Fatalf("an unknown enum value in a header: %d %v", code, vs)
	}
	want := []violation{{"/headers/X-Region", "enum"}}
	if code, vs := send(t, h, `{"id":"d1"}`, hd, WithStrictEnums()); code != http.StatusBadRequest || !reflect.DeepEqual(vs, want) {
		t.Fatalf("with WithStrictEnums: %d %v", code, vs)
	}
}
