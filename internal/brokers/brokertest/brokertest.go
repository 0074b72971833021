// Package brokertest starts the brokers the broker tests need that do not
// run in process (mosquitto, for MQTT), and the in-process ones (kfake,
// an embedded nats-server) with the settings the tests share.
package brokertest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// RequireServersEnv, set to 1, turns a missing broker from a skipped test
// into a failed one; CI sets it.
const RequireServersEnv = "ASYNCGEN_REQUIRE_SERVERS"

// Mosquitto starts mosquitto on a free loopback port with a configuration
// of its own (anonymous clients, no persistence), stops it when the test
// ends, and returns its address. It queues any number of messages for an
// offline session. Without mosquitto installed it skips the
// test, saying so, unless ASYNCGEN_REQUIRE_SERVERS=1, when it fails it.
func Mosquitto(t testing.TB) string {
	t.Helper()
	bin := mosquittoBinary()
	if bin == "" {
		missing(t, "mosquitto is not installed (apt-get install mosquitto)")
	}
	port := freePort(t)
	conf := filepath.Join(t.TempDir(), "mosquitto.conf")
	text := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n", port)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatalf("write mosquitto configuration: %v", err)
	}
	var out syncBuffer
	cmd := exec.Command(bin, "-c", conf)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mosquitto: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitListening(t, addr, exited, &out)
	return addr
}

// missing skips or fails a test whose broker is not installed.
func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireServersEnv) == "1" {
		t.Fatalf("%s, and %s=1", why, RequireServersEnv)
	}
	t.Skipf("SKIPPED: %s; set %s=1 to fail instead", why, RequireServersEnv)
}

// mosquittoBinary finds mosquitto on PATH or where Debian installs it.
func mosquittoBinary() string {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return ""
}

// freePort returns a loopback port nothing listens on.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening waits for addr to accept connections, failing the test
// when the broker exits first or after half a minute.
func waitListening(t testing.TB, addr string, exited <-chan error, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("mosquitto exited (%v):\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("mosquitto did not listen on %s within 30 s:\n%s", addr, out.String())
}

// syncBuffer is a bytes.Buffer safe for the process's writers and a
// reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
