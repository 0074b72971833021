package validateformats

import (
	"errors"
	"reflect"
	"testing"
)

func violations(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %T: %v", err, err)
	}
	var out []string
	for _, v := range ve.Violations {
		out = append(out, v.Pointer+" "+v.Keyword)
	}
	return out
}

func TestFormats(t *testing.T) {
	valid := `{"at":"2025-03-15T10:00:00Z","day":"2024-02-29","clock":"10:00:00+01:00","email":"a@b.example",` +
		`"link":"https://example.com/x?y=1","id":"5f2c1c8e-8b7a-4d2e-9c61-3f7a2b9d4e10","v4":"10.0.0.1","v6":"::1",` +
		`"host":"api.example.com","color":"not checked"}`
	if got := violations(t, decode(valid)); got != nil {
		t.Fatalf("valid payload: %q", got)
	}
	invalid := `{"at":"2025-03-15 10:00","day":"2023-02-29","clock":"25:00:00Z","email":"nobody","link":"/relative",` +
		`"id":"not-a-uuid","v4":"10.0.0.256","v6":"10.0.0.1","host":"-bad-.example"}`
	want := []string{"/at format", "/day format", "/clock format", "/email format", "/link format", "/id format", "/v4 format", "/v6 format", "/host format"}
	if got := violations(t, decode(invalid)); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func decode(payload string) error {
	_, err := DecodeFormats([]byte(payload))
	return err
}
