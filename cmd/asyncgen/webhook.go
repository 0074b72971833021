package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/internal/webhook"
)

// The environment variables send and listen read secrets from when the
// flags are not given.
const (
	envJWTSecret = "ASYNCGEN_JWT_SECRET"
	envAPIKey    = "ASYNCGEN_API_KEY"
	envSecret    = "ASYNCGEN_SECRET"
)

// secretFlags adds the credential flags send and listen share.
func secretFlags(fs *flag.FlagSet, s *webhook.Secrets) {
	fs.StringVar(&s.JWT, "jwt-secret", "", "HS256 key for a spec with an http bearer JWT scheme (default $"+envJWTSecret+")")
	fs.StringVar(&s.APIKey, "api-key", "", "key for a spec with an httpApiKey scheme (default $"+envAPIKey+")")
	fs.StringVar(&s.Shared, "secret", "", "shared secret for a spec without a scheme, sent as a bearer token (default $"+envSecret+")")
}

// fromEnvironment fills the secrets not given as flags.
func fromEnvironment(s *webhook.Secrets) {
	for _, f := range []struct {
		value *string
		env   string
	}{{&s.JWT, envJWTSecret}, {&s.APIKey, envAPIKey}, {&s.Shared, envSecret}} {
		if *f.value == "" {
			*f.value = os.Getenv(f.env)
		}
	}
}

// sendRequest is what send was asked to do.
type sendRequest struct {
	spec, message, example, file string
	all                          bool
	secrets                      webhook.Secrets
	url                          string
}

func sendFlags() (*flag.FlagSet, *sendRequest) {
	fs := flag.NewFlagSet("asyncgen send", flag.ContinueOnError)
	r := &sendRequest{}
	fs.StringVar(&r.spec, "spec", "", "the AsyncAPI document (required)")
	fs.StringVar(&r.message, "message", "", "the message to send, by its name in the spec")
	fs.StringVar(&r.example, "example", "", "the example to send, by name (default: the message's first)")
	fs.StringVar(&r.file, "file", "", "a JSON file to send instead of an example")
	fs.BoolVar(&r.all, "all", false, "send every example of the spec (of -message, when given)")
	secretFlags(fs, &r.secrets)
	return fs, r
}

func parseSend(args []string) (*sendRequest, error) {
	fs, r := sendFlags()
	rest, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	switch {
	case r.spec == "":
		return nil, errors.New("-spec is required")
	case len(rest) != 1:
		return nil, fmt.Errorf("give one URL to send to (got %d arguments)", len(rest))
	case r.file != "" && (r.example != "" || r.all):
		return nil, errors.New("-file cannot be combined with -example or -all")
	case r.all && r.example != "":
		return nil, errors.New("-all cannot be combined with -example")
	case !r.all && r.file == "" && r.message == "" && r.example == "":
		return nil, errors.New("say what to send: -message, -example, -file or -all")
	}
	r.url = rest[0]
	fromEnvironment(&r.secrets)
	return r, nil
}

// delivery is one payload send posts.
type delivery struct {
	message *webhook.Message
	label   string
	payload []byte
}

// sendCommand validates and posts documented examples or a file to a URL,
// printing each answer; it exits 1 when one is not 2xx.
func sendCommand(args []string, stdout, stderr io.Writer) int {
	req, err := parseSend(args)
	if err != nil {
		return requestError("send", err, stdout, stderr)
	}
	spec, err := webhook.Load(req.spec, document.Options{})
	if err != nil {
		printError(stderr, "asyncgen send", err)
		return exitError
	}
	deliveries, err := req.deliveries(spec)
	if err != nil {
		printError(stderr, "asyncgen send", err)
		return exitError
	}
	sign, err := spec.Signer(req.secrets)
	if err != nil {
		printError(stderr, "asyncgen send", fmt.Errorf("%w (-jwt-secret, -api-key or -secret, or $%s, $%s, $%s)", err, envJWTSecret, envAPIKey, envSecret))
		return exitError
	}
	code := exitOK
	for _, d := range deliveries {
		if !sendOne(d, req.url, sign, stdout, stderr) {
			code = exitError
		}
	}
	return code
}

// deliveries lists what the request sends.
func (r *sendRequest) deliveries(spec *webhook.Spec) ([]delivery, error) {
	if r.file != "" {
		return r.fileDelivery(spec)
	}
	messages := spec.Messages
	if r.message != "" {
		m, err := spec.Message(r.message)
		if err != nil {
			return nil, err
		}
		messages = []*webhook.Message{m}
	}
	if r.all {
		var out []delivery
		for _, m := range messages {
			for _, ex := range m.Examples {
				out = append(out, delivery{message: m, label: m.Name + " example " + ex.Name, payload: ex.Payload})
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s documents no examples for these messages; send a file with -file", spec.Path)
		}
		return out, nil
	}
	if r.message == "" {
		return exampleByName(spec, r.example)
	}
	ex, err := messages[0].Example(r.example)
	if err != nil {
		return nil, err
	}
	return []delivery{{message: messages[0], label: messages[0].Name + " example " + ex.Name, payload: ex.Payload}}, nil
}

// exampleByName finds the example called name among every message's.
func exampleByName(spec *webhook.Spec, name string) ([]delivery, error) {
	var names []string
	for _, m := range spec.Messages {
		for _, ex := range m.Examples {
			if ex.Name == name {
				return []delivery{{message: m, label: m.Name + " example " + ex.Name, payload: ex.Payload}}, nil
			}
			names = append(names, ex.Name)
		}
	}
	slices.Sort(names)
	return nil, fmt.Errorf("%s has no example %q%s; its examples are %s", spec.Path, name, didYouMean(name, names, ""), strings.Join(slices.Compact(names), ", "))
}

// fileDelivery reads the payload of -file; its message is -message, or
// the one the spec recognises it as.
func (r *sendRequest) fileDelivery(spec *webhook.Spec) ([]delivery, error) {
	payload, err := os.ReadFile(r.file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.file, err)
	}
	name := r.message
	if name == "" {
		name = spec.Classify(payload).Message
		if name == "" {
			return nil, fmt.Errorf("%s is not a message of %s; say which with -message", r.file, spec.Path)
		}
	}
	m, err := spec.Message(name)
	if err != nil {
		return nil, err
	}
	return []delivery{{message: m, label: m.Name + " from " + r.file, payload: payload}}, nil
}

// sendOne posts one payload and prints the answer; false when it was not
// delivered.
func sendOne(d delivery, url string, sign func(*http.Request) error, stdout, stderr io.Writer) bool {
	printf(stdout, "POST %s (%s)\n", url, d.label)
	ans, err := webhook.Send(context.Background(), d.message, d.payload, url, sign)
	if ans != nil {
		printAnswer(stdout, ans)
	}
	if err != nil {
		printError(stderr, "asyncgen send", err)
		return false
	}
	return true
}

// answerHeaders are the response headers send prints.
var answerHeaders = []string{"Content-Type", "Allow", "Retry-After", "WWW-Authenticate", "Location"}

func printAnswer(w io.Writer, a *webhook.Answer) {
	printf(w, "%d %s\n", a.Status, http.StatusText(a.Status))
	for _, name := range answerHeaders {
		for _, v := range a.Header.Values(name) {
			printf(w, "%s: %s\n", name, v)
		}
	}
	if body := strings.TrimSpace(string(a.Body)); body != "" {
		printf(w, "%s\n", body)
	}
}

// listenRequest is what listen was asked to do.
type listenRequest struct {
	spec, addr, forward, record string
	secrets                     webhook.Secrets
}

func listenFlags() (*flag.FlagSet, *listenRequest) {
	fs := flag.NewFlagSet("asyncgen listen", flag.ContinueOnError)
	r := &listenRequest{}
	fs.StringVar(&r.spec, "spec", "", "the AsyncAPI document (required)")
	fs.StringVar(&r.addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&r.forward, "forward", "", "URL of your app: relay each request to it unchanged and answer with its answer")
	fs.StringVar(&r.record, "record", "", "directory to save each payload in, as NNNN-<message>.json")
	secretFlags(fs, &r.secrets)
	return fs, r
}

func parseListen(args []string) (*listenRequest, error) {
	fs, r := listenFlags()
	rest, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	switch {
	case r.spec == "":
		return nil, errors.New("-spec is required")
	case len(rest) > 0:
		return nil, fmt.Errorf("listen takes no arguments besides flags (got %s)", strings.Join(rest, " "))
	}
	fromEnvironment(&r.secrets)
	return r, nil
}

// listenCommand serves until interrupted, then prints a summary.
func listenCommand(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return listen(ctx, args, stdout, stderr, nil)
}

// listen is listenCommand until ctx ends; ready, when set, is told the
// address once the server listens.
func listen(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(net.Addr)) int {
	req, err := parseListen(args)
	if err != nil {
		return requestError("listen", err, stdout, stderr)
	}
	spec, err := webhook.Load(req.spec, document.Options{})
	if err != nil {
		printError(stderr, "asyncgen listen", err)
		return exitError
	}
	ln, err := net.Listen("tcp", req.addr)
	if err != nil {
		printError(stderr, "asyncgen listen", err)
		return exitError
	}
	auths := spec.Auths(req.secrets)
	l := webhook.NewListener(spec, webhook.ListenConfig{Auths: auths, Forward: req.forward, Record: req.record}, stdout)
	srv := &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
	printf(stdout, "listening on http://%s for %s (%d messages; %s)\n", ln.Addr(), spec.Path, len(spec.Messages), authNote(len(auths)))
	if ready != nil {
		ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-done:
		printError(stderr, "asyncgen listen", err)
		return exitError
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	printf(stdout, "\n")
	l.Summary(stdout)
	return exitOK
}

// authNote says whether listen checks credentials.
func authNote(checks int) string {
	if checks == 0 {
		return "no secret given: requests are not authenticated"
	}
	return "requests are authenticated"
}

const sendDetails = `send validates each payload against its message's schema first (an
invalid one is not sent), signs the request as the spec's security scheme
says (an HS256 JWT, an API key in its header or query parameter, or a
shared secret as a bearer token), posts it once with the generated
sender's transport (Content-Type, Idempotency-Key, no redirects), and
prints the status, the relevant headers and the body of the answer.
http:// URLs are allowed. Exit status: 0 when every answer is 2xx, 1 when
one is not or a payload is invalid, 2 on a usage error.
`

const listenDetails = `listen receives with the generated receiver's runtime (method, JSON
content type, 1 MiB body cap, credentials when a secret is given, then
decoding and validation) and prints one line per request: the status
answered, the message, a few identifying fields and the verdict (valid,
invalid, enum drift, unknown event), then each violation with its JSON
pointer. Ctrl-C prints a summary by verdict and message.
`
