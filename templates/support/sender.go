package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

// The sender's runtime: every generated sender.gen.go copies these
// declarations and adds, per package, its options, its credentials and
// one Send method per message. Unexported names start with "send" so that
// they cannot meet the receiver's in a generated package.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how a Sender retries a request that failed with a
// network error, 429 Too Many Requests or a 5xx status. The wait before
// attempt n+1 is drawn uniformly between zero and BaseBackoff·2^(n-1),
// capped at MaxBackoff ("full jitter"); a Retry-After header on the
// response replaces the drawn wait, shortened to MaxRetryAfter when longer.
// Other statuses are not retried. A field left at zero (or negative) takes
// the value of DefaultRetryPolicy: zero never means "retry at once".
type RetryPolicy struct {
	// MaxAttempts is how many requests one Send makes at most, the first
	// included; 1 means no retry.
	MaxAttempts int
	// BaseBackoff bounds the wait before the second attempt; the bound
	// doubles for each attempt after.
	BaseBackoff time.Duration
	// MaxBackoff caps the bound.
	MaxBackoff time.Duration
	// MaxRetryAfter caps the wait a Retry-After header asks for.
	MaxRetryAfter time.Duration
	// OnRetry, when set, is told of each failed attempt that is retried,
	// before the wait: what it got and how long the Sender waits. It is
	// called from the goroutine of Send, so a Sender shared by several
	// goroutines needs an OnRetry safe for concurrent use.
	OnRetry func(SendRetry)
}

// SendRetry is an attempt of a Send that failed and is retried, as
// RetryPolicy.OnRetry is told of it.
type SendRetry struct {
	// Attempt is which attempt failed, from 1.
	Attempt int
	// StatusCode is the status the attempt got, 0 when it got none.
	StatusCode int
	// Err is why the attempt got no response (a network error); nil when
	// the status says it all.
	Err error
	// Wait is how long the Sender waits before the next attempt.
	Wait time.Duration
}

// DefaultRetryPolicy is the policy of a Sender made without WithRetry: 6
// attempts, waits bounded by 0.5 s, 1 s, 2 s, 4 s and 8 s, and Retry-After
// honoured up to a minute.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   6,
		BaseBackoff:   500 * time.Millisecond,
		MaxBackoff:    30 * time.Second,
		MaxRetryAfter: time.Minute,
	}
}

// SendError is why a Send did not get a 2xx answer: how many requests it
// made and what the last one got.
type SendError struct {
	// Attempts is how many requests were made.
	Attempts int
	// StatusCode is the status of the last response, 0 when the last
	// attempt got none.
	StatusCode int
	// Err is what made the last attempt fail (a network error), or what
	// stopped the Send while it waited (the context's error); nil when the
	// status says it all.
	Err error
}

// Error says how many attempts were made and what the last one got.
func (e *SendError) Error() string {
	var b strings.Builder
	b.WriteString("not delivered after " + strconv.Itoa(e.Attempts) + " attempt")
	if e.Attempts != 1 {
		b.WriteString("s")
	}
	if e.StatusCode != 0 {
		b.WriteString(": last status " + strconv.Itoa(e.StatusCode))
		if text := http.StatusText(e.StatusCode); text != "" {
			b.WriteString(" " + text)
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err, so that errors.Is finds a context's error.
func (e *SendError) Unwrap() error { return e.Err }

// sendIdempotencyHeader carries the key that is the same on every attempt
// of one Send, so that a receiver can drop a redelivery.
const sendIdempotencyHeader = "Idempotency-Key"

// sendMaxDrain is how much of a response body a sender reads (and
// discards) so that the connection can be reused; a longer body is cut.
const sendMaxDrain = 64 << 10

// sendMaxReplyBytes is the largest reply a Sender reads: 1 MiB, as large
// as a Receiver takes by default.
const sendMaxReplyBytes = 1 << 20

// sendTransport posts encoded messages to one endpoint and retries as its
// policy says.
type sendTransport struct {
	client    *http.Client
	endpoint  *url.URL
	timeout   time.Duration
	retry     RetryPolicy
	userAgent string
	// sign adds the credentials to a request, once per attempt.
	sign func(*http.Request) error
	// wait pauses for d unless ctx is done first; jitter draws a duration
	// between 0 and n inclusive. Tests replace them.
	wait   func(ctx context.Context, d time.Duration) error
	jitter func(n time.Duration) time.Duration
}

// newSendTransport makes a transport that never follows redirects, on a
// copy of client (a new one when nil).
func newSendTransport(endpoint *url.URL, client *http.Client, timeout time.Duration, retry RetryPolicy, userAgent string, sign func(*http.Request) error) *sendTransport {
	return &sendTransport{
		client:    sendClient(client),
		endpoint:  endpoint,
		timeout:   timeout,
		retry:     sendRetryDefaults(retry),
		userAgent: userAgent,
		sign:      sign,
		wait:      sendWait,
		jitter:    sendJitter,
	}
}

// sendRetryDefaults fills the fields of p left at zero or below with
// those of DefaultRetryPolicy.
func sendRetryDefaults(p RetryPolicy) RetryPolicy {
	def := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = def.MaxAttempts
	}
	if p.BaseBackoff <= 0 {
		p.BaseBackoff = def.BaseBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = def.MaxBackoff
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = def.MaxRetryAfter
	}
	return p
}

// sendClient returns a copy of c, or a new client, that does not follow
// redirects: a 3xx is the answer. The caller's client is left as it is.
func sendClient(c *http.Client) *http.Client {
	var clone http.Client
	if c != nil {
		clone = *c
	}
	clone.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &clone
}

// sendCheckEndpoint parses an endpoint, which must be an absolute https
// URL, or http when insecureHTTP is set. Its errors show the endpoint
// redacted (sendRedacted).
func sendCheckEndpoint(raw string, insecureHTTP bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, sendParseError(err)
	}
	if !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		// Not quoted: where a password would be is unclear.
		return nil, errors.New("endpoint: not an absolute URL such as https://host/path")
	}
	shown := sendRedacted(u)
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if insecureHTTP {
			return u, nil
		}
		return nil, fmt.Errorf("endpoint %q: http is not encrypted; use https, or WithInsecureHTTP for a test server", shown)
	}
	return nil, fmt.Errorf("endpoint %q: scheme %q is not https", shown, u.Scheme)
}

// sendParseError says why an endpoint is not a URL without quoting it,
// since it may hold a password or a token.
func sendParseError(err error) error {
	var ue *url.Error
	var ee url.EscapeError
	switch {
	case errors.As(err, &ee):
		return errors.New("endpoint: not a URL: a % is not followed by two hexadecimal digits")
	case errors.As(err, &ue):
		return fmt.Errorf("endpoint: not a URL: %w", ue.Err)
	}
	return errors.New("endpoint: not a URL")
}

// sendRedacted renders u with its password and the value of every query
// parameter replaced by "xxxxx": a token or an API key may travel in
// either.
func sendRedacted(u *url.URL) string {
	shown := *u
	if shown.RawQuery != "" {
		q := shown.Query()
		for k, vs := range q {
			for i := range vs {
				vs[i] = "xxxxx"
			}
			q[k] = vs
		}
		shown.RawQuery = q.Encode()
	}
	return shown.Redacted()
}

// sendOutcome is what one attempt got.
type sendOutcome struct {
	// status is the response's status, 0 when there was none.
	status int
	// retryAfter is the wait the response's Retry-After asks for, when
	// hasRetryAfter.
	retryAfter    time.Duration
	hasRetryAfter bool
	// err is why there was no response; permanent when retrying cannot
	// help (the request could not be made or signed).
	err       error
	permanent bool
	// reply is the body of a 2xx answer, when a reply was asked for, and
	// replyErr why it could not be read (the message was delivered all
	// the same).
	reply    []byte
	replyErr error
}

// delivered reports whether the attempt got a 2xx.
func (o sendOutcome) delivered() bool { return o.err == nil && o.status >= 200 && o.status < 300 }

// retryable reports whether another attempt may succeed: after a network
// error, a 429 or a 5xx.
func (o sendOutcome) retryable() bool {
	if o.err != nil {
		return !o.permanent
	}
	return o.status == http.StatusTooManyRequests || o.status >= 500
}

// post sends body until an attempt gets a 2xx, an attempt fails in a way
// retrying cannot mend, the policy's attempts are spent, or ctx is done.
// Every attempt carries the same idempotency key.
func (t *sendTransport) post(ctx context.Context, body []byte) error {
	_, err := t.exchange(ctx, body, false)
	return err
}

// request posts body as post does, and returns the body of the 2xx
// answer: the reply, at most sendMaxReplyBytes of JSON. An answer without
// one (204, or an empty body) is an error: the receiver took the request
// but sent no reply (as it does for a redelivery it had handled before).
func (t *sendTransport) request(ctx context.Context, body []byte) ([]byte, error) {
	reply, err := t.exchange(ctx, body, true)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(reply)) == 0 {
		return nil, errors.New("delivered, but the receiver answered without a reply")
	}
	return reply, nil
}

// exchange sends body as post says, and returns the body of the 2xx
// answer when wantReply.
func (t *sendTransport) exchange(ctx context.Context, body []byte, wantReply bool) ([]byte, error) {
	key, err := sendIdempotencyKey()
	if err != nil {
		return nil, err
	}
	attempts := max(t.retry.MaxAttempts, 1)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, &SendError{Attempts: n - 1, Err: err}
		}
		out := t.attempt(ctx, body, key, wantReply)
		switch {
		case out.delivered():
			return out.reply, out.replyErr
		case ctx.Err() != nil:
			return nil, out.failure(n, ctx.Err())
		case !out.retryable() || n >= attempts:
			return nil, out.failure(n, out.err)
		}
		pause := t.pause(n, out)
		if t.retry.OnRetry != nil {
			t.retry.OnRetry(SendRetry{Attempt: n, StatusCode: out.status, Err: out.err, Wait: pause})
		}
		if err := t.wait(ctx, pause); err != nil {
			return nil, out.failure(n, err)
		}
	}
}

// failure is the error of a Send whose last attempt, the nth, got o.
func (o sendOutcome) failure(n int, err error) *SendError {
	return &SendError{Attempts: n, StatusCode: o.status, Err: err}
}

// pause is how long to wait after the nth attempt got o.
func (t *sendTransport) pause(n int, o sendOutcome) time.Duration {
	if o.hasRetryAfter {
		return min(o.retryAfter, max(t.retry.MaxRetryAfter, 0))
	}
	return t.jitter(sendBackoffBound(t.retry, n))
}

// sendBackoffBound is the longest wait after the nth attempt:
// BaseBackoff·2^(n-1), capped at MaxBackoff.
func sendBackoffBound(p RetryPolicy, n int) time.Duration {
	limit := max(p.MaxBackoff, 0)
	ceiling := min(max(p.BaseBackoff, 0), limit)
	for i := 1; i < n && ceiling < limit; i++ {
		if ceiling > limit/2 {
			return limit
		}
		ceiling *= 2
	}
	return ceiling
}

// attempt makes one request, bounded by the transport's timeout, and
// reads at most sendMaxDrain bytes of the answer; of a 2xx answer, when
// wantReply, the whole body as the reply (see sendReadReply).
func (t *sendTransport) attempt(ctx context.Context, body []byte, key string, wantReply bool) sendOutcome {
	if t.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.endpoint.String(), bytes.NewReader(body))
	if err != nil {
		return sendOutcome{err: fmt.Errorf("make request: %w", err), permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", t.userAgent)
	req.Header.Set(sendIdempotencyHeader, key)
	if err := t.sign(req); err != nil {
		return sendOutcome{err: fmt.Errorf("sign request: %w", err), permanent: true}
	}
	resp, err := t.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = sendRedacted(req.URL)
		}
		return sendOutcome{err: err}
	}
	out := sendOutcome{status: resp.StatusCode}
	if wantReply && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		out.reply, out.replyErr = sendReadReply(resp)
		return out
	}
	sendDrain(resp.Body)
	out.retryAfter, out.hasRetryAfter = sendParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return out
}

// sendReadReply reads the reply a 2xx answer carries, at most
// sendMaxReplyBytes, and closes the body. A body other than JSON (by its
// Content-Type, when it has one), too long, or cut short is an error.
func sendReadReply(resp *http.Response) ([]byte, error) {
	defer sendDrain(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "" && resp.StatusCode != http.StatusNoContent {
		mediaType, _, err := mime.ParseMediaType(ct)
		if err != nil || (mediaType != "application/json" && !(strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json"))) {
			return nil, fmt.Errorf("delivered, but the reply's content type %q is not JSON", ct)
		}
	}
	reply, err := io.ReadAll(io.LimitReader(resp.Body, sendMaxReplyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("delivered, but reading the reply failed: %w", err)
	}
	if len(reply) > sendMaxReplyBytes {
		return nil, fmt.Errorf("delivered, but the reply is larger than %d bytes", sendMaxReplyBytes)
	}
	return reply, nil
}

// sendDrain reads and discards at most sendMaxDrain bytes of body, then
// closes it.
func sendDrain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, sendMaxDrain))
	_ = body.Close()
}

// sendParseRetryAfter reads a Retry-After value, delta-seconds or an
// HTTP-date, as a wait from now; a date in the past is no wait. It reports
// false for an absent or malformed value.
func sendParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(value, 10, 63); err == nil {
		if secs > uint64(1<<63-1)/uint64(time.Second) {
			return 1<<63 - 1, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// sendIdempotencyKey returns 128 random bits in hex.
func sendIdempotencyKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("idempotency key: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// sendJitter draws a duration between 0 and n inclusive.
func sendJitter(n time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail.
	return time.Duration(binary.LittleEndian.Uint64(b[:]) % (uint64(n) + 1))
}

// sendWait pauses for d, or until ctx is done, whose error it returns.
func sendWait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
