package chartmogul_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

var payloads = filepath.Join("..", "..", "testdata", "payloads", "chartmogul")

// recorder is a Handler that keeps what it is given, and fails or panics
// when told to.
type recorder struct {
	chartmogul.NopHandler
	mu     sync.Mutex
	got    []*chartmogul.MRRMovementPayload
	fail   error
	panics bool
}

func (h *recorder) HandleMRRMovement(_ context.Context, v *chartmogul.MRRMovementPayload) error {
	if h.panics {
		panic("handler bug")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return h.fail
	}
	h.got = append(h.got, v)
	return nil
}

func (h *recorder) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

// errorsSeen collects what WithReceiveErrors reports.
type errorsSeen struct {
	mu   sync.Mutex
	errs []error
}

func (e *errorsSeen) report(_ *http.Request, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, err)
}

func (e *errorsSeen) list() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.errs...)
}

func validPayload(t *testing.T) []byte {
	return receivertest.Fixtures(t, filepath.Join(payloads, "valid"))["mrr_movement.json"]
}

func TestReceiverStatus(t *testing.T) {
	valid := validPayload(t)
	invalid := receivertest.Fixtures(t, filepath.Join(payloads, "invalid"))
	big := []byte(`{"pad":"` + strings.Repeat("x", 1<<20) + `"}`)
	cases := []struct {
		name      string
		opts      []chartmogul.ReceiverOption
		req       *http.Request
		status    int
		delivered int
		// keyword, when set, is the keyword of the only violation.
		keyword, pointer string
	}{
		{name: "valid", req: receivertest.Request(valid), status: http.StatusNoContent, delivered: 1},
		{name: "GET", req: httptest.NewRequest(http.MethodGet, "/webhook", nil), status: http.StatusMethodNotAllowed},
		{name: "PUT with a valid body", req: receivertest.Request(valid, func(r *http.Request) { r.Method = http.MethodPut }), status: http.StatusMethodNotAllowed},
		{name: "text/plain", req: receivertest.Request(valid, receivertest.Header("Content-Type", "text/plain")), status: http.StatusUnsupportedMediaType},
		{name: "no content type", req: receivertest.Request(valid, func(r *http.Request) { r.Header.Del("Content-Type") }), status: http.StatusUnsupportedMediaType},
		{name: "form", req: receivertest.Request(valid, receivertest.Header("Content-Type", "application/x-www-form-urlencoded")), status: http.StatusUnsupportedMediaType},
		{name: "latin-1 JSON", req: receivertest.Request(valid, receivertest.Header("Content-Type", "application/json; charset=iso-8859-1")), status: http.StatusUnsupportedMediaType},
		{name: "malformed content type", req: receivertest.Request(valid, receivertest.Header("Content-Type", "application/json; charset")), status: http.StatusUnsupportedMediaType},
		{name: "JSON with charset", req: receivertest.Request(valid, receivertest.Header("Content-Type", "application/json; charset=UTF-8")), status: http.StatusNoContent, delivered: 1},
		{name: "+json suffix", req: receivertest.Request(valid, receivertest.Header("Content-Type", "application/vnd.chartmogul.webhook+json")), status: http.StatusNoContent, delivered: 1},
		{name: "body over 1 MiB", req: receivertest.Request(big), status: http.StatusRequestEntityTooLarge},
		{name: "body over 1 MiB, no length", req: receivertest.Request(big, func(r *http.Request) { r.ContentLength = -1 }), status: http.StatusRequestEntityTooLarge},
		{name: "body over WithMaxBodyBytes", opts: []chartmogul.ReceiverOption{chartmogul.WithMaxBodyBytes(int64(len(valid) - 1))}, req: receivertest.Request(valid), status: http.StatusRequestEntityTooLarge},
		{name: "body at WithMaxBodyBytes", opts: []chartmogul.ReceiverOption{chartmogul.WithMaxBodyBytes(int64(len(valid)))}, req: receivertest.Request(valid), status: http.StatusNoContent, delivered: 1},
		{name: "empty body", req: receivertest.Request(nil), status: http.StatusBadRequest},
		{name: "truncated JSON", req: receivertest.Request(valid[:len(valid)/2]), status: http.StatusBadRequest},
		{name: "two JSON values", req: receivertest.Request(append(append([]byte{}, valid...), valid...)), status: http.StatusBadRequest},
		{name: "type mismatch", req: receivertest.Request(invalid["type_string.json"]), status: http.StatusBadRequest, keyword: "type", pointer: "/customer/email"},
		{name: "enum drift delivered", req: receivertest.Request(invalid["enum_drift_customer_status.json"]), status: http.StatusNoContent, delivered: 1},
		{name: "enum drift, strict", opts: []chartmogul.ReceiverOption{chartmogul.WithStrictEnums()}, req: receivertest.Request(invalid["enum_drift_customer_status.json"]), status: http.StatusBadRequest, keyword: "enum", pointer: "/customer/status"},
		{name: "shared secret missing", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request(valid), status: http.StatusUnauthorized},
		{name: "shared secret wrong", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request(valid, receivertest.Header("Authorization", "Bearer s3creT")), status: http.StatusUnauthorized},
		{name: "shared secret without Bearer", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request(valid, receivertest.Header("Authorization", "s3cret")), status: http.StatusUnauthorized},
		{name: "shared secret in header", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request(valid, receivertest.Header("Authorization", "bearer s3cret")), status: http.StatusNoContent, delivered: 1},
		{name: "shared secret in query", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request(valid, func(r *http.Request) { r.URL.RawQuery = "token=s3cret" }), status: http.StatusNoContent, delivered: 1},
		{name: "authentication before parsing", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}, req: receivertest.Request([]byte("{not json")), status: http.StatusUnauthorized},
		{name: "authenticator refuses", opts: []chartmogul.ReceiverOption{chartmogul.WithAuthenticator(func(*http.Request) error { return errors.New("no") })}, req: receivertest.Request(valid), status: http.StatusUnauthorized},
		{name: "authenticator replaces the secret", opts: []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret"), chartmogul.WithAuthenticator(func(*http.Request) error { return nil })}, req: receivertest.Request(valid), status: http.StatusNoContent, delivered: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &recorder{}
			w := receivertest.Serve(chartmogul.NewReceiver(h, c.opts...), c.req)
			require.Equal(t, c.status, w.Code, w.Body.String())
			require.Equal(t, c.delivered, h.count())
			switch c.status {
			case http.StatusNoContent:
				require.Empty(t, w.Body.String())
				return
			case http.StatusMethodNotAllowed:
				require.Equal(t, "POST", w.Header().Get("Allow"))
			case http.StatusUnauthorized:
				require.Equal(t, `Bearer realm="webhook"`, w.Header().Get("WWW-Authenticate"))
			}
			p := receivertest.ReadProblem(t, w)
			if c.keyword != "" {
				require.Len(t, p.Violations, 1, p)
				require.Equal(t, c.pointer, p.Violations[0].Pointer)
				require.Equal(t, c.keyword, p.Violations[0].Keyword)
				require.NotEmpty(t, p.Violations[0].Message)
			}
		})
	}
}

func TestReceiverSyntaxErrorHasOffset(t *testing.T) {
	w := receivertest.Serve(chartmogul.NewReceiver(&recorder{}), receivertest.Request([]byte(`{"type": tru}`)))
	require.Equal(t, http.StatusBadRequest, w.Code)
	p := receivertest.ReadProblem(t, w)
	require.NotNil(t, p.Offset, p.Error)
	require.Equal(t, 9, *p.Offset)
	require.Contains(t, p.Error, "invalid JSON")
}

// Every invalid fixture is refused with its violations, but for those
// whose only violations are unknown enum values: delivered.
func TestReceiverInvalidFixtures(t *testing.T) {
	expected := receivertest.ExpectedInvalid(t, filepath.Join(payloads, "expected-invalid.json"))
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "invalid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			want, ok := expected[name]
			require.True(t, ok, "no expectation for %s", name)
			h := &recorder{}
			w := receivertest.Serve(chartmogul.NewReceiver(h), receivertest.Request(fixtures[name]))
			if want.OnlyEnums() {
				require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
				require.Equal(t, 1, h.count())
				return
			}
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.Zero(t, h.count())
			var got []string
			for _, v := range receivertest.ReadProblem(t, w).Violations {
				got = append(got, v.Short())
			}
			require.ElementsMatch(t, want.Violations, got)
		})
	}
}

// Every valid fixture reaches the handler as Decode makes it.
func TestReceiverDeliversValidFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			want, err := chartmogul.DecodeMRRMovement(fixtures[name])
			require.NoError(t, err)
			h := &recorder{}
			w := receivertest.Serve(chartmogul.NewReceiver(h), receivertest.Request(fixtures[name]))
			require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
			require.Len(t, h.got, 1)
			require.Equal(t, want, h.got[0])
		})
	}
}

func TestReceiverHandlerError(t *testing.T) {
	seen := &errorsSeen{}
	h := &recorder{fail: errors.New("database down")}
	w := receivertest.Serve(chartmogul.NewReceiver(h, chartmogul.WithReceiveErrors(seen.report)), receivertest.Request(validPayload(t)))
	require.Equal(t, http.StatusInternalServerError, w.Code)
	p := receivertest.ReadProblem(t, w)
	require.NotContains(t, p.Error, "database down", "the handler's error is not the sender's business")
	require.Len(t, seen.list(), 1)
	require.ErrorIs(t, seen.list()[0], h.fail)
}

// A panicking handler gets 500, is reported with its stack, and the
// server goes on serving.
func TestReceiverHandlerPanic(t *testing.T) {
	seen := &errorsSeen{}
	h := &recorder{panics: true}
	srv := httptest.NewServer(chartmogul.NewReceiver(h, chartmogul.WithReceiveErrors(seen.report)))
	defer srv.Close()
	post := func() int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader(string(validPayload(t))))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	require.Equal(t, http.StatusInternalServerError, post())
	require.Len(t, seen.list(), 1)
	require.Contains(t, seen.list()[0].Error(), "handler panic: handler bug")
	require.Contains(t, seen.list()[0].Error(), "HandleMRRMovement", "the report has the stack")
	h.mu.Lock()
	h.panics = false
	h.mu.Unlock()
	require.Equal(t, http.StatusNoContent, post())
	require.Equal(t, 1, h.count())
}

func TestReceiverNilHandlerPanicsAtOnce(t *testing.T) {
	require.PanicsWithValue(t, "asyncgen receiver: nil Handler", func() { chartmogul.NewReceiver(nil) })
}

func TestReceiverIdempotencySameBodyTwice(t *testing.T) {
	h := &recorder{}
	rcv := chartmogul.NewReceiver(h, chartmogul.WithIdempotency(nil), chartmogul.WithIdempotencyByBodyHash())
	for range 3 {
		w := receivertest.Serve(rcv, receivertest.Request(validPayload(t)))
		require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	}
	require.Equal(t, 1, h.count())
	other := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))["mrr_movement_large.json"]
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(other)).Code)
	require.Equal(t, 2, h.count(), "another body is another delivery")
}

func TestReceiverIdempotencyIsPerReceiver(t *testing.T) {
	h := &recorder{}
	opt := chartmogul.WithIdempotency(nil)
	for range 2 {
		require.Equal(t, http.StatusNoContent, receivertest.Serve(chartmogul.NewReceiver(h, opt, chartmogul.WithIdempotencyByBodyHash()), receivertest.Request(validPayload(t))).Code)
	}
	require.Equal(t, 2, h.count(), "a nil store is each Receiver's own")
}

// blocking holds the first delivery in the handler until released.
type blocking struct {
	chartmogul.NopHandler
	entered chan struct{}
	release chan struct{}
	mu      sync.Mutex
	calls   int
}

func (h *blocking) HandleMRRMovement(context.Context, *chartmogul.MRRMovementPayload) error {
	h.mu.Lock()
	h.calls++
	first := h.calls == 1
	h.mu.Unlock()
	if first {
		close(h.entered)
		<-h.release
	}
	return nil
}

func TestReceiverIdempotencyInFlightDuplicate(t *testing.T) {
	h := &blocking{entered: make(chan struct{}), release: make(chan struct{})}
	rcv := chartmogul.NewReceiver(h, chartmogul.WithIdempotency(chartmogul.NewMemoryIdempotencyStore(0, 0)), chartmogul.WithIdempotencyByBodyHash())
	body := validPayload(t)
	done := make(chan int)
	go func() { done <- receivertest.Serve(rcv, receivertest.Request(body)).Code }()
	<-h.entered
	w := receivertest.Serve(rcv, receivertest.Request(body))
	require.Equal(t, http.StatusServiceUnavailable, w.Code, "a duplicate in flight is retried later, never refused for good")
	require.Equal(t, "1", w.Header().Get("Retry-After"))
	close(h.release)
	require.Equal(t, http.StatusNoContent, <-done)
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(body)).Code)
	require.Equal(t, 1, h.calls)
}

// flaky fails its first call, then succeeds.
type flaky struct {
	recorder
	calls int
}

func (h *flaky) HandleMRRMovement(ctx context.Context, v *chartmogul.MRRMovementPayload) error {
	h.calls++
	if h.calls == 1 {
		return errors.New("transient")
	}
	return h.recorder.HandleMRRMovement(ctx, v)
}

func TestReceiverIdempotencyHandlerErrorThenRetry(t *testing.T) {
	h := &flaky{}
	rcv := chartmogul.NewReceiver(h, chartmogul.WithIdempotency(nil), chartmogul.WithIdempotencyByBodyHash(), chartmogul.WithReceiveErrors(func(*http.Request, error) {}))
	body := validPayload(t)
	require.Equal(t, http.StatusInternalServerError, receivertest.Serve(rcv, receivertest.Request(body)).Code)
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(body)).Code)
	require.Equal(t, http.StatusNoContent, receivertest.Serve(rcv, receivertest.Request(body)).Code)
	require.Equal(t, 2, h.calls, "the failed delivery is retried once, the third request is a duplicate")
	require.Equal(t, 1, h.count())
}

// brokenStore fails every call.
type brokenStore struct{}

func (brokenStore) Claim(context.Context, string, string, time.Duration) (string, string, error) {
	return "", "", errors.New("store down")
}
func (brokenStore) Complete(context.Context, string, string) error { return errors.New("store down") }
func (brokenStore) Release(context.Context, string, string) error  { return errors.New("store down") }

func TestReceiverIdempotencyStoreFailure(t *testing.T) {
	seen := &errorsSeen{}
	h := &recorder{}
	w := receivertest.Serve(chartmogul.NewReceiver(h, chartmogul.WithIdempotency(brokenStore{}), chartmogul.WithIdempotencyByBodyHash(), chartmogul.WithReceiveErrors(seen.report)), receivertest.Request(validPayload(t)))
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Equal(t, "1", w.Header().Get("Retry-After"))
	require.Zero(t, h.count())
	require.Len(t, seen.list(), 1)
}

// WithEvents hears of refusals through the generated receiver, and the
// slog adapter logs them.
func TestReceiverEventsLogged(t *testing.T) {
	var buf strings.Builder
	var kinds []string
	log := chartmogul.SlogReceiverEvents(slog.New(slog.NewTextHandler(&buf, nil)))
	rcv := chartmogul.NewReceiver(&recorder{}, chartmogul.WithSharedSecret("s3cret"), chartmogul.WithEvents(func(e chartmogul.ReceiverEvent) {
		kinds = append(kinds, e.Kind)
		log(e)
	}))
	w := receivertest.Serve(rcv, receivertest.Request(validPayload(t)))
	require.Equal(t, http.StatusUnauthorized, w.Code)
	require.Equal(t, []string{chartmogul.ReceiverRefused}, kinds)
	require.Contains(t, buf.String(), "webhook receiver: refused")
	require.Contains(t, buf.String(), "status=401")
}

// A shared secret read from an unset environment variable is empty: the
// receiver must refuse everything rather than accept everything, and say
// why through WithReceiveErrors.
func TestReceiverBlankSharedSecretRefusesEverything(t *testing.T) {
	for _, blank := range []string{"", " ", "\t\n"} {
		seen := &errorsSeen{}
		h := &recorder{}
		rcv := chartmogul.NewReceiver(h, chartmogul.WithSharedSecret(blank), chartmogul.WithReceiveErrors(seen.report))
		for _, edit := range []func(*http.Request){
			func(*http.Request) {},
			receivertest.Header("Authorization", "Bearer "+blank),
			func(r *http.Request) { r.URL.RawQuery = "token=" + blank },
		} {
			w := receivertest.Serve(rcv, receivertest.Request(validPayload(t), edit))
			require.Equal(t, http.StatusUnauthorized, w.Code, "secret %q", blank)
			require.Equal(t, "unauthenticated", receivertest.ReadProblem(t, w).Error)
		}
		require.Zero(t, h.count(), "secret %q: nothing reaches the handler", blank)
		require.Len(t, seen.list(), 3)
		for _, err := range seen.list() {
			require.ErrorContains(t, err, "WithSharedSecret")
		}
	}
}

// exiter calls runtime.Goexit, as t.FailNow or log.Fatal-like helpers do,
// on its first calls.
type exiter struct {
	chartmogul.NopHandler
	mu    sync.Mutex
	calls int
}

func (h *exiter) HandleMRRMovement(context.Context, *chartmogul.MRRMovementPayload) error {
	h.mu.Lock()
	h.calls++
	n := h.calls
	h.mu.Unlock()
	if n < 3 {
		runtime.Goexit()
	}
	return nil
}

// A handler that exits its goroutine is a failure like a panic, on a real
// server: 500, reported, its key released so that the retry delivers.
func TestReceiverHandlerGoexit(t *testing.T) {
	seen := &errorsSeen{}
	h := &exiter{}
	srv := httptest.NewServer(chartmogul.NewReceiver(h, chartmogul.WithReceiveErrors(seen.report), chartmogul.WithIdempotency(nil), chartmogul.WithIdempotencyByBodyHash()))
	defer srv.Close()
	post := func() int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader(string(validPayload(t))))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	require.Equal(t, http.StatusInternalServerError, post())
	require.Equal(t, http.StatusInternalServerError, post(), "the key was released: the handler runs again")
	require.Equal(t, http.StatusNoContent, post())
	require.Equal(t, http.StatusNoContent, post(), "delivered once: the redelivery is acknowledged")
	require.Equal(t, 3, h.calls)
	require.Len(t, seen.list(), 2)
	require.ErrorContains(t, seen.list()[0], "runtime.Goexit")
}
