// Package replicatest runs the generated ChartMogul receiver as two
// replicas behind a round-robin proxy on loopback, each breaking a share
// of its requests, and counts how often each event sent reaches the
// handler: what an idempotency store shared by replicas must make once.
package replicatest

import (
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
)

// Config is one run.
type Config struct {
	// Stores are the idempotency stores of the two replicas: the same
	// store twice for replicas that share one.
	Stores [2]chartmogul.IdempotencyStore
	// Senders send PerSender events each, concurrently.
	Senders, PerSender int
	// FaultPercent of the requests each replica breaks, split evenly
	// between a 503, a connection dropped before the handler, and one
	// dropped after it.
	FaultPercent int
	// Seed seeds the faults.
	Seed uint64
}

// Result is what a run delivered.
type Result struct {
	// Deliveries counts the handler's calls for each event sent.
	Deliveries map[string]int
	// SendErrors are the events whose Send failed for good.
	SendErrors []error
	// Faults counts the faults injected, by kind.
	Faults [3]int
	// Elapsed is how long sending took.
	Elapsed time.Duration
}

// Run sends Senders*PerSender distinct events through the proxy, with
// retries, and returns what reached the handler.
func Run(t testing.TB, cfg Config) Result {
	t.Helper()
	h := &tally{count: map[string]int{}}
	var faults [2]*faulty
	var backends [2]*url.URL
	for i := range 2 {
		rcv := chartmogul.NewReceiver(h, chartmogul.WithSharedSecret("s3cret"),
			chartmogul.WithIdempotency(cfg.Stores[i]), chartmogul.WithIdempotencyByBodyHash(),
			chartmogul.WithReceiveErrors(func(*http.Request, error) {}))
		faults[i] = &faulty{next: rcv, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i))), percent: cfg.FaultPercent}
		srv := httptest.NewServer(faults[i])
		t.Cleanup(srv.Close)
		backends[i], _ = url.Parse(srv.URL)
	}
	proxy := httptest.NewServer(roundRobin(backends))
	t.Cleanup(proxy.Close)

	policy := chartmogul.RetryPolicy{MaxAttempts: 60, BaseBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var res Result
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range cfg.Senders {
		s, err := chartmogul.NewSender(proxy.URL, chartmogul.WithInsecureHTTP(), chartmogul.WithSharedSecret("s3cret"),
			chartmogul.WithRetry(policy), chartmogul.WithHTTPClient(proxy.Client()))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for j := range cfg.PerSender {
				desc := fmt.Sprintf("event %d/%d", i, j)
				if err := s.SendMRRMovement(ctx, &chartmogul.MRRMovementPayload{Description: &desc}); err != nil {
					mu.Lock()
					res.SendErrors = append(res.SendErrors, fmt.Errorf("%s: %w", desc, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	h.mu.Lock()
	res.Deliveries = h.count
	h.mu.Unlock()
	for _, f := range faults {
		f.mu.Lock()
		for k, n := range f.faults {
			res.Faults[k] += n
		}
		f.mu.Unlock()
	}
	return res
}

// roundRobin is a reverse proxy that sends each request to the next
// backend in turn.
func roundRobin(backends [2]*url.URL) http.Handler {
	var next atomic.Uint64
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(backends[next.Add(1)%2])
		},
		// A dropped connection is a 502 to the sender, which retries.
		ErrorLog: log.New(io.Discard, "", 0),
	}
}

// tally counts the deliveries of each event, told apart by description.
type tally struct {
	chartmogul.NopHandler
	mu    sync.Mutex
	count map[string]int
}

// HandleMRRMovement counts v.
func (h *tally) HandleMRRMovement(_ context.Context, v *chartmogul.MRRMovementPayload) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count[*v.Description]++
	return nil
}

// faulty breaks a share of the requests to next: it answers 503 without
// passing them on, drops the connection before passing them on, or
// passes them on and then drops the connection, so that the sender never
// learns the event was delivered.
type faulty struct {
	next    http.Handler
	mu      sync.Mutex
	rng     *rand.Rand
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

// ServeHTTP passes r on, or breaks it.
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

// RequireExactlyOnce fails t unless every event of cfg was sent and
// handled exactly once, and every kind of fault was injected.
func RequireExactlyOnce(t testing.TB, cfg Config, res Result) {
	t.Helper()
	for _, err := range res.SendErrors {
		t.Error(err)
	}
	if want := cfg.Senders * cfg.PerSender; len(res.Deliveries) != want {
		t.Errorf("%d events reached the handler, want %d", len(res.Deliveries), want)
	}
	twice := 0
	for desc, n := range res.Deliveries {
		if n != 1 {
			twice++
			if twice <= 10 {
				t.Errorf("%s was handled %d times", desc, n)
			}
		}
	}
	if twice > 0 {
		t.Errorf("%d events were not handled exactly once", twice)
	}
	for i, n := range res.Faults {
		if n == 0 {
			t.Errorf("fault %d was never injected", i)
		}
	}
	t.Logf("%d events in %v; faults injected: %d 503s, %d drops before, %d drops after the handler",
		len(res.Deliveries), res.Elapsed.Round(time.Millisecond), res.Faults[0], res.Faults[1], res.Faults[2])
}
