package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/inbox/postgres"
	"github.com/asyncgen/asyncgen/internal/testserver"
	storepg "github.com/asyncgen/asyncgen/store/postgres"
)

// movements counts the deliveries of each MRR movement, told apart by
// description, for every worker; a worker that died delivers nothing.
type movements struct {
	chartmogul.NopHandler
	mu    *sync.Mutex
	count map[string]int
	dead  *atomic.Bool
}

func (h movements) HandleMRRMovement(ctx context.Context, v *chartmogul.MRRMovementPayload) error {
	if h.dead != nil && h.dead.Load() {
		return errors.New("this worker's process is gone")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count[*v.Description]++
	return nil
}

// droppingInbox is the inbox of a worker whose connection is dropped in
// the middle of a claim: at its dropAt-th lease the database has leased
// the event, but the worker never learns which, and it dies.
type droppingInbox struct {
	*postgres.Inbox
	pool   *pgxpool.Pool
	dropAt int64
	leases atomic.Int64
	kill   func()
	// dropped is the ID of the event leased when the connection dropped.
	dropped atomic.Pointer[string]
}

func (d *droppingInbox) Lease(ctx context.Context, lease time.Duration) (chartmogul.InboxEvent, string, bool, error) {
	e, token, ok, err := d.Inbox.Lease(ctx, lease)
	if ok && err == nil && d.leases.Add(1) == d.dropAt {
		d.dropped.Store(&e.ID)
		d.kill()
		go d.pool.Close() // waits for the worker's other statements
		return chartmogul.InboxEvent{}, "", false, errors.New("connection dropped mid-claim")
	}
	return e, token, ok, err
}

// Four workers, each its own process with its own connections, share a
// PostgreSQL inbox of 10,000 events and an idempotency store. One is
// killed in the middle of the batch: its connection drops while it
// claims an event, with other events leased and in its handlers. Every
// event is delivered exactly once: those the dead worker held are
// delivered by the others once its leases end, and none twice.
func TestFourWorkersOneKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 events through PostgreSQL; skipped with -short")
	}
	const events, workers = 10_000, 4
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	url := testserver.Postgres(t)
	shared := connect(t, url)
	ib, err := postgres.New(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	appendMovements(ctx, t, ib, events)
	store, err := storepg.New(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	count := map[string]int{}
	var dead atomic.Bool
	var victim *droppingInbox
	var wg sync.WaitGroup
	runCtx, stopAll := context.WithCancel(ctx)
	defer stopAll()
	for w := range workers {
		wctx, kill := context.WithCancel(runCtx)
		defer kill()
		own := connect(t, url)
		wib, err := postgres.New(ctx, own)
		if err != nil {
			t.Fatal(err)
		}
		var inbox chartmogul.Inbox = wib
		h := movements{mu: &mu, count: count}
		if w == workers-1 {
			victim = &droppingInbox{Inbox: wib, pool: own, dropAt: events / workers / 10, kill: func() { dead.Store(true); kill() }}
			inbox, h.dead = victim, &dead
		}
		worker := chartmogul.NewInboxWorker(h, inbox, chartmogul.WithInboxIdempotency(store),
			chartmogul.WithInboxConcurrency(2), chartmogul.WithInboxLease(3*time.Second),
			chartmogul.WithInboxPoll(5*time.Millisecond), chartmogul.WithInboxErrors(func(error) {}))
		wg.Go(func() { _ = worker.Run(wctx) })
	}
	for {
		n, err := ib.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d events still pending at the deadline", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopAll()
	wg.Wait()

	if !dead.Load() {
		t.Fatal("the victim worker was never killed")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(count) != events {
		t.Errorf("%d distinct events delivered, want %d", len(count), events)
	}
	twice := 0
	for desc, n := range count {
		if n != 1 {
			if twice++; twice <= 10 {
				t.Errorf("%s delivered %d times", desc, n)
			}
		}
	}
	dropped := victim.dropped.Load()
	t.Logf("%d events, %d workers; the victim died at its lease %d (event %s, leased by the database, never seen by the worker)",
		events, workers, victim.dropAt, *dropped)
}

// appendMovements appends n MRR movements, described event-0 to
// event-(n-1), from 8 goroutines.
func appendMovements(ctx context.Context, t *testing.T, ib *postgres.Inbox, n int) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				body := fmt.Sprintf(`{"type":"mrr_movement","description":"event-%d"}`, i)
				if err := ib.Append(ctx, chartmogul.InboxEvent{Message: "mrr_movement", Body: []byte(body), ReceivedAt: time.Now()}); err != nil {
					errs <- err
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
}
