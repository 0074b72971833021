package inboxtest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
)

// RunWorker runs the generated ChartMogul inbox worker over inboxes made
// by newInbox, one per subtest, end to end: a downstream outage (events
// retried, then delivered; one dead-lettered after its last attempt, then
// replayed and delivered) and a handler stuck past its lease (the event
// delivered by a later attempt, exactly once).
func RunWorker(t *testing.T, newInbox func(t *testing.T) Inbox) {
	t.Run("DownstreamOutage", func(t *testing.T) { downstreamOutage(t, newInbox(t)) })
	t.Run("StuckHandlerLease", func(t *testing.T) { stuckHandlerLease(t, newInbox(t)) })
}

// outageHandler fails the movements described "recovers" until it has
// failed twice, and "outage" while down is set.
type outageHandler struct {
	chartmogul.NopHandler
	mu        sync.Mutex
	calls     map[string]int
	delivered map[string]int
	down      atomic.Bool
	// stuck makes the first call block until its context ends.
	stuck bool
}

func (h *outageHandler) HandleMRRMovement(ctx context.Context, v *chartmogul.MRRMovementPayload) error {
	h.mu.Lock()
	h.calls[*v.Description]++
	n := h.calls[*v.Description]
	h.mu.Unlock()
	switch {
	case h.stuck && n == 1:
		<-ctx.Done()
		return ctx.Err()
	case *v.Description == "recovers" && n <= 2, *v.Description == "outage" && h.down.Load():
		return errors.New("the database is down")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delivered[*v.Description]++
	return nil
}

func (h *outageHandler) snapshot() (calls, delivered map[string]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	calls, delivered = map[string]int{}, map[string]int{}
	for k, v := range h.calls {
		calls[k] = v
	}
	for k, v := range h.delivered {
		delivered[k] = v
	}
	return calls, delivered
}

// appendMovement appends an MRR movement described desc.
func appendMovement(t *testing.T, ib Inbox, desc string) {
	t.Helper()
	body := `{"type":"mrr_movement","description":"` + desc + `"}`
	must(t, "append "+desc, ib.Append(bg, chartmogul.InboxEvent{Message: "mrr_movement", Body: []byte(body), ReceivedAt: time.Now()}))
}

// startWorker runs a worker with opts over ib until the test ends.
func startWorker(t *testing.T, ib Inbox, h chartmogul.Handler, opts ...chartmogul.InboxWorkerOption) {
	ctx, cancel := context.WithCancel(bg)
	opts = append([]chartmogul.InboxWorkerOption{chartmogul.WithInboxPoll(5 * time.Millisecond), chartmogul.WithInboxErrors(func(err error) { t.Log(err) })}, opts...)
	worker := chartmogul.NewInboxWorker(h, ib, opts...)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = worker.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor polls cond for at most a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
	}
}

func downstreamOutage(t *testing.T, ib Inbox) {
	h := &outageHandler{calls: map[string]int{}, delivered: map[string]int{}}
	h.down.Store(true)
	appendMovement(t, ib, "recovers")
	appendMovement(t, ib, "outage")
	var mu sync.Mutex
	kinds := map[string]int{}
	startWorker(t, ib, h, chartmogul.WithInboxAttempts(3), chartmogul.WithInboxBackoff(10*time.Millisecond, 20*time.Millisecond),
		chartmogul.WithInboxEvents(func(e chartmogul.ReceiverEvent) {
			mu.Lock()
			defer mu.Unlock()
			kinds[e.Kind]++
		}))
	var dead []chartmogul.InboxEvent
	waitFor(t, "the outage event dead-lettered and the other delivered", func() bool {
		var err error
		dead, err = ib.DeadLetters(bg, 10)
		must(t, "dead letters", err)
		_, delivered := h.snapshot()
		return len(dead) == 1 && delivered["recovers"] == 1
	})
	calls, delivered := h.snapshot()
	if calls["recovers"] != 3 || calls["outage"] != 3 || len(delivered) != 1 {
		t.Fatalf("calls %v and deliveries %v; want 3 calls each and recovers delivered", calls, delivered)
	}
	if dead[0].Attempts != 3 || dead[0].LastError != "the database is down" {
		t.Fatalf("the dead letter has %d attempts and last error %q", dead[0].Attempts, dead[0].LastError)
	}
	mu.Lock()
	if kinds[chartmogul.ReceiverRetry] != 4 || kinds[chartmogul.ReceiverDeadLetter] != 1 {
		t.Errorf("the worker reported %v; want 4 retries and 1 dead letter", kinds)
	}
	mu.Unlock()

	h.down.Store(false)
	must(t, "replay", ib.Replay(bg, dead[0].ID))
	waitFor(t, "the replayed event delivered", func() bool {
		_, delivered := h.snapshot()
		return delivered["outage"] == 1
	})
	nothingDue(t, ib)
	dead, err := ib.DeadLetters(bg, 10)
	must(t, "dead letters", err)
	if len(dead) != 0 {
		t.Fatalf("after the replay %d dead letters remain", len(dead))
	}
}

func stuckHandlerLease(t *testing.T, ib Inbox) {
	h := &outageHandler{calls: map[string]int{}, delivered: map[string]int{}, stuck: true}
	appendMovement(t, ib, "stuck")
	startWorker(t, ib, h, chartmogul.WithInboxLease(300*time.Millisecond), chartmogul.WithInboxBackoff(10*time.Millisecond, 10*time.Millisecond),
		chartmogul.WithInboxIdempotency(chartmogul.NewMemoryIdempotencyStore(0, 0)))
	waitFor(t, "the stuck event delivered", func() bool {
		_, delivered := h.snapshot()
		return delivered["stuck"] == 1
	})
	waitFor(t, "the inbox settled", func() bool {
		_, _, ok, err := ib.Lease(bg, time.Minute)
		must(t, "lease", err)
		return !ok
	})
	calls, delivered := h.snapshot()
	if calls["stuck"] != 2 || delivered["stuck"] != 1 {
		t.Fatalf("%d calls and %d deliveries, want 2 (one stuck past its lease) and 1", calls["stuck"], delivered["stuck"])
	}
}
