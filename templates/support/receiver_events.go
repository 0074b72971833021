package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"log/slog"
	"net/http"
)

// The kinds of ReceiverEvent.
const (
	// ReceiverRefused: the request was refused for good, with 400, 401,
	// 405, 409, 413 or 415; Reason says why.
	ReceiverRefused = "refused"
	// ReceiverRedelivery: the request repeated a delivery completed
	// before, and was acknowledged without calling the handler.
	ReceiverRedelivery = "redelivery"
	// ReceiverRetry: the request was answered 500 or 503, so that the
	// sender retries it: the handler failed, the same delivery was in
	// flight, or the idempotency store failed or was full.
	ReceiverRetry = "retry"
	// ReceiverUnknownMessage: the payload named a message the spec does
	// not list, and was acknowledged with 202 without dispatch.
	ReceiverUnknownMessage = "unknown-message"
	// ReceiverDeadLetter: an inbox worker gave up on a kept event after
	// its last attempt and moved it to the dead letters; Reason says why
	// the last attempt failed.
	ReceiverDeadLetter = "dead-letter"
)

// ReceiverEvent is something a Receiver answered, or an inbox worker did,
// that an operator may want to see: it tells a broken provider
// integration from an attack, a redelivery from a new event, and a
// passing outage from a lost event.
type ReceiverEvent struct {
	// Kind is ReceiverRefused, ReceiverRedelivery, ReceiverRetry,
	// ReceiverUnknownMessage or ReceiverDeadLetter. An inbox worker
	// reports ReceiverRetry (a delivery failed and the event is due again
	// later), ReceiverDeadLetter, and ReceiverRedelivery (the idempotency
	// store had the event delivered already, so the handler was not
	// called).
	Kind string
	// Status is the HTTP status answered; 0 for an inbox worker's event.
	Status int
	// Reason is what the answer's body says, for a refusal or a retry.
	Reason string
	// Key is the request's idempotency key, when it has one.
	Key string
	// Request is the request answered; its body was read. Nil for an
	// inbox worker's event.
	Request *http.Request
	// EventID is the ID of the kept event in its inbox, for an inbox
	// worker's event.
	EventID string
	// Message is the message's name in the spec, for an inbox worker's
	// event.
	Message string
	// Attempt is which delivery of the kept event this was, from 1, for
	// an inbox worker's event.
	Attempt int
}

// SlogReceiverEvents returns a function for WithEvents that logs each
// event with logger (slog.Default() when nil): refusals and retries as
// warnings, the others as information.
func SlogReceiverEvents(logger *slog.Logger) func(ReceiverEvent) {
	if logger == nil {
		logger = slog.Default()
	}
	return func(e ReceiverEvent) {
		level := slog.LevelInfo
		switch e.Kind {
		case ReceiverRefused, ReceiverRetry:
			level = slog.LevelWarn
		case ReceiverDeadLetter:
			level = slog.LevelError
		}
		ctx := context.Background()
		attrs := []slog.Attr{slog.String("kind", e.Kind), slog.Int("status", e.Status)}
		if e.Reason != "" {
			attrs = append(attrs, slog.String("reason", e.Reason))
		}
		if e.Key != "" {
			attrs = append(attrs, slog.String("idempotency_key", e.Key))
		}
		if r := e.Request; r != nil {
			ctx = r.Context()
			attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("remote_addr", r.RemoteAddr))
		}
		source := "webhook receiver: "
		if e.EventID != "" {
			source = "webhook inbox worker: "
			attrs = append(attrs, slog.String("event_id", e.EventID), slog.String("message", e.Message), slog.Int("attempt", e.Attempt))
		}
		logger.LogAttrs(ctx, level, source+e.Kind, attrs...)
	}
}

// receiverObserved is the ResponseWriter of a Receiver with WithEvents:
// it keeps what the answer was, for the event.
type receiverObserved struct {
	http.ResponseWriter
	status int
	reason string
	key    string
	// redelivery is set when a completed delivery was acknowledged.
	redelivery bool
}

// WriteHeader keeps the status.
func (o *receiverObserved) WriteHeader(status int) {
	if o.status == 0 {
		o.status = status
	}
	o.ResponseWriter.WriteHeader(status)
}

// Write keeps the implicit status 200.
func (o *receiverObserved) Write(p []byte) (int, error) {
	if o.status == 0 {
		o.status = http.StatusOK
	}
	return o.ResponseWriter.Write(p)
}

// Unwrap gives http.ResponseController the writer underneath.
func (o *receiverObserved) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// event is what o answered, and false when that is not an event.
func (o *receiverObserved) event(r *http.Request) (ReceiverEvent, bool) {
	e := ReceiverEvent{Status: o.status, Reason: o.reason, Key: o.key, Request: r}
	switch {
	case o.redelivery:
		e.Kind = ReceiverRedelivery
	case o.status == http.StatusAccepted:
		e.Kind = ReceiverUnknownMessage
	case o.status >= 500:
		e.Kind = ReceiverRetry
	case o.status >= 400:
		e.Kind = ReceiverRefused
	default:
		return e, false
	}
	return e, true
}

// receiverNote returns w's receiverObserved, or nil when events are not
// observed.
func receiverNote(w http.ResponseWriter) *receiverObserved {
	o, _ := w.(*receiverObserved)
	return o
}
