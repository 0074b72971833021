package replicatest_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/replicatest"
)

// Two replicas, each with an in-memory store of its own, deliver some
// events twice: what a shared store is for, and proof that the replica
// tests can fail. One sender, so the run is the same every time.
func TestSeparateStoresDeliverTwice(t *testing.T) {
	cfg := replicatest.Config{
		Stores:  [2]chartmogul.IdempotencyStore{chartmogul.NewMemoryIdempotencyStore(0, 0), chartmogul.NewMemoryIdempotencyStore(0, 0)},
		Senders: 1, PerSender: 500, FaultPercent: 30, Seed: 1,
	}
	res := replicatest.Run(t, cfg)
	twice := 0
	for _, n := range res.Deliveries {
		if n > 1 {
			twice++
		}
	}
	if twice == 0 {
		t.Fatal("with a store per replica no event was handled twice; the fault injection does not work")
	}
	t.Logf("%d of %d events handled more than once", twice, len(res.Deliveries))
}

// Two replicas sharing one in-memory store: each event exactly once.
func TestSharedMemoryStoreExactlyOnce(t *testing.T) {
	store := chartmogul.NewMemoryIdempotencyStore(0, 0)
	cfg := replicatest.Config{Stores: [2]chartmogul.IdempotencyStore{store, store}, Senders: 8, PerSender: 250, FaultPercent: 30, Seed: 2}
	replicatest.RequireExactlyOnce(t, cfg, replicatest.Run(t, cfg))
}
