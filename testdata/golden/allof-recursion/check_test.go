package allofrecursion

import (
	"errors"
	"reflect"
	"testing"
)

func TestRecursiveTree(t *testing.T) {
	// self is required and not nullable: a finite tree ends with a cycle
	// the schema cannot express, so every payload here breaks something.
	payload := `{"id":"root","self":{"id":"a","self":{"id":"b","children":[{"self":null}]}},"children":[{"id":"c","self":{"id":"d"},"children":[]}]}`
	_, err := DecodeSendTree([]byte(payload))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.Pointer+" "+v.Keyword)
	}
	want := []string{
		"/self/self/children/0/self type",
		"/self/self/children/0/id required",
		"/self/self/self required",
		"/children/0/self/self required",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
