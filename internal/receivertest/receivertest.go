// Package receivertest holds what the tests of the generated receivers
// share: fixtures, requests, refusal bodies and JSON Web Tokens.
package receivertest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Fixtures reads every *.json file of dir, by file name. A missing
// directory fails the test: the fixtures are part of the repository.
func Fixtures(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s (%v)", dir, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// Names returns the keys of fixtures in order.
func Names(fixtures map[string][]byte) []string {
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Expected is an entry of a payloads directory's expected-invalid.json.
type Expected struct {
	Message    string   `json:"message"`
	Violations []string `json:"violations"`
	Error      string   `json:"error"`
}

// OnlyEnums reports whether every expected violation is of keyword enum.
func (e Expected) OnlyEnums() bool {
	for _, v := range e.Violations {
		if !strings.HasSuffix(v, " enum") {
			return false
		}
	}
	return len(e.Violations) > 0
}

// ExpectedInvalid reads expected-invalid.json.
func ExpectedInvalid(t testing.TB, path string) map[string]Expected {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]Expected
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// Request is a POST of body as application/json, changed by each edit.
func Request(body []byte, edits ...func(*http.Request)) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for _, edit := range edits {
		edit(r)
	}
	return r
}

// Serve passes a request to h and returns the recorded response.
func Serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// Header returns an edit setting a request header.
func Header(name, value string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

// Problem is the JSON body of a refusal.
type Problem struct {
	Error      string  `json:"error"`
	Offset     *int    `json:"offset"`
	Violations []Issue `json:"violations"`
}

// Issue is one violation in a Problem.
type Issue struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
}

// Short renders the issue as expected-invalid.json does: "pointer keyword".
func (i Issue) Short() string { return i.Pointer + " " + i.Keyword }

// ReadProblem decodes the body of a refusal, which must be JSON.
func ReadProblem(t testing.TB, w *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("refusal Content-Type %q, body %q", ct, w.Body.String())
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("refusal body %q: %v", w.Body.String(), err)
	}
	if p.Error == "" {
		t.Fatalf("refusal body %q says nothing", w.Body.String())
	}
	return p
}

// Token signs a JWT by hand, so that tests can make the tokens a library
// refuses to: any header, any signature. signer returns the signature of
// the signing input; nil leaves it empty.
func Token(t testing.TB, header, claims map[string]any, signer func(input []byte) []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	var sig []byte
	if signer != nil {
		sig = signer([]byte(input))
	}
	return input + "." + enc.EncodeToString(sig)
}

// HMAC256 returns a signer computing HMAC-SHA256 with key.
func HMAC256(key []byte) func([]byte) []byte {
	return func(input []byte) []byte {
		m := hmac.New(sha256.New, key)
		m.Write(input)
		return m.Sum(nil)
	}
}
