package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/asyncgen/asyncgen/templates/support"
)

// ListenConfig says how a Listener checks and what it does with what it
// receives.
type ListenConfig struct {
	// Auths authenticate requests; none lets every request in.
	Auths []support.DynamicAuth
	// Forward, when set, is the URL every request is relayed to,
	// unchanged; its answer goes back to the caller.
	Forward string
	// Record, when set, is a directory where each payload is saved.
	Record string
	// Client relays requests; http.DefaultClient when nil.
	Client *http.Client
}

// Listener is a local webhook endpoint: it receives with the generated
// receiver's runtime, prints one line per request and keeps counts.
type Listener struct {
	spec     *Spec
	cfg      ListenConfig
	receiver http.Handler

	mu  sync.Mutex
	out io.Writer
	seq int
	// counts are events by verdict, then by message.
	counts map[string]map[string]int
}

// NewListener returns a Listener for spec printing on out.
func NewListener(spec *Spec, cfg ListenConfig, out io.Writer) *Listener {
	l := &Listener{spec: spec, cfg: cfg, out: out, counts: map[string]map[string]int{}}
	l.receiver = support.NewDynamicReceiver(support.DynamicReceiverConfig{
		Auths:     cfg.Auths,
		OnError:   func(*http.Request, error) {},
		OnUnknown: func(*http.Request, error) {},
	}, l.decode)
	return l
}

// decode is the receiver's decode function: the spec's classification.
func (l *Listener) decode(body []byte) (support.DynamicDelivery, error) {
	r := l.spec.Classify(body)
	d := support.DynamicDelivery{Message: r.Message, KeyHeader: r.KeyHeader, Unknown: r.Verdict == Unknown}
	if r.Verdict == Valid || r.Verdict == Drift {
		d.Handle = func(context.Context) error { return nil }
	}
	return d, r.Err
}

// ServeHTTP receives one request, prints what it is, records and forwards
// it as configured.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &statusRecorder{header: http.Header{}}
	l.receiver.ServeHTTP(rec, r)
	result := l.spec.Classify(body)

	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	l.report(rec.status, result)
	if l.cfg.Record != "" && rec.status != http.StatusUnauthorized {
		l.record(body, result)
	}
	if l.cfg.Forward != "" {
		l.forward(w, r, body)
		return
	}
	rec.replay(w)
}

// report prints the event's line, and its violations below it.
func (l *Listener) report(status int, r Result) {
	label := r.Verdict.String()
	switch status {
	case http.StatusUnauthorized:
		label = "refused: not authenticated"
	case http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType, http.StatusRequestEntityTooLarge:
		label = "refused: " + http.StatusText(status)
	}
	name := r.Message
	if name == "" {
		name = "?"
	}
	line := fmt.Sprintf("%d %s", status, name)
	if len(r.Keys) > 0 {
		line += " " + strings.Join(r.Keys, " ")
	}
	fmt.Fprintf(l.out, "%s: %s\n", line, label)
	var ve *support.ValidationError
	if errors.As(r.Err, &ve) {
		for _, v := range ve.Violations {
			fmt.Fprintf(l.out, "    %s (%s)\n", v.String(), v.Keyword)
		}
	} else if r.Err != nil && r.Verdict == Unknown {
		fmt.Fprintf(l.out, "    %v\n", r.Err)
	}
	if l.counts[label] == nil {
		l.counts[label] = map[string]int{}
	}
	l.counts[label][name]++
}

// record saves the payload as DIR/NNNN-message.json.
func (l *Listener) record(body []byte, r Result) {
	name := r.Message
	if name == "" {
		name = "unmatched"
	}
	file := filepath.Join(l.cfg.Record, fmt.Sprintf("%04d-%s.json", l.seq, safeFileName(name)))
	if err := os.MkdirAll(l.cfg.Record, 0o755); err != nil {
		fmt.Fprintf(l.out, "    cannot record: %v\n", err)
		return
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		fmt.Fprintf(l.out, "    cannot record: %v\n", err)
		return
	}
	fmt.Fprintf(l.out, "    recorded %s\n", file)
}

// safeFileName keeps letters, digits, '-', '_' and '.' of a message name.
func safeFileName(s string) string {
	out := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, s)
	if len(out) > 64 {
		out = out[:64]
	}
	return strings.Trim(out, ".")
}

// forward relays the request, unchanged, to the configured URL and
// answers with the app's answer.
func (l *Listener) forward(w http.ResponseWriter, r *http.Request, body []byte) {
	target := l.cfg.Forward
	if r.URL.RawQuery != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + r.URL.RawQuery
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, target, bytes.NewReader(body))
	if err != nil {
		fmt.Fprintf(l.out, "    forward: %v\n", err)
		http.Error(w, "cannot forward", http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	client := l.cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(l.out, "    forward: %v\n", err)
		http.Error(w, "the app did not answer", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	fmt.Fprintf(l.out, "    forwarded: %s%s\n", resp.Status, bodySuffix(answer))
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// bodySuffix is ": <body>" on one line, or "".
func bodySuffix(body []byte) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	if text == "" {
		return ""
	}
	if len(text) > 200 {
		text = text[:200] + "..."
	}
	return ": " + text
}

// Summary prints how many events came, by verdict and message.
func (l *Listener) Summary(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(w, "%d request(s)\n", l.seq)
	labels := make([]string, 0, len(l.counts))
	for label := range l.counts {
		labels = append(labels, label)
	}
	sort.Strings(labels)
	for _, label := range labels {
		total := 0
		names := make([]string, 0, len(l.counts[label]))
		for name, n := range l.counts[label] {
			total += n
			names = append(names, name)
		}
		sort.Strings(names)
		parts := make([]string, 0, len(names))
		for _, name := range names {
			parts = append(parts, fmt.Sprintf("%s %d", name, l.counts[label][name]))
		}
		fmt.Fprintf(w, "  %s: %d (%s)\n", label, total, strings.Join(parts, ", "))
	}
}

// statusRecorder keeps the receiver's answer so that it can be replayed,
// or dropped when the request is forwarded.
type statusRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (s *statusRecorder) Header() http.Header { return s.header }

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.body.Write(p)
}

// replay writes the recorded answer to w.
func (s *statusRecorder) replay(w http.ResponseWriter) {
	for k, vs := range s.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(s.status)
	_, _ = w.Write(s.body.Bytes())
}
