package validatenumbers

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

func TestNumbers(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"count":1,"ratio":0.5,"legacy":99.9,"step":0.3,"even":-4,"small":2147483647,"level":3,"answer":42.0}`, nil},
		{`{"count":10.0}`, nil},
		{`{"count":0}`, []string{"/count minimum"}},
		{`{"count":11}`, []string{"/count maximum"}},
		{`{"count":1.5}`, []string{"/count type"}},
		{`{"count":"1"}`, []string{"/count type"}},
		{`{"count":1,"ratio":0,"legacy":0}`, []string{"/ratio exclusiveMinimum", "/legacy exclusiveMinimum"}},
		{`{"count":1,"ratio":1,"legacy":100}`, []string{"/ratio exclusiveMaximum", "/legacy exclusiveMaximum"}},
		{`{"count":1,"step":0.35,"even":3}`, []string{"/step multipleOf", "/even multipleOf"}},
		{`{"count":1,"small":2147483648}`, []string{"/small format"}},
		{`{"count":1,"level":4,"answer":41}`, []string{"/level enum", "/answer const"}},
		{`{}`, []string{"/count required"}},
	}
	for _, tc := range cases {
		_, err := DecodeNumbers([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}

func TestEnumDriftIsItsOwnKind(t *testing.T) {
	v, err := DecodeNumbers([]byte(`{"count":1,"level":9}`))
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.OnlyUnknownEnumValues() {
		t.Fatalf("want only an unknown enum value, got %v", err)
	}
	if v == nil || *v.Level != 9 {
		t.Fatalf("the decoded value comes with the error: %+v", v)
	}
}
