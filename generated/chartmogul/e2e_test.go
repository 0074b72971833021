package chartmogul_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

// Every valid fixture goes through the generated sender and receiver and
// reaches the handler deep-equal to what was sent.
func TestSendReceiveFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			sent, err := chartmogul.DecodeMRRMovement(fixtures[name])
			require.NoError(t, err)
			h := &recorder{}
			srv := httptest.NewServer(chartmogul.NewReceiver(h, chartmogul.WithSharedSecret("s3cret")))
			defer srv.Close()
			s, err := chartmogul.NewSender(srv.URL, chartmogul.WithInsecureHTTP(), chartmogul.WithSharedSecret("s3cret"), chartmogul.WithoutRetry())
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, s.SendMRRMovement(ctx, sent))
			h.mu.Lock()
			defer h.mu.Unlock()
			require.Len(t, h.got, 1)
			require.Equal(t, sent, h.got[0])
		})
	}
}

// faulty wraps a receiver and breaks a share of the requests: it answers
// 503 without passing them on, drops the connection before passing them
// on, or passes them on and then drops the connection, so that the sender
// never learns the event was delivered.
type faulty struct {
	next http.Handler
	mu   sync.Mutex
	rng  *rand.Rand
	// percent of requests broken, split evenly between the three faults.
	percent int
	faults  [3]int
}

func (f *faulty) roll() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.rng.IntN(100)
	if n < f.percent {
		fault := n * 3 / f.percent
		f.faults[fault]++
		return fault
	}
	return -1
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch f.roll() {
	case 0:
		w.WriteHeader(http.StatusServiceUnavailable)
	case 1:
		drop(w)
	case 2:
		f.next.ServeHTTP(httptest.NewRecorder(), r)
		drop(w)
	default:
		f.next.ServeHTTP(w, r)
	}
}

// drop closes the request's connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err) // httptest.Server's HTTP/1.1 connections can be hijacked
	}
	conn.Close()
}

// tally counts the deliveries of each event, told apart by description.
type tally struct {
	chartmogul.NopHandler
	mu    sync.Mutex
	count map[string]int
}

func (h *tally) HandleMRRMovement(_ context.Context, v *chartmogul.MRRMovementPayload) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count[*v.Description]++
	return nil
}

// With a receiver that breaks 30% of requests (503, dropped connections
// before and after the handler ran), 8 concurrent senders with retries
// and a receiver with an idempotency store deliver every one of 10,000
// events to the handler exactly once.
func TestFaultsDeliverEveryEventExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 deliveries; skipped with -short")
	}
	const senders, perSender = 8, 1250
	base, err := chartmogul.DecodeMRRMovement(validPayload(t))
	require.NoError(t, err)

	h := &tally{count: map[string]int{}}
	rcv := chartmogul.NewReceiver(h, chartmogul.WithIdempotency(nil), chartmogul.WithIdempotencyByBodyHash(), chartmogul.WithReceiveErrors(func(*http.Request, error) {}))
	f := &faulty{next: rcv, rng: rand.New(rand.NewPCG(1, 2)), percent: 30}
	srv := httptest.NewServer(f)
	defer srv.Close()

	policy := chartmogul.RetryPolicy{MaxAttempts: 40, BaseBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, senders*perSender)
	for i := range senders {
		s, err := chartmogul.NewSender(srv.URL, chartmogul.WithInsecureHTTP(), chartmogul.WithRetry(policy), chartmogul.WithHTTPClient(srv.Client()))
		require.NoError(t, err)
		wg.Go(func() {
			for j := range perSender {
				ev := *base
				desc := fmt.Sprintf("event %d/%d", i, j)
				ev.Description = &desc
				if err := s.SendMRRMovement(ctx, &ev); err != nil {
					errs <- fmt.Errorf("%s: %w", desc, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	require.Len(t, h.count, senders*perSender, "events delivered")
	for desc, n := range h.count {
		require.Equal(t, 1, n, "deliveries of %s", desc)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, n := range f.faults {
		require.Positive(t, n, "fault %d was never injected", i)
	}
	t.Logf("faults injected: %d 503s, %d drops before, %d drops after the handler", f.faults[0], f.faults[1], f.faults[2])
}
