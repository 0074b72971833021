// Package webhooktest builds the requests a provider would send to a
// receiver asyncgen generated, so that a handler's unit test needs no
// network and no provider: a POST of a valid payload as JSON, signed the
// way the spec's security scheme says, ready for
// receiver.ServeHTTP(httptest.NewRecorder(), req).
package webhooktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Validator is what every generated payload type is.
type Validator interface {
	Validate() error
}

// Option changes a request: it signs it or adds to it.
type Option func(*http.Request) error

// jwtLifetime is how long a signed token is valid, as a generated Sender's.
const jwtLifetime = 5 * time.Minute

// WithJWT signs the request for an http bearer JWT scheme: a fresh HS256
// token, issued now and valid for five minutes, in Authorization.
func WithJWT(secret []byte) Option {
	return func(r *http.Request) error {
		now := time.Now()
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(jwtLifetime)),
		}).SignedString(secret)
		if err != nil {
			return fmt.Errorf("sign JWT: %w", err)
		}
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// WithAPIKey puts key where an httpApiKey scheme says: in the header, or
// the query parameter (in "query"), called name.
func WithAPIKey(in, name, key string) Option {
	return func(r *http.Request) error {
		switch in {
		case "header":
			r.Header.Set(name, key)
		case "query":
			q := r.URL.Query()
			q.Set(name, key)
			r.URL.RawQuery = q.Encode()
		default:
			return fmt.Errorf("an API key goes in a header or the query, not %q", in)
		}
		return nil
	}
}

// WithSharedSecret sends the shared secret of a spec without a scheme as
// a bearer token, where a generated receiver's WithSharedSecret looks.
func WithSharedSecret(secret string) Option {
	return func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+secret)
		return nil
	}
}

// WithHeader sets a header, such as a message's declared headers or
// Idempotency-Key.
func WithHeader(name, value string) Option {
	return func(r *http.Request) error {
		r.Header.Set(name, value)
		return nil
	}
}

// NewRequest returns a POST of v, validated and encoded as JSON, to
// target (a path such as "/webhooks" or a URL), changed by opts. An
// invalid v is an error wrapping its validation error: a test builds only
// what a provider keeping to the spec would send.
func NewRequest(target string, v Validator, opts ...Option) (*http.Request, error) {
	if err := v.Validate(); err != nil {
		return nil, fmt.Errorf("webhooktest: the payload is not valid: %w", err)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("webhooktest: encode the payload: %w", err)
	}
	return NewRawRequest(target, body, opts...)
}

// NewRawRequest is NewRequest for a body as it is, valid or not (a
// recorded fixture, or a payload a test means to be refused).
func NewRawRequest(target string, body []byte, opts ...Option) (*http.Request, error) {
	if _, err := url.ParseRequestURI(target); err != nil {
		return nil, fmt.Errorf("webhooktest: target %q: %w", target, err)
	}
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for _, opt := range opts {
		if err := opt(r); err != nil {
			return nil, fmt.Errorf("webhooktest: %w", err)
		}
	}
	return r, nil
}
