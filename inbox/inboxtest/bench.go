package inboxtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
)

// BenchmarkReceive measures the latency of a webhook's acknowledgement:
// the generated ChartMogul receiver on loopback, posted to by its
// generated sender from 8 goroutines, with ib as its inbox ("inbox": 202
// once kept) and without one ("direct": 204 once a handler that does
// nothing returned). It reports the p50 and p99 of the round trip in
// microseconds, and requests/s.
func BenchmarkReceive(b *testing.B, ib Inbox) {
	b.Run("direct", func(b *testing.B) { benchmarkReceive(b, nil) })
	b.Run("inbox", func(b *testing.B) { benchmarkReceive(b, ib) })
}

func benchmarkReceive(b *testing.B, ib Inbox) {
	opts := []chartmogul.ReceiverOption{chartmogul.WithSharedSecret("s3cret")}
	if ib != nil {
		opts = append(opts, chartmogul.WithInbox(ib))
	}
	srv := httptest.NewServer(chartmogul.NewReceiver(chartmogul.NopHandler{}, opts...))
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 16
	s, err := chartmogul.NewSender(srv.URL, chartmogul.WithInsecureHTTP(), chartmogul.WithSharedSecret("s3cret"),
		chartmogul.WithoutRetry(), chartmogul.WithHTTPClient(client))
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var latencies []time.Duration
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			desc := "event-" + strconv.FormatInt(next.Add(1), 10)
			start := time.Now()
			if err := s.SendMRRMovement(context.Background(), &chartmogul.MRRMovementPayload{Description: &desc}); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	reportLatencies(b, latencies)
}

// reportLatencies reports the p50 and p99 of latencies in microseconds,
// and the requests per second of the benchmark.
func reportLatencies(b *testing.B, latencies []time.Duration) {
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[min(int(q*float64(len(latencies))), len(latencies)-1)].Microseconds())
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
	b.ReportMetric(float64(len(latencies))/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWorkers measures how fast the generated ChartMogul inbox
// worker empties an inbox of b.N events, with 1 and with 4 workers (each
// delivering one event at a time, to a handler that does nothing). It
// reports events/s. pending counts the events still to deliver.
func BenchmarkWorkers(b *testing.B, newInbox func(b *testing.B) Inbox, pending func(Inbox) (int, error)) {
	for _, workers := range []int{1, 4} {
		b.Run(strconv.Itoa(workers)+"-workers", func(b *testing.B) {
			ib := newInbox(b)
			for i := range b.N {
				body := `{"type":"mrr_movement","description":"event-` + strconv.Itoa(i) + `"}`
				if err := ib.Append(bg, chartmogul.InboxEvent{Message: "mrr_movement", Body: []byte(body), ReceivedAt: time.Now()}); err != nil {
					b.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(bg)
			var wg sync.WaitGroup
			b.ResetTimer()
			for range workers {
				w := chartmogul.NewInboxWorker(chartmogul.NopHandler{}, ib, chartmogul.WithInboxConcurrency(1),
					chartmogul.WithInboxPoll(time.Millisecond), chartmogul.WithInboxErrors(func(err error) { b.Error(err) }))
				wg.Go(func() { _ = w.Run(ctx) })
			}
			for {
				n, err := pending(ib)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			b.StopTimer()
			cancel()
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
