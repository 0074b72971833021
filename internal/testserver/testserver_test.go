package testserver

import (
	"fmt"
	"strings"
	"testing"
)

// recordingTB records how a test would have ended, without ending it.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Skip(args ...any)                  { r.skipped = fmt.Sprint(args...) }
func (r *recordingTB) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

// A missing program skips the test with a message naming it, or fails it
// when ASYNCGEN_REQUIRE_SERVERS=1.
func TestMissingProgram(t *testing.T) {
	t.Setenv(RequireEnv, "")
	rec := &recordingTB{TB: t}
	program(rec, "asyncgen-no-such-server", "the package x")
	if !strings.Contains(rec.skipped, "asyncgen-no-such-server is not installed (install the package x)") || rec.failed != "" {
		t.Fatalf("skipped %q, failed %q", rec.skipped, rec.failed)
	}

	t.Setenv(RequireEnv, "1")
	rec = &recordingTB{TB: t}
	program(rec, "asyncgen-no-such-server", "the package x")
	if !strings.Contains(rec.failed, "ASYNCGEN_REQUIRE_SERVERS=1") || rec.skipped != "" {
		t.Fatalf("skipped %q, failed %q", rec.skipped, rec.failed)
	}
}

// Both servers start and answer.
func TestServersStart(t *testing.T) {
	if addr := Redis(t); !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("redis on %s, want loopback", addr)
	}
	if url := Postgres(t); !strings.Contains(url, "@127.0.0.1:") {
		t.Errorf("postgres at %s, want loopback", url)
	}
}
