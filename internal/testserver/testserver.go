// Package testserver starts real Redis and PostgreSQL servers for tests:
// on loopback, on free ports, with data in temporary directories that are
// removed when the test ends. When a server's program is missing, the
// test is skipped with a message saying so, unless the environment
// variable ASYNCGEN_REQUIRE_SERVERS is 1 (as in CI), when it fails.
package testserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// RequireEnv is the environment variable that, set to 1, makes a missing
// server fail a test instead of skipping it.
const RequireEnv = "ASYNCGEN_REQUIRE_SERVERS"

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 60 * time.Second

// Redis starts a redis-server and returns its address, host:port.
func Redis(t testing.TB) string {
	t.Helper()
	bin := program(t, "redis-server", "the Debian package redis-server")
	dir := tempDir(t, nil)
	port := freePort(t)
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes")
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	run(t, cmd, filepath.Join(dir, "redis.log"))
	waitFor(t, "redis-server", func(ctx context.Context) error { return redisPing(ctx, addr) })
	return addr
}

// Postgres starts a PostgreSQL server with trust authentication on
// loopback and returns the URL of its database postgres. Run as root, it
// runs the server as the user postgres, since PostgreSQL refuses root.
func Postgres(t testing.TB) string {
	t.Helper()
	initdb := program(t, "initdb", "the Debian package postgresql")
	postgres := filepath.Join(filepath.Dir(initdb), "postgres")
	if _, err := os.Stat(postgres); err != nil {
		postgres = program(t, "postgres", "the Debian package postgresql")
	}
	cred := postgresCredential(t)
	dir := tempDir(t, cred)
	data := filepath.Join(dir, "data")
	initCmd := exec.Command(initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	initCmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initCmd.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	cmd := exec.Command(postgres, "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	run(t, cmd, filepath.Join(dir, "postgres.log"))
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	waitFor(t, "postgres", func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	})
	return url
}

// program finds name on PATH, or in /usr/lib/postgresql/*/bin, where
// Debian keeps the PostgreSQL programs; it skips or fails the test when
// there is none.
func program(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if found, _ := filepath.Glob(filepath.Join("/usr/lib/postgresql/*/bin", name)); len(found) > 0 {
		return found[len(found)-1]
	}
	msg := fmt.Sprintf("%s is not installed (install %s): this test needs a real server", name, pkg)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s, and %s=1", msg, RequireEnv)
		return ""
	}
	t.Skip(msg)
	return ""
}

// postgresCredential is who runs PostgreSQL: nil (the test's own user)
// unless that is root, then the user postgres.
func postgresCredential(t testing.TB) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root, PostgreSQL needs the user postgres to run as: %v", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatalf("user postgres: %v", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// tempDir makes a directory that cred's user owns, removed when the test
// ends. It is not under t.TempDir, whose parents only the test's user can
// enter.
func tempDir(t testing.TB, cred *syscall.Credential) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "asyncgen-server-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// freePort returns a loopback port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// run starts cmd with its output in logPath, and stops it when the test
// ends; a test that fails prints the log.
func run(t testing.TB, cmd *exec.Cmd, logPath string) {
	t.Helper()
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if cmd.SysProcAttr != nil && cmd.SysProcAttr.Credential != nil {
		_ = logFile.Chown(int(cmd.SysProcAttr.Credential.Uid), int(cmd.SysProcAttr.Credential.Gid))
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		logFile.Close()
		if t.Failed() {
			if out, err := os.ReadFile(logPath); err == nil {
				t.Logf("%s log:\n%s", filepath.Base(cmd.Path), out)
			}
		}
	})
}

// waitFor calls ready until it succeeds, for startTimeout at most.
func waitFor(t testing.TB, name string, ready func(context.Context) error) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := ready(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not accept connections within %v: %v", name, startTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// redisPing sends PING to addr and expects PONG.
func redisPing(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("redis answered %q", line)
	}
	return nil
}
