package nullable

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

const base = `"name":"a","created_at":"2025-03-15T10:00:00Z","owner":null`

func TestAbsentNullZero(t *testing.T) {
	v, err := DecodeSendAccounts([]byte(`{` + base + `,"tier":null,"max_users":0}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Tier != nil || v.MaxUsers == nil || *v.MaxUsers != 0 {
		t.Fatalf("null tier and zero max_users: got %+v", v)
	}
	cases := []struct {
		payload string
		want    []string
	}{
		{`{` + base + `,"max_users":null}`, []string{"/tier required"}},
		{`{"name":"a","created_at":"2025-03-15T10:00:00Z","tier":"t","max_users":1}`, []string{"/owner required"}},
		{`{"name":null,"created_at":"2025-03-15T10:00:00Z","owner":"o","tier":"t","max_users":1}`, []string{"/name type"}},
		// owner is oneOf [string, null], which is a nullable string (*string):
		// a number is refused as a type mismatch at the same place.
		{`{"name":"a","created_at":"2025-03-15T10:00:00Z","tier":"t","max_users":1,"owner":5}`, []string{"/owner type"}},
		{`{` + base + `,"tier":"t","max_users":1,"count32":1.5,"ratio":null}`, []string{"/count32 type", "/ratio type"}},
		{`{` + base + `,"tier":"t","max_users":1,"count32":3000000000}`, []string{"/count32 format"}},
		{`{` + base + `,"tier":"t","max_users":1,"children":null,"updated_at":"2025-03-15T10:00:00.5+02:00"}`, nil},
		{`{` + base + `,"tier":"t","max_users":1,"updated_at":"yesterday"}`, []string{"/updated_at format"}},
	}
	for _, tc := range cases {
		_, err := DecodeSendAccounts([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}
