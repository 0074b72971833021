package support

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a time a test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) time() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// memoryStore is a MemoryIdempotencyStore on the clock c.
func memoryStore(c *clock, ttl time.Duration, maxKeys int) *MemoryIdempotencyStore {
	s := NewMemoryIdempotencyStore(ttl, maxKeys)
	s.now = c.time
	return s
}

// claimed claims key for bodyHash and requires it to succeed.
func claimed(t *testing.T, s IdempotencyStore, key, bodyHash string, lease time.Duration) string {
	t.Helper()
	state, token, err := s.Claim(context.Background(), key, bodyHash, lease)
	require.NoError(t, err)
	require.Equal(t, IdempotencyClaimed, state)
	require.NotEmpty(t, token)
	return token
}

// requireState claims key for bodyHash and requires the store to refuse
// with want.
func requireState(t *testing.T, s IdempotencyStore, key, bodyHash, want string) {
	t.Helper()
	state, token, err := s.Claim(context.Background(), key, bodyHash, time.Minute)
	require.NoError(t, err)
	require.Equal(t, want, state)
	require.Empty(t, token)
}

func TestMemoryIdempotencyStoreStates(t *testing.T) {
	ctx := context.Background()
	s := memoryStore(newClock(), 0, 0)
	token := claimed(t, s, "k", "h", time.Minute)
	requireState(t, s, "k", "h", IdempotencyInFlight)
	requireState(t, s, "k", "other body", IdempotencyConflict)
	require.NoError(t, s.Release(ctx, "k", "not the token"))
	requireState(t, s, "k", "h", IdempotencyInFlight)
	require.NoError(t, s.Release(ctx, "k", token))
	again := claimed(t, s, "k", "h", time.Minute)
	require.NotEqual(t, token, again, "each claim has its own token")
	require.Error(t, s.Complete(ctx, "k", token), "a released claim cannot complete")
	require.NoError(t, s.Complete(ctx, "k", again))
	requireState(t, s, "k", "h", IdempotencyDelivered)
	requireState(t, s, "k", "other body", IdempotencyConflict)
	require.NoError(t, s.Release(ctx, "k", again))
	requireState(t, s, "k", "h", IdempotencyDelivered)
	claimed(t, s, "other", "h", time.Minute)
}

// A lease that ends frees its key, and the late completion of the claim
// that held it changes nothing.
func TestMemoryIdempotencyStoreLeaseEnds(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := memoryStore(c, 0, 0)
	stale := claimed(t, s, "k", "h", time.Minute)
	c.advance(59 * time.Second)
	requireState(t, s, "k", "h", IdempotencyInFlight)
	c.advance(time.Second)
	fresh := claimed(t, s, "k", "h", time.Minute)
	require.Error(t, s.Complete(ctx, "k", stale), "the late completion is fenced off")
	require.NoError(t, s.Release(ctx, "k", stale))
	requireState(t, s, "k", "h", IdempotencyInFlight)
	require.NoError(t, s.Complete(ctx, "k", fresh))
	requireState(t, s, "k", "h", IdempotencyDelivered)
}

func TestMemoryIdempotencyStoreForgetsAfterTTL(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := memoryStore(c, time.Hour, 0)
	require.NoError(t, s.Complete(ctx, "old", claimed(t, s, "old", "h", time.Minute)))
	c.advance(30 * time.Minute)
	require.NoError(t, s.Complete(ctx, "new", claimed(t, s, "new", "h", time.Minute)))
	c.advance(31 * time.Minute)
	claimed(t, s, "old", "h", time.Minute)
	requireState(t, s, "new", "h", IdempotencyDelivered)
}

// A full store refuses new keys, rather than forget a live one; once
// keys expire it takes new ones again.
func TestMemoryIdempotencyStoreRefusesWhenFull(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := memoryStore(c, time.Hour, 100)
	for i := range 100 {
		key := fmt.Sprint(i)
		require.NoError(t, s.Complete(ctx, key, claimed(t, s, key, "h", time.Minute)))
	}
	require.Equal(t, 100, s.Len())
	_, _, err := s.Claim(ctx, "one more", "h", time.Minute)
	require.ErrorContains(t, err, "holds 100 keys")
	requireState(t, s, "0", "h", IdempotencyDelivered)
	c.advance(time.Hour)
	require.Equal(t, 0, s.Len())
	claimed(t, s, "one more", "h", time.Minute)
}

// Claims released over and over do not grow the store's bookkeeping.
func TestMemoryIdempotencyStoreReleasesStayBounded(t *testing.T) {
	ctx := context.Background()
	s := memoryStore(newClock(), 0, 0)
	for range 10_000 {
		require.NoError(t, s.Release(ctx, "k", claimed(t, s, "k", "h", time.Hour)))
	}
	require.LessOrEqual(t, len(s.expiries), 1024+1)
}

// Of many concurrent claims of one key, exactly one wins.
func TestMemoryIdempotencyStoreConcurrentClaims(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryIdempotencyStore(0, 0)
	var wg sync.WaitGroup
	var won atomic.Int32
	for range 64 {
		wg.Go(func() {
			if state, _, err := s.Claim(ctx, "k", "h", time.Minute); err == nil && state == IdempotencyClaimed {
				won.Add(1)
			}
		})
	}
	wg.Wait()
	require.Equal(t, int32(1), won.Load())
}

// idempotentReceiver is a receiverCore with a shared secret and the
// settings s, whose every payload is the message "m" declaring the
// idempotency header Delivery-ID unless keyHeader is false; a payload
// {"bad":1} is invalid. handle is its handler.
func idempotentReceiver(s receiverSettings, keyHeader bool, handle func(ctx context.Context, body []byte) error) *receiverCore {
	s.idempotent = true
	header := ""
	if keyHeader {
		header = "Delivery-ID"
	}
	return newReceiverCore(s, []receiverAuth{receiverSharedSecretAuth("s3cret")}, func(body []byte) (receiverDelivery, error) {
		if string(body) == `{"bad":1}` {
			return receiverDelivery{}, &ValidationError{Violations: []Violation{{Pointer: "/bad", Keyword: "additionalProperties", Message: "not allowed"}}}
		}
		return receiverDelivery{message: "m", keyHeader: header, handle: func(ctx context.Context) error { return handle(ctx, body) }}, nil
	})
}

// post serves one authenticated request with body and the header
// Delivery-ID: id (none when id is "") and returns the status.
func post(rc http.Handler, body, id string) int {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer s3cret")
	if id != "" {
		r.Header.Set("Delivery-ID", id)
	}
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, r)
	return w.Code
}

// counter counts handled bodies.
type counter struct {
	mu   sync.Mutex
	seen map[string]int
}

func (c *counter) handle(_ context.Context, body []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]int{}
	}
	c.seen[string(body)]++
	return nil
}

func (c *counter) count(body string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[body]
}

// The declared header is the key; without it a request is not
// deduplicated unless WithIdempotencyByBodyHash.
func TestReceiverIdempotencyKeys(t *testing.T) {
	h := &counter{}
	rc := idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0)}, true, h.handle)
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.Equal(t, 1, h.count(`{"a":1}`), "a redelivery with the same key is acknowledged, not handled")

	require.Equal(t, http.StatusNoContent, post(rc, `{"test":true}`, ""))
	require.Equal(t, http.StatusNoContent, post(rc, `{"test":true}`, ""))
	require.Equal(t, 2, h.count(`{"test":true}`), "without a key, the same body twice is two events")

	byBody := &counter{}
	rc = idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0), bodyHashKeys: true}, false, byBody.handle)
	require.Equal(t, http.StatusNoContent, post(rc, `{"test":true}`, ""))
	require.Equal(t, http.StatusNoContent, post(rc, `{"test":true}`, ""))
	require.Equal(t, 1, byBody.count(`{"test":true}`), "opted in, the body's hash is the key")
}

// A key claimed first by another body does not swallow the real event:
// the second body gets 409, and the handler hears of it once, not never.
func TestReceiverIdempotencyKeyBoundToBody(t *testing.T) {
	h := &counter{}
	rc := idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0)}, true, h.handle)
	require.Equal(t, http.StatusNoContent, post(rc, `{"bogus":true}`, "evt_1"))
	require.Equal(t, http.StatusConflict, post(rc, `{"real":true}`, "evt_1"))
	require.Equal(t, 0, h.count(`{"real":true}`))
	require.Equal(t, http.StatusNoContent, post(rc, `{"bogus":true}`, "evt_1"), "the first body's redelivery is still acknowledged")
}

// Requests that fail authentication or validation claim no key, and a
// store filled by valid events refuses the next with 503 rather than
// forget a key and deliver its redelivery twice.
func TestReceiverIdempotencyStoreFlooding(t *testing.T) {
	store := NewMemoryIdempotencyStore(time.Hour, 10)
	h := &counter{}
	rc := idempotentReceiver(receiverSettings{store: store, onError: func(*http.Request, error) {}}, true, h.handle)

	unauthenticated := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"junk":1}`))
	unauthenticated.Header.Set("Content-Type", "application/json")
	unauthenticated.Header.Set("Delivery-ID", "junk")
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, unauthenticated)
	require.Equal(t, http.StatusUnauthorized, w.Code)
	require.Equal(t, http.StatusBadRequest, post(rc, `{"bad":1}`, "junk"))
	require.Equal(t, 0, store.Len(), "refused requests claim no key")

	require.Equal(t, http.StatusNoContent, post(rc, `{"real":1}`, "real"))
	for i := range 9 {
		require.Equal(t, http.StatusNoContent, post(rc, fmt.Sprintf(`{"junk":%d}`, i), fmt.Sprint("junk", i)))
	}
	require.Equal(t, http.StatusServiceUnavailable, post(rc, `{"junk":"more"}`, "more"), "a full store refuses")
	require.Equal(t, http.StatusNoContent, post(rc, `{"real":1}`, "real"))
	require.Equal(t, 1, h.count(`{"real":1}`), "the real event is not delivered twice")
}

// A handler that calls runtime.Goexit frees its key: the redelivery is
// handled.
func TestReceiverIdempotencyGoexitReleasesKey(t *testing.T) {
	h := &counter{}
	exit := true
	rc := idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0)}, true, func(ctx context.Context, body []byte) error {
		if exit {
			runtime.Goexit()
		}
		return h.handle(ctx, body)
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		post(rc, `{"a":1}`, "d1")
	}()
	<-done
	exit = false
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.Equal(t, 1, h.count(`{"a":1}`))
}

// A handler that never returns holds its key for its lease only: then a
// redelivery is handled, and the stuck handler's late completion does not
// overwrite the new claim.
func TestReceiverIdempotencyLeaseFreesStuckKey(t *testing.T) {
	c := newClock()
	store := memoryStore(c, 0, 0)
	var reported []error
	var mu sync.Mutex
	h := &counter{}
	stuck, started := make(chan struct{}), make(chan struct{})
	first := true
	rc := idempotentReceiver(receiverSettings{store: store, lease: time.Hour, onError: func(_ *http.Request, err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}}, true, func(ctx context.Context, body []byte) error {
		if first {
			first = false
			close(started)
			<-stuck
		}
		return h.handle(ctx, body)
	})
	done := make(chan int)
	go func() { done <- post(rc, `{"a":1}`, "d1") }()
	<-started
	require.Equal(t, http.StatusServiceUnavailable, post(rc, `{"a":1}`, "d1"), "in flight within its lease")
	c.advance(time.Hour)
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"), "the lease ended: the redelivery is handled")
	close(stuck)
	require.Equal(t, http.StatusNoContent, <-done)
	require.Equal(t, 2, h.count(`{"a":1}`))
	mu.Lock()
	require.Len(t, reported, 1)
	require.ErrorContains(t, reported[0], "not recorded as delivered")
	mu.Unlock()
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.Equal(t, 2, h.count(`{"a":1}`), "the second claim's completion stands")
}

// The handler's context ends with its lease.
func TestReceiverIdempotencyLeaseBoundsHandlerContext(t *testing.T) {
	var deadline time.Time
	var ok bool
	rc := idempotentReceiver(receiverSettings{store: NewMemoryIdempotencyStore(0, 0), lease: time.Hour}, true, func(ctx context.Context, _ []byte) error {
		deadline, ok = ctx.Deadline()
		return nil
	})
	before := time.Now()
	require.Equal(t, http.StatusNoContent, post(rc, `{"a":1}`, "d1"))
	require.True(t, ok)
	require.False(t, deadline.Before(before.Add(time.Hour)))
}

// A panic with http.ErrAbortHandler goes on up, as net/http expects,
// once the key is released.
func TestReceiverAbortHandlerPanicIsNotSwallowed(t *testing.T) {
	store := NewMemoryIdempotencyStore(0, 0)
	rc := idempotentReceiver(receiverSettings{store: store}, true, func(context.Context, []byte) error { panic(http.ErrAbortHandler) })
	require.PanicsWithValue(t, http.ErrAbortHandler, func() { post(rc, `{}`, "d1") })
	require.Equal(t, 0, store.Len(), "the aborted delivery's key is released")
}

// A store answering what the contract does not allow is a store failure.
func TestReceiverIdempotencyUnknownState(t *testing.T) {
	var reported error
	rc := idempotentReceiver(receiverSettings{store: oddStore{}, onError: func(_ *http.Request, err error) { reported = err }}, true, func(context.Context, []byte) error { return nil })
	require.Equal(t, http.StatusServiceUnavailable, post(rc, `{}`, "d1"))
	require.ErrorContains(t, reported, `state "maybe"`)
}

// oddStore answers every claim with a state that does not exist.
type oddStore struct{}

func (oddStore) Claim(context.Context, string, string, time.Duration) (string, string, error) {
	return "maybe", "", nil
}
func (oddStore) Complete(context.Context, string, string) error { return nil }
func (oddStore) Release(context.Context, string, string) error  { return nil }
