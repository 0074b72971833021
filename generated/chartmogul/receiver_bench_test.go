package chartmogul_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

// bare is the baseline: a handler that only reads the body.
var bare = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusNoContent)
})

// BenchmarkReceiver measures requests per second on loopback for the
// ChartMogul payload (mrr_movement.json, 1.3 KB): the generated receiver
// (which reads, decodes, validates and dispatches it) beside a bare
// handler that only reads the body, with a load client of GOMAXPROCS
// parallel keep-alive connections. Run it by hand:
//
//	go test ./generated/chartmogul -run '^$' -bench Receiver -benchmem -count 6
func BenchmarkReceiver(b *testing.B) {
	body := receivertest.Fixtures(b, filepath.Join(payloads, "valid"))["mrr_movement.json"]
	for _, c := range []struct {
		name    string
		handler http.Handler
	}{
		{"handler=bare", bare},
		{"handler=generated", chartmogul.NewReceiver(chartmogul.NopHandler{})},
		{"handler=generated+secret+idempotency", chartmogul.NewReceiver(chartmogul.NopHandler{},
			chartmogul.WithSharedSecret("s3cret"), chartmogul.WithIdempotency(discardStore{}), chartmogul.WithIdempotencyByBodyHash())},
	} {
		b.Run(c.name, func(b *testing.B) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					post(ctx, b, client, srv.URL, body)
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

func post(ctx context.Context, b *testing.B, client *http.Client, url string, body []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b.Errorf("status %d", resp.StatusCode)
	}
}

// discardStore claims every key, so that the benchmark's one body is
// delivered each time while the store calls are still made.
type discardStore struct{}

func (discardStore) Claim(context.Context, string, string, time.Duration) (string, string, error) {
	return chartmogul.IdempotencyClaimed, "token", nil
}
func (discardStore) Complete(context.Context, string, string) error { return nil }
func (discardStore) Release(context.Context, string, string) error  { return nil }

// BenchmarkReceiverInProcess measures what the receiver costs without the
// network: ServeHTTP on a recorded request, beside the bare handler. The
// loopback numbers of BenchmarkReceiver are what a deployment sees; these
// say how much of them is the receiver.
func BenchmarkReceiverInProcess(b *testing.B) {
	body := receivertest.Fixtures(b, filepath.Join(payloads, "valid"))["mrr_movement.json"]
	for _, c := range []struct {
		name    string
		handler http.Handler
	}{
		{"handler=bare", bare},
		{"handler=generated", chartmogul.NewReceiver(chartmogul.NopHandler{})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				w := receivertest.Serve(c.handler, receivertest.Request(body))
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
