package exactnumbers

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

// TestIntegersPastFloatPrecision: values one apart past 2^53, which a
// float64 cannot tell apart, are told apart by the enum and const checks,
// and int64's extremes are allowed values.
func TestIntegersPastFloatPrecision(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"account":9007199254740993,"kind":9007199254740993}`, nil},
		{`{"account":9007199254740995,"kind":9007199254740993,"limit":9223372036854775807}`, nil},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":-9223372036854775808}`, nil},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":1}`, nil},
		{`{"account":9007199254740992,"kind":9007199254740993}`, []string{"/account enum"}},
		{`{"account":9007199254740994,"kind":9007199254740993}`, []string{"/account enum"}},
		{`{"account":9007199254740993,"kind":9007199254740992}`, []string{"/kind const"}},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":9223372036854775806}`, []string{"/limit enum"}},
	}
	for _, c := range cases {
		_, err := DecodeEntry([]byte(c.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.payload, got, c.want)
		}
	}
}

// TestEnumConstantsAreExact: the generated constants hold the spec's
// digits.
func TestEnumConstantsAreExact(t *testing.T) {
	if got := int64(Account9007199254740993); got != 9007199254740993 {
		t.Errorf("Account9007199254740993 is %d", got)
	}
	want := []Account{9007199254740993, 9007199254740995}
	if got := AccountValues(); !reflect.DeepEqual(got, want) {
		t.Errorf("AccountValues() = %v, want %v", got, want)
	}
	if !Account(9007199254740995).Valid() || Account(9007199254740994).Valid() {
		t.Error("Valid tells the values apart wrongly")
	}
}
