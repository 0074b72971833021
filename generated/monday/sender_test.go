package monday

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// Hand-written tests of the generated sender's JWT signing and of the
// channel's Send method, on loopback.

var secret = []byte("monday-signing-secret")

// inbox records the requests it gets and answers with the statuses it is
// given in turn, then 200.
type inbox struct {
	mu       sync.Mutex
	statuses []int
	auth     []string
	bodies   [][]byte
}

func (b *inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	n := len(b.bodies)
	b.auth = append(b.auth, r.Header.Get("Authorization"))
	b.bodies = append(b.bodies, body)
	b.mu.Unlock()
	status := http.StatusOK
	if n < len(b.statuses) {
		status = b.statuses[n]
	}
	w.WriteHeader(status)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newTestSender(t *testing.T, h http.Handler, opts ...SenderOption) *Sender {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	fast := WithRetry(RetryPolicy{MaxAttempts: 3, BaseBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	s, err := NewSender(srv.URL, append([]SenderOption{WithInsecureHTTP(), fast}, opts...)...)
	require.NoError(t, err)
	return s
}

// verify parses a bearer token as the receiver does: HS256 with secret,
// exp required.
func verify(authorization string, key []byte) (*jwt.Token, jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	token, err := jwt.ParseWithClaims(strings.TrimPrefix(authorization, "Bearer "), claims,
		func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	return token, claims, err
}

// events decodes every valid monday fixture.
func events(t *testing.T) map[string]MondayWebhookMessage {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "monday", "valid", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string]MondayWebhookMessage{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		m, err := DecodeMondayWebhook(data)
		require.NoError(t, err, p)
		out[filepath.Base(p)] = m
	}
	return out
}

func TestNewSenderNeedsTheJWTSecret(t *testing.T) {
	for _, opts := range [][]SenderOption{nil, {WithJWTSecret(nil)}, {WithJWTSecret([]byte{})}, {WithJWTSecret([]byte(" \n"))}, {WithJWTSecret(secret), WithJWTSecret(nil)}} {
		_, err := NewSender("https://hooks.example.com/monday", opts...)
		require.ErrorContains(t, err, "WithJWTSecret")
	}
	_, err := NewSender("https://hooks.example.com/monday", WithJWTSecret(secret))
	require.NoError(t, err)
}

func TestSenderSignsAnHS256JWT(t *testing.T) {
	b := &inbox{}
	key := []byte(string(secret))
	s := newTestSender(t, b, WithJWTSecret(key))
	key[0] = 'X' // WithJWTSecret copied the secret
	before := time.Now().Unix()
	require.NoError(t, s.SendInstall(testContext(t), events(t)["install.json"].(*InstallPayload)))
	after := time.Now().Unix()
	require.Len(t, b.auth, 1)
	require.True(t, strings.HasPrefix(b.auth[0], "Bearer "), b.auth[0])

	token, claims, err := verify(b.auth[0], secret)
	require.NoError(t, err)
	require.Equal(t, "HS256", token.Header["alg"])
	require.Equal(t, "JWT", token.Header["typ"])
	iat, err := claims.GetIssuedAt()
	require.NoError(t, err)
	exp, err := claims.GetExpirationTime()
	require.NoError(t, err)
	require.GreaterOrEqual(t, iat.Unix(), before)
	require.LessOrEqual(t, iat.Unix(), after)
	require.Equal(t, int64(5*60), exp.Unix()-iat.Unix())

	_, _, err = verify(b.auth[0], []byte("another app's secret"))
	require.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
}

func TestSenderJWTClaims(t *testing.T) {
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	token, err := senderJWT(secret, now)
	require.NoError(t, err)
	claims := jwt.MapClaims{}
	_, err = jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithValidMethods([]string{"HS256"})).
		ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return secret, nil })
	require.NoError(t, err)
	require.Equal(t, jwt.MapClaims{"iat": float64(now.Unix()), "exp": float64(now.Add(5 * time.Minute).Unix())}, claims)
}

func TestEveryAttemptIsSigned(t *testing.T) {
	b := &inbox{statuses: []int{503, 429}}
	s := newTestSender(t, b, WithJWTSecret(secret))
	require.NoError(t, s.SendUninstall(testContext(t), events(t)["uninstall.json"].(*UninstallPayload)))
	require.Len(t, b.auth, 3)
	for i, a := range b.auth {
		_, _, err := verify(a, secret)
		require.NoError(t, err, "attempt %d", i)
	}
}

func TestSendMondayWebhookSendsEveryEvent(t *testing.T) {
	all := events(t)
	b := &inbox{}
	s := newTestSender(t, b, WithJWTSecret(secret))
	for name, m := range all {
		before := len(b.bodies)
		require.NoError(t, s.SendMondayWebhook(testContext(t), m), name)
		require.Len(t, b.bodies, before+1, name)
		want, err := json.Marshal(m)
		require.NoError(t, err)
		require.Equal(t, string(want), string(b.bodies[before]), name)
		got, err := DecodeMondayWebhook(b.bodies[before])
		require.NoError(t, err, name)
		// Not require.Equal: a time decoded from "+00:00" where Local is
		// UTC is in Local, and the same instant sent back as "Z" decodes
		// in UTC; both encode alike.
		again, err := json.Marshal(got)
		require.NoError(t, err)
		require.Equal(t, string(want), string(again), "%s: the receiver decodes what was sent", name)
	}
	require.ErrorContains(t, s.SendMondayWebhook(testContext(t), nil), "is not a message of the channel")
}

func TestSenderNeverSendsAnInvalidEvent(t *testing.T) {
	b := &inbox{}
	s := newTestSender(t, b, WithJWTSecret(secret))
	v := *events(t)["install.json"].(*InstallPayload)
	v.Type = "uninstall"
	err := s.SendInstall(testContext(t), &v)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Empty(t, b.bodies)
}
