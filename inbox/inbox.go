// Package inbox holds what the inbox backends of this module share: Event,
// the same type as the InboxEvent of every package asyncgen generates, and
// the errors their methods return. The backends are the packages
// inbox/sqlite (one machine, one file) and inbox/postgres (many workers on
// many machines); inbox/inboxtest checks any backend against the contract
// of the generated Inbox interface.
package inbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Event is one received event, as an inbox keeps it. It is an alias of the
// same struct type as the InboxEvent of every generated package, so that a
// backend written with it implements each package's Inbox interface.
type Event = struct {
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

// ErrLeaseLost is what Ack, Fail and DeadLetter return when the token no
// longer holds the event: its lease ended and another worker leased it,
// or it was settled already.
var ErrLeaseLost = errors.New("the event is not held with this token: its lease ended and it was leased again, or it was settled already")

// ErrNoDeadLetter is what Replay returns for an ID that names no dead
// letter.
var ErrNoDeadLetter = errors.New("no dead letter has this ID")

// NewToken returns 128 random bits in hex: a lease's token.
func NewToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("lease token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// EncodeMaps returns the headers and the claims of event as JSON text for
// a backend to keep, nil (SQL NULL) for an empty map.
func EncodeMaps(event Event) (headers, claims any, err error) {
	if len(event.Headers) > 0 {
		data, err := json.Marshal(event.Headers)
		if err != nil {
			return nil, nil, fmt.Errorf("encode the headers: %w", err)
		}
		headers = string(data)
	}
	if event.Claims != nil {
		data, err := json.Marshal(event.Claims)
		if err != nil {
			return nil, nil, fmt.Errorf("encode the claims: %w", err)
		}
		claims = string(data)
	}
	return headers, claims, nil
}

// DecodeMaps sets the headers and the claims of event from the JSON text
// EncodeMaps made; "" leaves them nil.
func DecodeMaps(event *Event, headers, claims string) error {
	if headers != "" {
		if err := json.Unmarshal([]byte(headers), &event.Headers); err != nil {
			return fmt.Errorf("decode the kept headers: %w", err)
		}
	}
	if claims != "" {
		if err := json.Unmarshal([]byte(claims), &event.Claims); err != nil {
			return fmt.Errorf("decode the kept claims: %w", err)
		}
	}
	return nil
}
