package validatearrays

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

func TestArrays(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"names":["a","b"],"points":[{"x":1},{"x":1,"y":2}],"matrix":[[0,1],[]]}`, nil},
		{`{"names":[]}`, []string{"/names minItems"}},
		{`{"names":["a","b","c","d"]}`, []string{"/names maxItems"}},
		{`{"names":["a","a"]}`, []string{"/names uniqueItems"}},
		{`{"names":["a"],"points":[{"x":1,"y":2},{"x":1,"y":2}]}`, []string{"/points uniqueItems"}},
		{`{"names":["a"],"points":[{"x":101},{"y":1}]}`, []string{"/points/1/x required", "/points/0/x maximum"}},
		{`{"names":["a"],"matrix":[[1,2,3],[-1]]}`, []string{"/matrix/0 maxItems", "/matrix/1/0 minimum"}},
		{`{"names":null}`, []string{"/names type"}},
		{`{"names":["a",1]}`, []string{"/names/1 type"}},
		{`{"names":"a"}`, []string{"/names type"}},
		// prefixItems (a tuple), decoded item by item.
		{`{"names":["a"],"pair":["a",1],"row":[1.5,true,false]}`, nil},
		{`{"names":["a"],"pair":["a",null]}`, []string{"/pair/1 type"}},
		{`{"names":["a"],"pair":["",-1]}`, []string{"/pair/0 minLength", "/pair/1 minimum"}},
		{`{"names":["a"],"pair":["a",1,"x"]}`, []string{"/pair/2 items"}},
		{`{"names":["a"],"pair":[]}`, []string{"/pair minItems"}},
		{`{"names":["a"],"row":["x",1]}`, []string{"/row/0 type", "/row/1 type"}},
		// contains, minContains, maxContains.
		{`{"names":["a"],"tags":["x-a","b"],"readings":[1,10]}`, nil},
		{`{"names":["a"],"tags":["a"]}`, []string{"/tags contains"}},
		{`{"names":["a"],"tags":["x-a","x-b","x-c"]}`, []string{"/tags maxContains"}},
		{`{"names":["a"],"readings":[]}`, []string{"/readings contains"}},
		{`{"names":["a"],"readings":[9.5]}`, []string{"/readings contains"}},
	}
	for _, tc := range cases {
		_, err := DecodeArrays([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
		}
	}
}
