// Package redis is an idempotency store on Redis for the Receiver of any
// package asyncgen generates: receivers of several replicas that share
// one Store deliver each event to one handler once.
//
//	store := redis.New(goredis.NewClient(&goredis.Options{Addr: "localhost:6379"}))
//	http.Handle("POST /webhooks", chartmogul.NewReceiver(h, chartmogul.WithIdempotency(store)))
//
// A key is one Redis hash, written by Lua scripts so that every step is
// atomic: a claim in flight expires with its lease, a completed key after
// the store's time to live, and a completion or release presents the
// token of its claim, so that a claim whose lease ended cannot overwrite
// a newer one.
package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The states Claim answers with: the values of the Idempotency* constants
// of every generated package.
const (
	claimed   = "claimed"
	delivered = "delivered"
	inFlight  = "in-flight"
	conflict  = "conflict"
)

// DefaultTTL is how long a Store remembers a completed key unless
// WithTTL says otherwise.
const DefaultTTL = 24 * time.Hour

// DefaultPrefix begins the Redis key of every idempotency key unless
// WithPrefix says otherwise.
const DefaultPrefix = "asyncgen:idempotency:"

// Store is an IdempotencyStore on Redis; it is safe for concurrent use.
type Store struct {
	client goredis.Scripter
	ttl    time.Duration
	prefix string
}

// Option configures a Store.
type Option func(*Store)

// WithTTL sets how long a completed key is remembered (DefaultTTL by
// default); ttl <= 0 keeps the default.
func WithTTL(ttl time.Duration) Option {
	return func(s *Store) {
		if ttl > 0 {
			s.ttl = ttl
		}
	}
}

// WithPrefix sets what begins the Redis key of every idempotency key
// (DefaultPrefix by default), so that several stores can share one
// database.
func WithPrefix(prefix string) Option {
	return func(s *Store) { s.prefix = prefix }
}

// New returns a Store that keeps its keys with client: a *redis.Client,
// *redis.ClusterClient or any other client that runs scripts.
func New(client goredis.Scripter, opts ...Option) *Store {
	s := &Store{client: client, ttl: DefaultTTL, prefix: DefaultPrefix}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// claimScript claims KEYS[1] for the body hash ARGV[1] with the token
// ARGV[2] for ARGV[3] milliseconds, unless the key is held: it answers
// the state.
var claimScript = goredis.NewScript(`
local held = redis.call('HMGET', KEYS[1], 'hash', 'done')
if held[1] == false then
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'token', ARGV[2], 'done', '0')
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 'claimed'
end
if held[1] ~= ARGV[1] then return 'conflict' end
if held[2] == '1' then return 'delivered' end
return 'in-flight'
`)

// completeScript marks KEYS[1] done for ARGV[2] milliseconds when the
// token ARGV[1] holds it in flight: it answers 1, else 0.
var completeScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'done') ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'done', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// releaseScript deletes KEYS[1] when the token ARGV[1] holds it in
// flight.
var releaseScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] and redis.call('HGET', KEYS[1], 'done') == '0' then
  redis.call('DEL', KEYS[1])
end
return 0
`)

// Claim reserves key for the body hashed bodyHash, for lease, unless it
// is in flight, was completed, or was claimed for another body.
func (s *Store) Claim(ctx context.Context, key, bodyHash string, lease time.Duration) (state, token string, err error) {
	token, err = newToken()
	if err != nil {
		return "", "", err
	}
	state, err = claimScript.Run(ctx, s.client, []string{s.prefix + key}, bodyHash, token, milliseconds(lease)).Text()
	if err != nil {
		return "", "", fmt.Errorf("redis idempotency store: claim: %w", err)
	}
	switch state {
	case claimed:
		return state, token, nil
	case delivered, inFlight, conflict:
		return state, "", nil
	}
	return "", "", fmt.Errorf("redis idempotency store: claim answered %q", state)
}

// ErrLeaseLost is what Complete returns when the token no longer holds
// its key: the lease ended, and the key was freed or claimed again.
var ErrLeaseLost = errors.New("the claim's lease ended and its key was freed or claimed again")

// Complete records the delivery claimed with token as done.
func (s *Store) Complete(ctx context.Context, key, token string) error {
	done, err := completeScript.Run(ctx, s.client, []string{s.prefix + key}, token, milliseconds(s.ttl)).Int()
	if err != nil {
		return fmt.Errorf("redis idempotency store: complete: %w", err)
	}
	if done != 1 {
		return fmt.Errorf("redis idempotency store: complete: %w", ErrLeaseLost)
	}
	return nil
}

// Release frees key when token still holds it in flight.
func (s *Store) Release(ctx context.Context, key, token string) error {
	if err := releaseScript.Run(ctx, s.client, []string{s.prefix + key}, token).Err(); err != nil {
		return fmt.Errorf("redis idempotency store: release: %w", err)
	}
	return nil
}

// milliseconds is d in whole milliseconds, at least 1.
func milliseconds(d time.Duration) int64 {
	return max(d.Milliseconds(), 1)
}

// newToken returns 128 random bits in hex.
func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redis idempotency store: token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
