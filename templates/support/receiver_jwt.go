package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	jwt "github.com/golang-jwt/jwt/v5"
)

// receiverJWTLeeway is how far the clocks of sender and receiver may
// disagree when exp, nbf and iat are checked.
const receiverJWTLeeway = 30 * time.Second

// ClaimsFromContext returns the claims of the JSON Web Token that a
// Receiver verified for the request a handler is given the context of.
func ClaimsFromContext(ctx context.Context) (jwt.MapClaims, bool) {
	claims, ok := ctx.Value(receiverClaimsKey{}).(map[string]any)
	return jwt.MapClaims(claims), ok
}

// receiverJWTAuth accepts a request whose Authorization header holds,
// with or without "Bearer ", an HS256 token signed with secret that has
// an exp claim, is within its exp, nbf and iat, and passes check when
// check is set. With no secret it accepts none.
func receiverJWTAuth(secret []byte, check func(jwt.MapClaims) error) receiverAuth {
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(receiverJWTLeeway),
		jwt.WithStrictDecoding(),
	)
	return receiverAuth{
		challenge: `Bearer realm="webhook"`,
		verify: func(r *http.Request) (context.Context, error) {
			claims, err := receiverVerifyJWT(parser, r.Header.Get("Authorization"), secret, check)
			if err != nil {
				return nil, err
			}
			return context.WithValue(r.Context(), receiverClaimsKey{}, map[string]any(claims)), nil
		},
	}
}

// receiverVerifyJWT verifies the token of an Authorization header and
// returns its claims.
func receiverVerifyJWT(parser *jwt.Parser, header string, secret []byte, check func(jwt.MapClaims) error) (jwt.MapClaims, error) {
	if len(secret) == 0 {
		return nil, errors.New("no JWT secret is configured (WithJWTSecret)")
	}
	token, ok := receiverBearer(header)
	if !ok {
		token = strings.TrimSpace(header)
	}
	if token == "" {
		return nil, errors.New("no JWT in the Authorization header")
	}
	if err := receiverCheckJWS(token, secret); err != nil {
		return nil, fmt.Errorf("JWT: %w", err)
	}
	claims := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("algorithm %v is not HS256", t.Header["alg"])
		}
		return secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("JWT: %w", err)
	}
	if check != nil {
		if err := check(claims); err != nil {
			return nil, fmt.Errorf("JWT claims: %w", err)
		}
	}
	return claims, nil
}

// receiverCheckJWS checks a compact JWS before its claims are read: the
// HMAC-SHA256 of its header and payload made with secret must be its
// signature (compared in constant time), and its header must say HS256 and
// carry no "crit": a receiver that understands no extension must refuse a
// token that requires one (RFC 7515, section 4.1.11).
func receiverCheckJWS(token string, secret []byte) error {
	if strings.Count(token, ".") != 2 {
		return errors.New("the token is not three dot-separated parts")
	}
	last := strings.LastIndexByte(token, '.')
	signed, signature := token[:last], token[last+1:]
	sig, err := base64.RawURLEncoding.DecodeString(signature)
	if err != nil {
		return errors.New("the signature is not base64url")
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(signed))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return errors.New("the signature is invalid")
	}
	return receiverCheckJWSHeader(signed[:strings.IndexByte(signed, '.')])
}

// receiverCheckJWSHeader checks the base64url header of a signed token:
// HS256, and no critical extension.
func receiverCheckJWSHeader(encoded string) error {
	data, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return errors.New("the header is not base64url")
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(data, &header); err != nil {
		return errors.New("the header is not a JSON object")
	}
	if _, ok := header["crit"]; ok {
		return errors.New(`the header lists critical extensions ("crit"), which this receiver does not implement`)
	}
	var alg string
	if err := json.Unmarshal(header["alg"], &alg); err != nil || alg != jwt.SigningMethodHS256.Alg() {
		return fmt.Errorf("algorithm %.40s is not HS256", header["alg"])
	}
	return nil
}
