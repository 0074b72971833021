package support

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReceiverCheckContentType(t *testing.T) {
	for header, ok := range map[string]bool{
		"application/json":                       true,
		"Application/JSON":                       true,
		"application/json; charset=utf-8":        true,
		"application/json;charset=UTF-8":         true,
		"application/cloudevents+json":           true,
		"application/vnd.api+json; version=2":    true,
		"":                                       false,
		"text/json":                              false,
		"application/jsonx":                      false,
		"application/json; charset=iso-8859-1":   false,
		"application/json; charset":              false,
		"multipart/form-data; boundary=x":        false,
		"application/+json/x":                    false,
		"application/x-www-form-urlencoded":      false,
		"application/json, text/plain":           false,
		"application/problem+json; charset=utf8": false,
	} {
		err := receiverCheckContentType(header)
		require.Equal(t, ok, err == nil, "%q: %v", header, err)
	}
}

// shortReader fails after a few bytes, as a client that hangs up does.
type shortReader struct{ n int }

func (r *shortReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, errors.New("connection reset")
	}
	p[0] = '{'
	r.n--
	return 1, nil
}

func TestReceiverReadBody(t *testing.T) {
	body := strings.Repeat("x", 100)
	read := func(r *http.Request, limit int64) ([]byte, int, error) {
		return receiverReadBody(httptest.NewRecorder(), r, limit)
	}
	got, _, err := read(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)), 100)
	require.NoError(t, err)
	require.Equal(t, body, string(got))
	_, status, err := read(httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body)), 99)
	require.Error(t, err)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	unknownLength := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	unknownLength.ContentLength = -1
	_, status, err = read(unknownLength, 99)
	require.Error(t, err)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	unknownLength = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	unknownLength.ContentLength = -1
	got, _, err = read(unknownLength, 1000)
	require.NoError(t, err)
	require.Equal(t, body, string(got))
	broken := httptest.NewRequest(http.MethodPost, "/", &shortReader{n: 3})
	_, status, err = read(broken, 1000)
	require.ErrorContains(t, err, "connection reset")
	require.Equal(t, http.StatusBadRequest, status)
}

func TestReceiverBearer(t *testing.T) {
	for header, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "BEARER abc": "abc", "Bearer ": "", "Basic abc": "", "abc": "", "Bearerabc": ""} {
		got, ok := receiverBearer(header)
		require.Equal(t, want, got, header)
		require.Equal(t, want != "", ok, header)
	}
}

func TestReceiverSecretEqual(t *testing.T) {
	require.True(t, receiverSecretEqual("s3cret", "s3cret"))
	require.False(t, receiverSecretEqual("s3cret", "s3cre"))
	require.False(t, receiverSecretEqual("s3cret", "s3creT"))
	require.False(t, receiverSecretEqual("", "s3cret"))
}

func violations(keywords ...string) error {
	ve := &ValidationError{}
	for _, k := range keywords {
		ve.Violations = append(ve.Violations, Violation{Pointer: "/x", Keyword: k, Message: "bad " + k})
	}
	return ve
}

func TestReceiverPick(t *testing.T) {
	names := []string{"a", "b", "c"}
	syntax := &SyntaxError{Offset: 3, Message: "unexpected end"}
	cases := []struct {
		name  string
		errs  []error
		index int
		// err is what the error must contain; "" for none.
		err string
	}{
		{"one valid", []error{violations("type"), nil, violations("required")}, 1, ""},
		{"valid beats drift", []error{violations("enum"), violations("type"), nil}, 2, ""},
		{"one drift", []error{violations("required"), violations("enum", "enum"), violations("type")}, 1, "2 violations"},
		{"two valid", []error{nil, violations("type"), nil}, -1, "valid as each of the messages a, c"},
		{"two drifts", []error{violations("enum"), violations("enum"), violations("type")}, -1, "valid as each of the messages a, b"},
		{"none", []error{violations("type"), violations("required"), violations("enum", "const")}, -1, "as c: bad const"},
		{"syntax", []error{syntax, syntax, syntax}, -1, "unexpected end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i, err := receiverPick("ch", names, c.errs)
			require.Equal(t, c.index, i)
			if c.err == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, c.err)
			}
		})
	}
	_, err := receiverPick("ch", names, []error{violations("type"), violations("required"), violations("const")})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve, "no match lists every message's violations")
	require.Len(t, ve.Violations, 3)
	require.Equal(t, "as b: bad required", ve.Violations[1].Message)
}

func TestReceiverSafeCallRecoversPanics(t *testing.T) {
	err := receiverSafeCall(context.Background(), func(context.Context) error { panic("boom") })
	var p *receiverPanic
	require.ErrorAs(t, err, &p)
	require.Equal(t, "boom", p.value)
	require.Contains(t, err.Error(), "handler panic: boom")
	require.NoError(t, receiverSafeCall(context.Background(), func(context.Context) error { return nil }))
}
