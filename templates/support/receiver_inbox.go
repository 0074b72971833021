package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// InboxEvent is one received event, as an Inbox keeps it: what the worker
// needs to deliver it again, long after the provider was answered. It is
// an alias of a struct of standard types only, the same in every
// generated package and in package github.com/asyncgen/asyncgen/inbox, so
// that one Inbox fits the Receiver of every generated package.
type InboxEvent = struct {
	// ID names the event in its Inbox; Append assigns it, and Lease and
	// DeadLetters return it.
	ID string
	// Message is the message's name in the spec.
	Message string
	// Body is the request's body, byte for byte.
	Body []byte
	// Headers are the request's headers that the spec declares for the
	// message (its idempotency header among them), in canonical form;
	// never those that carry credentials (Authorization,
	// Proxy-Authorization, Cookie).
	Headers map[string][]string
	// Claims are the claims of the JSON Web Token the Receiver verified,
	// as JSON decodes them; nil when the request carried none. The worker
	// gives them to the handler, for ClaimsFromContext.
	Claims map[string]any
	// ReceivedAt is when the Receiver accepted the request.
	ReceivedAt time.Time
	// OrderingKey groups the events delivered one after the other, in
	// arrival order; "" is a group of its own for each event.
	OrderingKey string
	// Attempts is how many deliveries were tried before, as Lease and
	// DeadLetters return it.
	Attempts int
	// LastError is why the last delivery failed, as DeadLetters returns
	// it.
	LastError string
}

// Inbox keeps received events durably until a worker has delivered them.
// Its methods use standard types only: an Inbox written once (such as
// those of the packages github.com/asyncgen/asyncgen/inbox/sqlite and
// inbox/postgres) fits every generated package. Implementations must be
// safe for concurrent use, also by several processes sharing the inbox.
//
// A leased event is held by one worker, named by a token, until its lease
// ends; past it, Lease gives it to another worker, and the first one's
// Ack, Fail and DeadLetter fail, changing nothing.
type Inbox interface {
	// Append keeps event durably; the Receiver answers the provider once
	// it returns nil. The ID and Attempts of event are ignored.
	Append(ctx context.Context, event InboxEvent) error
	// Lease returns the oldest event that is due (never leased, or whose
	// retry time has come, or whose lease ended), has not been acked or
	// dead-lettered, and has no older undelivered event with the same
	// non-empty ordering key; it holds the event for lease and returns a
	// token no other lease gets. ok is false when no event is due.
	Lease(ctx context.Context, lease time.Duration) (event InboxEvent, token string, ok bool, err error)
	// Ack records that the event leased with token was delivered.
	Ack(ctx context.Context, id, token string) error
	// Fail records that a delivery of the event leased with token failed
	// for reason, and makes the event due again at retryAt.
	Fail(ctx context.Context, id, token string, retryAt time.Time, reason string) error
	// DeadLetter moves the event leased with token to the dead letters,
	// for reason: it is no longer due, and no longer holds back the later
	// events of its ordering key.
	DeadLetter(ctx context.Context, id, token, reason string) error
	// DeadLetters lists at most limit dead letters, oldest first.
	DeadLetters(ctx context.Context, limit int) ([]InboxEvent, error)
	// Replay makes the dead letter id due again now, with its attempts
	// counted from zero.
	Replay(ctx context.Context, id string) error
}

// The defaults of an inbox worker.
const (
	receiverDefaultInboxAttempts = 10
	receiverDefaultInboxBackoff  = time.Second
	receiverDefaultInboxMaxDelay = 10 * time.Minute
	receiverDefaultInboxPoll     = 200 * time.Millisecond
	receiverDefaultInboxWorkers  = 4
)

// receiverInboxSettings are how an inbox worker delivers.
type receiverInboxSettings struct {
	// maxAttempts is how many deliveries an event gets before it is
	// dead-lettered.
	maxAttempts int
	// backoff is the wait after a first failure, doubled after each
	// other one, up to maxDelay.
	backoff, maxDelay time.Duration
	// poll is how long a worker waits when no event is due.
	poll time.Duration
	// workers is how many events are delivered at once.
	workers int
	// lease is how long a worker holds an event; the handler's context
	// ends with it.
	lease time.Duration
	// store, when set, makes each event reach the handler once even when
	// a lease ends while the handler runs.
	store IdempotencyStore
	// now is the clock.
	now func() time.Time
	// report hears of delivery failures and inbox failures.
	report func(error)
	// observe, when set, hears of retries, dead letters and
	// redeliveries, as ReceiverEvents.
	observe func(ReceiverEvent)
}

// receiverInboxWorker delivers the events of an Inbox to a Handler.
type receiverInboxWorker struct {
	inbox    Inbox
	settings receiverInboxSettings
	// decode turns a stored event into a delivery, decoding its body
	// again with the package's Decode function.
	decode func(InboxEvent) (receiverDelivery, error)
}

// newReceiverInboxWorker fills in the defaults of s.
func newReceiverInboxWorker(inbox Inbox, s receiverInboxSettings, decode func(InboxEvent) (receiverDelivery, error)) *receiverInboxWorker {
	if s.maxAttempts <= 0 {
		s.maxAttempts = receiverDefaultInboxAttempts
	}
	if s.backoff <= 0 {
		s.backoff = receiverDefaultInboxBackoff
	}
	if s.maxDelay <= 0 {
		s.maxDelay = receiverDefaultInboxMaxDelay
	}
	if s.poll <= 0 {
		s.poll = receiverDefaultInboxPoll
	}
	if s.workers <= 0 {
		s.workers = receiverDefaultInboxWorkers
	}
	if s.lease <= 0 {
		s.lease = receiverDefaultIdempotencyLease
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.report == nil {
		s.report = func(error) {}
	}
	if s.observe == nil {
		s.observe = func(ReceiverEvent) {}
	}
	return &receiverInboxWorker{inbox: inbox, settings: s, decode: decode}
}

// run delivers events until ctx ends, with the settings' number of
// goroutines, and returns the cause of ctx's end.
func (iw *receiverInboxWorker) run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range iw.settings.workers {
		wg.Go(func() { iw.loop(ctx) })
	}
	wg.Wait()
	return context.Cause(ctx)
}

// loop leases and delivers one event after the other until ctx ends,
// waiting the poll interval whenever none is due.
func (iw *receiverInboxWorker) loop(ctx context.Context) {
	for ctx.Err() == nil {
		if iw.step(ctx) {
			continue
		}
		t := time.NewTimer(iw.settings.poll)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// step leases one event and delivers it; it returns false when no event
// was due or the inbox failed.
func (iw *receiverInboxWorker) step(ctx context.Context) bool {
	event, token, ok, err := iw.inbox.Lease(ctx, iw.settings.lease)
	if err != nil {
		if ctx.Err() == nil {
			iw.settings.report(fmt.Errorf("inbox: lease the next event: %w", err))
		}
		return false
	}
	if !ok {
		return false
	}
	iw.settle(ctx, event, token, iw.deliver(ctx, event))
	return true
}

// deliver hands event to the handler, once per event when there is an
// idempotency store, and returns why it failed.
func (iw *receiverInboxWorker) deliver(ctx context.Context, event InboxEvent) error {
	d, err := iw.decode(event)
	if err != nil && d.handle == nil {
		return fmt.Errorf("decode the stored %s event: %w", event.Message, err)
	}
	if d.headers != nil {
		headers, err := d.headers(http.Header(event.Headers))
		if err != nil {
			return fmt.Errorf("decode the stored headers of the %s event: %w", event.Message, err)
		}
		ctx = context.WithValue(ctx, receiverHeadersKey{}, headers)
	}
	if event.Claims != nil {
		ctx = context.WithValue(ctx, receiverClaimsKey{}, event.Claims)
	}
	ctx, cancel := context.WithTimeout(ctx, iw.settings.lease)
	defer cancel()
	store := iw.settings.store
	if store == nil {
		return iw.call(ctx, d)
	}
	key := receiverInboxKey(event, d.keyHeader)
	state, claim, err := store.Claim(ctx, key, receiverBodyHash(event.Body), iw.settings.lease)
	switch {
	case err != nil:
		return fmt.Errorf("idempotency store: %w", err)
	case state == IdempotencyDelivered:
		iw.settings.observe(ReceiverEvent{Kind: ReceiverRedelivery, Key: key, EventID: event.ID, Message: event.Message, Attempt: event.Attempts + 1})
		return nil
	case state == IdempotencyInFlight:
		return errReceiverInboxInFlight
	case state != IdempotencyClaimed || claim == "":
		return fmt.Errorf("idempotency store: the event's key is %s", state)
	}
	bg := context.WithoutCancel(ctx)
	if err := iw.call(ctx, d); err != nil {
		if rerr := store.Release(bg, key, claim); rerr != nil {
			iw.settings.report(fmt.Errorf("idempotency store: %w", rerr))
		}
		return err
	}
	if err := store.Complete(bg, key, claim); err != nil {
		iw.settings.report(fmt.Errorf("idempotency store: the handler succeeded but the event was not recorded as delivered: %w", err))
	}
	return nil
}

// call runs the handler in a goroutine of its own and waits for it, or
// for ctx (the lease) to end.
func (iw *receiverInboxWorker) call(ctx context.Context, d receiverDelivery) error {
	done := receiverRun(ctx, d.handle)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("the handler had not returned when its lease ended: %w", context.Cause(ctx))
	}
}

// settle tells the inbox how the delivery of event went: acked, due again
// after a backoff, or dead-lettered after the last attempt.
func (iw *receiverInboxWorker) settle(ctx context.Context, event InboxEvent, token string, deliveryErr error) {
	bg := context.WithoutCancel(ctx)
	var err error
	switch attempt := event.Attempts + 1; {
	case deliveryErr == nil:
		err = iw.inbox.Ack(bg, event.ID, token)
	case attempt >= iw.settings.maxAttempts:
		iw.settings.report(fmt.Errorf("inbox: event %s (%s) dead-lettered after %d attempts: %w", event.ID, event.Message, attempt, deliveryErr))
		iw.settings.observe(iw.event(ReceiverDeadLetter, event, attempt, deliveryErr))
		err = iw.inbox.DeadLetter(bg, event.ID, token, receiverClip(deliveryErr.Error()))
	default:
		iw.settings.report(fmt.Errorf("inbox: delivery %d of event %s (%s) failed: %w", attempt, event.ID, event.Message, deliveryErr))
		iw.settings.observe(iw.event(ReceiverRetry, event, attempt, deliveryErr))
		retryAt := iw.settings.now().Add(iw.retryDelay(attempt, deliveryErr))
		err = iw.inbox.Fail(bg, event.ID, token, retryAt, receiverClip(deliveryErr.Error()))
	}
	if err != nil {
		iw.settings.report(fmt.Errorf("inbox: settle event %s: %w", event.ID, err))
	}
}

// event is the ReceiverEvent of kind for the attempt-th delivery of
// event, which failed with err.
func (iw *receiverInboxWorker) event(kind string, event InboxEvent, attempt int, err error) ReceiverEvent {
	return ReceiverEvent{Kind: kind, Reason: receiverClip(err.Error()), EventID: event.ID, Message: event.Message, Attempt: attempt}
}

// errReceiverInboxInFlight is the failure of a delivery whose event's key
// another delivery holds in the idempotency store: one whose lease in the
// inbox ended before its claim in the store did.
var errReceiverInboxInFlight = errors.New("another delivery of the same event holds its idempotency key")

// retryDelay is the wait after the attempt-th failed delivery, which
// failed with err: the backoff, or a whole lease when another delivery
// holds the event's key, since that claim ends within one lease; retrying
// sooner would spend the event's attempts while it waits.
func (iw *receiverInboxWorker) retryDelay(attempt int, err error) time.Duration {
	d := receiverBackoff(iw.settings.backoff, iw.settings.maxDelay, attempt)
	if errors.Is(err, errReceiverInboxInFlight) {
		d = max(d, iw.settings.lease)
	}
	return d
}

// receiverBackoff is the wait after the attempt-th failure: base doubled
// attempt-1 times, at most limit.
func receiverBackoff(base, limit time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// receiverInboxKey is the idempotency key of a stored event: the value of
// its declared idempotency header, so that an event the provider sent
// twice reaches the handler once; else its ID in the inbox.
func receiverInboxKey(event InboxEvent, header string) string {
	if header != "" {
		if v := http.Header(event.Headers).Get(header); v != "" {
			return v
		}
	}
	return "inbox:" + event.ID
}

// receiverClip cuts a reason kept in an inbox to receiverMaxField bytes.
func receiverClip(s string) string { return clipText(s, receiverMaxField) }

// receiverClaimsKey is the context key of the verified JWT claims, kept
// as map[string]any so that an inbox event can carry them.
type receiverClaimsKey struct{}

// receiverInboxHeaders copies the headers of a request that the spec
// declares (names) and keyHeader, when set; never those carrying
// credentials.
func receiverInboxHeaders(h http.Header, names []string, keyHeader string) map[string][]string {
	out := make(map[string][]string, len(names)+1)
	keep := func(name string) {
		name = http.CanonicalHeaderKey(name)
		switch name {
		case "", "Authorization", "Proxy-Authorization", "Cookie":
			return
		}
		if values := h.Values(name); len(values) > 0 {
			out[name] = append([]string(nil), values...)
		}
	}
	for _, name := range names {
		keep(name)
	}
	keep(keyHeader)
	return out
}

// enqueue appends the delivery d of the request r, with body, to the
// inbox, and answers 202 Accepted once it is kept, 503 when the inbox
// fails.
func (rc *receiverCore) enqueue(w http.ResponseWriter, r *http.Request, body []byte, d receiverDelivery) {
	claims, _ := r.Context().Value(receiverClaimsKey{}).(map[string]any)
	event := InboxEvent{
		Message:    d.message,
		Body:       body,
		Headers:    receiverInboxHeaders(r.Header, d.headerNames, d.keyHeader),
		Claims:     claims,
		ReceivedAt: time.Now(),
	}
	if rc.settings.orderingKey != nil {
		event.OrderingKey = rc.settings.orderingKey(d.message, body)
	}
	if err := rc.settings.inbox.Append(context.WithoutCancel(r.Context()), event); err != nil {
		rc.report(rc.settings.onError, r, "inbox", err)
		w.Header().Set("Retry-After", "1")
		receiverRefuse(w, http.StatusServiceUnavailable, "the inbox failed; retry later")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// InboxWorker delivers the events a Receiver kept with WithInbox to a
// Handler: each event is decoded again with the package's Decode
// function and handed to the handler, retried with exponential backoff
// when the handler fails, and dead-lettered after the last attempt.
type InboxWorker struct {
	core *receiverInboxWorker
}

// Run delivers events until ctx ends, then returns the cause of its end.
// Several Run calls, in one process or many, may share an Inbox.
func (w *InboxWorker) Run(ctx context.Context) error { return w.core.run(ctx) }

// InboxWorkerOption configures an InboxWorker.
type InboxWorkerOption func(*receiverInboxSettings)

// WithInboxAttempts sets how many deliveries an event gets before it is
// dead-lettered, 10 by default; n <= 0 keeps the default.
func WithInboxAttempts(n int) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.maxAttempts = n }
}

// WithInboxBackoff sets the wait after a first failed delivery (1 second
// by default), doubled after each other failure up to limit (10 minutes
// by default); values <= 0 keep the defaults.
func WithInboxBackoff(first, limit time.Duration) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.backoff, s.maxDelay = first, limit }
}

// WithInboxConcurrency sets how many events a worker delivers at once, 4
// by default; events sharing an ordering key are delivered one after the
// other whatever n is. n <= 0 keeps the default.
func WithInboxConcurrency(n int) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.workers = n }
}

// WithInboxLease sets how long a worker holds an event, 1 minute by
// default: the handler's context ends with the lease, and the event is
// then due for another worker. d <= 0 keeps the default.
func WithInboxLease(d time.Duration) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.lease = d }
}

// WithInboxPoll sets how long a worker waits when no event is due, 200
// milliseconds by default; d <= 0 keeps the default.
func WithInboxPoll(d time.Duration) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.poll = d }
}

// WithInboxIdempotency makes each event reach the handler once even when
// a lease ends while its handler runs, or the provider sent it twice: the
// key is the message's declared idempotency header, else the event's ID.
func WithInboxIdempotency(store IdempotencyStore) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.store = store }
}

// WithInboxErrors sets the function told of failed deliveries, dead
// letters and inbox failures; by default they are logged with log/slog.
func WithInboxErrors(report func(error)) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.report = report }
}

// WithInboxEvents sets the function told of each retry, dead letter and
// redelivery, as a ReceiverEvent: pass the function given to the
// Receiver's WithEvents (SlogReceiverEvents, say) to see both in one
// place. Events are reported from the worker's goroutines, so observe
// must be safe for concurrent use.
func WithInboxEvents(observe func(ReceiverEvent)) InboxWorkerOption {
	return func(s *receiverInboxSettings) { s.observe = observe }
}

// newInboxWorker applies opts and makes the worker delivering the events
// of inbox that decode turns into deliveries.
func newInboxWorker(inbox Inbox, opts []InboxWorkerOption, decode func(InboxEvent) (receiverDelivery, error)) *InboxWorker {
	if inbox == nil {
		panic("asyncgen inbox worker: nil Inbox")
	}
	var s receiverInboxSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.report == nil {
		s.report = func(err error) { slog.Error("webhook inbox worker", "error", err) }
	}
	return &InboxWorker{core: newReceiverInboxWorker(inbox, s, decode)}
}
