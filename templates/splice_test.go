package templates

import (
	"strings"
	"testing"
)

func TestWithoutUnusedFields(t *testing.T) {
	src := []byte(`package support

// state is read by some functions only.
type state struct {
	// always is used.
	always int
	// rare is used by one function.
	rare, other []byte
	last bool
}
`)
	decls, err := parsedSupport("x.go", src)
	if err != nil {
		t.Fatal(err)
	}
	d := decls[0]
	got := d.withoutUnusedFields(map[string]bool{".always": true, "last": true})
	for _, gone := range []string{"rare", "other"} {
		if strings.Contains(got, gone) {
			t.Errorf("field %s kept:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"// always is used.\n\talways int", "last bool", "type state struct {"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q dropped:\n%s", kept, got)
		}
	}
	if got := d.withoutUnusedFields(map[string]bool{".always": true, ".other": true, ".last": true}); got != d.text {
		t.Errorf("a field list is dropped only when none of its names is used:\n%s", got)
	}
}
