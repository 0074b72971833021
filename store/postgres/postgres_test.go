package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/internal/testserver"
	"github.com/asyncgen/asyncgen/store/postgres"
	"github.com/asyncgen/asyncgen/store/storetest"
)

// One Store fits the receiver of every generated package.
var (
	_ chartmogul.IdempotencyStore = (*postgres.Store)(nil)
	_ growpanel.IdempotencyStore  = (*postgres.Store)(nil)
	_ monday.IdempotencyStore     = (*postgres.Store)(nil)
)

// pool connects to a PostgreSQL server of the test's own.
func pool(t *testing.T) *pgxpool.Pool {
	p, err := pgxpool.New(context.Background(), testserver.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func TestContract(t *testing.T) {
	p := pool(t)
	n := 0
	storetest.Run(t, func(t *testing.T) storetest.Store {
		n++ // each subtest its own table
		s, err := postgres.New(context.Background(), p, postgres.WithTable(fmt.Sprintf("contract_%d", n)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// New creates its table once, and a second Store on it sees the first's
// keys; Purge deletes expired rows only.
func TestTableSharedAndPurged(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	a, err := postgres.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := postgres.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := a.Claim(ctx, "done", "h", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Complete(ctx, "done", token); err != nil {
		t.Fatal(err)
	}
	if state, _, err := b.Claim(ctx, "done", "h", time.Minute); err != nil || state != storetest.Delivered {
		t.Fatalf("the other store: %q, %v", state, err)
	}
	if _, _, err := a.Claim(ctx, "expiring", "h", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	purged, err := b.Purge(ctx)
	if err != nil || purged != 1 {
		t.Fatalf("purged %d rows (%v), want the 1 expired", purged, err)
	}
	if state, _, err := b.Claim(ctx, "done", "h", time.Minute); err != nil || state != storetest.Delivered {
		t.Fatalf("after purge: %q, %v", state, err)
	}
}

func TestTableNameChecked(t *testing.T) {
	_, err := postgres.New(context.Background(), nil, postgres.WithTable("x; DROP TABLE y"))
	if err == nil {
		t.Fatal("a table name that is not an identifier was accepted")
	}
}

func BenchmarkStore(b *testing.B) {
	p, err := pgxpool.New(context.Background(), testserver.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	s, err := postgres.New(context.Background(), p)
	if err != nil {
		b.Fatal(err)
	}
	storetest.Benchmark(b, s)
}
