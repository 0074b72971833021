package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/inbox/inboxtest"
	"github.com/asyncgen/asyncgen/inbox/postgres"
	"github.com/asyncgen/asyncgen/internal/testserver"
)

// One Inbox fits the receiver of every generated package.
var (
	_ chartmogul.Inbox = (*postgres.Inbox)(nil)
	_ growpanel.Inbox  = (*postgres.Inbox)(nil)
	_ monday.Inbox     = (*postgres.Inbox)(nil)
)

// pool connects to a PostgreSQL server of the test's own.
func pool(t testing.TB) *pgxpool.Pool {
	return connect(t, testserver.Postgres(t))
}

// connect opens a pool on url, closed when the test ends.
func connect(t testing.TB, url string) *pgxpool.Pool {
	p, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func TestContract(t *testing.T) {
	p := pool(t)
	n := 0
	inboxtest.Run(t, func(t *testing.T) inboxtest.Inbox {
		n++ // each subtest its own table
		ib, err := postgres.New(context.Background(), p, postgres.WithTable(fmt.Sprintf("inbox_contract_%d", n)))
		if err != nil {
			t.Fatal(err)
		}
		return ib
	})
}

// New creates the table once; a second Inbox on it, in a schema named
// with the table, sees the first one's events.
func TestTableShared(t *testing.T) {
	ctx := context.Background()
	p := pool(t)
	if _, err := p.Exec(ctx, `CREATE SCHEMA billing`); err != nil {
		t.Fatal(err)
	}
	a, err := postgres.New(ctx, p, postgres.WithTable("billing.events"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := postgres.New(ctx, p, postgres.WithTable("billing.events"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Append(ctx, chartmogul.InboxEvent{Message: "m", Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Pending(ctx); err != nil || n != 1 {
		t.Fatalf("the other Inbox counts %d pending (%v), want 1", n, err)
	}
}

func TestTableNameChecked(t *testing.T) {
	for _, name := range []string{"x; DROP TABLE y", "Events", "a.b.c", ""} {
		if _, err := postgres.New(context.Background(), nil, postgres.WithTable(name)); err == nil {
			t.Errorf("the table name %q was accepted", name)
		}
	}
}

func TestWorker(t *testing.T) {
	p := pool(t)
	n := 0
	inboxtest.RunWorker(t, func(t *testing.T) inboxtest.Inbox {
		n++
		ib, err := postgres.New(context.Background(), p, postgres.WithTable(fmt.Sprintf("inbox_worker_%d", n)))
		if err != nil {
			t.Fatal(err)
		}
		return ib
	})
}

// By hand, not in CI: go test ./inbox/postgres -run '^$' -bench .
func BenchmarkReceive(b *testing.B) {
	ib, err := postgres.New(context.Background(), pool(b))
	if err != nil {
		b.Fatal(err)
	}
	inboxtest.BenchmarkReceive(b, ib)
}

func BenchmarkWorkers(b *testing.B) {
	p := pool(b)
	n := 0
	inboxtest.BenchmarkWorkers(b, func(b *testing.B) inboxtest.Inbox {
		n++
		ib, err := postgres.New(context.Background(), p, postgres.WithTable(fmt.Sprintf("inbox_bench_%d", n)))
		if err != nil {
			b.Fatal(err)
		}
		return ib
	}, func(ib inboxtest.Inbox) (int, error) { return ib.(*postgres.Inbox).Pending(context.Background()) })
}
