package validateobjects

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

func TestObjects(t *testing.T) {
	const ok = `{"closed":{"id":"x","a":1},"labels":{"env":"dev"},`
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev"},"open":{"id":"o","token":1,"extra":3}}`, nil},
		{`{"closed":{"id":"x","a":1,"zzz":1},"labels":{"env":"dev"}}`, []string{"/closed/zzz additionalProperties"}},
		{`{"closed":{"id":"x"},"labels":{"env":"dev"}}`, []string{"/closed minProperties"}},
		{`{"closed":{"a":1},"labels":{"env":"dev"}}`, []string{"/closed/id required"}},
		{`{"closed":{"id":"x","a":1,"b":2,"c":3},"labels":{"env":"dev"}}`, []string{"/closed maxProperties"}},
		{`{"closed":{"id":"x","a":1},"labels":{}}`, []string{"/labels minProperties", "/labels/env required"}},
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev","a":"b","c":"d","e":"toolong"}}`, []string{"/labels maxProperties", "/labels/e maxLength"}},
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev"},"open":{"token":1,"extra":"x"}}`, []string{"/open/extra type"}},
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev"},"open":{}}`, []string{"/open/token required"}},
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev"},"open":{"token":"t"}}`, []string{"/open/token type"}},
		{`{"labels":{"env":"dev"}}`, []string{"/closed required"}},
		// patternProperties and propertyNames: on a struct, the decoder
		// checks the properties it has no field for.
		{ok + `"headers":{"host":"h","x-a":"1"},"env":{"HOME":"x","X_N":1}}`, nil},
		{ok + `"headers":{"x-a":""}}`, []string{"/headers/x-a minLength"}},
		{ok + `"headers":{"x-a":1}}`, []string{"/headers/x-a type"}},
		{ok + `"headers":{"other":"o"}}`, []string{"/headers/other additionalProperties"}},
		{ok + `"env":{"X_N":"1"}}`, []string{"/env/X_N type"}},
		{ok + `"env":{"HOME":1}}`, []string{"/env/HOME type"}},
		{ok + `"env":{"home":"x"}}`, []string{"/env/home pattern"}},
		{ok + `"env":{"TOOLONGNAME":"x"}}`, []string{"/env/TOOLONGNAME maxLength"}},
		// dependencies, dependentRequired.
		{ok + `"payment":{"card_number":"4","expiry":"1","iban":"D","bic":"ABCDEFGH","cvc":"1"}}`, nil},
		{ok + `"payment":{"card_number":"4"}}`, []string{"/payment/expiry dependentRequired"}},
		{ok + `"payment":{"iban":"D"}}`, []string{"/payment/bic required"}},
		{ok + `"payment":{"iban":"D","bic":"SHORT"}}`, []string{"/payment/bic minLength"}},
		{ok + `"payment":{"bic":"SHORT"}}`, nil},
		{ok + `"payment":{"cvc":"1"}}`, []string{"/payment/card_number dependentRequired"}},
		{`{"closed":{"id":"x","a":1},"labels":{"env":"dev"}} {}`, nil},
	}
	for i, tc := range cases {
		_, err := DecodeObjects([]byte(tc.payload))
		if i == len(cases)-1 {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("trailing data: want a *SyntaxError, got %v", err)
			}
			continue
		}
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}

func TestMapViolationsAreSorted(t *testing.T) {
	one := int64(1)
	v := Objects{Closed: Closed{ID: "x", A: &one}, Labels: map[string]string{"env": "dev", "x": "long1", "b": "long2", "m": "long3"}}
	for range 20 {
		got := violations(t, v.Validate())
		want := []string{"/labels maxProperties", "/labels/b maxLength", "/labels/m maxLength", "/labels/x maxLength"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
