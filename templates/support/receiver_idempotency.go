package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrAlreadyDelivered is what IdempotencyStore.Claim returns for a key
// whose delivery was completed: the Receiver acknowledges the request
// without calling the handler.
var ErrAlreadyDelivered = errors.New("already delivered")

// ErrDeliveryInFlight is what IdempotencyStore.Claim returns for a key
// another request is delivering: the Receiver answers 503 with
// Retry-After, so that the sender tries again once that one is done.
var ErrDeliveryInFlight = errors.New("delivery in flight")

// IdempotencyStore remembers which deliveries a Receiver handled, so that
// a redelivered event reaches the handler once. A key is the value of the
// header the spec declares as the message's idempotency key, else the hex
// SHA-256 of the body. Implementations must be safe for concurrent use;
// one shared by several processes makes them deduplicate together.
type IdempotencyStore interface {
	// Claim reserves key before the handler is called. It returns nil
	// when the caller holds the key, ErrAlreadyDelivered when the key was
	// completed, ErrDeliveryInFlight when another caller holds it, and
	// any other error when the store cannot say (the Receiver answers 503).
	Claim(ctx context.Context, key string) error
	// Complete records that the delivery of a claimed key succeeded.
	Complete(ctx context.Context, key string) error
	// Release gives up a claimed key whose delivery failed, so that a
	// retry can deliver it.
	Release(ctx context.Context, key string) error
}

// The defaults of NewMemoryIdempotencyStore.
const (
	receiverDefaultIdempotencyTTL  = 24 * time.Hour
	receiverDefaultIdempotencyKeys = 100_000
)

// MemoryIdempotencyStore is an IdempotencyStore in the memory of one
// process. It remembers completed keys for a time and up to a number,
// forgetting the oldest first; keys in flight are kept until released or
// completed.
type MemoryIdempotencyStore struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	now func() time.Time
	// keys holds every key in flight or completed.
	keys map[string]receiverKeyState
	// completed lists completed keys in the order they were completed,
	// from index head on.
	completed []receiverCompletedKey
	head      int
}

// receiverKeyState is where a key of a MemoryIdempotencyStore stands.
type receiverKeyState struct {
	done bool
	// doneAt is when the key was completed.
	doneAt time.Time
}

// receiverCompletedKey is an entry of MemoryIdempotencyStore.completed.
type receiverCompletedKey struct {
	key    string
	doneAt time.Time
}

// NewMemoryIdempotencyStore returns a store that remembers a completed key
// for ttl (24 hours when ttl <= 0) and at most maxKeys completed keys
// (100,000 when maxKeys <= 0).
func NewMemoryIdempotencyStore(ttl time.Duration, maxKeys int) *MemoryIdempotencyStore {
	if ttl <= 0 {
		ttl = receiverDefaultIdempotencyTTL
	}
	if maxKeys <= 0 {
		maxKeys = receiverDefaultIdempotencyKeys
	}
	return &MemoryIdempotencyStore{ttl: ttl, max: maxKeys, now: time.Now, keys: map[string]receiverKeyState{}}
}

// Claim reserves key unless it is in flight or was completed.
func (s *MemoryIdempotencyStore) Claim(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget()
	state, ok := s.keys[key]
	switch {
	case ok && state.done:
		return ErrAlreadyDelivered
	case ok:
		return ErrDeliveryInFlight
	}
	s.keys[key] = receiverKeyState{}
	return nil
}

// Complete records key as delivered.
func (s *MemoryIdempotencyStore) Complete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.now()
	s.keys[key] = receiverKeyState{done: true, doneAt: at}
	s.completed = append(s.completed, receiverCompletedKey{key: key, doneAt: at})
	s.forget()
	return nil
}

// Release forgets a key in flight.
func (s *MemoryIdempotencyStore) Release(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if state, ok := s.keys[key]; ok && !state.done {
		delete(s.keys, key)
	}
	return nil
}

// forget drops the completed keys that are too old or too many.
func (s *MemoryIdempotencyStore) forget() {
	cutoff := s.now().Add(-s.ttl)
	for s.head < len(s.completed) {
		c := s.completed[s.head]
		if len(s.completed)-s.head <= s.max && !c.doneAt.Before(cutoff) {
			break
		}
		// A key completed again later has a newer entry; keep it.
		if state := s.keys[c.key]; state.done && state.doneAt.Equal(c.doneAt) {
			delete(s.keys, c.key)
		}
		s.completed[s.head] = receiverCompletedKey{}
		s.head++
	}
	if s.head > 1024 && s.head*2 > len(s.completed) {
		s.completed = append([]receiverCompletedKey(nil), s.completed[s.head:]...)
		s.head = 0
	}
}
