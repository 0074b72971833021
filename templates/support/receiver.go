package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// receiverDefaultMaxBodyBytes is how large a body a Receiver reads unless
// WithMaxBodyBytes says otherwise: 1 MiB.
const receiverDefaultMaxBodyBytes = 1 << 20

// receiverDefaultIdempotencyLease is how long an idempotency claim holds
// its key unless WithIdempotencyLease says otherwise.
const receiverDefaultIdempotencyLease = time.Minute

// receiverSettings are the options of a Receiver that are the same for
// every spec.
type receiverSettings struct {
	// maxBodyBytes caps the body; 0 means receiverDefaultMaxBodyBytes.
	maxBodyBytes int64
	// strictEnums refuses payloads whose only violations are unknown enum
	// values instead of delivering them.
	strictEnums bool
	// idempotent turns deduplication on; store is where keys are kept,
	// nil for a MemoryIdempotencyStore of the Receiver's own.
	idempotent bool
	store      IdempotencyStore
	// lease is how long a claim holds its key, and how long the handler
	// may run before its context is cancelled; 0 means
	// receiverDefaultIdempotencyLease.
	lease time.Duration
	// bodyHashKeys makes the body's hash the key of a request that has
	// no declared idempotency header.
	bodyHashKeys bool
	// onError hears of why requests did not authenticate, handler errors,
	// recovered panics and store failures; nil logs them with log/slog.
	onError func(*http.Request, error)
	// onUnknown hears of payloads naming a message the spec does not
	// list; nil logs them with log/slog.
	onUnknown func(*http.Request, error)
	// authenticator, when set, replaces the spec's security scheme.
	authenticator func(*http.Request) error
	// observe, when set, hears of refusals, redeliveries and retries.
	observe func(ReceiverEvent)
	// inbox, when set, keeps each valid event durably and answers 202
	// at once; a worker delivers it later.
	inbox Inbox
	// orderingKey, when set, names the group of events of a message
	// that are delivered in arrival order.
	orderingKey func(message string, body []byte) string
	// credentialsErr says which credential options were given an empty
	// secret; when set, every request is refused.
	credentialsErr error
}

// receiverAuth is one way the spec lets a request authenticate; a
// request passes when any of a Receiver's passes.
type receiverAuth struct {
	// verify returns the request's context, holding what it verified, or
	// says why the request is refused.
	verify func(r *http.Request) (context.Context, error)
	// challenge is the WWW-Authenticate value sent with a refusal.
	challenge string
}

// receiverDelivery is a decoded payload ready for its Handler method.
type receiverDelivery struct {
	// message is the message's name in the spec.
	message string
	// keyHeader is the header the spec declares as the message's
	// idempotency key, or "".
	keyHeader string
	// unknownMessage is set when the payload names a message the spec does not
	// list.
	unknownMessage bool
	// handle passes the decoded value to the Handler; nil when decoding
	// found no message.
	handle func(ctx context.Context) error
	// answer, for a message with a reply, passes the decoded value to the
	// Handler and returns its reply, checked and encoded; handle then
	// does the same and drops the reply (see answering).
	answer func(ctx context.Context) ([]byte, error)
	// headers decodes and validates the request's headers, for a message
	// whose spec declares them; nil otherwise.
	headers func(h http.Header) (any, error)
	// headerNames are the headers the spec declares for the message, as
	// it spells them: those an inbox keeps.
	headerNames []string
}

// answering returns d, a delivery whose answer is set, with a handle
// that runs answer and drops the reply: for the paths that send none (an
// inbox worker, a broker subscriber).
func (d receiverDelivery) answering() receiverDelivery {
	answer := d.answer
	d.handle = func(ctx context.Context) error {
		_, err := answer(ctx)
		return err
	}
	return d
}

// receiverReplyError is a reply a handler returned that is not sent: it
// is nil, does not encode, or breaks its schema.
type receiverReplyError struct {
	// message is the reply message's name in the spec.
	message string
	err     error
}

// Error says which reply is wrong and why.
func (e *receiverReplyError) Error() string {
	return "the handler's reply " + e.message + " is invalid and was not sent: " + e.err.Error()
}

// Unwrap returns why the reply is invalid (a *ValidationError when it
// breaks its schema).
func (e *receiverReplyError) Unwrap() error { return e.err }

// receiverReplyEncoder returns the function that checks the reply a
// handler returned, with the error it returned: a nil error and a nil
// reply is an error, and so is a reply that decode (the Decode function
// of the reply's message or channel, which validates) refuses once
// encoded. It returns the encoded reply.
func receiverReplyEncoder[T comparable](message string, decode func([]byte) (T, error)) func(T, error) ([]byte, error) {
	return func(reply T, err error) ([]byte, error) {
		var none T
		if err != nil {
			return nil, err
		}
		if reply == none {
			return nil, &receiverReplyError{message: message, err: errors.New("the handler returned neither a reply nor an error")}
		}
		body, err := json.Marshal(reply)
		if err != nil {
			return nil, &receiverReplyError{message: message, err: fmt.Errorf("encode: %w", err)}
		}
		if _, err := decode(body); err != nil {
			return nil, &receiverReplyError{message: message, err: err}
		}
		return body, nil
	}
}

// receiverCore is the http.Handler a Receiver is: it checks, decodes and
// dispatches one webhook request.
type receiverCore struct {
	settings receiverSettings
	auths    []receiverAuth
	// decode turns a body into a delivery: the error is what the
	// message's Decode function returned.
	decode func(data []byte) (receiverDelivery, error)
}

// newReceiverCore fills in the defaults of s.
func newReceiverCore(s receiverSettings, auths []receiverAuth, decode func([]byte) (receiverDelivery, error)) *receiverCore {
	if s.maxBodyBytes <= 0 {
		s.maxBodyBytes = receiverDefaultMaxBodyBytes
	}
	if s.idempotent && s.store == nil {
		s.store = NewMemoryIdempotencyStore(0, 0)
	}
	if s.lease <= 0 {
		s.lease = receiverDefaultIdempotencyLease
	}
	return &receiverCore{settings: s, auths: auths, decode: decode}
}

// ServeHTTP checks the method, the content type, the size and the
// credentials of a request, in that order, then decodes, validates and
// dispatches its body.
func (rc *receiverCore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rc.settings.observe != nil {
		o := &receiverObserved{ResponseWriter: w}
		defer func() {
			if e, ok := o.event(r); ok {
				rc.settings.observe(e)
			}
		}()
		w = o
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		receiverRefuse(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed: webhooks are POSTed")
		return
	}
	if err := receiverCheckContentType(r.Header.Get("Content-Type")); err != nil {
		receiverRefuse(w, http.StatusUnsupportedMediaType, err.Error())
		return
	}
	body, status, err := receiverReadBody(w, r, rc.settings.maxBodyBytes)
	if err != nil {
		receiverRefuse(w, status, err.Error())
		return
	}
	if r.Context().Err() != nil {
		return // the client has gone: nobody hears the answer
	}
	r, err = rc.authenticate(r)
	if err != nil {
		for _, a := range rc.auths {
			w.Header().Add("WWW-Authenticate", a.challenge)
		}
		// The sender learns nothing of why: the detail is for the hook.
		rc.report(rc.settings.onError, r, "unauthenticated request", fmt.Errorf("unauthenticated: %w", err))
		receiverRefuse(w, http.StatusUnauthorized, "unauthenticated")
		return
	}
	d, err := rc.decode(body)
	if d.headers != nil {
		var headers any
		headers, err = receiverHeaders(d.headers, r.Header, err)
		r = r.WithContext(context.WithValue(r.Context(), receiverHeadersKey{}, headers))
	}
	if err != nil && !rc.acceptable(d, err) {
		if d.unknownMessage {
			rc.report(rc.settings.onUnknown, r, "unknown message acknowledged and not dispatched", err)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		receiverInvalid(w, err)
		return
	}
	if r.Context().Err() != nil {
		return // the client has gone: it will deliver again
	}
	if rc.settings.inbox != nil && d.answer == nil {
		// A request with a reply is handled at once: its sender waits for
		// the reply.
		rc.enqueue(w, r, body, d)
		return
	}
	rc.deliver(w, r, body, d)
}

// acceptable reports whether a payload that decoded with err is delivered
// all the same: its only violations are unknown enum values, and
// WithStrictEnums is not set.
func (rc *receiverCore) acceptable(d receiverDelivery, err error) bool {
	var ve *ValidationError
	return d.handle != nil && !rc.settings.strictEnums && errors.As(err, &ve) && ve.OnlyUnknownEnumValues()
}

// authenticate checks the request's credentials: with the function of
// WithAuthenticator when there is one, else with the spec's schemes. It
// returns the request with a context holding what was verified: r itself,
// not a copy, when verifying added nothing to its context.
func (rc *receiverCore) authenticate(r *http.Request) (*http.Request, error) {
	if rc.settings.credentialsErr != nil {
		return r, rc.settings.credentialsErr
	}
	if rc.settings.authenticator != nil {
		return r, rc.settings.authenticator(r)
	}
	if len(rc.auths) == 0 {
		return r, errors.New("the spec's security scheme is not supported; set WithAuthenticator")
	}
	var first error
	for _, a := range rc.auths {
		ctx, err := a.verify(r)
		if err == nil {
			return receiverWithContext(ctx, r), nil
		}
		if first == nil {
			first = err
		}
	}
	return r, first
}

// receiverWithContext is r with context ctx: r itself when ctx is its
// context already, so that a request is copied only when its context
// changes.
func receiverWithContext(ctx context.Context, r *http.Request) *http.Request {
	if ctx == r.Context() {
		return r
	}
	return r.WithContext(ctx)
}

// deliver calls the handler, once per idempotency key when the request
// has one, and answers 204 on success, 500 when the handler fails.
func (rc *receiverCore) deliver(w http.ResponseWriter, r *http.Request, body []byte, d receiverDelivery) {
	store := rc.settings.store
	key := ""
	if store != nil {
		key = rc.idempotencyKey(r, body, d.keyHeader)
	}
	if key == "" {
		if reply, ok := rc.call(w, r, d, nil); ok {
			receiverSucceed(w, reply)
		}
		return
	}
	if o := receiverNote(w); o != nil {
		o.key = key
	}
	token, ok := rc.claim(w, r, key, receiverBodyHash(body))
	if !ok {
		return
	}
	// The bookkeeping outlives a client that hangs up.
	bg := context.WithoutCancel(r.Context())
	settle := func(handlerErr error) {
		if handlerErr != nil {
			if err := store.Release(bg, key, token); err != nil {
				rc.report(rc.settings.onError, r, "idempotency store", err)
			}
			return
		}
		if err := store.Complete(bg, key, token); err != nil {
			rc.report(rc.settings.onError, r, "idempotency store", fmt.Errorf("the handler succeeded but its key was not recorded as delivered: %w", err))
		}
	}
	// The handler's context ends with the lease: past it, another delivery
	// may claim the key, and this one's late outcome is fenced off by its
	// token.
	ctx, cancel := context.WithTimeout(r.Context(), rc.settings.lease)
	defer cancel()
	if reply, ok := rc.call(w, r.WithContext(ctx), d, settle); ok {
		receiverSucceed(w, reply)
	}
}

// receiverSucceed answers a request whose handler succeeded: 204 without
// a reply, 200 with the encoded reply as a JSON body.
func receiverSucceed(w http.ResponseWriter, reply []byte) {
	if reply == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(reply)
}

// claim reserves key for the request in the store, and returns the
// claim's token. When the request is not to be handled it answers it
// (204 for a delivery completed before, 409 for a key claimed for another
// body, 503 for one in flight or a store failure) and returns false.
func (rc *receiverCore) claim(w http.ResponseWriter, r *http.Request, key, bodyHash string) (string, bool) {
	state, token, err := rc.settings.store.Claim(r.Context(), key, bodyHash, rc.settings.lease)
	switch {
	case err != nil:
		rc.report(rc.settings.onError, r, "idempotency store", err)
	case state == IdempotencyClaimed && token != "":
		return token, true
	case state == IdempotencyDelivered:
		if o := receiverNote(w); o != nil {
			o.redelivery = true
		}
		w.WriteHeader(http.StatusNoContent)
		return "", false
	case state == IdempotencyInFlight:
		w.Header().Set("Retry-After", "1")
		receiverRefuse(w, http.StatusServiceUnavailable, "the same delivery is being handled; retry later")
		return "", false
	case state == IdempotencyConflict:
		receiverRefuse(w, http.StatusConflict, "the idempotency key was already used for another body")
		return "", false
	default:
		rc.report(rc.settings.onError, r, "idempotency store", fmt.Errorf("the store answered a claim with state %q and token %q", state, token))
	}
	w.Header().Set("Retry-After", "1")
	receiverRefuse(w, http.StatusServiceUnavailable, "the idempotency store failed; retry later")
	return "", false
}

// call runs the handler and settles its outcome with settle (when set):
// nil when it succeeded, else why it failed. When it fails, panics, exits
// its goroutine or returns an invalid reply, call reports the error,
// answers 500 and returns false; the caller answers a success, with the
// encoded reply call returns for a message with one. A panic with http.ErrAbortHandler
// goes on up once settled, as net/http expects. When the request ends
// (or its lease runs out) before the handler returns, call answers 503
// and returns false, and the handler's outcome is settled when it comes.
func (rc *receiverCore) call(w http.ResponseWriter, r *http.Request, d receiverDelivery, settle func(error)) ([]byte, bool) {
	if settle == nil {
		settle = func(error) {}
	}
	handle := d.handle
	var reply []byte
	if d.answer != nil {
		// reply is read only after done delivers the outcome.
		handle = func(ctx context.Context) (err error) {
			reply, err = d.answer(ctx)
			return err
		}
	}
	done := receiverRun(r.Context(), handle)
	var err error
	select {
	case err = <-done:
	case <-r.Context().Done():
		rc.report(rc.settings.onError, r, "handling "+d.message, fmt.Errorf("the handler had not returned when the request ended (%w); it goes on, and its outcome will be kept", context.Cause(r.Context())))
		go func() { settle(<-done) }()
		// A client still there (its lease ran out, not its request) must
		// not read the silence as a success.
		w.Header().Set("Retry-After", "1")
		receiverRefuse(w, http.StatusServiceUnavailable, "the handler did not finish in time; retry later")
		return nil, false
	}
	settle(err)
	if err == nil {
		return reply, true
	}
	var p *receiverPanic
	if errors.As(err, &p) && p.value == http.ErrAbortHandler {
		panic(http.ErrAbortHandler)
	}
	rc.report(rc.settings.onError, r, "handling "+d.message, err)
	var re *receiverReplyError
	if errors.As(err, &re) {
		receiverRefuse(w, http.StatusInternalServerError, clipText(re.Error(), receiverMaxField))
		return nil, false
	}
	receiverRefuse(w, http.StatusInternalServerError, "the handler failed")
	return nil, false
}

// receiverHeadersKey is the context key of a message's decoded headers.
type receiverHeadersKey struct{}

// receiverHeaders decodes the headers of a request with decode, and
// returns them with the error of the request: the violations of the
// headers before those of the payload (payloadErr), or the payload's
// error alone when it is not a *ValidationError.
func receiverHeaders(decode func(http.Header) (any, error), h http.Header, payloadErr error) (any, error) {
	headers, err := decode(h)
	if err == nil {
		return headers, payloadErr
	}
	if payloadErr == nil {
		return headers, err
	}
	var hv, pv *ValidationError
	if !errors.As(err, &hv) || !errors.As(payloadErr, &pv) {
		return headers, payloadErr
	}
	all := &ValidationError{Violations: append(append([]Violation{}, hv.Violations...), pv.Violations...)}
	return headers, all
}

// receiverPanic is a panic recovered from a handler.
type receiverPanic struct {
	value any
	stack []byte
}

// Error renders the panic value and the stack where it happened.
func (p *receiverPanic) Error() string {
	return fmt.Sprintf("handler panic: %v\n%s", p.value, p.stack)
}

// errReceiverGoexit is the outcome of a handler that called
// runtime.Goexit.
var errReceiverGoexit = errors.New("the handler called runtime.Goexit (t.FailNow or log.Fatal in a handler?)")

// receiverSafeCall calls handle, turning a panic into a *receiverPanic and
// a runtime.Goexit into errReceiverGoexit. A Goexit ends the goroutine of
// receiverSafeCall once it has returned the error through done.
func receiverSafeCall(ctx context.Context, handle func(context.Context) error, done chan<- error) {
	returned := false
	defer func() {
		if v := recover(); v != nil {
			done <- &receiverPanic{value: v, stack: debug.Stack()}
		} else if !returned {
			done <- errReceiverGoexit
		}
	}()
	err := handle(ctx)
	returned = true
	done <- err
}

// receiverRun runs handle in a goroutine of its own, so that a handler
// calling runtime.Goexit ends only that goroutine and one that never
// returns holds no request. The channel receives its outcome, once.
func receiverRun(ctx context.Context, handle func(context.Context) error) <-chan error {
	done := make(chan error, 1)
	go receiverSafeCall(ctx, handle, done)
	return done
}

// report passes err to fn, or logs it when fn is nil.
func (rc *receiverCore) report(fn func(*http.Request, error), r *http.Request, what string, err error) {
	if fn != nil {
		fn(r, err)
		return
	}
	slog.ErrorContext(r.Context(), "webhook receiver: "+what, "error", err)
}

// receiverCheckContentType accepts JSON media types, with parameters:
// application/json and application/<anything>+json, in UTF-8.
func receiverCheckContentType(header string) error {
	if header == "" {
		return errors.New("no content type: the body must be application/json")
	}
	// What senders send, without parsing.
	if strings.EqualFold(header, "application/json") || strings.EqualFold(header, "application/json; charset=utf-8") {
		return nil
	}
	mediaType, params, err := mime.ParseMediaType(header)
	if err != nil {
		return fmt.Errorf("content type %q: %w", header, err)
	}
	if mediaType != "application/json" && !(strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json")) {
		return fmt.Errorf("content type %q is not JSON: the body must be application/json", header)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Errorf("content type %q: JSON must be UTF-8", header)
	}
	return nil
}

// receiverFirstRead is the most room a body's buffer starts with, whatever
// the request's Content-Length says.
const receiverFirstRead = 16 << 10

// receiverReadBody reads the whole body, at most limit bytes. It returns
// the status to answer when it cannot: 413 for a body too large, 400 for
// one that breaks off.
func receiverReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, int, error) {
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge, receiverTooLarge(limit)
	}
	// The buffer grows as bytes arrive: a Content-Length is a claim, and
	// memory is not given for it before authentication.
	buf := make([]byte, 0, min(max(r.ContentLength+1, 512), receiverFirstRead))
	body, err := receiverReadAll(http.MaxBytesReader(w, r.Body, limit), buf)
	if err == nil {
		return body, 0, nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, http.StatusRequestEntityTooLarge, receiverTooLarge(limit)
	}
	return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
}

// receiverTooLarge is the error of a body larger than limit bytes, built
// only when one is (not on every request).
func receiverTooLarge(limit int64) error {
	return fmt.Errorf("the body is larger than %d bytes", limit)
}

// receiverReadAll is io.ReadAll appending to buf.
func receiverReadAll(src io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// idempotencyKey is the value of the header the spec declares as the
// message's idempotency key when the request has it; else, with
// WithIdempotencyByBodyHash, the hex SHA-256 of the body; else "", and
// the request is not deduplicated.
func (rc *receiverCore) idempotencyKey(r *http.Request, body []byte, header string) string {
	if header != "" {
		if v := r.Header.Get(header); v != "" {
			return v
		}
	}
	if rc.settings.bodyHashKeys {
		return receiverBodyHash(body)
	}
	return ""
}

// receiverBodyHash is the hex SHA-256 of a body.
func receiverBodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// receiverProblem is the JSON body of a refusal.
type receiverProblem struct {
	Error string `json:"error"`
	// Offset is where malformed JSON goes wrong.
	Offset *int `json:"offset,omitempty"`
	// Violations are how a payload breaks its schema.
	Violations []receiverViolation `json:"violations,omitempty"`
}

// receiverViolation is a Violation in a refusal's body: the same fields,
// named in JSON.
type receiverViolation struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
}

// receiverRefuse answers status with a JSON body saying why.
func receiverRefuse(w http.ResponseWriter, status int, reason string) {
	receiverWriteProblem(w, status, receiverProblem{Error: reason})
}

// receiverInvalid answers 400 for a payload that does not decode: its
// syntax error, or every violation with its pointer, keyword and message.
func receiverInvalid(w http.ResponseWriter, err error) {
	p := receiverProblem{Error: clipText("invalid payload: "+err.Error(), receiverMaxField)}
	var se *SyntaxError
	var ve *ValidationError
	switch {
	case errors.As(err, &se):
		offset := se.Offset
		p.Offset = &offset
	case errors.As(err, &ve):
		p.Error = "invalid payload: " + strconv.Itoa(len(ve.Violations)) + " violation(s) of the schema"
		for i, v := range ve.Violations {
			if i == receiverMaxListed {
				p.Violations = append(p.Violations, receiverViolation{Keyword: "more", Message: "and " + strconv.Itoa(len(ve.Violations)-i) + " more entries, not listed"})
				break
			}
			p.Violations = append(p.Violations, receiverViolation{
				Pointer: clipText(v.Pointer, receiverMaxField),
				Keyword: clipText(v.Keyword, receiverMaxField),
				Message: clipText(v.Message, receiverMaxField),
			})
		}
	}
	receiverWriteProblem(w, http.StatusBadRequest, p)
}

// receiverMaxListed and receiverMaxField bound a 400 answer: at most this
// many violations (those of the headers and of several messages add up),
// each text cut at this many bytes.
const (
	receiverMaxListed = 200
	receiverMaxField  = 512
)

func receiverWriteProblem(w http.ResponseWriter, status int, p receiverProblem) {
	if o := receiverNote(w); o != nil {
		o.reason = p.Error
	}
	data, err := json.Marshal(p)
	if err != nil {
		data = []byte(`{"error":"unencodable error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// receiverPick chooses the message a payload is, on a channel with
// several messages and no discriminator, from errs: what decoding the
// payload as each message returned. The payload is the one message it is
// valid as; failing that, the one message whose only violations are
// unknown enum values. Valid as several, or as none, it is refused.
// receiverPick returns the message's index and its decoding error, or -1
// and the reason.
func receiverPick(channel string, names []string, errs []error) (int, error) {
	var se *SyntaxError
	if len(errs) > 0 && errors.As(errs[0], &se) {
		return -1, errs[0]
	}
	if i, err := receiverPickOne(channel, names, errs, func(err error) bool { return err == nil }); i >= 0 || err != nil {
		return i, err
	}
	drift := func(err error) bool {
		var ve *ValidationError
		return errors.As(err, &ve) && ve.OnlyUnknownEnumValues()
	}
	if i, err := receiverPickOne(channel, names, errs, drift); i >= 0 || err != nil {
		return i, err
	}
	all := &ValidationError{}
	for i, err := range errs {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return -1, fmt.Errorf("as %s: %w", names[i], err)
		}
		for _, v := range ve.Violations {
			v.Message = "as " + names[i] + ": " + v.Message
			all.Violations = append(all.Violations, v)
		}
	}
	return -1, all
}

// receiverPickOne returns the one message whose error ok accepts, -1 and
// nil when there is none, -1 and an error when there are several.
func receiverPickOne(channel string, names []string, errs []error, ok func(error) bool) (int, error) {
	found := -1
	var matches []string
	for i, err := range errs {
		if ok(err) {
			found = i
			matches = append(matches, names[i])
		}
	}
	if len(matches) > 1 {
		return -1, fmt.Errorf("the payload is valid as each of the messages %s of channel %s, which has no discriminator", strings.Join(matches, ", "), channel)
	}
	if found < 0 {
		return -1, nil
	}
	return found, errs[found]
}
