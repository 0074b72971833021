package chartmogul

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Hand-written tests of the generated sender: options, headers, body and
// retries as a user sees them, on loopback. The retry engine itself is
// tested in templates/support.

// fast is a retry policy with waits of a few milliseconds.
var fast = WithRetry(RetryPolicy{MaxAttempts: 4, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxRetryAfter: time.Minute})

// sink records what it receives and answers with the statuses it is given
// in turn, then 204.
type sink struct {
	mu       sync.Mutex
	statuses []int
	headers  []http.Header
	queries  []string
	bodies   [][]byte
	answer   func(n int, w http.ResponseWriter, r *http.Request) bool // handled
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.bodies)
	s.headers = append(s.headers, r.Header.Clone())
	s.queries = append(s.queries, r.URL.RawQuery)
	s.bodies = append(s.bodies, body)
	s.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/hook" {
		http.Error(w, "want POST /hook", http.StatusTeapot)
		return
	}
	if s.answer != nil && s.answer(n, w, r) {
		return
	}
	status := http.StatusNoContent
	if n < len(s.statuses) {
		status = s.statuses[n]
	}
	w.WriteHeader(status)
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// serve starts a loopback server for s and returns a Sender to it.
func serve(t *testing.T, s http.Handler, opts ...SenderOption) *Sender {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	sender, err := NewSender(srv.URL+"/hook", append([]SenderOption{WithInsecureHTTP(), fast}, opts...)...)
	require.NoError(t, err)
	return sender
}

// fixtures are the valid payloads of testdata/payloads/chartmogul.
func fixtures(t *testing.T) map[string]*MRRMovementPayload {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "valid", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string]*MRRMovementPayload{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		v, err := DecodeMRRMovement(data)
		require.NoError(t, err, p)
		out[filepath.Base(p)] = v
	}
	return out
}

func TestSenderPostsWhatWasGiven(t *testing.T) {
	for name, v := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			s := &sink{}
			sender := serve(t, s, WithSharedSecret("s3cret"))
			require.NoError(t, sender.SendMRRMovement(testContext(t), v))
			require.Equal(t, 1, s.count())
			h := s.headers[0]
			require.Equal(t, "application/json", h.Get("Content-Type"))
			require.Equal(t, "Bearer s3cret", h.Get("Authorization"))
			require.Equal(t, "asyncgen-chartmogul-sender", h.Get("User-Agent"))
			require.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), h.Get("Idempotency-Key"))
			require.Empty(t, s.queries[0], "the shared secret travels in the header only")
			got, err := DecodeMRRMovement(s.bodies[0])
			require.NoError(t, err)
			require.Equal(t, v, got, "the receiver decodes what was sent")
		})
	}
}

func TestSenderWithoutSecretSendsNoAuthorization(t *testing.T) {
	s := &sink{}
	sender := serve(t, s)
	for _, v := range fixtures(t) {
		require.NoError(t, sender.SendMRRMovement(testContext(t), v))
	}
	for _, h := range s.headers {
		require.Empty(t, h.Values("Authorization"))
	}
}

func TestSenderNeverSendsInvalid(t *testing.T) {
	s := &sink{}
	sender := serve(t, s)
	bogus := MRRMovementPayloadMovementType("bogus")
	err := sender.SendMRRMovement(testContext(t), &MRRMovementPayload{MovementType: &bogus})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "/movement_type", ve.Violations[0].Pointer)
	require.ErrorContains(t, err, "send mrr_movement: ")
	require.ErrorContains(t, sender.SendMRRMovement(testContext(t), nil), "nil payload")
	require.Zero(t, s.count(), "the server saw nothing")
}

func TestNewSenderEndpoint(t *testing.T) {
	_, err := NewSender("https://hooks.example.com/chartmogul")
	require.NoError(t, err)
	for _, bad := range []string{"http://hooks.example.com/chartmogul", "hooks.example.com", "/hook", "ftp://x.example", ""} {
		_, err := NewSender(bad)
		require.Error(t, err, bad)
		require.ErrorContains(t, err, "new sender: ")
	}
	_, err = NewSender("http://127.0.0.1:1/hook", WithInsecureHTTP())
	require.NoError(t, err)
	_, err = NewSender("/hook", WithInsecureHTTP())
	require.Error(t, err)
}

func TestSenderRetriesThenDelivers(t *testing.T) {
	v := fixtures(t)["mrr_movement.json"]
	cases := map[string]*sink{
		"503": {statuses: []int{503, 503}},
		"429": {statuses: []int{429}},
		"dropped connection": {answer: func(n int, w http.ResponseWriter, r *http.Request) bool {
			if n > 1 {
				return false
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return true
		}},
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			sender := serve(t, s, WithSharedSecret("s3cret"))
			require.NoError(t, sender.SendMRRMovement(testContext(t), v))
			require.Greater(t, s.count(), 1)
			for i := range s.count() {
				require.Equal(t, s.headers[0].Get("Idempotency-Key"), s.headers[i].Get("Idempotency-Key"), "attempt %d", i)
				require.Equal(t, "Bearer s3cret", s.headers[i].Get("Authorization"))
				require.Equal(t, s.bodies[0], s.bodies[i], "the same bytes on every attempt")
			}
		})
	}
}

func TestIdempotencyKeyDiffersAcrossSends(t *testing.T) {
	s := &sink{}
	sender := serve(t, s)
	v := fixtures(t)["mrr_movement.json"]
	for range 3 {
		require.NoError(t, sender.SendMRRMovement(testContext(t), v))
	}
	seen := map[string]bool{}
	for _, h := range s.headers {
		seen[h.Get("Idempotency-Key")] = true
	}
	require.Len(t, seen, 3)
}

func TestSenderFinalError(t *testing.T) {
	s := &sink{statuses: []int{503, 503, 503, 503, 503}}
	sender := serve(t, s)
	err := sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"])
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 4, se.Attempts)
	require.Equal(t, 503, se.StatusCode)
	require.EqualError(t, err, "send mrr_movement: not delivered after 4 attempts: last status 503 Service Unavailable")
	require.Equal(t, 4, s.count())
}

func TestSenderDoesNotRetryOrRedirect(t *testing.T) {
	for _, status := range []int{400, 401, 404, 302, 307} {
		s := &sink{statuses: []int{status}}
		s.answer = func(n int, w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Location", "/hook")
			return false
		}
		sender := serve(t, s)
		err := sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"])
		var se *SendError
		require.ErrorAs(t, err, &se, "status %d", status)
		require.Equal(t, 1, se.Attempts)
		require.Equal(t, status, se.StatusCode)
		require.Equal(t, 1, s.count(), "status %d: one request, no retry and no redirect", status)
	}
}

func TestWithoutRetry(t *testing.T) {
	s := &sink{statuses: []int{503}}
	sender := serve(t, s, WithoutRetry())
	err := sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"])
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Attempts)
	require.Equal(t, 1, s.count())
}

func TestSenderHonoursRetryAfter(t *testing.T) {
	cases := []struct {
		value string
		want  func(time.Duration) bool
	}{
		{"7", func(d time.Duration) bool { return d == 7*time.Second }},
		{"86400", func(d time.Duration) bool { return d == time.Minute }}, // the policy's cap
		{time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), func(d time.Duration) bool { return d == time.Minute }},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), func(d time.Duration) bool { return d == 0 }},
	}
	for _, tc := range cases {
		s := &sink{statuses: []int{503}}
		s.answer = func(n int, w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Retry-After", tc.value)
			return false
		}
		sender := serve(t, s)
		var waits []time.Duration
		sender.transport.wait = func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}
		require.NoError(t, sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"]))
		require.Len(t, waits, 1, tc.value)
		require.True(t, tc.want(waits[0]), "Retry-After %s: waited %v", tc.value, waits[0])
	}
}

func TestCancelStopsBackoff(t *testing.T) {
	s := &sink{statuses: []int{503, 503}}
	sender := serve(t, s, WithRetry(RetryPolicy{MaxAttempts: 3, BaseBackoff: time.Hour, MaxBackoff: time.Hour}))
	ctx, cancel := context.WithCancel(testContext(t))
	wait := sender.transport.wait
	sender.transport.wait = func(ctx context.Context, d time.Duration) error {
		cancel() // the Send is now waiting up to an hour
		return wait(ctx, d)
	}
	err := stopsSoon(t, func() error { return sender.SendMRRMovement(ctx, fixtures(t)["mrr_movement.json"]) })
	require.ErrorIs(t, err, context.Canceled)
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Attempts)
	require.Equal(t, 503, se.StatusCode)
	require.Equal(t, 1, s.count())
}

// stopsSoon runs f and returns its error, failing the test if f has not
// returned within 10 s: f is expected to stop at once, not to wait out a
// backoff of an hour.
func stopsSoon(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after it should have stopped")
		return nil
	}
}

func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	s := &sink{answer: func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 0 {
			select { // hang until the sender gives up on the attempt
			case <-r.Context().Done():
			case <-release:
			}
			return true
		}
		return false
	}}
	sender := serve(t, s, WithAttemptTimeout(50*time.Millisecond))
	defer close(release)
	require.NoError(t, sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"]))
	require.Equal(t, 2, s.count())
}

func TestEndlessAnswerIsNotReadToTheEnd(t *testing.T) {
	endless := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("x", 32<<10))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	// No attempt timeout: only the reading bound can end the attempt.
	sender := serve(t, endless, WithAttemptTimeout(0))
	ctx, cancel := context.WithTimeout(testContext(t), 10*time.Second)
	defer cancel()
	require.NoError(t, sender.SendMRRMovement(ctx, fixtures(t)["mrr_movement.json"]))
	require.NoError(t, ctx.Err(), "Send returned before its context ended, having read a bounded part of the answer")
}

// countingTransport counts the requests it carries.
type countingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClient(t *testing.T) {
	s := &sink{statuses: []int{302}}
	rt := &countingTransport{}
	client := &http.Client{Transport: rt}
	sender := serve(t, s, WithHTTPClient(client))
	err := sender.SendMRRMovement(testContext(t), fixtures(t)["mrr_movement.json"])
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 302, se.StatusCode)
	require.Equal(t, 1, rt.n, "the client's transport carried the request")
	require.Nil(t, client.CheckRedirect, "the caller's client is not changed")
	require.Equal(t, 1, s.count())
}

func TestSenderIsSafeForConcurrentUse(t *testing.T) {
	s := &sink{statuses: []int{503, 503, 503}}
	sender := serve(t, s)
	v := fixtures(t)["mrr_movement.json"]
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- sender.SendMRRMovement(testContext(t), v)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	keys := map[string]bool{}
	for _, h := range s.headers {
		keys[h.Get("Idempotency-Key")] = true
	}
	require.Len(t, keys, 8, "one key per Send")
	require.Equal(t, 11, s.count(), "8 deliveries and 3 retried failures")
}

func TestSendErrorIsInspectable(t *testing.T) {
	err := error(&SendError{Attempts: 2, Err: errors.New("connection reset")})
	require.EqualError(t, err, "not delivered after 2 attempts: connection reset")
}

func TestNewSenderRefusesABlankSharedSecret(t *testing.T) {
	for _, blank := range []string{"", " ", "\t\n"} {
		_, err := NewSender("https://hooks.example.com/chartmogul", WithSharedSecret(blank))
		require.ErrorContains(t, err, "WithSharedSecret", "secret %q", blank)
	}
}

func TestNewSenderErrorsHideTheEndpointSecrets(t *testing.T) {
	_, err := NewSender("http://user:pa55word@hooks.example.com/chartmogul?token=t0ken")
	require.ErrorContains(t, err, "WithInsecureHTTP")
	require.NotContains(t, err.Error(), "pa55word")
	require.NotContains(t, err.Error(), "t0ken")
}
