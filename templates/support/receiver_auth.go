package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
)

// receiverSharedSecretAuth accepts every request when secret is empty,
// else one carrying it as "Authorization: Bearer <secret>" or in the
// "token" query parameter.
func receiverSharedSecretAuth(secret string) receiverAuth {
	return receiverAuth{
		challenge: `Bearer realm="webhook"`,
		verify: func(r *http.Request) (context.Context, error) {
			if secret == "" {
				return r.Context(), nil
			}
			if token, ok := receiverBearer(r.Header.Get("Authorization")); ok && receiverSecretEqual(token, secret) {
				return r.Context(), nil
			}
			if token := r.URL.Query().Get("token"); token != "" && receiverSecretEqual(token, secret) {
				return r.Context(), nil
			}
			return nil, errors.New("the shared secret is missing or wrong")
		},
	}
}

// receiverAPIKeyAuth accepts a request carrying key in the header or
// query parameter (in) called name. With no key set it accepts none.
func receiverAPIKeyAuth(in, name, key string) receiverAuth {
	return receiverAuth{
		challenge: `APIKey realm="webhook", in="` + in + `", name="` + name + `"`,
		verify: func(r *http.Request) (context.Context, error) {
			if key == "" {
				return nil, errors.New("no API key is configured (WithAPIKey)")
			}
			got := r.Header.Get(name)
			if in == "query" {
				got = r.URL.Query().Get(name)
			}
			if got == "" || !receiverSecretEqual(got, key) {
				return nil, errors.New("the API key is missing or wrong")
			}
			return r.Context(), nil
		},
	}
}

// receiverBearer returns the credentials of an Authorization header of
// the Bearer scheme.
func receiverBearer(header string) (string, bool) {
	const prefix = "Bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", false
	}
	token := strings.TrimSpace(header[len(prefix):])
	return token, token != ""
}

// receiverSecretEqual compares two secrets in constant time, whatever
// their lengths, by comparing their digests.
func receiverSecretEqual(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
