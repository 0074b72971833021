package support

import (
	"bytes"
	"context"
	"errors"

	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"time"
	"unicode/utf8"

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
	err := <-receiverRun(context.Background(), func(context.Context) error { panic("boom") })
	var p *receiverPanic
	require.ErrorAs(t, err, &p)
	require.Equal(t, "boom", p.value)
	require.Contains(t, err.Error(), "handler panic: boom")
	require.NoError(t, <-receiverRun(context.Background(), func(context.Context) error { return nil }))
	require.ErrorIs(t, <-receiverRun(context.Background(), func(context.Context) error { runtime.Goexit(); return nil }), errReceiverGoexit)
}

// sizeReader records how much room each Read is offered.
type sizeReader struct {
	data  []byte
	rooms []int
}

func (r *sizeReader) Read(p []byte) (int, error) {
	r.rooms = append(r.rooms, len(p))
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// A client claiming a large Content-Length gets no memory for it before
// its bytes arrive: the buffer grows with what is read.
func TestReceiverReadBodyGrowsWithTheBytes(t *testing.T) {
	src := &sizeReader{data: []byte(`{"a": 1}`)}
	r := httptest.NewRequest(http.MethodPost, "/", src)
	r.ContentLength = 1 << 20
	got, _, err := receiverReadBody(httptest.NewRecorder(), r, 1<<20)
	require.NoError(t, err)
	require.Equal(t, `{"a": 1}`, string(got))
	require.LessOrEqual(t, src.rooms[0], receiverFirstRead, "room offered before any byte arrived")
	require.LessOrEqual(t, cap(got), receiverFirstRead)

	big := bytes.Repeat([]byte("x"), 100_000)
	src = &sizeReader{data: big}
	r = httptest.NewRequest(http.MethodPost, "/", src)
	r.ContentLength = int64(len(big))
	got, _, err = receiverReadBody(httptest.NewRecorder(), r, 1<<20)
	require.NoError(t, err)
	require.Equal(t, big, got)
	require.Less(t, cap(got), 4*len(big), "growth stays proportional to what arrived")
}

// A body read within its limit costs its buffer and the limiting reader,
// and no error value built in case it were too large.
func TestReceiverReadBodyAllocatesNoErrorOnSuccess(t *testing.T) {
	body := []byte(`{"a": 1}`)
	src := bytes.NewReader(body)
	r := httptest.NewRequest(http.MethodPost, "/", src)
	w := httptest.NewRecorder()
	allocs := testing.AllocsPerRun(100, func() {
		src.Reset(body)
		if _, _, err := receiverReadBody(w, r, 1<<20); err != nil {
			t.Fatal(err)
		}
	})
	require.LessOrEqual(t, allocs, 2.0, "the buffer and http.MaxBytesReader")
	_, status, err := receiverReadBody(w, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)), 3)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.EqualError(t, err, "the body is larger than 3 bytes")
}

// authenticate hands on the request itself when verifying left its
// context as it was, and a request with the new context when it did not.
func TestReceiverAuthenticateCopiesTheRequestOnlyWhenItsContextChanges(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/?token=s3cret", nil)
	open := &receiverCore{auths: []receiverAuth{receiverSharedSecretAuth("")}}
	got, err := open.authenticate(r)
	require.NoError(t, err)
	require.Same(t, r, got)
	secret := &receiverCore{auths: []receiverAuth{receiverSharedSecretAuth("s3cret")}}
	got, err = secret.authenticate(r)
	require.NoError(t, err)
	require.Same(t, r, got)

	type key struct{}
	adds := &receiverCore{auths: []receiverAuth{{verify: func(r *http.Request) (context.Context, error) {
		return context.WithValue(r.Context(), key{}, "claims"), nil
	}}}}
	got, err = adds.authenticate(r)
	require.NoError(t, err)
	require.NotSame(t, r, got)
	require.Equal(t, "claims", got.Context().Value(key{}))
	require.Nil(t, r.Context().Value(key{}), "the caller's request is left as it was")
}

// at is the path of a pointer's segments, for tests.
func at(segments ...string) *path {
	var p *path
	for _, s := range segments {
		next := p.at(s)
		p = &next
	}
	return p
}

// The decoder's violations hide the validator's at or under their
// pointers, and only there.
func TestCollectorMasksConsequences(t *testing.T) {
	c := &collector{}
	c.fail(at("a"), "type", "decoder")
	c.fail(at("b", "c"), "required", "decoder")
	c.decoded = len(c.violations)
	c.fail(at("a"), "enum", "same pointer")
	c.fail(at("a", "x", "y"), "enum", "under")
	c.fail(at("ab"), "enum", "a sibling whose name starts alike")
	c.fail(at("b"), "enum", "the parent")
	c.fail(at("b", "c", "d"), "enum", "under")
	var ve *ValidationError
	require.ErrorAs(t, c.err(), &ve)
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.Pointer+" "+v.Message)
	}
	require.Equal(t, []string{"/a decoder", "/b/c decoder", "/ab a sibling whose name starts alike", "/b the parent"}, got)
}

// Past 100 violations one entry counts the rest; it keeps the keyword
// enum when they are all unknown enum values.
func TestCollectorCapsTheList(t *testing.T) {
	for _, tc := range []struct {
		keywords []string
		last     Violation
	}{
		{[]string{"enum", "enum"}, Violation{Keyword: "enum", Message: "and 150 more values outside their enum, not listed"}},
		{[]string{"enum", "type"}, Violation{Keyword: "more", Message: "and 150 more violations, not listed"}},
	} {
		c := &collector{}
		for i := range 250 {
			c.fail(at(strconv.Itoa(i)), tc.keywords[min(i/200, 1)], "%s", strings.Repeat("é", 1000))
		}
		var ve *ValidationError
		require.ErrorAs(t, c.err(), &ve)
		require.Len(t, ve.Violations, 101)
		require.Equal(t, tc.last, ve.Violations[100])
		require.LessOrEqual(t, len(ve.Violations[0].Message), maxMessage)
		require.True(t, utf8.ValidString(ve.Violations[0].Message))
		require.Equal(t, tc.keywords[1] == "enum", ve.OnlyUnknownEnumValues())
	}
	// When the decoder alone passes the cap, the validator's violations
	// cannot be told from consequences: they are not counted.
	c := &collector{}
	for i := range 120 {
		c.fail(at(strconv.Itoa(i)), "type", "decoder")
	}
	c.decoded = len(c.violations)
	c.fail(at("elsewhere"), "enum", "validator")
	var ve *ValidationError
	require.ErrorAs(t, c.err(), &ve)
	require.Equal(t, "and at least 20 more violations, not listed", ve.Violations[100].Message)
}

// A request whose client has gone is neither decoded nor delivered.
func TestReceiverStopsWhenTheClientHasGone(t *testing.T) {
	decoded := 0
	rc := newReceiverCore(receiverSettings{authenticator: func(*http.Request) error { return nil }}, nil, func([]byte) (receiverDelivery, error) {
		decoded++
		return receiverDelivery{handle: func(context.Context) error { t.Error("the handler ran"); return nil }}, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "application/json")
	rc.ServeHTTP(httptest.NewRecorder(), r)
	require.Zero(t, decoded)
}

// settleStore is an IdempotencyStore that tells how each claimed key was
// settled.
type settleStore struct{ settled chan string }

func (s *settleStore) Claim(context.Context, string, string, time.Duration) (string, string, error) {
	return IdempotencyClaimed, "token", nil
}
func (s *settleStore) Complete(context.Context, string, string) error {
	s.settled <- "complete"
	return nil
}
func (s *settleStore) Release(context.Context, string, string) error {
	s.settled <- "release"
	return nil
}

// receiverWith is a receiver delivering every body to handle, with store.
func receiverWith(store IdempotencyStore, onError func(*http.Request, error), handle func(context.Context) error) *receiverCore {
	return newReceiverCore(receiverSettings{idempotent: true, store: store, bodyHashKeys: true, onError: onError, authenticator: func(*http.Request) error { return nil }}, nil,
		func([]byte) (receiverDelivery, error) { return receiverDelivery{message: "m", handle: handle}, nil })
}

// A handler that calls runtime.Goexit is treated as one that panics: 500,
// its key released, the hook told.
func TestReceiverHandlerGoexit(t *testing.T) {
	store := &settleStore{settled: make(chan string, 1)}
	var reported []error
	rc := receiverWith(store, func(_ *http.Request, err error) { reported = append(reported, err) },
		func(context.Context) error { runtime.Goexit(); return nil })
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, r)
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.Equal(t, "release", <-store.settled)
	require.Len(t, reported, 1)
	require.ErrorContains(t, reported[0], "runtime.Goexit")
}

// A handler still running when its request ends (the client hung up)
// does not hold the request: the receiver returns, tells the hook, and
// settles the key when the handler ends.
func TestReceiverDoesNotWaitForAHandlerPastItsRequest(t *testing.T) {
	store := &settleStore{settled: make(chan string, 1)}
	started, finish := make(chan struct{}), make(chan struct{})
	reported := make(chan error, 1)
	rc := receiverWith(store, func(_ *http.Request, err error) { reported <- err }, func(context.Context) error {
		close(started)
		<-finish // ignores its context
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "application/json")
	served := make(chan struct{})
	go func() {
		defer close(served)
		rc.ServeHTTP(httptest.NewRecorder(), r)
	}()
	<-started
	cancel()
	<-served // would block for ever if the receiver waited for the handler
	require.ErrorContains(t, <-reported, "had not returned")
	close(finish)
	require.Equal(t, "complete", <-store.settled, "the key is settled when the handler ends")
}
