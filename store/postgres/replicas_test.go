package postgres_test

import (
	"context"
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/replicatest"
	"github.com/asyncgen/asyncgen/store/postgres"
)

// Two replicas of the generated ChartMogul receiver share one Postgres
// table, behind a round-robin proxy; 8 senders send 10,000 events through
// 30% faults (503s, connections dropped before and after the handler).
// Each event is handled exactly once.
func TestTwoReplicasExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 deliveries; skipped with -short")
	}
	p := pool(t)
	var stores [2]chartmogul.IdempotencyStore
	for i := range stores {
		s, err := postgres.New(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	cfg := replicatest.Config{Stores: stores, Senders: 8, PerSender: 1250, FaultPercent: 30, Seed: 4}
	replicatest.RequireExactlyOnce(t, cfg, replicatest.Run(t, cfg))
}
