package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	receiverauth "github.com/asyncgen/asyncgen/testdata/golden/receiver-auth/want"

	"github.com/asyncgen/asyncgen/inbox/sqlite"
)

// The environment of the receiver process TestCrash starts: the test
// binary again, serving a receiver with the SQLite inbox in crashDBEnv.
const (
	crashChildEnv = "ASYNCGEN_INBOX_CRASH_CHILD"
	crashDBEnv    = "ASYNCGEN_INBOX_CRASH_DB"
	crashAPIKey   = "crash-test-key"
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		serveCrashChild()
		return
	}
	os.Exit(m.Run())
}

// serveCrashChild is the receiver process: the orders receiver of the
// receiver-auth golden (its OrderPlaced message declares the idempotency
// header Delivery-ID), keeping each event in the SQLite inbox and
// answering 202. It prints its address, then serves until killed.
func serveCrashChild() {
	ib, err := sqlite.Open(os.Getenv(crashDBEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rcv := receiverauth.NewOrdersReceiver(receiverauth.NopHandler{}, receiverauth.WithAPIKey(crashAPIKey),
		receiverauth.WithInbox(ib), receiverauth.WithReceiveErrors(func(*http.Request, error) {}))
	fmt.Printf("listening %s\n", l.Addr())
	_ = http.Serve(l, rcv)
}

// crashChild is a running receiver process.
type crashChild struct {
	cmd  *exec.Cmd
	addr string
}

// startChild starts the receiver process on the inbox file db and waits
// for its address.
func startChild(t *testing.T, db string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"=1", crashDBEnv+"="+db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the receiver process printed no address: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return &crashChild{cmd: cmd, addr: strings.TrimSpace(strings.TrimPrefix(line, "listening "))}
}

// kill ends the process with SIGKILL: no deferred function, no flush.
func (c *crashChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

// orderCounter counts the deliveries of each order.
type orderCounter struct {
	receiverauth.NopHandler
	mu    sync.Mutex
	count map[string]int
}

func (h *orderCounter) HandleOrderPlaced(_ context.Context, v *receiverauth.OrderPlacedPayload) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.count[v.ID]++
	return nil
}

// A receiver keeping events in the SQLite inbox is killed with SIGKILL
// twice while 8 senders post 1,500 events, retrying each until it gets a
// 2xx (with the same Delivery-ID, as a provider does). After the
// restarts, a worker over the same file delivers every event exactly
// once: none that got a 2xx is lost, and one kept twice (the process died
// after keeping it, before answering) reaches the handler once.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test starts processes; skipped with -short")
	}
	const senders, perSender = 8, 190
	const total = senders * perSender
	db := filepath.Join(t.TempDir(), "inbox.db")
	child := startChild(t, db)
	var addr atomic.Pointer[string]
	addr.Store(&child.addr)
	defer func() { child.kill(t) }()

	var acked atomic.Int64
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second}
	failures := make(chan error, senders)
	for s := range senders {
		wg.Go(func() {
			for i := range perSender {
				id := fmt.Sprintf("order-%d-%d", s, i)
				if err := postUntilAccepted(ctx, client, &addr, id); err != nil {
					failures <- err
					return
				}
				acked.Add(1)
			}
		})
	}
	for _, at := range []int64{total / 4, total / 2} {
		for acked.Load() < at && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		child.kill(t)
		t.Logf("killed the receiver with SIGKILL after %d events were acknowledged", acked.Load())
		child = startChild(t, db)
		addr.Store(&child.addr)
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Fatal(err)
	}

	ib, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer ib.Close()
	kept, err := ib.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := &orderCounter{count: map[string]int{}}
	worker := receiverauth.NewInboxWorker(h, ib, receiverauth.WithInboxIdempotency(receiverauth.NewMemoryIdempotencyStore(0, 0)),
		receiverauth.WithInboxPoll(time.Millisecond), receiverauth.WithInboxConcurrency(4))
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- worker.Run(wctx) }()
	for {
		n, err := ib.Pending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done

	t.Logf("%d events acknowledged; the inbox kept %d (a kept event whose answer the crash cut off is kept again on retry)", total, kept)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.count) != total {
		t.Errorf("%d distinct orders were delivered, want all %d that got a 2xx", len(h.count), total)
	}
	for s := range senders {
		for i := range perSender {
			if id := fmt.Sprintf("order-%d-%d", s, i); h.count[id] != 1 {
				t.Errorf("%s was delivered %d times, want once", id, h.count[id])
			}
		}
	}
}

// postUntilAccepted posts the order id to the receiver's current address
// until it answers 2xx, as a provider that retries does.
func postUntilAccepted(ctx context.Context, client *http.Client, addr *atomic.Pointer[string], id string) error {
	body := fmt.Sprintf(`{"id":%q,"total":1}`, id)
	var last error
	for ctx.Err() == nil {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+*addr.Load()+"/", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hook-Key", crashAPIKey)
		req.Header.Set("Delivery-ID", id)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return nil
			}
			if resp.StatusCode/100 == 4 {
				return fmt.Errorf("%s: refused with %s", id, resp.Status)
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		last = err
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("%s: not accepted before the test's deadline: %w", id, last)
}
