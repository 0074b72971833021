package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/asyncgen/asyncgen/templates"
	"github.com/asyncgen/asyncgen/templates/support"
)

// Secrets are the credentials send and listen were given.
type Secrets struct {
	// JWT is the HS256 key of an http bearer JWT scheme.
	JWT string
	// APIKey is the key of an httpApiKey scheme.
	APIKey string
	// Shared is the shared secret of a spec without a scheme.
	Shared string
}

// jwtLifetime is how long a token send signs is valid, as a generated
// Sender's.
const jwtLifetime = 5 * time.Minute

// Signer returns the function that signs a request as the spec's first
// credential the secrets cover says; it signs nothing when they cover
// none of them and the spec needs none.
func (s *Spec) Signer(secrets Secrets) (func(*http.Request) error, error) {
	for _, c := range s.Credentials {
		switch {
		case c.Kind == templates.CredentialJWT && secrets.JWT != "":
			key := []byte(secrets.JWT)
			return func(r *http.Request) error {
				token, err := support.DynamicJWT(key, time.Now(), jwtLifetime)
				if err != nil {
					return fmt.Errorf("sign JWT: %w", err)
				}
				r.Header.Set("Authorization", "Bearer "+token)
				return nil
			}, nil
		case c.Kind == templates.CredentialAPIKey && secrets.APIKey != "":
			in, name, key := c.In, c.Name, secrets.APIKey
			return func(r *http.Request) error {
				if in == "query" {
					q := r.URL.Query()
					q.Set(name, key)
					r.URL.RawQuery = q.Encode()
					return nil
				}
				r.Header.Set(name, key)
				return nil
			}, nil
		case c.Kind == templates.CredentialSharedSecret:
			secret := secrets.Shared
			return func(r *http.Request) error {
				if secret != "" {
					r.Header.Set("Authorization", "Bearer "+secret)
				}
				return nil
			}, nil
		}
	}
	return nil, fmt.Errorf("the spec requires %s; give its secret", describeCredentials(s.Credentials))
}

// Auths returns how listen authenticates with the given secrets: the
// checks of the spec's schemes the secrets cover, or nil (everything let
// in) when no secret is given.
func (s *Spec) Auths(secrets Secrets) []support.DynamicAuth {
	var auths []support.DynamicAuth
	for _, c := range s.Credentials {
		switch {
		case c.Kind == templates.CredentialJWT && secrets.JWT != "":
			auths = append(auths, support.DynamicJWTAuth([]byte(secrets.JWT)))
		case c.Kind == templates.CredentialAPIKey && secrets.APIKey != "":
			auths = append(auths, support.DynamicAPIKeyAuth(c.In, c.Name, secrets.APIKey))
		case c.Kind == templates.CredentialSharedSecret && secrets.Shared != "":
			auths = append(auths, support.DynamicSharedSecretAuth(secrets.Shared))
		}
	}
	return auths
}

func describeCredentials(cs []templates.Credential) string {
	var out string
	for i, c := range cs {
		if i > 0 {
			out += " or "
		}
		out += string(c.Kind)
		if c.Scheme != "" {
			out += " (" + c.Scheme + ")"
		}
	}
	return out
}

// Answer is the last response a send got.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send validates payload against m, then posts it to endpoint with the
// generated sender's transport, signed by sign, without retries. It
// returns the answer, and an error when the payload is invalid, nothing
// answered, or the status is not 2xx.
func Send(ctx context.Context, m *Message, payload []byte, endpoint string, sign func(*http.Request) error) (*Answer, error) {
	r := validatePayload(m, payload)
	if r.Err != nil && r.Verdict != Drift {
		return nil, fmt.Errorf("the payload is not a valid %s, not sent: %w", m.Name, r.Err)
	}
	rec := &answerRecorder{next: http.DefaultTransport}
	sender, err := support.NewDynamicSender(endpoint, true, &http.Client{Transport: rec}, 30*time.Second,
		support.RetryPolicy{MaxAttempts: 1}, "asyncgen-send", sign)
	if err != nil {
		return nil, err
	}
	// rec.last is nil when nothing answered; the error then says why.
	return rec.last, sender.Post(ctx, payload)
}

// validatePayload classifies a payload as message m.
func validatePayload(m *Message, payload []byte) Result {
	value, err := decodeJSON(payload)
	if err != nil {
		return Result{Verdict: Invalid, Err: fmt.Errorf("not JSON: %w", err)}
	}
	return validate(m, value)
}

// answerRecorder is a RoundTripper keeping the last answer's status,
// headers and the body the sender reads.
type answerRecorder struct {
	next http.RoundTripper
	last *Answer
}

func (a *answerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	ans := &Answer{Status: resp.StatusCode, Header: resp.Header.Clone()}
	a.last = ans
	resp.Body = &teeBody{ReadCloser: resp.Body, into: ans}
	return resp, nil
}

// teeBody copies what is read of a body into an Answer.
type teeBody struct {
	io.ReadCloser
	into *Answer
	buf  bytes.Buffer
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.buf.Write(p[:n])
	t.into.Body = t.buf.Bytes()
	return n, err
}
