package support

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

	"github.com/stretchr/testify/require"
)

// testContext bounds a test that talks to a loopback server.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recorder is a sendTransport's wait that waits for nothing and records
// what it was asked to wait.
type recorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recorder) wait(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

// testTransport is a transport to srv whose waits are recorded, not
// waited, and whose jitter returns the bound it is given.
func testTransport(t *testing.T, srv *httptest.Server, policy RetryPolicy) (*sendTransport, *recorder) {
	t.Helper()
	u, err := sendCheckEndpoint(srv.URL+"/hook", true)
	require.NoError(t, err)
	tr := newSendTransport(u, srv.Client(), 5*time.Second, policy, "asyncgen-test", func(*http.Request) error { return nil })
	rec := &recorder{}
	tr.wait = rec.wait
	tr.jitter = func(n time.Duration) time.Duration { return n }
	return tr, rec
}

// script is a handler answering the nth request (from 0) with statuses[n],
// and 200 after the list; it records every request it sees.
type script struct {
	mu       sync.Mutex
	statuses []int
	headers  []http.Header
	bodies   []string
	extra    func(n int, w http.ResponseWriter) // may set headers
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.headers)
	s.headers = append(s.headers, r.Header.Clone())
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	status := http.StatusOK
	if n < len(s.statuses) {
		status = s.statuses[n]
	}
	if s.extra != nil {
		s.extra(n, w)
	}
	w.WriteHeader(status)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.headers)
}

var fastPolicy = RetryPolicy{MaxAttempts: 4, BaseBackoff: 10 * time.Millisecond, MaxBackoff: 25 * time.Millisecond, MaxRetryAfter: 3 * time.Second}

func TestSendRetriesThenDelivers(t *testing.T) {
	for _, statuses := range [][]int{{503, 503}, {429}, {500, 502, 504}} {
		s := &script{statuses: statuses}
		srv := httptest.NewServer(s)
		defer srv.Close()
		tr, rec := testTransport(t, srv, fastPolicy)
		require.NoError(t, tr.post(testContext(t), []byte(`{"a":1}`)))
		require.Equal(t, len(statuses)+1, s.count(), "statuses %v", statuses)
		// Backoff bounds double from the base and stop at the cap.
		want := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 25 * time.Millisecond}[:len(statuses)]
		require.Equal(t, want, rec.waits)
		for i, h := range s.headers {
			require.Equal(t, "application/json", h.Get("Content-Type"))
			require.Equal(t, "asyncgen-test", h.Get("User-Agent"))
			require.Equal(t, s.headers[0].Get("Idempotency-Key"), h.Get("Idempotency-Key"), "attempt %d", i)
			require.Equal(t, `{"a":1}`, s.bodies[i])
		}
		require.Regexp(t, `^[0-9a-f]{32}$`, s.headers[0].Get("Idempotency-Key"))
	}
}

func TestSendKeyDiffersAcrossPosts(t *testing.T) {
	s := &script{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr, _ := testTransport(t, srv, fastPolicy)
	for range 3 {
		require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
	}
	keys := map[string]bool{}
	for _, h := range s.headers {
		keys[h.Get("Idempotency-Key")] = true
	}
	require.Len(t, keys, 3)
}

func TestSendGivesUpAfterMaxAttempts(t *testing.T) {
	s := &script{statuses: []int{503, 503, 503, 503, 503}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr, _ := testTransport(t, srv, fastPolicy)
	err := tr.post(testContext(t), []byte(`{}`))
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, &SendError{Attempts: 4, StatusCode: 503}, se)
	require.Equal(t, "not delivered after 4 attempts: last status 503 Service Unavailable", err.Error())
	require.Equal(t, 4, s.count())
}

func TestSendDoesNotRetryOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 413, 422, 301, 302, 307, 308} {
		s := &script{statuses: []int{status}}
		redirected := &script{}
		mux := http.NewServeMux()
		mux.Handle("/hook", s)
		mux.Handle("/elsewhere", redirected)
		s.extra = func(n int, w http.ResponseWriter) { w.Header().Set("Location", "/elsewhere") }
		srv := httptest.NewServer(mux)
		tr, rec := testTransport(t, srv, fastPolicy)
		err := tr.post(testContext(t), []byte(`{}`))
		srv.Close()
		var se *SendError
		require.ErrorAs(t, err, &se, "status %d", status)
		require.Equal(t, &SendError{Attempts: 1, StatusCode: status}, se)
		require.Equal(t, 1, s.count(), "status %d", status)
		require.Zero(t, redirected.count(), "status %d: redirect followed", status)
		require.Empty(t, rec.waits)
	}
}

func TestSendRetriesDroppedConnections(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n <= 2 {
			hangUp(t, w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	tr, rec := testTransport(t, srv, fastPolicy)
	require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 3, calls)
	require.Len(t, rec.waits, 2)
}

// hangUp closes the connection of a request without answering.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

func TestSendDroppedConnectionsExhaust(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hangUp(t, w)
	}))
	defer srv.Close()
	tr, _ := testTransport(t, srv, RetryPolicy{MaxAttempts: 2})
	err := tr.post(testContext(t), []byte(`{}`))
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 2, se.Attempts)
	require.Zero(t, se.StatusCode)
	require.Error(t, se.Err)
	require.Contains(t, err.Error(), "not delivered after 2 attempts: ")
}

func TestSendHonoursRetryAfter(t *testing.T) {
	cases := []struct {
		name  string
		value func() string
		check func(t *testing.T, d time.Duration)
	}{
		{"seconds", func() string { return "2" }, func(t *testing.T, d time.Duration) { require.Equal(t, 2*time.Second, d) }},
		{"seconds over the cap", func() string { return "3600" }, func(t *testing.T, d time.Duration) { require.Equal(t, 3*time.Second, d) }},
		{"zero", func() string { return "0" }, func(t *testing.T, d time.Duration) { require.Zero(t, d) }},
		{"date", func() string { return time.Now().Add(2500 * time.Millisecond).UTC().Format(http.TimeFormat) }, func(t *testing.T, d time.Duration) {
			// The date has whole seconds: 1.5 s to 2.5 s from now.
			require.Greater(t, d, time.Second)
			require.LessOrEqual(t, d, 2500*time.Millisecond)
		}},
		{"date over the cap", func() string { return time.Now().Add(time.Hour).UTC().Format(http.TimeFormat) }, func(t *testing.T, d time.Duration) { require.Equal(t, 3*time.Second, d) }},
		{"malformed is ignored", func() string { return "soon" }, func(t *testing.T, d time.Duration) { require.Equal(t, 10*time.Millisecond, d) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{statuses: []int{429}}
			s.extra = func(n int, w http.ResponseWriter) {
				if n == 0 {
					w.Header().Set("Retry-After", tc.value())
				}
			}
			srv := httptest.NewServer(s)
			defer srv.Close()
			tr, rec := testTransport(t, srv, fastPolicy)
			require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
			require.Len(t, rec.waits, 1)
			tc.check(t, rec.waits[0])
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", 0, false},
		{"9223372036854775807", 1<<63 - 1, true},
		{"Sun, 15 Mar 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 15-Mar-26 10:01:00 GMT", time.Minute, true},
		{"Sun Mar 15 10:00:10 2026", 10 * time.Second, true},
		{"Sun, 15 Mar 2026 09:00:00 GMT", 0, true},
		{"tomorrow", 0, false},
	}
	for _, tc := range cases {
		got, ok := sendParseRetryAfter(tc.in, now)
		require.Equal(t, tc.ok, ok, "%q", tc.in)
		require.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestBackoffBound(t *testing.T) {
	p := RetryPolicy{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, sendBackoffBound(p, n))
	}
	require.Equal(t, []time.Duration{100e6, 200e6, 400e6, 800e6, 1e9, 1e9}, got)
	require.Equal(t, time.Second, sendBackoffBound(p, 1000), "no overflow")
	require.Zero(t, sendBackoffBound(RetryPolicy{MaxBackoff: time.Second}, 3))
	require.Zero(t, sendBackoffBound(RetryPolicy{BaseBackoff: -time.Second, MaxBackoff: -time.Second}, 3))
	huge := RetryPolicy{BaseBackoff: time.Hour, MaxBackoff: 1<<63 - 1}
	for n := 1; n < 100; n++ {
		require.Positive(t, sendBackoffBound(huge, n), "attempt %d", n)
	}
}

func TestJitterStaysInBounds(t *testing.T) {
	require.Zero(t, sendJitter(0))
	require.Zero(t, sendJitter(-time.Second))
	for _, n := range []time.Duration{1, 2, time.Millisecond, time.Minute, 1<<63 - 1} {
		for range 200 {
			d := sendJitter(n)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, n)
		}
	}
	// Full jitter: over many draws of a wide range, both halves occur.
	low, high := false, false
	for i := 0; i < 1000 && !(low && high); i++ {
		d := sendJitter(time.Second)
		low, high = low || d < 500*time.Millisecond, high || d >= 500*time.Millisecond
	}
	require.True(t, low && high, "draws cover the range")
}

func TestSendWait(t *testing.T) {
	require.NoError(t, sendWait(context.Background(), 0))
	require.NoError(t, sendWait(context.Background(), time.Microsecond))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- sendWait(ctx, time.Hour) }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("sendWait still waiting 10 s after its context was cancelled")
	}
	require.ErrorIs(t, sendWait(ctx, 0), context.Canceled)
}

func TestSendCancelStopsBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(testContext(t))
	s := &script{statuses: []int{503, 503}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr, _ := testTransport(t, srv, RetryPolicy{MaxAttempts: 3, BaseBackoff: time.Hour, MaxBackoff: time.Hour})
	waiting := make(chan struct{})
	tr.jitter = func(n time.Duration) time.Duration { return n }
	tr.wait = func(ctx context.Context, d time.Duration) error {
		close(waiting)
		return sendWait(ctx, d) // an hour, unless cancelled
	}
	go func() {
		<-waiting
		cancel()
	}()
	done := make(chan error, 1)
	go func() { done <- tr.post(ctx, []byte(`{}`)) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("post still waiting 10 s after its context was cancelled")
	}
	require.ErrorIs(t, err, context.Canceled)
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, &SendError{Attempts: 1, StatusCode: 503, Err: context.Canceled}, se)
	require.Equal(t, "not delivered after 1 attempt: last status 503 Service Unavailable: context canceled", err.Error())
	require.Equal(t, 1, s.count())
}

func TestSendCancelledBeforeStart(t *testing.T) {
	s := &script{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr, _ := testTransport(t, srv, fastPolicy)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := tr.post(ctx, []byte(`{}`))
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, s.count())
}

func TestSendDeadlineDuringRequest(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	tr, rec := testTransport(t, srv, fastPolicy)
	tr.timeout = 0 // only the caller's context bounds the request
	ctx, cancel := context.WithTimeout(testContext(t), 100*time.Millisecond)
	defer cancel()
	err := tr.post(ctx, []byte(`{}`))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var se *SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 1, se.Attempts)
	require.Empty(t, rec.waits)
}

func TestSendAttemptTimeoutIsRetried(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client go
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			// Hang until the sender gives up on this attempt.
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	defer close(release)
	tr, rec := testTransport(t, srv, fastPolicy)
	tr.timeout = 50 * time.Millisecond
	require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 2, calls)
	require.Len(t, rec.waits, 1)
}

func TestSendReadsBoundedBody(t *testing.T) {
	// An endless answer: the sender must stop reading and return.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("x", 32<<10))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	tr, _ := testTransport(t, srv, fastPolicy)
	tr.timeout = 0 // only the reading bound can end the attempt
	ctx, cancel := context.WithTimeout(testContext(t), 10*time.Second)
	defer cancel()
	require.NoError(t, tr.post(ctx, []byte(`{}`)))
	require.NoError(t, ctx.Err(), "post returned before its context ended, having read a bounded part of the answer")
}

// countingBody is an endless body that counts what is read from it.
type countingBody struct {
	read   int
	closed bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	b.read += len(p)
	return len(p), nil
}

func (b *countingBody) Close() error {
	b.closed = true
	return nil
}

func TestDrainIsBounded(t *testing.T) {
	b := &countingBody{}
	sendDrain(b)
	require.Equal(t, sendMaxDrain, b.read)
	require.True(t, b.closed)
}

func TestSendSignsEveryAttempt(t *testing.T) {
	s := &script{statuses: []int{503}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	tr, _ := testTransport(t, srv, fastPolicy)
	signed := 0
	tr.sign = func(r *http.Request) error {
		signed++
		r.Header.Set("Authorization", "Bearer "+strings.Repeat("t", signed))
		return nil
	}
	require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
	require.Equal(t, "Bearer t", s.headers[0].Get("Authorization"))
	require.Equal(t, "Bearer tt", s.headers[1].Get("Authorization"))

	failing := errors.New("no key")
	tr.sign = func(*http.Request) error { return failing }
	err := tr.post(testContext(t), []byte(`{}`))
	require.ErrorIs(t, err, failing)
	require.Equal(t, 2, s.count(), "an unsigned request is never sent")
}

func TestSendClientIsACopyThatDoesNotRedirect(t *testing.T) {
	user := &http.Client{Timeout: time.Minute}
	c := sendClient(user)
	require.NotSame(t, user, c)
	require.Nil(t, user.CheckRedirect, "the caller's client is not changed")
	require.Equal(t, time.Minute, c.Timeout)
	require.ErrorIs(t, c.CheckRedirect(nil, nil), http.ErrUseLastResponse)
	require.ErrorIs(t, sendClient(nil).CheckRedirect(nil, nil), http.ErrUseLastResponse)
}

func TestCheckEndpoint(t *testing.T) {
	for _, ok := range []string{"https://example.com/hook", "HTTPS://example.com", "https://127.0.0.1:8443/x?y=1"} {
		u, err := sendCheckEndpoint(ok, false)
		require.NoError(t, err, ok)
		require.Equal(t, "https", u.Scheme)
	}
	for _, bad := range []string{"http://example.com/hook", "example.com/hook", "/hook", "", "ftp://example.com", "https:///nohost", "https://exa mple.com", "://x"} {
		_, err := sendCheckEndpoint(bad, false)
		require.Error(t, err, bad)
	}
	u, err := sendCheckEndpoint("http://127.0.0.1:8080/hook", true)
	require.NoError(t, err)
	require.Equal(t, &url.URL{Scheme: "http", Host: "127.0.0.1:8080", Path: "/hook"}, u)
	_, err = sendCheckEndpoint("ftp://example.com", true)
	require.ErrorContains(t, err, `scheme "ftp" is not https`)
	_, err = sendCheckEndpoint("http://example.com", false)
	require.ErrorContains(t, err, "WithInsecureHTTP")
}

func TestSendErrorText(t *testing.T) {
	require.Equal(t, "not delivered after 0 attempts: context canceled", (&SendError{Err: context.Canceled}).Error())
	require.Equal(t, "not delivered after 1 attempt: last status 599", (&SendError{Attempts: 1, StatusCode: 599}).Error())
	inner := errors.New("boom")
	require.ErrorIs(t, &SendError{Attempts: 2, Err: inner}, inner)
}

// A field of the policy left at zero takes its default: never "retry now".
func TestSendZeroPolicyFieldsTakeTheDefaults(t *testing.T) {
	retryAfter := &script{statuses: []int{429, 429, 429, 429, 429, 429, 429, 429}}
	retryAfter.extra = func(_ int, w http.ResponseWriter) { w.Header().Set("Retry-After", "60") }
	srv := httptest.NewServer(retryAfter)
	defer srv.Close()
	tr, rec := testTransport(t, srv, RetryPolicy{MaxAttempts: 3})
	var se *SendError
	require.ErrorAs(t, tr.post(testContext(t), []byte(`{}`)), &se)
	require.Equal(t, 3, se.Attempts)
	require.Equal(t, []time.Duration{time.Minute, time.Minute}, rec.waits, "Retry-After: 60 is honoured up to the default cap")

	failing := &script{statuses: []int{503, 503, 503, 503, 503, 503, 503, 503}}
	srv2 := httptest.NewServer(failing)
	defer srv2.Close()
	tr, rec = testTransport(t, srv2, RetryPolicy{})
	require.ErrorAs(t, tr.post(testContext(t), []byte(`{}`)), &se)
	def := DefaultRetryPolicy()
	require.Equal(t, def.MaxAttempts, se.Attempts)
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	require.Equal(t, want, rec.waits, "the jitter of the test returns its bound: the default backoff")
}

// An endpoint's password and query values are secrets: no error prints
// them.
func TestCheckEndpointRedacts(t *testing.T) {
	for _, bad := range []string{
		"ftp://user:pa55word@example.com/hook?token=t0ken",
		"http://user:pa55word@example.com/hook?token=t0ken",
		"https://user:pa55word@exa mple.com/hook?token=t0ken",
		"https://user:pa55word@example.com/%zz?token=t0ken",
		"user:pa55word@example.com/hook?token=t0ken",
		"https://user:pa55word@example.com:port/?token=t0ken\x7f",
	} {
		_, err := sendCheckEndpoint(bad, false)
		require.Error(t, err, bad)
		require.NotContains(t, err.Error(), "pa55word", bad)
		require.NotContains(t, err.Error(), "t0ken", bad)
	}
}

// A transport error names the URL it failed on without the password or
// the values of the query (where a token or an API key travels).
func TestSendTransportErrorsAreRedacted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // connections are refused
	u, err := sendCheckEndpoint(strings.Replace(srv.URL, "http://", "http://user:pa55word@", 1)+"/hook?token=t0ken", true)
	require.NoError(t, err)
	sign := func(r *http.Request) error {
		q := r.URL.Query()
		q.Set("api_key", "k3y")
		r.URL.RawQuery = q.Encode()
		return nil
	}
	tr := newSendTransport(u, nil, 5*time.Second, RetryPolicy{MaxAttempts: 1}, "asyncgen-test", sign)
	err = tr.post(testContext(t), []byte(`{}`))
	require.Error(t, err)
	for _, secret := range []string{"pa55word", "t0ken", "k3y"} {
		require.NotContains(t, err.Error(), secret)
	}
	require.Contains(t, err.Error(), "/hook", "the URL is still named")
}

// OnRetry hears of each retried attempt, with what it got and the wait,
// and not of the attempt that delivered nor of the last one.
func TestSendReportsRetries(t *testing.T) {
	s := &script{statuses: []int{503, 429}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var retries []SendRetry
	policy := fastPolicy
	policy.OnRetry = func(r SendRetry) { retries = append(retries, r) }
	tr, rec := testTransport(t, srv, policy)
	require.NoError(t, tr.post(testContext(t), []byte(`{}`)))
	require.Equal(t, []SendRetry{
		{Attempt: 1, StatusCode: 503, Wait: rec.waits[0]},
		{Attempt: 2, StatusCode: 429, Wait: rec.waits[1]},
	}, retries)

	retries = nil
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hangUp(t, w) }))
	defer gone.Close()
	policy.MaxAttempts = 2
	tr, _ = testTransport(t, gone, policy)
	require.Error(t, tr.post(testContext(t), []byte(`{}`)))
	require.Len(t, retries, 1, "the last attempt is not retried")
	require.Equal(t, 1, retries[0].Attempt)
	require.Zero(t, retries[0].StatusCode)
	require.Error(t, retries[0].Err)
}
