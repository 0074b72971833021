package allofsolepart

import (
	"errors"
	"reflect"
	"testing"
)

func TestOuterKeywordsChecked(t *testing.T) {
	if _, err := DecodeSendAccounts([]byte(`{"id":"a","owner":{"email":"o@example.com"}}`)); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		// required and minProperties are beside the allOf, not in its part.
		`{"plan":"p"}`:                                                  {"/id required", "/owner required", " minProperties"},
		`{"id":"a","owner":{"name":"Ann"}}`:                             {"/owner/email required"},
		`{"id":"a","owner":{"email":"o@example.com","x":1}}`:            {"/owner/x additionalProperties"},
		`{"id":"a","owner":{"email":"o@example.com","name":"Annabel"}}`: {"/owner/name maxLength"},
	}
	for in, want := range cases {
		_, err := DecodeSendAccounts([]byte(in))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: %v", in, err)
		}
		var got []string
		for _, v := range ve.Violations {
			got = append(got, v.Pointer+" "+v.Keyword)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
}
