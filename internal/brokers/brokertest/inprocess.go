package brokertest

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Kafka starts an in-process Kafka cluster (franz-go's kfake) of one
// broker with topics, each of one partition, stops it when the test ends,
// and returns its addresses.
func Kafka(t testing.TB, topics ...string) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, topics...))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// KafkaClient makes a franz-go client of the cluster at addrs, with opts,
// closed when the test ends. It refreshes its metadata often, so that it
// sees a topic made during the test at once.
func KafkaClient(t testing.TB, addrs []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addrs...), kgo.MetadataMinAge(50 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(cl.Close)
	return cl
}

// NATS starts an embedded nats-server on a free loopback port and returns
// a connection to it; both end with the test.
func NATS(t testing.TB) *nats.Conn {
	t.Helper()
	return natsConn(t, &server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
}

// NATSWithJetStream is NATS with JetStream enabled, its store in a
// directory of the test's.
func NATSWithJetStream(t testing.TB) *nats.Conn {
	t.Helper()
	return natsConn(t, &server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
}

// natsConn starts a nats-server with opts and connects to it.
func natsConn(t testing.TB, opts *server.Options) *nats.Conn {
	t.Helper()
	s, err := server.NewServer(opts)
	require.NoError(t, err)
	go s.Start()
	t.Cleanup(s.Shutdown)
	require.True(t, s.ReadyForConnections(30*time.Second), "NATS server not ready")
	nc, err := nats.Connect(s.ClientURL())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}
