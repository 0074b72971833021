// Package storetest checks that an idempotency store keeps the contract
// of the IdempotencyStore interface that asyncgen generates into every
// receiver package. Run it from the store's own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Store { return newStore(t) })
//	}
package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The states of the contract, as every generated package names them.
const (
	Claimed   = "claimed"
	Delivered = "delivered"
	InFlight  = "in-flight"
	Conflict  = "conflict"
)

// Store is the method set of every generated IdempotencyStore.
type Store interface {
	Claim(ctx context.Context, key, bodyHash string, lease time.Duration) (state, token string, err error)
	Complete(ctx context.Context, key, token string) error
	Release(ctx context.Context, key, token string) error
}

// shortLease is the lease of the claims a test lets expire; the test
// waits expiryWait, longer, before it claims again.
const (
	shortLease = 100 * time.Millisecond
	expiryWait = 400 * time.Millisecond
)

// Run checks the contract on stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, s Store)
	}{
		{"ClaimThenDuplicate", claimThenDuplicate},
		{"InFlight", inFlight},
		{"LeaseExpiryFreesKey", leaseExpiry},
		{"LateCompletionFenced", lateCompletion},
		{"Release", release},
		{"BodyHashMismatch", bodyHashMismatch},
		{"ConcurrentClaims", concurrentClaims},
		{"AnyKey", anyKey},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, newStore(t)) })
	}
}

// claim claims key and requires the state want; it returns the token.
func claim(t *testing.T, s Store, key, hash string, lease time.Duration, want string) string {
	t.Helper()
	state, token, err := s.Claim(context.Background(), key, hash, lease)
	if err != nil {
		t.Fatalf("claim %q: %v", key, err)
	}
	if state != want {
		t.Fatalf("claim %q: state %q, want %q", key, state, want)
	}
	if (state == Claimed) != (token != "") {
		t.Fatalf("claim %q: state %q with token %q: a token comes with a claim, and only then", key, state, token)
	}
	return token
}

func complete(t *testing.T, s Store, key, token string) {
	t.Helper()
	if err := s.Complete(context.Background(), key, token); err != nil {
		t.Fatalf("complete %q: %v", key, err)
	}
}

func claimThenDuplicate(t *testing.T, s Store) {
	token := claim(t, s, "k", "h", time.Minute, Claimed)
	complete(t, s, "k", token)
	claim(t, s, "k", "h", time.Minute, Delivered)
	if err := s.Release(context.Background(), "k", token); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", "h", time.Minute, Delivered)
	claim(t, s, "other", "h", time.Minute, Claimed)
}

func inFlight(t *testing.T, s Store) {
	claim(t, s, "k", "h", time.Minute, Claimed)
	claim(t, s, "k", "h", time.Minute, InFlight)
}

func leaseExpiry(t *testing.T, s Store) {
	first := claim(t, s, "k", "h", shortLease, Claimed)
	time.Sleep(expiryWait)
	second := claim(t, s, "k", "h", time.Minute, Claimed)
	if first == second {
		t.Fatalf("two claims share the token %q", first)
	}
}

func lateCompletion(t *testing.T, s Store) {
	ctx := context.Background()
	stale := claim(t, s, "k", "h", shortLease, Claimed)
	time.Sleep(expiryWait)
	fresh := claim(t, s, "k", "h", time.Minute, Claimed)
	if err := s.Complete(ctx, "k", stale); err == nil {
		t.Fatal("the completion of a claim whose lease ended succeeded over a newer claim")
	}
	if err := s.Release(ctx, "k", stale); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", "h", time.Minute, InFlight)
	complete(t, s, "k", fresh)
	claim(t, s, "k", "h", time.Minute, Delivered)

	expired := claim(t, s, "gone", "h", shortLease, Claimed)
	time.Sleep(expiryWait)
	if err := s.Complete(ctx, "gone", expired); err == nil {
		// Allowed only if nothing claimed it since: then it is delivered.
		claim(t, s, "gone", "h", time.Minute, Delivered)
	}
}

func release(t *testing.T, s Store) {
	ctx := context.Background()
	token := claim(t, s, "k", "h", time.Minute, Claimed)
	if err := s.Release(ctx, "k", "not-the-token"); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", "h", time.Minute, InFlight)
	if err := s.Release(ctx, "k", token); err != nil {
		t.Fatal(err)
	}
	again := claim(t, s, "k", "h", time.Minute, Claimed)
	if err := s.Complete(ctx, "k", token); err == nil {
		t.Fatal("a released claim completed")
	}
	complete(t, s, "k", again)
}

func bodyHashMismatch(t *testing.T, s Store) {
	token := claim(t, s, "k", "real", time.Minute, Claimed)
	claim(t, s, "k", "forged", time.Minute, Conflict)
	complete(t, s, "k", token)
	claim(t, s, "k", "forged", time.Minute, Conflict)
	claim(t, s, "k", "real", time.Minute, Delivered)
}

func concurrentClaims(t *testing.T, s Store) {
	const n = 32
	var wg sync.WaitGroup
	var mu sync.Mutex
	states := map[string]int{}
	for range n {
		wg.Go(func() {
			state, _, err := s.Claim(context.Background(), "k", "h", time.Minute)
			if err != nil {
				state = "error: " + err.Error()
			}
			mu.Lock()
			states[state]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if states[Claimed] != 1 || states[InFlight] != n-1 {
		t.Fatalf("%d concurrent claims of one key: %v, want 1 %s and the rest %s", n, states, Claimed, InFlight)
	}
}

func anyKey(t *testing.T, s Store) {
	for _, key := range []string{"", " ", "ключ 🔑", strings.Repeat("k", 2000), "a:b*c?[d]", "line\nbreak", "'; DROP TABLE x; --"} {
		token := claim(t, s, key, "h", time.Minute, Claimed)
		complete(t, s, key, token)
		claim(t, s, key, "h", time.Minute, Delivered)
	}
	claim(t, s, fmt.Sprint("k", 1), "h", time.Minute, Claimed)
}

// Benchmark measures a claim and a completion of a new key, one caller at
// a time ("serial") and from 16 goroutines ("parallel"); it reports the
// pairs per second as claims+completes/s.
func Benchmark(b *testing.B, s Store) {
	for _, c := range []struct {
		name     string
		parallel bool
	}{{"serial", false}, {"parallel", true}} {
		b.Run(c.name, func(b *testing.B) {
			var next atomic.Int64
			prefix := fmt.Sprintf("bench-%s-%d-", c.name, time.Now().UnixNano())
			one := func() {
				key := prefix + strconv.FormatInt(next.Add(1), 10)
				_, token, err := s.Claim(context.Background(), key, "h", time.Minute)
				if err == nil {
					err = s.Complete(context.Background(), key, token)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			if c.parallel {
				b.SetParallelism(16)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						one()
					}
				})
			} else {
				for b.Loop() {
					one()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims+completes/s")
		})
	}
}
