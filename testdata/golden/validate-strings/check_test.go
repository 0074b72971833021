package validatestrings

import (
	"errors"
	"reflect"
	"testing"
)

// violations lists "pointer keyword" of every violation err holds.
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

func TestStrings(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"code":"USD","name":"héllo","nickname":null,"greeting":"hello","kind":"a","tags":["ab","c"]}`, nil},
		{`{"code":"usd","name":"x","nickname":""}`, []string{"/code pattern", "/name minLength", "/nickname minLength"}},
		{`{"code":"USD","name":"toolong","nickname":"n"}`, []string{"/name maxLength"}},
		{`{"code":"USD","name":"ab","nickname":"n","greeting":"hi","kind":"c"}`, []string{"/greeting const", "/kind enum"}},
		{`{"code":"USD","name":"ab","nickname":"n","tags":["abcd","A"]}`, []string{"/tags/0 maxLength", "/tags/1 pattern"}},
		{`{"code":"USD","name":"ab"}`, []string{"/nickname required"}},
		{`{"code":3,"name":null,"nickname":"n"}`, []string{"/code type", "/name type"}},
	}
	for _, tc := range cases {
		_, err := DecodeStrings([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}

func TestValidateOnBuiltValue(t *testing.T) {
	kind := StringsKind("c")
	v := Strings{Code: "usd", Name: "ab", Kind: &kind}
	got := violations(t, v.Validate())
	want := []string{"/code pattern", "/kind enum"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	var ve *ValidationError
	errors.As(v.Validate(), &ve)
	if ve.OnlyUnknownEnumValues() {
		t.Error("a pattern violation is not enum drift")
	}
	if msg := ve.Violations[1].Message; msg != `"c" is not one of "a", "b"` {
		t.Errorf("enum message %q", msg)
	}
}
