package support

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jwt "github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// memInbox is an Inbox in memory that keeps the contract's rules: leases
// with tokens, retry times, ordering keys, dead letters. The backends of
// package inbox are tested against the same contract.
type memInbox struct {
	mu     sync.Mutex
	events []*memInboxEntry
	tokens int
}

type memInboxEntry struct {
	event     InboxEvent
	done      bool
	dead      bool
	dueAt     time.Time
	token     string
	leaseEnds time.Time
}

func (m *memInbox) Append(_ context.Context, e InboxEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.ID = strconv.Itoa(len(m.events) + 1)
	e.Attempts = 0
	m.events = append(m.events, &memInboxEntry{event: e})
	return nil
}

func (m *memInbox) Lease(_ context.Context, lease time.Duration) (InboxEvent, string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	blocked := map[string]bool{}
	for _, en := range m.events {
		if en.done || en.dead {
			continue
		}
		key := en.event.OrderingKey
		if key != "" && blocked[key] {
			continue
		}
		if key != "" {
			blocked[key] = true
		}
		if now.Before(en.dueAt) || (en.token != "" && now.Before(en.leaseEnds)) {
			continue
		}
		m.tokens++
		en.token = "t" + strconv.Itoa(m.tokens)
		en.leaseEnds = now.Add(lease)
		return en.event, en.token, true, nil
	}
	return InboxEvent{}, "", false, nil
}

// held returns the entry leased with token, or an error.
func (m *memInbox) held(id, token string) (*memInboxEntry, error) {
	for _, en := range m.events {
		if en.event.ID == id && en.token == token && !en.done && !en.dead {
			return en, nil
		}
	}
	return nil, errors.New("the lease ended")
}

func (m *memInbox) Ack(_ context.Context, id, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	en, err := m.held(id, token)
	if err == nil {
		en.done = true
	}
	return err
}

func (m *memInbox) Fail(_ context.Context, id, token string, retryAt time.Time, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	en, err := m.held(id, token)
	if err == nil {
		en.token, en.dueAt = "", retryAt
		en.event.Attempts++
		en.event.LastError = reason
	}
	return err
}

func (m *memInbox) DeadLetter(_ context.Context, id, token, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	en, err := m.held(id, token)
	if err == nil {
		en.token, en.dead = "", true
		en.event.Attempts++
		en.event.LastError = reason
	}
	return err
}

func (m *memInbox) DeadLetters(_ context.Context, limit int) ([]InboxEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []InboxEvent
	for _, en := range m.events {
		if en.dead && len(out) < limit {
			out = append(out, en.event)
		}
	}
	return out, nil
}

func (m *memInbox) Replay(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, en := range m.events {
		if en.event.ID == id && en.dead {
			en.dead, en.dueAt, en.event.Attempts = false, time.Time{}, 0
			return nil
		}
	}
	return errors.New("no such dead letter")
}

// pending counts the events neither delivered nor dead.
func (m *memInbox) pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, en := range m.events {
		if !en.done && !en.dead {
			n++
		}
	}
	return n
}

// failingInbox is an Inbox whose Append fails.
type failingInbox struct{ memInbox }

func (*failingInbox) Append(context.Context, InboxEvent) error { return errors.New("disk full") }

// inboxRequest is a valid POST of body with a credential header.
func inboxRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer secret")
	r.Header.Set("Idempotency-Key", "k-"+body)
	r.Header.Set("X-Customer", "c-1")
	r.Header.Set("X-Undeclared", "tracking")
	return r
}

// inboxReceiver is a receiver with inbox whose handler must not run.
func inboxReceiver(t *testing.T, inbox Inbox) *receiverCore {
	return newReceiverCore(receiverSettings{
		inbox:         inbox,
		orderingKey:   func(message string, body []byte) string { return message + "/" + string(body[:2]) },
		authenticator: func(*http.Request) error { return nil },
		onError:       func(*http.Request, error) {},
	}, nil, func([]byte) (receiverDelivery, error) {
		return receiverDelivery{message: "m", keyHeader: "Idempotency-Key", headerNames: []string{"x-customer", "Authorization"},
			handle: func(context.Context) error { t.Error("the handler ran during the request"); return nil }}, nil
	})
}

// With an inbox, a valid request is kept and answered 202 at once, with
// the headers the spec declares (its idempotency header among them) and
// no other, never the credentials; the handler does not run.
func TestReceiverInboxAppendsAndAnswers202(t *testing.T) {
	inbox := &memInbox{}
	w := httptest.NewRecorder()
	inboxReceiver(t, inbox).ServeHTTP(w, inboxRequest(`{"a":1}`))
	require.Equal(t, http.StatusAccepted, w.Code)
	require.Len(t, inbox.events, 1)
	e := inbox.events[0].event
	require.Equal(t, "m", e.Message)
	require.Equal(t, `{"a":1}`, string(e.Body))
	require.Equal(t, "m/{\"", e.OrderingKey)
	require.Equal(t, map[string][]string{"Idempotency-Key": {`k-{"a":1}`}, "X-Customer": {"c-1"}}, e.Headers)
	require.Nil(t, e.Claims)
	require.False(t, e.ReceivedAt.IsZero())
}

// The claims of a verified JWT are kept with the event, and the worker
// gives them to the handler, for ClaimsFromContext.
func TestReceiverInboxKeepsVerifiedClaims(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	inbox := &memInbox{}
	rc := newReceiverCore(receiverSettings{inbox: inbox, onError: func(*http.Request, error) {}},
		[]receiverAuth{receiverJWTAuth(secret, nil)},
		func([]byte) (receiverDelivery, error) { return receiverDelivery{message: "m"}, nil })
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "account-7", "exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(),
	}).SignedString(secret)
	require.NoError(t, err)
	r := inboxRequest(`{}`)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, r)
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	require.Len(t, inbox.events, 1)
	require.Equal(t, "account-7", inbox.events[0].event.Claims["sub"])

	got := make(chan jwt.MapClaims, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	iw := newReceiverInboxWorker(inbox, receiverInboxSettings{poll: time.Millisecond}, func(InboxEvent) (receiverDelivery, error) {
		return receiverDelivery{message: "m", handle: func(ctx context.Context) error {
			claims, ok := ClaimsFromContext(ctx)
			require.True(t, ok)
			got <- claims
			return nil
		}}, nil
	})
	go func() { _ = iw.run(ctx) }()
	select {
	case claims := <-got:
		require.Equal(t, "account-7", claims["sub"])
	case <-time.After(20 * time.Second):
		t.Fatal("the event was not delivered")
	}
}

// An inbox that cannot keep the event makes the sender retry: 503.
func TestReceiverInboxFailureAnswers503(t *testing.T) {
	w := httptest.NewRecorder()
	inboxReceiver(t, &failingInbox{}).ServeHTTP(w, inboxRequest(`{}`))
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Equal(t, "1", w.Header().Get("Retry-After"))
}

// An invalid payload is refused before it reaches the inbox.
func TestReceiverInboxRefusesInvalidPayloads(t *testing.T) {
	inbox := &memInbox{}
	rc := newReceiverCore(receiverSettings{inbox: inbox, authenticator: func(*http.Request) error { return nil }}, nil,
		func([]byte) (receiverDelivery, error) {
			return receiverDelivery{message: "m"}, &ValidationError{Violations: []Violation{{Pointer: "/a", Keyword: "type", Message: "not a string"}}}
		})
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, inboxRequest(`{"a":1}`))
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Empty(t, inbox.events)
}

// startWorker runs a worker over inbox, handing each event's body to
// handle, until the test ends.
func startWorker(t *testing.T, inbox Inbox, s receiverInboxSettings, handle func(ctx context.Context, body string) error) {
	ctx, cancel := context.WithCancel(context.Background())
	iw := newReceiverInboxWorker(inbox, s, func(e InboxEvent) (receiverDelivery, error) {
		return receiverDelivery{message: e.Message, keyHeader: "Idempotency-Key", handle: func(ctx context.Context) error { return handle(ctx, string(e.Body)) }}, nil
	})
	done := make(chan error, 1)
	go func() { done <- iw.run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// eventually waits for cond, failing the test after a long time.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, time.Millisecond)
}

// A downstream outage: the handler fails for a while, the event is
// retried and then delivered; an event failing every attempt is
// dead-lettered, and a replay delivers it.
func TestInboxWorkerRetriesDeadLettersAndReplays(t *testing.T) {
	inbox := &memInbox{}
	rc := inboxReceiver(t, inbox)
	for _, body := range []string{`{"n":"recovers"}`, `{"n":"outage"}`} {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, inboxRequest(body))
		require.Equal(t, http.StatusAccepted, w.Code)
	}
	var mu sync.Mutex
	calls := map[string]int{}
	delivered := map[string]int{}
	var outageOver atomic.Bool
	var reports atomic.Int64
	startWorker(t, inbox, receiverInboxSettings{maxAttempts: 3, backoff: time.Millisecond, poll: time.Millisecond, workers: 2, report: func(error) { reports.Add(1) }},
		func(_ context.Context, body string) error {
			mu.Lock()
			defer mu.Unlock()
			calls[body]++
			if (body == `{"n":"recovers"}` && calls[body] < 3) || (body == `{"n":"outage"}` && !outageOver.Load()) {
				return errors.New("the database is down")
			}
			delivered[body]++
			return nil
		})
	eventually(t, func() bool { return inbox.pending() == 0 })
	dead, err := inbox.DeadLetters(context.Background(), 10)
	require.NoError(t, err)
	require.Len(t, dead, 1)
	require.Equal(t, `{"n":"outage"}`, string(dead[0].Body))
	require.Equal(t, 3, dead[0].Attempts)
	require.Contains(t, dead[0].LastError, "the database is down")
	mu.Lock()
	require.Equal(t, map[string]int{`{"n":"recovers"}`: 1}, delivered)
	require.Equal(t, 3, calls[`{"n":"recovers"}`])
	require.Equal(t, 3, calls[`{"n":"outage"}`])
	mu.Unlock()
	require.EqualValues(t, 5, reports.Load()) // 4 retries and a dead letter

	outageOver.Store(true)
	require.NoError(t, inbox.Replay(context.Background(), dead[0].ID))
	eventually(t, func() bool { return inbox.pending() == 0 })
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, 1, delivered[`{"n":"outage"}`])
	dead, err = inbox.DeadLetters(context.Background(), 10)
	require.NoError(t, err)
	require.Empty(t, dead)
}

// A worker that leased an event and got stuck holds it only for its
// lease: another worker then delivers it, once, and the stuck one's late
// ack changes nothing.
func TestInboxWorkerTakesOverAnExpiredLease(t *testing.T) {
	inbox := &memInbox{}
	require.NoError(t, inbox.Append(context.Background(), InboxEvent{Message: "m", Body: []byte(`{}`)}))
	stuck, token, ok, err := inbox.Lease(context.Background(), 50*time.Millisecond)
	require.NoError(t, err)
	require.True(t, ok)
	var delivered atomic.Int64
	startWorker(t, inbox, receiverInboxSettings{poll: time.Millisecond}, func(context.Context, string) error {
		delivered.Add(1)
		return nil
	})
	eventually(t, func() bool { return inbox.pending() == 0 })
	require.Error(t, inbox.Ack(context.Background(), stuck.ID, token))
	require.EqualValues(t, 1, delivered.Load())
}

// A handler that outlives its lease has its context cancelled; with an
// idempotency store the event still reaches a handler that succeeds once.
func TestInboxWorkerHandlerPastItsLease(t *testing.T) {
	inbox := &memInbox{}
	require.NoError(t, inbox.Append(context.Background(), InboxEvent{Message: "m", Body: []byte(`{}`)}))
	var calls, delivered atomic.Int64
	startWorker(t, inbox, receiverInboxSettings{lease: 20 * time.Millisecond, backoff: time.Millisecond, poll: time.Millisecond, store: NewMemoryIdempotencyStore(0, 0)},
		func(ctx context.Context, _ string) error {
			if calls.Add(1) == 1 {
				<-ctx.Done() // stuck until its lease ends
				return ctx.Err()
			}
			delivered.Add(1)
			return nil
		})
	eventually(t, func() bool { return inbox.pending() == 0 })
	require.EqualValues(t, 1, delivered.Load())
	require.EqualValues(t, 2, calls.Load())
}

// With an idempotency store, an event the provider sent twice (same
// declared idempotency key) reaches the handler once.
func TestInboxWorkerDeduplicatesByIdempotencyKey(t *testing.T) {
	inbox := &memInbox{}
	rc := inboxReceiver(t, inbox)
	for range 2 {
		rc.ServeHTTP(httptest.NewRecorder(), inboxRequest(`{"same":1}`))
	}
	var delivered atomic.Int64
	startWorker(t, inbox, receiverInboxSettings{poll: time.Millisecond, store: NewMemoryIdempotencyStore(0, 0)}, func(context.Context, string) error {
		delivered.Add(1)
		return nil
	})
	eventually(t, func() bool { return inbox.pending() == 0 })
	require.EqualValues(t, 1, delivered.Load())
}

// Events sharing an ordering key are delivered in arrival order, even by
// several workers and through failures; the others run in parallel.
func TestInboxWorkerKeepsOrderPerKey(t *testing.T) {
	inbox := &memInbox{}
	const perKey = 50
	for i := range perKey {
		for _, key := range []string{"a", "b", "c"} {
			require.NoError(t, inbox.Append(context.Background(), InboxEvent{Message: "m", OrderingKey: key, Body: []byte(key + strconv.Itoa(i))}))
		}
	}
	var mu sync.Mutex
	got := map[string][]int{}
	calls := 0
	startWorker(t, inbox, receiverInboxSettings{workers: 4, backoff: time.Millisecond, poll: time.Millisecond}, func(_ context.Context, body string) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls%7 == 0 {
			return errors.New("a passing failure")
		}
		n, err := strconv.Atoi(body[1:])
		require.NoError(t, err)
		got[body[:1]] = append(got[body[:1]], n)
		return nil
	})
	eventually(t, func() bool { return inbox.pending() == 0 })
	mu.Lock()
	defer mu.Unlock()
	for _, key := range []string{"a", "b", "c"} {
		require.Len(t, got[key], perKey, key)
		require.True(t, slices.IsSorted(got[key]), "%s delivered out of order: %v", key, got[key])
	}
}

func TestReceiverBackoff(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 10: time.Minute, 1000: time.Minute} {
		require.Equal(t, want, receiverBackoff(time.Second, time.Minute, attempt), attempt)
	}
}

// The worker reports each retry, dead letter and redelivery through the
// same kind of hook as the Receiver's WithEvents, and SlogReceiverEvents
// logs them.
func TestInboxWorkerReportsEvents(t *testing.T) {
	inbox := &memInbox{}
	for _, body := range []string{`{"n":"fails"}`, `{"n":"twice"}`, `{"n":"twice"}`} {
		require.NoError(t, inbox.Append(context.Background(), InboxEvent{Message: "m", Body: []byte(body),
			Headers: map[string][]string{"Idempotency-Key": {body}}}))
	}
	var mu sync.Mutex
	var events []ReceiverEvent
	var logged strings.Builder
	logEvent := SlogReceiverEvents(slog.New(slog.NewTextHandler(&logged, nil)))
	observe := func(e ReceiverEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
		logEvent(e)
	}
	startWorker(t, inbox, receiverInboxSettings{maxAttempts: 2, backoff: time.Millisecond, poll: time.Millisecond, workers: 1,
		store: NewMemoryIdempotencyStore(0, 0), observe: observe},
		func(_ context.Context, body string) error {
			if body == `{"n":"fails"}` {
				return errors.New("the database is down")
			}
			return nil
		})
	eventually(t, func() bool { return inbox.pending() == 0 })
	mu.Lock()
	defer mu.Unlock()
	slices.SortFunc(events, func(a, b ReceiverEvent) int { return strings.Compare(a.Kind+a.EventID, b.Kind+b.EventID) })
	require.Equal(t, []ReceiverEvent{
		{Kind: ReceiverDeadLetter, Reason: "the database is down", EventID: "1", Message: "m", Attempt: 2},
		{Kind: ReceiverRedelivery, Key: `{"n":"twice"}`, EventID: "3", Message: "m", Attempt: 1},
		{Kind: ReceiverRetry, Reason: "the database is down", EventID: "1", Message: "m", Attempt: 1},
	}, events)
	require.Contains(t, logged.String(), `level=ERROR msg="webhook inbox worker: dead-letter"`)
	require.Contains(t, logged.String(), `event_id=1 message=m attempt=2`)
	require.Contains(t, logged.String(), `level=WARN msg="webhook inbox worker: retry"`)
}

// When another delivery holds the event's idempotency key (its inbox
// lease ended before its claim in the store), the event is retried after
// a lease, when that claim has ended, not after the backoff: retrying
// sooner spent every attempt and dead-lettered the event.
func TestInboxWorkerWaitsOutAKeyInFlight(t *testing.T) {
	inbox := &memInbox{}
	require.NoError(t, inbox.Append(context.Background(), InboxEvent{Message: "m", Body: []byte(`{}`)}))
	store := NewMemoryIdempotencyStore(0, 0)
	const lease = 2 * time.Second
	state, _, err := store.Claim(context.Background(), "inbox:1", receiverBodyHash([]byte(`{}`)), lease)
	require.NoError(t, err)
	require.Equal(t, IdempotencyClaimed, state)
	var delivered atomic.Int64
	startWorker(t, inbox, receiverInboxSettings{maxAttempts: 3, lease: lease, backoff: time.Millisecond, poll: time.Millisecond, store: store},
		func(context.Context, string) error {
			delivered.Add(1)
			return nil
		})
	eventually(t, func() bool { return inbox.pending() == 0 })
	dead, err := inbox.DeadLetters(context.Background(), 10)
	require.NoError(t, err)
	require.Empty(t, dead)
	require.EqualValues(t, 1, delivered.Load())
}
