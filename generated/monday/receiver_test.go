package monday_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

var (
	payloads = filepath.Join("..", "..", "testdata", "payloads", "monday")
	secret   = []byte("app signing secret")
)

// recorder is a Handler that keeps every message and the JWT claims it
// came with.
type recorder struct {
	mu     sync.Mutex
	got    []monday.MondayWebhookMessage
	claims []jwt.MapClaims
}

func (h *recorder) keep(ctx context.Context, v monday.MondayWebhookMessage) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, v)
	claims, _ := monday.ClaimsFromContext(ctx)
	h.claims = append(h.claims, claims)
	return nil
}

func (h *recorder) HandleInstall(ctx context.Context, v *monday.InstallPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleUninstall(ctx context.Context, v *monday.UninstallPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionCreated(ctx context.Context, v *monday.AppSubscriptionCreatedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionChanged(ctx context.Context, v *monday.AppSubscriptionChangedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionRenewed(ctx context.Context, v *monday.AppSubscriptionRenewedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionCancelledByUser(ctx context.Context, v *monday.AppSubscriptionCancelledByUserPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionCancelled(ctx context.Context, v *monday.AppSubscriptionCancelledPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionCancellationRevokedByUser(ctx context.Context, v *monday.AppSubscriptionCancellationRevokedByUserPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionRenewalAttemptFailed(ctx context.Context, v *monday.AppSubscriptionRenewalAttemptFailedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppSubscriptionRenewalFailed(ctx context.Context, v *monday.AppSubscriptionRenewalFailedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppTrialSubscriptionStarted(ctx context.Context, v *monday.AppTrialSubscriptionStartedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) HandleAppTrialSubscriptionEnded(ctx context.Context, v *monday.AppTrialSubscriptionEndedPayload) error {
	return h.keep(ctx, v)
}

func (h *recorder) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

// signed is a token as the sender makes it: HS256, iat now, exp in 5 min.
func signed(t *testing.T, key []byte, extra jwt.MapClaims) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	for k, v := range extra {
		claims[k] = v
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	require.NoError(t, err)
	return token
}

func authorized(t *testing.T) func(*http.Request) {
	return receivertest.Header("Authorization", signed(t, secret, nil))
}

func install(t *testing.T) []byte {
	return receivertest.Fixtures(t, filepath.Join(payloads, "valid"))["install.json"]
}

// Every valid fixture reaches the method of its message as the channel
// decoder makes it, with the token's claims in the context.
func TestReceiverDeliversValidFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "valid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			want, err := monday.DecodeMondayWebhook(fixtures[name])
			require.NoError(t, err)
			h := &recorder{}
			rcv := monday.NewReceiver(h, monday.WithJWTSecret(secret))
			w := receivertest.Serve(rcv, receivertest.Request(fixtures[name], authorized(t)))
			require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
			require.Len(t, h.got, 1)
			require.Equal(t, reflect.TypeOf(want), reflect.TypeOf(h.got[0]))
			require.Equal(t, want, h.got[0])
			require.Contains(t, h.claims[0], "exp")
		})
	}
}

// The JWT check refuses every forged, stale or foreign token with 401,
// before the body is parsed. Each attack token has the claims of a good
// one (app_id 1, which the claims check wants) but for what it attacks.
func TestReceiverJWTAttacks(t *testing.T) {
	now := time.Now()
	good := map[string]any{"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "app_id": 1}
	with := func(change map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range good {
			out[k] = v
		}
		for k, v := range change {
			if v == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	hs256 := map[string]any{"alg": "HS256", "typ": "JWT"}
	sign := receivertest.HMAC256(secret)
	// tampered is a good token whose payload is swapped for one with a
	// later exp, keeping the signature.
	tampered := func() string {
		parts := strings.Split(receivertest.Token(t, hs256, good, sign), ".")
		later := strings.Split(receivertest.Token(t, hs256, with(map[string]any{"exp": now.Add(24 * time.Hour).Unix()}), nil), ".")
		return parts[0] + "." + later[1] + "." + parts[2]
	}()
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims(good)).SignedString(secret)
	require.NoError(t, err)
	cases := []struct {
		name, header string
	}{
		{"missing header", ""},
		{"empty bearer", "Bearer "},
		{"not a JWT", "Bearer hello"},
		{"wrong secret", receivertest.Token(t, hs256, good, receivertest.HMAC256([]byte("another app's secret")))},
		{"alg none", receivertest.Token(t, map[string]any{"alg": "none", "typ": "JWT"}, good, nil)},
		{"alg none, bearer", "Bearer " + receivertest.Token(t, map[string]any{"alg": "none", "typ": "JWT"}, good, nil)},
		{"alg none, signed anyway", receivertest.Token(t, map[string]any{"alg": "none", "typ": "JWT"}, good, sign)},
		{"RS256 signed with the secret as an HMAC key", receivertest.Token(t, map[string]any{"alg": "RS256", "typ": "JWT"}, good, sign)},
		{"ES256 signed with the secret as an HMAC key", receivertest.Token(t, map[string]any{"alg": "ES256", "typ": "JWT"}, good, sign)},
		{"PS256 signed with the secret as an HMAC key", receivertest.Token(t, map[string]any{"alg": "PS256", "typ": "JWT"}, good, sign)},
		{"HS512 with the secret", hs512},
		{"no exp", receivertest.Token(t, hs256, with(map[string]any{"exp": nil}), sign)},
		{"expired", receivertest.Token(t, hs256, with(map[string]any{"exp": now.Add(-time.Hour).Unix()}), sign)},
		{"not yet valid", receivertest.Token(t, hs256, with(map[string]any{"nbf": now.Add(time.Hour).Unix()}), sign)},
		{"issued in the future", receivertest.Token(t, hs256, with(map[string]any{"iat": now.Add(time.Hour).Unix()}), sign)},
		{"exp not a number", receivertest.Token(t, hs256, with(map[string]any{"exp": "tomorrow"}), sign)},
		{"tampered payload", tampered},
		{"tampered payload, bearer", "Bearer " + tampered},
		{"token for another app", receivertest.Token(t, hs256, with(map[string]any{"app_id": 999}), sign)},
		{"token for another app, bearer", "Bearer " + receivertest.Token(t, hs256, with(map[string]any{"app_id": 999}), sign)},
		{"token for no app", receivertest.Token(t, hs256, with(map[string]any{"app_id": nil}), sign)},
		{"Basic scheme", "Basic " + receivertest.Token(t, hs256, good, sign)},
		{"unknown crit extension", receivertest.Token(t, map[string]any{"alg": "HS256", "typ": "JWT", "crit": []string{"x-must-understand"}, "x-must-understand": true}, good, sign)},
		{"empty crit", receivertest.Token(t, map[string]any{"alg": "HS256", "typ": "JWT", "crit": []string{}}, good, sign)},
	}
	checkApp := monday.WithClaimsCheck(func(c jwt.MapClaims) error {
		if c["app_id"] != float64(1) {
			return fmt.Errorf("token for app %v", c["app_id"])
		}
		return nil
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &recorder{}
			rcv := monday.NewReceiver(h, monday.WithJWTSecret(secret), checkApp)
			w := receivertest.Serve(rcv, receivertest.Request([]byte("{not json"), receivertest.Header("Authorization", c.header)))
			require.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
			require.Equal(t, `Bearer realm="webhook"`, w.Header().Get("WWW-Authenticate"))
			require.Equal(t, "unauthenticated", receivertest.ReadProblem(t, w).Error, "the detail is for the error hook only")
			require.Zero(t, h.count())
		})
	}
	// The controls: the same receiver takes the good token, made by hand
	// or by the library as the sender makes it, with or without Bearer.
	for _, token := range []string{receivertest.Token(t, hs256, good, sign), signed(t, secret, jwt.MapClaims{"app_id": 1})} {
		for _, prefix := range []string{"", "Bearer ", "bearer "} {
			h := &recorder{}
			rcv := monday.NewReceiver(h, monday.WithJWTSecret(secret), checkApp)
			w := receivertest.Serve(rcv, receivertest.Request(install(t), receivertest.Header("Authorization", prefix+token)))
			require.Equal(t, http.StatusNoContent, w.Code, "prefix %q: %s", prefix, w.Body.String())
			require.Equal(t, float64(1), h.claims[0]["app_id"])
		}
	}
}

func TestReceiverWithoutSecretRefusesEverything(t *testing.T) {
	h := &recorder{}
	var reported []error
	hook := monday.WithReceiveErrors(func(_ *http.Request, err error) { reported = append(reported, err) })
	w := receivertest.Serve(monday.NewReceiver(h, hook), receivertest.Request(install(t), authorized(t)))
	require.Equal(t, http.StatusUnauthorized, w.Code)
	require.Equal(t, "unauthenticated", receivertest.ReadProblem(t, w).Error)
	require.Len(t, reported, 1)
	require.ErrorContains(t, reported[0], "WithJWTSecret")
	require.Zero(t, h.count())
}

// A secret read from an unset environment variable is empty or blank: the
// receiver refuses every request, even one signed with that blank secret,
// and says why through WithReceiveErrors.
func TestReceiverBlankSecretRefusesEverything(t *testing.T) {
	for _, blank := range []string{"", " ", "\n\t"} {
		h := &recorder{}
		var reported []error
		hook := monday.WithReceiveErrors(func(_ *http.Request, err error) { reported = append(reported, err) })
		rcv := monday.NewReceiver(h, monday.WithJWTSecret([]byte(blank)), hook)
		token := receivertest.Token(t, map[string]any{"alg": "HS256", "typ": "JWT"},
			map[string]any{"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()}, receivertest.HMAC256([]byte(blank)))
		w := receivertest.Serve(rcv, receivertest.Request(install(t), receivertest.Header("Authorization", token)))
		require.Equal(t, http.StatusUnauthorized, w.Code, "secret %q", blank)
		require.Zero(t, h.count())
		require.Len(t, reported, 1)
		require.ErrorContains(t, reported[0], "WithJWTSecret")
	}
}

// The signature is checked before the claims are read: a token whose
// claims are not JSON, with a wrong signature, is refused for its
// signature.
func TestReceiverVerifiesTheSignatureFirst(t *testing.T) {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(`{"exp": not json`))
	forged := input + "." + enc.EncodeToString(receivertest.HMAC256([]byte("not the secret"))([]byte(input)))
	var reported []error
	hook := monday.WithReceiveErrors(func(_ *http.Request, err error) { reported = append(reported, err) })
	w := receivertest.Serve(monday.NewReceiver(&recorder{}, monday.WithJWTSecret(secret), hook),
		receivertest.Request(install(t), receivertest.Header("Authorization", forged)))
	require.Equal(t, http.StatusUnauthorized, w.Code)
	require.Len(t, reported, 1)
	require.ErrorContains(t, reported[0], "signature")
	require.NotContains(t, reported[0].Error(), "JSON")
}

// The monday docs' example bodies are not JSON: each is refused with 400
// and the offset of the first error.
func TestReceiverRefusesTheDocsInvalidJSON(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "seed-invalid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			h := &recorder{}
			w := receivertest.Serve(monday.NewReceiver(h, monday.WithJWTSecret(secret)), receivertest.Request(fixtures[name], authorized(t)))
			require.Equal(t, http.StatusBadRequest, w.Code)
			p := receivertest.ReadProblem(t, w)
			require.NotNil(t, p.Offset, p.Error)
			require.Contains(t, p.Error, "invalid JSON")
			require.Zero(t, h.count())
		})
	}
}

// The invalid fixtures get what the channel decoder says: 202 for an
// unknown event (reported, not dispatched), 400 with the decoder's
// violations for the rest (a missing type included), 204 for the two
// whose wrong type names a message they are valid as.
func TestReceiverInvalidFixtures(t *testing.T) {
	fixtures := receivertest.Fixtures(t, filepath.Join(payloads, "invalid"))
	for _, name := range receivertest.Names(fixtures) {
		t.Run(name, func(t *testing.T) {
			_, decodeErr := monday.DecodeMondayWebhook(fixtures[name])
			var unknown []error
			h := &recorder{}
			rcv := monday.NewReceiver(h, monday.WithJWTSecret(secret),
				monday.WithUnknownMessages(func(_ *http.Request, err error) { unknown = append(unknown, err) }))
			w := receivertest.Serve(rcv, receivertest.Request(fixtures[name], authorized(t)))
			if decodeErr == nil {
				// A wrong type const names another message, which the
				// payload is valid as.
				require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
				require.Equal(t, 1, h.count())
				return
			}
			require.Zero(t, h.count())
			if errors.Is(decodeErr, monday.ErrUnknownMessage) {
				require.Equal(t, http.StatusAccepted, w.Code)
				require.Len(t, unknown, 1)
				require.ErrorIs(t, unknown[0], monday.ErrUnknownMessage)
				return
			}
			require.Equal(t, http.StatusBadRequest, w.Code)
			require.Empty(t, unknown)
			p := receivertest.ReadProblem(t, w)
			var ve *monday.ValidationError
			if !errors.As(decodeErr, &ve) {
				require.ErrorIs(t, decodeErr, monday.ErrNoDiscriminator)
				require.Contains(t, p.Error, "no discriminator")
				return
			}
			require.Len(t, p.Violations, len(ve.Violations))
			for i, v := range ve.Violations {
				require.Equal(t, receivertest.Issue{Pointer: v.Pointer, Keyword: v.Keyword, Message: v.Message}, p.Violations[i])
			}
		})
	}
}

func TestReceiverMissingAndUnknownType(t *testing.T) {
	h := &recorder{}
	var unknown int
	rcv := monday.NewReceiver(h, monday.WithJWTSecret(secret), monday.WithUnknownMessages(func(*http.Request, error) { unknown++ }))
	w := receivertest.Serve(rcv, receivertest.Request([]byte(`{"data":{}}`), authorized(t)))
	require.Equal(t, http.StatusBadRequest, w.Code)
	w = receivertest.Serve(rcv, receivertest.Request([]byte(`{"type":"app_deleted","data":{}}`), authorized(t)))
	require.Equal(t, http.StatusAccepted, w.Code)
	require.Empty(t, w.Body.String())
	require.Equal(t, 1, unknown)
	require.Zero(t, h.count())
}
