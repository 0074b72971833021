package chartmogulbench_test

import (
	"context"
	"encoding/json"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	cb "github.com/asyncgen/asyncgen/internal/brokers/chartmogulbench"
)

// The benchmarks compare the generated publishers and subscribers, which
// validate every message, with what a team would write by hand on the same
// clients: json.Marshal and a produce or publish; a poll or subscription,
// json.Unmarshal into the same type, and a commit after each fetch. Run
// them by hand (see the README's Brokers section):
//
//	go test ./internal/brokers/chartmogulbench -run '^$' -bench . -count 10

const topic = "mrr-movement"

// fixture is the 1.3 KB ChartMogul payload, raw and decoded.
func fixture(tb testing.TB) ([]byte, *cb.MRRMovementPayload) {
	tb.Helper()
	data, err := os.ReadFile("../../../testdata/payloads/chartmogul/valid/mrr_movement.json")
	require.NoError(tb, err)
	v, err := cb.DecodeMRRMovement(data)
	require.NoError(tb, err)
	return data, v
}

func kafkaCluster(tb testing.TB) []string {
	tb.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topic))
	require.NoError(tb, err)
	tb.Cleanup(c.Close)
	return c.ListenAddrs()
}

func kafkaClient(tb testing.TB, addrs []string, opts ...kgo.Opt) *kgo.Client {
	tb.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addrs...)}, opts...)...)
	require.NoError(tb, err)
	tb.Cleanup(cl.Close)
	return cl
}

func BenchmarkKafkaPublish(b *testing.B) {
	_, v := fixture(b)
	ctx := context.Background()
	b.Run("generated", func(b *testing.B) {
		pub := cb.NewKafkaPublisher(kafkaClient(b, kafkaCluster(b)))
		b.ReportAllocs()
		for b.Loop() {
			if err := pub.PublishMRRMovement(ctx, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("franz-go", func(b *testing.B) {
		cl := kafkaClient(b, kafkaCluster(b))
		b.ReportAllocs()
		for b.Loop() {
			data, err := json.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: data}).FirstErr(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// counter is a Handler cancelling its context after n messages.
type counter struct {
	cb.NopHandler
	n      int64
	seen   atomic.Int64
	cancel context.CancelFunc
}

func (c *counter) HandleMRRMovement(context.Context, *cb.MRRMovementPayload) error {
	if c.seen.Add(1) == c.n {
		c.cancel()
	}
	return nil
}

// fillTopic produces n copies of data.
func fillTopic(b *testing.B, addrs []string, data []byte, n int) {
	b.Helper()
	cl := kafkaClient(b, addrs)
	records := make([]*kgo.Record, n)
	for i := range records {
		records[i] = &kgo.Record{Topic: topic, Value: data}
	}
	require.NoError(b, cl.ProduceSync(context.Background(), records...).FirstErr())
}

func BenchmarkKafkaConsume(b *testing.B) {
	data, _ := fixture(b)
	b.Run("generated", func(b *testing.B) {
		addrs := kafkaCluster(b)
		fillTopic(b, addrs, data, b.N)
		cl := kafkaClient(b, addrs, cb.KafkaConsumeOptions("bench")...)
		ctx, cancel := context.WithCancel(context.Background())
		h := &counter{n: int64(b.N), cancel: cancel}
		b.ReportAllocs()
		b.ResetTimer()
		if err := cb.NewKafkaSubscriber(cl, h).Run(ctx); err != context.Canceled {
			b.Fatal(err)
		}
	})
	b.Run("franz-go", func(b *testing.B) {
		addrs := kafkaCluster(b)
		fillTopic(b, addrs, data, b.N)
		cl := kafkaClient(b, addrs, kgo.ConsumerGroup("bench"), kgo.ConsumeTopics(topic), kgo.DisableAutoCommit())
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for seen := 0; seen < b.N; {
			fetches := cl.PollFetches(ctx)
			if err := fetches.Err(); err != nil {
				b.Fatal(err)
			}
			fetches.EachRecord(func(r *kgo.Record) {
				var v cb.MRRMovementPayload
				if err := json.Unmarshal(r.Value, &v); err != nil {
					b.Fatal(err)
				}
				seen++
			})
			if err := cl.CommitUncommittedOffsets(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func natsConn(tb testing.TB) *nats.Conn {
	tb.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	require.NoError(tb, err)
	go s.Start()
	tb.Cleanup(s.Shutdown)
	require.True(tb, s.ReadyForConnections(30*time.Second), "NATS server not ready")
	nc, err := nats.Connect(s.ClientURL())
	require.NoError(tb, err)
	tb.Cleanup(nc.Close)
	return nc
}

func BenchmarkNATSPublish(b *testing.B) {
	_, v := fixture(b)
	ctx := context.Background()
	b.Run("generated", func(b *testing.B) {
		nc := natsConn(b)
		pub := cb.NewNATSPublisher(nc)
		b.ReportAllocs()
		for b.Loop() {
			if err := pub.PublishMRRMovement(ctx, v); err != nil {
				b.Fatal(err)
			}
		}
		require.NoError(b, nc.Flush())
	})
	b.Run("nats.go", func(b *testing.B) {
		nc := natsConn(b)
		b.ReportAllocs()
		for b.Loop() {
			data, err := json.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			if err := nc.Publish(topic, data); err != nil {
				b.Fatal(err)
			}
		}
		require.NoError(b, nc.Flush())
	})
}

// publishWindow is how many messages publishPaced lets the subscriber
// have outstanding: 1,000 of 1.3 KB stay far below nats.go's pending
// limits (65,536 messages, 64 MiB), past which it drops messages as a
// slow consumer's and the benchmark would wait for them forever.
const publishWindow = 1000

// publishPaced publishes n copies of data, never more than publishWindow
// ahead of what the subscriber has seen, so that a subscriber that is
// slower than the publisher is measured, not overrun.
func publishPaced(b *testing.B, nc *nats.Conn, data []byte, n int, seen *atomic.Int64) {
	for i := range n {
		for int64(i)-seen.Load() >= publishWindow {
			time.Sleep(50 * time.Microsecond)
		}
		if err := nc.Publish(topic, data); err != nil {
			b.Error(err)
			return
		}
	}
	if err := nc.Flush(); err != nil {
		b.Error(err)
	}
}

func BenchmarkNATSConsume(b *testing.B) {
	data, _ := fixture(b)
	b.Run("generated", func(b *testing.B) {
		nc := natsConn(b)
		ctx, cancel := context.WithCancel(context.Background())
		h := &counter{n: int64(b.N), cancel: cancel}
		sub := cb.NewNATSSubscriber(nc, h)
		done := make(chan error, 1)
		go func() { done <- sub.Run(ctx) }()
		require.Eventually(b, func() bool { return nc.NumSubscriptions() > 0 }, time.Minute, time.Millisecond)
		require.NoError(b, nc.Flush())
		pubConn, err := nats.Connect(nc.ConnectedUrl())
		require.NoError(b, err)
		defer pubConn.Close()
		b.ReportAllocs()
		b.ResetTimer()
		publishPaced(b, pubConn, data, b.N, &h.seen)
		if err := <-done; err != context.Canceled {
			b.Fatal(err)
		}
	})
	b.Run("nats.go", func(b *testing.B) {
		nc := natsConn(b)
		got := make(chan struct{})
		var seen atomic.Int64
		n := int64(b.N)
		sub, err := nc.Subscribe(topic, func(m *nats.Msg) {
			var v cb.MRRMovementPayload
			if err := json.Unmarshal(m.Data, &v); err != nil {
				b.Error(err)
			}
			if seen.Add(1) == n {
				close(got)
			}
		})
		require.NoError(b, err)
		defer func() { _ = sub.Unsubscribe() }()
		require.NoError(b, nc.Flush())
		pubConn, err := nats.Connect(nc.ConnectedUrl())
		require.NoError(b, err)
		defer pubConn.Close()
		b.ReportAllocs()
		b.ResetTimer()
		publishPaced(b, pubConn, data, b.N, &seen)
		<-got
	})
}
