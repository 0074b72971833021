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

// TestFieldNamesAreNotUses checks that a struct's field names do not count
// as uses of the same names in another struct: two structs with a field
// queue that nothing reads both lose it (staticcheck's U1000 found the
// fields kept in every Kafka and MQTT package).
func TestFieldNamesAreNotUses(t *testing.T) {
	src := []byte(`package support

// channel is one channel.
type channel struct {
	address string
	queue   string
}

// settings are options.
type settings struct {
	strict bool
	queue  string
}
`)
	decls, err := parsedSupport("x.go", src)
	if err != nil {
		t.Fatal(err)
	}
	roots := map[string]bool{".address": true, ".strict": true}
	for _, d := range decls {
		got := d.withoutUnusedFields(usedBesides(d, decls, roots))
		if strings.Contains(got, "queue") {
			t.Errorf("field queue kept:\n%s", got)
		}
	}
}

// TestPrunedFieldTakesItsImport checks that a package only a dropped field
// used is not imported: a decoder without strings to keep declared no
// strings.Builder but imported strings, which does not compile.
func TestPrunedFieldTakesItsImport(t *testing.T) {
	src := []byte(`package support

import (
	"strings"
	"time"
)

// reader reads.
type reader struct {
	pos  int
	kept strings.Builder
	when time.Time
}
`)
	decls, err := parsedSupport("x.go", src)
	if err != nil {
		t.Fatal(err)
	}
	d := decls[0]
	text := d.withoutUnusedFields(map[string]bool{".pos": true, ".when": true})
	if got, want := strings.Join(d.importsOf(text), " "), `"time"`; got != want {
		t.Errorf("imports of the pruned struct: %s, want %s", got, want)
	}
	if got, want := strings.Join(d.importsOf(d.text), " "), `"strings" "time"`; got != want {
		t.Errorf("imports of the whole struct: %s, want %s", got, want)
	}
}
