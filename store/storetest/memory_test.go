package storetest_test

import (
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/store/storetest"
)

// The contract's method set is the same in every generated package: the
// memory store of one package is the IdempotencyStore of another.
var (
	_ growpanel.IdempotencyStore = (*chartmogul.MemoryIdempotencyStore)(nil)
	_ monday.IdempotencyStore    = (*chartmogul.MemoryIdempotencyStore)(nil)
	_ storetest.Store            = (growpanel.IdempotencyStore)(nil)
)

func TestMemoryStoreContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) storetest.Store { return chartmogul.NewMemoryIdempotencyStore(0, 0) })
}

// The states storetest checks are those of the generated packages.
func TestStatesMatchGeneratedConstants(t *testing.T) {
	for got, want := range map[string]string{
		storetest.Claimed:   chartmogul.IdempotencyClaimed,
		storetest.Delivered: chartmogul.IdempotencyDelivered,
		storetest.InFlight:  chartmogul.IdempotencyInFlight,
		storetest.Conflict:  chartmogul.IdempotencyConflict,
	} {
		if got != want {
			t.Errorf("storetest says %q, the generated package %q", got, want)
		}
	}
}

func BenchmarkMemoryStore(b *testing.B) {
	storetest.Benchmark(b, chartmogul.NewMemoryIdempotencyStore(0, 1<<30))
}
