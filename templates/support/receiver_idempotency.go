package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"container/heap"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// The states IdempotencyStore.Claim answers with. They are plain strings,
// the same in every generated package, so that one store fits them all.
const (
	// IdempotencyClaimed: the caller holds the key, with the token
	// Claim returned, until its lease ends.
	IdempotencyClaimed = "claimed"
	// IdempotencyDelivered: the key's delivery was completed; the Receiver
	// acknowledges the request without calling the handler.
	IdempotencyDelivered = "delivered"
	// IdempotencyInFlight: another caller holds the key and its lease has
	// not ended; the Receiver answers 503 with Retry-After.
	IdempotencyInFlight = "in-flight"
	// IdempotencyConflict: the key was claimed for another body; the
	// Receiver answers 409 Conflict.
	IdempotencyConflict = "conflict"
)

// IdempotencyStore remembers which deliveries a Receiver handled, so that
// a redelivered event reaches the handler once. Its methods use standard
// types only: a store written once (such as those of the packages
// github.com/asyncgen/asyncgen/store/redis and store/postgres) fits the
// Receiver of every generated package. Implementations must be safe for
// concurrent use; a store shared by several processes makes them
// deduplicate together.
//
// A key is claimed for one body, named by its hex SHA-256 (bodyHash): a
// claim of the same key for another body is a conflict, so that an event
// sent first with a stolen key cannot swallow the real one.
type IdempotencyStore interface {
	// Claim reserves key for a delivery of the body whose hash is
	// bodyHash, for lease. It returns IdempotencyClaimed and a token that
	// no other claim of key ever gets when the caller now holds the key;
	// else IdempotencyDelivered, IdempotencyInFlight or
	// IdempotencyConflict and no token. A claim whose lease ended frees
	// its key. An error means the store cannot say (the Receiver answers
	// 503), and is what a store that refuses new keys rather than forget
	// live ones returns.
	Claim(ctx context.Context, key, bodyHash string, lease time.Duration) (state, token string, err error)
	// Complete records that the delivery claimed with token succeeded. It
	// fails, changing nothing, when token no longer holds key: its lease
	// ended and the key was freed or claimed again.
	Complete(ctx context.Context, key, token string) error
	// Release gives up the claim made with token, so that a retry can
	// deliver the key. It does nothing when token no longer holds key.
	Release(ctx context.Context, key, token string) error
}

// The defaults of NewMemoryIdempotencyStore.
const (
	receiverDefaultIdempotencyTTL  = 24 * time.Hour
	receiverDefaultIdempotencyKeys = 100_000
)

// MemoryIdempotencyStore is an IdempotencyStore in the memory of one
// process. It remembers a completed key for a time, and holds at most a
// number of keys, in flight and completed together. When it is full of
// keys that are neither expired nor released, Claim refuses new keys with
// an error (the Receiver answers 503, and the sender retries later)
// rather than forget a live key and deliver its event twice.
type MemoryIdempotencyStore struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	now func() time.Time
	// keys holds every key in flight or completed.
	keys map[string]*receiverKeyState
	// expiries orders the keys by when they expire; an entry whose key
	// changed since is skipped.
	expiries receiverExpiries
	// claims counts the claims made, for their tokens.
	claims uint64
	// nonce makes the tokens of this store unlike those of any other.
	nonce string
}

// receiverKeyState is where a key of a MemoryIdempotencyStore stands.
type receiverKeyState struct {
	bodyHash string
	token    string
	done     bool
	// until is when the lease ends, or when a completed key is forgotten.
	until time.Time
}

// NewMemoryIdempotencyStore returns a store that remembers a completed key
// for ttl (24 hours when ttl <= 0) and holds at most maxKeys keys
// (100,000 when maxKeys <= 0).
func NewMemoryIdempotencyStore(ttl time.Duration, maxKeys int) *MemoryIdempotencyStore {
	if ttl <= 0 {
		ttl = receiverDefaultIdempotencyTTL
	}
	if maxKeys <= 0 {
		maxKeys = receiverDefaultIdempotencyKeys
	}
	var nonce [8]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	return &MemoryIdempotencyStore{ttl: ttl, max: maxKeys, now: time.Now, keys: map[string]*receiverKeyState{}, nonce: hex.EncodeToString(nonce[:])}
}

// Claim reserves key unless it is in flight, was completed, or was
// claimed for another body.
func (s *MemoryIdempotencyStore) Claim(_ context.Context, key, bodyHash string, lease time.Duration) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.forget(now)
	if state, ok := s.keys[key]; ok {
		switch {
		case state.bodyHash != bodyHash:
			return IdempotencyConflict, "", nil
		case state.done:
			return IdempotencyDelivered, "", nil
		}
		return IdempotencyInFlight, "", nil
	}
	if len(s.keys) >= s.max {
		return "", "", fmt.Errorf("the in-memory idempotency store holds %d keys, its limit, none of them expired: new keys are refused until some expire", s.max)
	}
	s.claims++
	token := s.nonce + "-" + strconv.FormatUint(s.claims, 10)
	s.keys[key] = &receiverKeyState{bodyHash: bodyHash, token: token, until: now.Add(lease)}
	heap.Push(&s.expiries, receiverExpiry{key: key, until: now.Add(lease), token: token})
	return IdempotencyClaimed, token, nil
}

// errReceiverLeaseLost is what Complete returns for a token that no longer holds
// its key.
var errReceiverLeaseLost = errors.New("the claim's lease ended and its key was freed or claimed again")

// Complete records key as delivered, when token still holds it.
func (s *MemoryIdempotencyStore) Complete(_ context.Context, key, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.forget(now)
	state, ok := s.keys[key]
	if !ok || state.done || state.token != token {
		return errReceiverLeaseLost
	}
	state.done = true
	state.until = now.Add(s.ttl)
	heap.Push(&s.expiries, receiverExpiry{key: key, until: state.until, token: token})
	return nil
}

// Release forgets key, when token still holds it in flight.
func (s *MemoryIdempotencyStore) Release(_ context.Context, key, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if state, ok := s.keys[key]; ok && !state.done && state.token == token {
		delete(s.keys, key)
	}
	s.compact()
	return nil
}

// compact rebuilds the expiries when released claims left them more
// than twice as long as they need to be.
func (s *MemoryIdempotencyStore) compact() {
	if len(s.expiries) <= 2*len(s.keys)+1024 {
		return
	}
	s.expiries = s.expiries[:0]
	for key, state := range s.keys {
		s.expiries = append(s.expiries, receiverExpiry{key: key, token: state.token, until: state.until})
	}
	heap.Init(&s.expiries)
}

// Len returns how many keys the store holds, in flight and completed,
// expired ones left out: what WithIdempotency's store is measured by
// against its limit.
func (s *MemoryIdempotencyStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(s.now())
	return len(s.keys)
}

// forget drops the keys whose lease or time ended by now.
func (s *MemoryIdempotencyStore) forget(now time.Time) {
	for len(s.expiries) > 0 && !s.expiries[0].until.After(now) {
		e := heap.Pop(&s.expiries).(receiverExpiry)
		if state, ok := s.keys[e.key]; ok && state.token == e.token && state.until.Equal(e.until) {
			delete(s.keys, e.key)
		}
	}
}

// receiverExpiry is when a key's claim (named by its token) ends.
type receiverExpiry struct {
	key   string
	token string
	until time.Time
}

// receiverExpiries is a heap of expiries, the earliest first.
type receiverExpiries []receiverExpiry

// Len is the number of expiries.
func (h receiverExpiries) Len() int { return len(h) }

// Less orders expiries by time.
func (h receiverExpiries) Less(i, j int) bool { return h[i].until.Before(h[j].until) }

// Swap swaps two expiries.
func (h receiverExpiries) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// Push adds an expiry.
func (h *receiverExpiries) Push(x any) { *h = append(*h, x.(receiverExpiry)) }

// Pop removes the last expiry.
func (h *receiverExpiries) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = receiverExpiry{}
	*h = old[:len(old)-1]
	return x
}
