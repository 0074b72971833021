package validatecomposition

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

func TestComposition(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"code":"ab","id_or_name":"abc","shape":{"radius":1},"not_empty":"x","anything_but_bool":1,"contact":{"phone":"1"}}`, nil},
		{`{"id_or_name":7,"shape":{"side":2}}`, nil},
		{`{"code":"a"}`, []string{"/code minLength"}},
		{`{"code":"abcde"}`, []string{"/code maxLength"}},
		{`{"id_or_name":"ab"}`, []string{"/id_or_name anyOf"}},
		{`{"id_or_name":0}`, []string{"/id_or_name anyOf"}},
		{`{"id_or_name":true}`, []string{"/id_or_name anyOf"}},
		{`{"shape":{"radius":1,"side":2}}`, []string{"/shape oneOf"}},
		{`{"shape":{}}`, []string{"/shape oneOf"}},
		{`{"not_empty":""}`, []string{"/not_empty not"}},
		{`{"anything_but_bool":false}`, []string{"/anything_but_bool not"}},
		{`{"nothing":1}`, []string{"/nothing not"}},
		{`{"nothing":null}`, []string{"/nothing not"}},
		{`{"contact":{}}`, []string{"/contact anyOf"}},
		// Variants are read by the decoder: null is not an absent property,
		// and an integer beyond int64 is refused as such.
		{`{"shape":{"radius":null}}`, []string{"/shape oneOf"}},
		{`{"shape":{"side":null,"radius":2}}`, nil},
		{`{"shape":{"radius":"1"}}`, []string{"/shape oneOf"}},
		{`{"id_or_name":100000000000000000000}`, []string{"/id_or_name type"}},
		{`{"id_or_name":1e3}`, nil},
		// if/then/else.
		{`{"delivery":{"method":"ship","address":"a"},"level":20}`, nil},
		{`{"delivery":{"method":"pickup","point":"p"},"level":5}`, nil},
		{`{"delivery":{"method":"ship","point":"p"}}`, []string{"/delivery/address required"}},
		{`{"delivery":{"method":"pickup","address":"a"}}`, []string{"/delivery/point required"}},
		{`{"level":15}`, []string{"/level multipleOf"}},
		{`{"level":7}`, []string{"/level maximum"}},
	}
	for _, tc := range cases {
		_, err := DecodeComposed([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}

func TestCompositionKeepsTheVariant(t *testing.T) {
	v, err := DecodeComposed([]byte(`{"id_or_name":42,"shape":{"side":2.5}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.IDOrName.Integer == nil || *v.IDOrName.Integer != 42 || v.IDOrName.String != nil {
		t.Errorf("id_or_name: got %+v, want the integer 42", v.IDOrName)
	}
	if v.Shape.Option2 == nil || v.Shape.Option2.Side != 2.5 || v.Shape.Option1 != nil {
		t.Errorf("shape: got %+v, want the square of side 2.5", v.Shape)
	}
}
