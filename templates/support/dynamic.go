package support

// The runtime of the generated receiver and sender, offered to callers
// that load a spec at run time (asyncgen send and listen) instead of
// generating code from it. No generated package uses these declarations,
// so none is copied into one.

import (
	"context"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DynamicSender posts encoded payloads to one endpoint with the transport
// of a generated Sender: its idempotency key, retries and redirect policy.
type DynamicSender struct {
	transport *sendTransport
}

// NewDynamicSender returns a sender posting to endpoint (https, or http
// when insecureHTTP), signing each attempt with sign. client may be nil.
func NewDynamicSender(endpoint string, insecureHTTP bool, client *http.Client, timeout time.Duration, retry RetryPolicy, userAgent string, sign func(*http.Request) error) (*DynamicSender, error) {
	u, err := sendCheckEndpoint(endpoint, insecureHTTP)
	if err != nil {
		return nil, err
	}
	return &DynamicSender{transport: newSendTransport(u, client, timeout, retry, userAgent, sign)}, nil
}

// Post sends body, retrying as the policy says; the error is a
// *SendError when no attempt got a 2xx.
func (s *DynamicSender) Post(ctx context.Context, body []byte) error {
	return s.transport.post(ctx, body)
}

// DynamicJWT signs an HS256 token that expires lifetime after now, as a
// generated Sender signs one per attempt.
func DynamicJWT(secret []byte, now time.Time, lifetime time.Duration) (string, error) {
	claims := jwt.RegisteredClaims{
		ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)),
		IssuedAt:  jwt.NewNumericDate(now),
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
}

// DynamicAuth is one way a dynamic receiver lets a request in.
type DynamicAuth struct {
	auth receiverAuth
}

// DynamicSharedSecretAuth accepts a request carrying secret as a bearer
// token or in the token query parameter (every request when secret is "").
func DynamicSharedSecretAuth(secret string) DynamicAuth {
	return DynamicAuth{receiverSharedSecretAuth(secret)}
}

// DynamicAPIKeyAuth accepts a request carrying key in the header or query
// parameter (in) called name.
func DynamicAPIKeyAuth(in, name, key string) DynamicAuth {
	return DynamicAuth{receiverAPIKeyAuth(in, name, key)}
}

// DynamicJWTAuth accepts a request with a valid HS256 token signed with
// secret in its Authorization header.
func DynamicJWTAuth(secret []byte) DynamicAuth {
	return DynamicAuth{receiverJWTAuth(secret, nil)}
}

// DynamicDelivery is what a dynamic receiver's decode function found in a
// body.
type DynamicDelivery struct {
	// Message is the message's name in the spec.
	Message string
	// KeyHeader is the header the spec declares as its idempotency key.
	KeyHeader string
	// Unknown marks a payload naming a message the spec does not list.
	Unknown bool
	// Handle is called with a payload that is delivered; nil when the
	// body is not a message.
	Handle func(ctx context.Context) error
}

// DynamicReceiverConfig is the configuration of a dynamic receiver.
type DynamicReceiverConfig struct {
	// Auths are the ways a request may authenticate; with none, every
	// request is let in.
	Auths []DynamicAuth
	// StrictEnums refuses payloads whose only violations are values
	// outside an enum.
	StrictEnums bool
	// OnError and OnUnknown are as the generated WithReceiveErrors and
	// WithUnknownMessages; nil logs.
	OnError, OnUnknown func(*http.Request, error)
}

// NewDynamicReceiver returns the http.Handler of a generated Receiver
// around decode, which returns a *ValidationError for a payload that
// breaks its schema: the same checks of method, content type, size and
// credentials, the same answers.
func NewDynamicReceiver(cfg DynamicReceiverConfig, decode func([]byte) (DynamicDelivery, error)) http.Handler {
	settings := receiverSettings{strictEnums: cfg.StrictEnums, onError: cfg.OnError, onUnknown: cfg.OnUnknown}
	var auths []receiverAuth
	for _, a := range cfg.Auths {
		auths = append(auths, a.auth)
	}
	if len(auths) == 0 {
		settings.authenticator = func(*http.Request) error { return nil }
	}
	return newReceiverCore(settings, auths, func(data []byte) (receiverDelivery, error) {
		d, err := decode(data)
		return receiverDelivery{message: d.Message, keyHeader: d.KeyHeader, unknownMessage: d.Unknown, handle: d.Handle}, err
	})
}
