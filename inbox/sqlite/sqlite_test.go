package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/inbox/inboxtest"
	"github.com/asyncgen/asyncgen/inbox/sqlite"
)

// One Inbox fits the receiver of every generated package.
var (
	_ chartmogul.Inbox = (*sqlite.Inbox)(nil)
	_ growpanel.Inbox  = (*sqlite.Inbox)(nil)
	_ monday.Inbox     = (*sqlite.Inbox)(nil)
)

// open opens an inbox in a file of the test's own.
func open(t testing.TB) *sqlite.Inbox {
	ib, err := sqlite.Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ib.Close() })
	return ib
}

func TestContract(t *testing.T) {
	inboxtest.Run(t, func(t *testing.T) inboxtest.Inbox { return open(t) })
}

func TestOpenRefusesOptionsInThePath(t *testing.T) {
	for _, path := range []string{"", "inbox.db?mode=ro", "a#b"} {
		if _, err := sqlite.Open(path); err == nil {
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

func TestWorker(t *testing.T) {
	inboxtest.RunWorker(t, func(t *testing.T) inboxtest.Inbox { return open(t) })
}

// By hand, not in CI: go test ./inbox/sqlite -run '^$' -bench .
func BenchmarkReceive(b *testing.B) {
	inboxtest.BenchmarkReceive(b, open(b))
}

func BenchmarkWorkers(b *testing.B) {
	inboxtest.BenchmarkWorkers(b, func(b *testing.B) inboxtest.Inbox { return open(b) },
		func(ib inboxtest.Inbox) (int, error) { return ib.(*sqlite.Inbox).Pending(context.Background()) })
}
