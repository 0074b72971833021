package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/monday"
)

// syncBuffer is a bytes.Buffer safe for the listener's goroutines.
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

func specPath(name string) string { return filepath.Join("..", "..", "specs", name) }

func payloadPath(spec, name string) string {
	return filepath.Join("..", "..", "testdata", "payloads", spec, "valid", name)
}

func writeJSON(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "payload.json")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

// TestSendSharedSecret: ChartMogul declares no scheme; send puts the
// shared secret where the generated receiver looks for it.
func TestSendSharedSecret(t *testing.T) {
	srv := httptest.NewServer(chartmogul.NewReceiver(chartmogul.NopHandler{}, chartmogul.WithSharedSecret("tok")))
	defer srv.Close()
	code, stdout, stderr := runCLI("send", "-spec", specPath("chartmogul.yaml"), "-file", payloadPath("chartmogul", "mrr_movement.json"), "-secret", "tok", srv.URL)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, "POST "+srv.URL+" (mrr_movement from "+payloadPath("chartmogul", "mrr_movement.json")+")\n204 No Content\n", stdout)

	code, stdout, _ = runCLI("send", "-spec", specPath("chartmogul.yaml"), "-file", payloadPath("chartmogul", "mrr_movement.json"), "-secret", "wrong", srv.URL)
	require.Equal(t, exitError, code)
	require.Contains(t, stdout, "401 Unauthorized\n")
}

// TestSendJWT: monday.com's http bearer JWT scheme; the secret comes from
// the flag or the environment variable help names.
func TestSendJWT(t *testing.T) {
	srv := httptest.NewServer(monday.NewReceiver(monday.NopHandler{}, monday.WithJWTSecret([]byte("s3cret"))))
	defer srv.Close()
	code, stdout, stderr := runCLI("send", "-spec", specPath("monday.yaml"), "-message", "install", "-jwt-secret", "s3cret", srv.URL)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "(install example install)\n204 No Content\n")

	t.Setenv(envJWTSecret, "s3cret")
	code, _, stderr = runCLI("send", "-spec", specPath("monday.yaml"), srv.URL, "-example", "uninstall")
	require.Equal(t, exitOK, code, stderr)

	t.Setenv(envJWTSecret, "")
	code, _, stderr = runCLI("send", "-spec", specPath("monday.yaml"), "-message", "install", srv.URL)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "the spec requires JWT (mondayJWT); give its secret (-jwt-secret, -api-key or -secret, or $ASYNCGEN_JWT_SECRET")
}

// TestSendAPIKey: httpApiKey schemes, in a header and in the query.
func TestSendAPIKey(t *testing.T) {
	for _, tc := range []struct {
		golden string
		got    func(*http.Request) string
	}{
		{"sender-apikey-header", func(r *http.Request) string { return r.Header.Get("X-Hook-Key") }},
		{"sender-apikey-query", func(r *http.Request) string { return r.URL.Query().Get("hook_key") }},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var got string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = tc.got(r)
				w.WriteHeader(http.StatusAccepted)
			}))
			defer srv.Close()
			spec := filepath.Join("..", "..", "testdata", "golden", tc.golden, "spec.yaml")
			code, stdout, stderr := runCLI("send", "-spec", spec, "-file", writeJSON(t, `{"id": 7, "text": "hello"}`), "-api-key", "k-123", srv.URL)
			require.Equal(t, exitOK, code, stderr)
			require.Contains(t, stdout, "202 Accepted\n")
			require.Equal(t, "k-123", got)
		})
	}
}

// TestSendNon2xx: an answer other than 2xx is printed (status, headers,
// body) and send exits 1; nothing is retried.
func TestSendNon2xx(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "30")
		w.Header().Set("X-Ignored", "yes")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error": "down for maintenance"}`)
	}))
	defer srv.Close()
	code, stdout, stderr := runCLI("send", "-spec", specPath("growpanel.yaml"), "-example", "failed_payment", srv.URL)
	require.Equal(t, exitError, code)
	require.Equal(t, "POST "+srv.URL+" (failed_payment example failed_payment)\n503 Service Unavailable\nContent-Type: application/json\nRetry-After: 30\n{\"error\": \"down for maintenance\"}\n", stdout)
	require.Equal(t, "asyncgen send: not delivered after 1 attempt: last status 503 Service Unavailable\n", stderr)
	require.Equal(t, 1, requests)
}

// TestSendRefusesInvalid: a payload that breaks its schema is not sent.
func TestSendRefusesInvalid(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests++ }))
	defer srv.Close()
	file := writeJSON(t, `{"event": "failed_payment", "timestamp": "not a time"}`)
	code, _, stderr := runCLI("send", "-spec", specPath("growpanel.yaml"), "-message", "failed_payment", "-file", file, srv.URL)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "asyncgen send: the payload is not a valid failed_payment, not sent: ")
	require.Contains(t, stderr, "/customer")
	require.Zero(t, requests)
}

// TestSendUsage: what send cannot do is said once, with a hint.
func TestSendUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"send", "http://x"}, "asyncgen send: -spec is required\n"},
		{[]string{"send", "-spec", "s.yaml"}, "asyncgen send: give one URL to send to (got 0 arguments)\n"},
		{[]string{"send", "-spec", "s.yaml", "http://x"}, "asyncgen send: say what to send: -message, -example, -file or -all\n"},
		{[]string{"send", "-spec", "s.yaml", "-examle", "x", "http://x"}, "asyncgen send: unknown flag -examle (did you mean -example?)\n"},
	} {
		code, _, stderr := runCLI(tc.args...)
		require.Equal(t, exitUsage, code, "%v", tc.args)
		require.Equal(t, tc.want+"Run 'asyncgen help send' for usage.\n", stderr, "%v", tc.args)
	}
	code, _, stderr := runCLI("send", "-spec", specPath("growpanel.yaml"), "-message", "faild_payment", "http://127.0.0.1:1")
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, `has no message "faild_payment" (did you mean "failed_payment"?)`)
}

// startListen runs listen with args on a loopback port and returns its
// URL, its output and a function that stops it (Ctrl-C) and returns its
// exit code.
func startListen(t *testing.T, args ...string) (url string, out *syncBuffer, stop func() int) {
	t.Helper()
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan net.Addr, 1)
	code := make(chan int, 1)
	go func() {
		code <- listen(ctx, append(args, "-addr", "127.0.0.1:0"), out, out, func(a net.Addr) { addr <- a })
	}()
	select {
	case a := <-addr:
		url = "http://" + a.String()
	case c := <-code:
		cancel()
		t.Fatalf("listen exited %d: %s", c, out.String())
	}
	stopped := false
	stop = func() int {
		if stopped {
			return exitOK
		}
		stopped = true
		cancel()
		return <-code
	}
	t.Cleanup(func() { stop() })
	return url, out, stop
}

func post(t *testing.T, url, body string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(answer)
}

func growpanelPayload(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(payloadPath("growpanel", name))
	require.NoError(t, err)
	return string(data)
}

// TestListenVerdicts: one line per event with the status answered, the
// message, key fields and verdict; violations below with their pointers;
// the summary on Ctrl-C.
func TestListenVerdicts(t *testing.T) {
	url, out, stop := startListen(t, "-spec", specPath("growpanel.yaml"))
	valid := growpanelPayload(t, "mrr_movement.json")

	status, _ := post(t, url, valid, nil)
	require.Equal(t, http.StatusNoContent, status)
	require.Contains(t, out.String(), "204 mrr_movement account_id=acc_abc123 event=mrr_movement customer.email=billing@acme.example: valid\n")

	status, answer := post(t, url, strings.Replace(valid, `"account_id": "acc_abc123",`, "", 1), nil)
	require.Equal(t, http.StatusBadRequest, status, answer)
	require.Contains(t, out.String(), "400 mrr_movement event=mrr_movement customer.email=billing@acme.example customer.id=cus_456: invalid\n    /account_id: is required (required)\n")

	status, _ = post(t, url, strings.Replace(valid, `"status": "active"`, `"status": "suspended"`, 1), nil)
	require.Equal(t, http.StatusNoContent, status, "enum drift is delivered, as the generated receiver does")
	require.Contains(t, out.String(), "204 mrr_movement account_id=acc_abc123 event=mrr_movement customer.email=billing@acme.example: enum drift\n    /customer/status: ")

	status, _ = post(t, url, strings.Replace(valid, `"event": "mrr_movement"`, `"event": "plan_changed"`, 1), nil)
	require.Equal(t, http.StatusAccepted, status, "an unknown event is acknowledged")
	require.Contains(t, out.String(), "202 plan_changed account_id=acc_abc123 event=plan_changed customer.email=billing@acme.example: unknown event\n    event \"plan_changed\" names no message of the spec\n")

	status, _ = post(t, url, "{not json", nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, out.String(), "400 ?: invalid\n    (root): not JSON: ")

	require.Equal(t, exitOK, stop())
	require.Contains(t, out.String(), "\n5 request(s)\n  enum drift: 1 (mrr_movement 1)\n  invalid: 2 (? 1, mrr_movement 1)\n  unknown event: 1 (plan_changed 1)\n  valid: 1 (mrr_movement 1)\n")
}

// TestListenAuthenticates: with a secret, requests without it are refused
// as the generated receiver refuses them.
func TestListenAuthenticates(t *testing.T) {
	url, out, _ := startListen(t, "-spec", specPath("growpanel.yaml"), "-secret", "tok")
	valid := growpanelPayload(t, "failed_payment.json")
	status, _ := post(t, url, valid, nil)
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, out.String(), "401 failed_payment")
	require.Contains(t, out.String(), ": refused: not authenticated\n")
	status, _ = post(t, url, valid, http.Header{"Authorization": {"Bearer tok"}})
	require.Equal(t, http.StatusNoContent, status)
}

// TestListenForward: each request goes to the app unchanged, and the
// app's answer to the caller.
func TestListenForward(t *testing.T) {
	var gotBody, gotHeader, gotQuery string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		gotBody, gotHeader, gotQuery = string(body), r.Header.Get("X-Provider"), r.URL.RawQuery
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "stored")
	}))
	defer app.Close()
	url, out, _ := startListen(t, "-spec", specPath("growpanel.yaml"), "-forward", app.URL+"/hooks")
	valid := growpanelPayload(t, "scheduled_cancellation.json")
	status, answer := post(t, url+"/?token=abc", valid, http.Header{"X-Provider": {"growpanel"}})
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, "stored", answer)
	require.Equal(t, valid, gotBody)
	require.Equal(t, "growpanel", gotHeader)
	require.Equal(t, "token=abc", gotQuery)
	require.Contains(t, out.String(), ": valid\n    forwarded: 201 Created: stored\n")

	// An invalid payload is forwarded too: the app decides.
	status, _ = post(t, url, `{"event": "failed_payment"}`, nil)
	require.Equal(t, http.StatusCreated, status)
	require.Contains(t, out.String(), "failed_payment event=failed_payment: invalid\n")
}

// TestListenRecord: each payload is saved as a fixture file.
func TestListenRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fixtures")
	url, out, _ := startListen(t, "-spec", specPath("growpanel.yaml"), "-record", dir)
	valid := growpanelPayload(t, "failed_payment.json")
	post(t, url, valid, nil)
	post(t, url, `{"event": "x/../../evil"}`, nil)
	saved, err := os.ReadFile(filepath.Join(dir, "0001-failed_payment.json"))
	require.NoError(t, err)
	require.Equal(t, valid, string(saved))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 2, "the unknown event's file stays in the directory")
	require.Equal(t, "0002-x_.._.._evil.json", entries[1].Name())
	require.Contains(t, out.String(), "    recorded "+filepath.Join(dir, "0001-failed_payment.json")+"\n")
}

// TestSendListenRoundTrip: every documented example of the three shipped
// specs (and ChartMogul's fixtures, since its spec has no examples) sent
// with send to listen, signed and checked, arrives valid.
func TestSendListenRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		secret []string
		what   [][]string
	}{
		{"growpanel.yaml", []string{"-secret", "tok"}, [][]string{{"-all"}}},
		{"monday.yaml", []string{"-jwt-secret", "s3cret"}, [][]string{{"-all"}}},
		{"chartmogul.yaml", []string{"-secret", "tok"}, [][]string{
			{"-file", payloadPath("chartmogul", "mrr_movement.json")},
			{"-file", payloadPath("chartmogul", "mrr_movement_large.json")},
		}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			url, out, stop := startListen(t, append([]string{"-spec", specPath(tc.spec)}, tc.secret...)...)
			sent := 0
			for _, what := range tc.what {
				args := append(append([]string{"send", "-spec", specPath(tc.spec)}, tc.secret...), what...)
				code, stdout, stderr := runCLI(append(args, url)...)
				require.Equal(t, exitOK, code, "%s%s", stdout, stderr)
				sent += strings.Count(stdout, "\n204 No Content\n")
			}
			require.Equal(t, exitOK, stop())
			lines := strings.Split(out.String(), "\n")
			valid := 0
			for _, line := range lines {
				if strings.HasSuffix(line, ": valid") {
					valid++
				}
			}
			require.Positive(t, sent)
			require.Equal(t, sent, valid, out.String())
			require.NotContains(t, out.String(), "invalid")
		})
	}
}

// TestREADMETryItLocally runs the README's "Try it locally" commands as
// written (listen on a free loopback port instead of :8080) and compares
// listen's output with the one the README shows.
func TestREADMETryItLocally(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	require.NoError(t, err)
	_, section, found := strings.Cut(string(readme), "\n## Try it locally\n")
	require.True(t, found)
	section, _, _ = strings.Cut(section, "\n## ")
	var commands []string
	var shown string
	for i, block := range strings.Split(section, "```") {
		if i%2 == 0 {
			continue
		}
		lang, body, _ := strings.Cut(block, "\n")
		switch lang {
		case "sh":
			commands = append(commands, strings.TrimSpace(body))
		case "text":
			shown = body
		}
	}
	require.Len(t, commands, 2, "a listen and a send command")
	const prefix = "go run ./cmd/asyncgen "
	listenArgs, ok := strings.CutPrefix(commands[0], prefix+"listen ")
	require.True(t, ok, commands[0])
	sendArgs, ok := strings.CutPrefix(commands[1], prefix+"send ")
	require.True(t, ok, commands[1])

	t.Chdir(repo)
	url, out, stop := startListen(t, strings.Fields(listenArgs)...)
	args := strings.Fields(strings.ReplaceAll(sendArgs, "http://localhost:8080", url))
	code, stdout, stderr := runCLI(append([]string{"send"}, args...)...)
	require.Equal(t, exitOK, code, "%s%s", stdout, stderr)
	require.Equal(t, exitOK, stop())
	got := strings.Replace(out.String(), strings.TrimPrefix(url, "http://"), "[::]:8080", 1)
	require.Equal(t, shown, got)
}
