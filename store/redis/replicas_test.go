package redis_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/replicatest"
	"github.com/asyncgen/asyncgen/store/redis"
)

// Two replicas of the generated ChartMogul receiver share one Redis
// store, behind a round-robin proxy; 8 senders send 10,000 events through
// 30% faults (503s, connections dropped before and after the handler).
// Each event is handled exactly once.
func TestTwoReplicasExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 deliveries; skipped with -short")
	}
	c := client(t)
	cfg := replicatest.Config{
		// One Store value per replica, on one server, as two processes
		// would have.
		Stores:  [2]chartmogul.IdempotencyStore{redis.New(c), redis.New(c)},
		Senders: 8, PerSender: 1250, FaultPercent: 30, Seed: 3,
	}
	replicatest.RequireExactlyOnce(t, cfg, replicatest.Run(t, cfg))
}
