// Package inboxtest checks that an inbox keeps the contract of the Inbox
// interface that asyncgen generates into every receiver package: append,
// lease with a token, ack, fail with a retry time, dead letters, replay,
// the order of an ordering key, and the end of a lease. Run it from the
// backend's own tests:
//
//	func TestContract(t *testing.T) {
//		inboxtest.Run(t, func(t *testing.T) inboxtest.Inbox { return newInbox(t) })
//	}
package inboxtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/inbox"
)

// Inbox is the method set of every generated Inbox.
type Inbox interface {
	Append(ctx context.Context, event inbox.Event) error
	Lease(ctx context.Context, lease time.Duration) (event inbox.Event, token string, ok bool, err error)
	Ack(ctx context.Context, id, token string) error
	Fail(ctx context.Context, id, token string, retryAt time.Time, reason string) error
	DeadLetter(ctx context.Context, id, token, reason string) error
	DeadLetters(ctx context.Context, limit int) ([]inbox.Event, error)
	Replay(ctx context.Context, id string) error
}

// shortLease is the lease (and the retry delay) a test lets run out; the
// test waits expiryWait, longer, before it leases again.
const (
	shortLease = 100 * time.Millisecond
	expiryWait = 400 * time.Millisecond
)

// Run checks the contract on inboxes made by newInbox, one per subtest;
// each must start empty.
func Run(t *testing.T, newInbox func(t *testing.T) Inbox) {
	for _, c := range []struct {
		name string
		test func(t *testing.T, ib Inbox)
	}{
		{"EmptyHasNothingDue", emptyHasNothingDue},
		{"AppendKeepsEveryField", appendKeepsEveryField},
		{"LeaseHoldsTheEvent", leaseHoldsTheEvent},
		{"OldestFirst", oldestFirst},
		{"AckSettlesOnce", ackSettlesOnce},
		{"FailRetriesAtItsTime", failRetriesAtItsTime},
		{"DeadLetterListAndReplay", deadLetterListAndReplay},
		{"WrongTokenChangesNothing", wrongTokenChangesNothing},
		{"LeaseExpiry", leaseExpiry},
		{"OrderingKey", orderingKey},
		{"ConcurrentLeases", concurrentLeases},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, newInbox(t)) })
	}
}

var bg = context.Background()

// add appends an event with message and body (and the ordering key key).
func add(t *testing.T, ib Inbox, body, key string) {
	t.Helper()
	if err := ib.Append(bg, inbox.Event{Message: "m", Body: []byte(body), OrderingKey: key, ReceivedAt: time.Now()}); err != nil {
		t.Fatalf("append %s: %v", body, err)
	}
}

// lease leases the next due event for d and requires one with body want.
func lease(t *testing.T, ib Inbox, d time.Duration, want string) (inbox.Event, string) {
	t.Helper()
	e, token, ok, err := ib.Lease(bg, d)
	switch {
	case err != nil:
		t.Fatalf("lease, wanting %s: %v", want, err)
	case !ok:
		t.Fatalf("lease: nothing due, want %s", want)
	case string(e.Body) != want:
		t.Fatalf("lease: got %s, want %s", e.Body, want)
	case token == "" || e.ID == "":
		t.Fatalf("lease of %s: ID %q and token %q, want both set", want, e.ID, token)
	}
	return e, token
}

// nothingDue requires that no event is due.
func nothingDue(t *testing.T, ib Inbox) {
	t.Helper()
	e, _, ok, err := ib.Lease(bg, time.Minute)
	if err != nil {
		t.Fatalf("lease: %v", err)
	}
	if ok {
		t.Fatalf("lease: got %s (ID %s), want nothing due", e.Body, e.ID)
	}
}

// lost requires that err says the lease was lost.
func lost(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, inbox.ErrLeaseLost) {
		t.Fatalf("%s: %v, want an error wrapping inbox.ErrLeaseLost", what, err)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func emptyHasNothingDue(t *testing.T, ib Inbox) {
	nothingDue(t, ib)
	dead, err := ib.DeadLetters(bg, 10)
	must(t, "dead letters", err)
	if len(dead) != 0 {
		t.Fatalf("an empty inbox lists %d dead letters", len(dead))
	}
}

func appendKeepsEveryField(t *testing.T, ib Inbox) {
	received := time.Date(2026, 11, 29, 7, 8, 9, 123456000, time.FixedZone("CET", 3600))
	want := inbox.Event{
		ID:          "ignored",
		Message:     "subscription.updated ✓",
		Body:        []byte("{\"a\":\"\\u0000\"}\x00\xff raw"),
		Headers:     map[string][]string{"Idempotency-Key": {"k-1"}, "X-Several": {"one", "two"}},
		Claims:      map[string]any{"sub": "account-7", "exp": float64(1893456000), "scope": []any{"a", "b"}, "nested": map[string]any{"x": true}},
		ReceivedAt:  received,
		OrderingKey: "customer-1",
		Attempts:    7,
		LastError:   "ignored",
	}
	must(t, "append", ib.Append(bg, want))
	got, token := lease(t, ib, time.Minute, string(want.Body))
	if got.ID == "ignored" {
		t.Fatal("Append kept the ID it was given; it assigns its own")
	}
	if got.Attempts != 0 || got.LastError != "" {
		t.Fatalf("a new event has %d attempts and last error %q, want 0 and none", got.Attempts, got.LastError)
	}
	if got.Message != want.Message || !bytes.Equal(got.Body, want.Body) || got.OrderingKey != want.OrderingKey {
		t.Fatalf("got message %q body %q key %q, want %q %q %q", got.Message, got.Body, got.OrderingKey, want.Message, want.Body, want.OrderingKey)
	}
	if !reflect.DeepEqual(got.Headers, want.Headers) {
		t.Fatalf("headers %v, want %v", got.Headers, want.Headers)
	}
	if !reflect.DeepEqual(got.Claims, want.Claims) {
		t.Fatalf("claims %#v, want %#v", got.Claims, want.Claims)
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Fatalf("received at %v, want %v (kept to the microsecond)", got.ReceivedAt, want.ReceivedAt)
	}
	must(t, "ack", ib.Ack(bg, got.ID, token))

	must(t, "append without headers or claims", ib.Append(bg, inbox.Event{Message: "m", Body: []byte("{}")}))
	bare, token := lease(t, ib, time.Minute, "{}")
	if len(bare.Headers) != 0 || bare.Claims != nil {
		t.Fatalf("an event without headers or claims came back with %v and %v", bare.Headers, bare.Claims)
	}
	must(t, "ack", ib.Ack(bg, bare.ID, token))
}

func leaseHoldsTheEvent(t *testing.T, ib Inbox) {
	add(t, ib, "one", "")
	e, token := lease(t, ib, time.Minute, "one")
	nothingDue(t, ib)
	must(t, "ack", ib.Ack(bg, e.ID, token))
	nothingDue(t, ib)
}

func oldestFirst(t *testing.T, ib Inbox) {
	for i := range 5 {
		add(t, ib, "e"+strconv.Itoa(i), "")
	}
	for i := range 5 {
		e, token := lease(t, ib, time.Minute, "e"+strconv.Itoa(i))
		must(t, "ack", ib.Ack(bg, e.ID, token))
	}
	nothingDue(t, ib)
}

func ackSettlesOnce(t *testing.T, ib Inbox) {
	add(t, ib, "one", "")
	e, token := lease(t, ib, time.Minute, "one")
	must(t, "ack", ib.Ack(bg, e.ID, token))
	lost(t, "a second ack", ib.Ack(bg, e.ID, token))
	lost(t, "a fail after the ack", ib.Fail(bg, e.ID, token, time.Now(), "late"))
	lost(t, "a dead letter after the ack", ib.DeadLetter(bg, e.ID, token, "late"))
	nothingDue(t, ib)
}

func failRetriesAtItsTime(t *testing.T, ib Inbox) {
	add(t, ib, "flaky", "")
	e, token := lease(t, ib, time.Minute, "flaky")
	must(t, "fail", ib.Fail(bg, e.ID, token, time.Now().Add(shortLease), "the database is down"))
	nothingDue(t, ib)
	lost(t, "an ack with the token of the failed lease", ib.Ack(bg, e.ID, token))
	time.Sleep(expiryWait)
	again, token2 := lease(t, ib, time.Minute, "flaky")
	if again.ID != e.ID || again.Attempts != 1 {
		t.Fatalf("the retry is ID %s with %d attempts, want %s with 1", again.ID, again.Attempts, e.ID)
	}
	if token2 == token {
		t.Fatal("the retry's lease has the failed lease's token")
	}
	must(t, "fail in the past", ib.Fail(bg, again.ID, token2, time.Now().Add(-time.Hour), "again"))
	third, token3 := lease(t, ib, time.Minute, "flaky")
	if third.Attempts != 2 {
		t.Fatalf("after two failures the event has %d attempts, want 2", third.Attempts)
	}
	must(t, "ack", ib.Ack(bg, third.ID, token3))
}

func deadLetterListAndReplay(t *testing.T, ib Inbox) {
	add(t, ib, "first", "")
	add(t, ib, "second", "")
	add(t, ib, "fine", "")
	for _, body := range []string{"first", "second"} {
		e, token := lease(t, ib, time.Minute, body)
		must(t, "fail", ib.Fail(bg, e.ID, token, time.Now().Add(-time.Second), "try "+body))
		e, token = lease(t, ib, time.Minute, body)
		must(t, "dead letter", ib.DeadLetter(bg, e.ID, token, "gave up on "+body))
		lost(t, "an ack of a dead letter", ib.Ack(bg, e.ID, token))
	}
	e, token := lease(t, ib, time.Minute, "fine")
	must(t, "ack", ib.Ack(bg, e.ID, token))
	nothingDue(t, ib)

	dead, err := ib.DeadLetters(bg, 10)
	must(t, "dead letters", err)
	if len(dead) != 2 || string(dead[0].Body) != "first" || string(dead[1].Body) != "second" {
		t.Fatalf("dead letters %v, want first and second, oldest first", bodies(dead))
	}
	if dead[0].Attempts != 2 || dead[0].LastError != "gave up on first" {
		t.Fatalf("dead letter: %d attempts, last error %q; want 2 and %q", dead[0].Attempts, dead[0].LastError, "gave up on first")
	}
	one, err := ib.DeadLetters(bg, 1)
	must(t, "dead letters, one", err)
	if len(one) != 1 || string(one[0].Body) != "first" {
		t.Fatalf("the first dead letter: %v", bodies(one))
	}

	must(t, "replay", ib.Replay(bg, dead[0].ID))
	replayed, token := lease(t, ib, time.Minute, "first")
	if replayed.Attempts != 0 {
		t.Fatalf("a replayed event has %d attempts, want 0", replayed.Attempts)
	}
	must(t, "ack", ib.Ack(bg, replayed.ID, token))
	if err := ib.Replay(bg, replayed.ID); !errors.Is(err, inbox.ErrNoDeadLetter) {
		t.Fatalf("replay of a delivered event: %v, want inbox.ErrNoDeadLetter", err)
	}
	if err := ib.Replay(bg, "999999999"); !errors.Is(err, inbox.ErrNoDeadLetter) {
		t.Fatalf("replay of an unknown ID: %v, want inbox.ErrNoDeadLetter", err)
	}
	if err := ib.Replay(bg, "not a number'; --"); !errors.Is(err, inbox.ErrNoDeadLetter) {
		t.Fatalf("replay of a malformed ID: %v, want inbox.ErrNoDeadLetter", err)
	}
	dead, err = ib.DeadLetters(bg, 10)
	must(t, "dead letters", err)
	if len(dead) != 1 || string(dead[0].Body) != "second" {
		t.Fatalf("after the replay the dead letters are %v, want second", bodies(dead))
	}
}

func wrongTokenChangesNothing(t *testing.T, ib Inbox) {
	add(t, ib, "one", "")
	e, token := lease(t, ib, time.Minute, "one")
	lost(t, "ack with another token", ib.Ack(bg, e.ID, "forged"))
	lost(t, "fail with another token", ib.Fail(bg, e.ID, "forged", time.Now(), "x"))
	lost(t, "dead letter with another token", ib.DeadLetter(bg, e.ID, "forged", "x"))
	lost(t, "ack of an unknown ID", ib.Ack(bg, "999999999", token))
	lost(t, "ack of a malformed ID", ib.Ack(bg, "x'; --", token))
	nothingDue(t, ib)
	must(t, "ack", ib.Ack(bg, e.ID, token))
}

func leaseExpiry(t *testing.T, ib Inbox) {
	add(t, ib, "stuck", "")
	first, stale := lease(t, ib, shortLease, "stuck")
	time.Sleep(expiryWait)
	second, fresh := lease(t, ib, time.Minute, "stuck")
	if second.ID != first.ID || fresh == stale {
		t.Fatalf("after the lease ended: ID %s token %s, want ID %s with a new token", second.ID, fresh, first.ID)
	}
	lost(t, "the stuck worker's late ack", ib.Ack(bg, first.ID, stale))
	lost(t, "the stuck worker's late fail", ib.Fail(bg, first.ID, stale, time.Now(), "late"))
	nothingDue(t, ib)
	must(t, "ack", ib.Ack(bg, second.ID, fresh))
	nothingDue(t, ib)
}

func orderingKey(t *testing.T, ib Inbox) {
	add(t, ib, "a1", "a")
	add(t, ib, "b1", "b")
	add(t, ib, "a2", "a")
	add(t, ib, "free", "")
	add(t, ib, "a3", "a")
	a1, tokenA1 := lease(t, ib, time.Minute, "a1")
	b1, tokenB1 := lease(t, ib, time.Minute, "b1")
	free, tokenFree := lease(t, ib, time.Minute, "free")
	nothingDue(t, ib) // a2 and a3 wait for a1
	must(t, "fail a1", ib.Fail(bg, a1.ID, tokenA1, time.Now().Add(time.Hour), "later"))
	nothingDue(t, ib) // a1 still comes first
	must(t, "ack b1", ib.Ack(bg, b1.ID, tokenB1))
	must(t, "ack free", ib.Ack(bg, free.ID, tokenFree))
	nothingDue(t, ib)

	// A dead letter no longer holds back its key.
	add(t, ib, "b2", "b")
	b2, tokenB2 := lease(t, ib, time.Minute, "b2")
	must(t, "dead letter b2", ib.DeadLetter(bg, b2.ID, tokenB2, "gave up"))
	add(t, ib, "b3", "b")
	b3, tokenB3 := lease(t, ib, time.Minute, "b3")
	must(t, "ack b3", ib.Ack(bg, b3.ID, tokenB3))
	nothingDue(t, ib)
	if err := ib.Replay(bg, a1.ID); !errors.Is(err, inbox.ErrNoDeadLetter) {
		t.Fatalf("replay of an event waiting for its retry: %v, want inbox.ErrNoDeadLetter", err)
	}
}

func concurrentLeases(t *testing.T, ib Inbox) {
	const events, workers = 200, 8
	for i := range events {
		key := ""
		if i%4 == 0 {
			key = "k" + strconv.Itoa(i%3)
		}
		add(t, ib, "e"+strconv.Itoa(i), key)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for idle := 0; idle < 3; {
				e, token, ok, err := ib.Lease(bg, time.Minute)
				if err != nil {
					errs <- fmt.Errorf("lease: %w", err)
					return
				}
				if !ok {
					idle++
					time.Sleep(10 * time.Millisecond)
					continue
				}
				idle = 0
				mu.Lock()
				seen[string(e.Body)]++
				mu.Unlock()
				if err := ib.Ack(bg, e.ID, token); err != nil {
					errs <- fmt.Errorf("ack %s: %w", e.Body, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != events {
		t.Fatalf("%d workers leased %d distinct events of %d", workers, len(seen), events)
	}
	for body, n := range seen {
		if n != 1 {
			t.Fatalf("%s was leased %d times under long leases", body, n)
		}
	}
	nothingDue(t, ib)
}

// bodies lists the bodies of events, for messages.
func bodies(events []inbox.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Body)
	}
	return out
}
