package unionrecursion

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func keywords(t *testing.T, err error) []string {
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

// TestSelfUnionCollapses decodes the payload that is its own anyOf
// variant: it is a Thing, and decoding it ends (it overflowed the stack).
func TestSelfUnionCollapses(t *testing.T) {
	v, err := DecodeSelfish([]byte(`{"name":"x"}`))
	if err != nil || v.Name != "x" {
		t.Fatalf("got %+v, %v", v, err)
	}
	if _, err := DecodeSelfish([]byte(`{}`)); strings.Join(keywords(t, err), ",") != "/name required" {
		t.Fatalf("{}: got %v", err)
	}
}

// TestWidenedUnion decodes Value, whose variant ValueAgain is Value again:
// it keeps its two other variants, a Thing and a tuple that nests a Value.
func TestWidenedUnion(t *testing.T) {
	v, err := DecodeWidened([]byte(`["a", ["b", {"name":"c"}]]`))
	if err != nil {
		t.Fatal(err)
	}
	if *v.Pair.Item0 != "a" || *v.Pair.Item1.Pair.Item0 != "b" || v.Pair.Item1.Pair.Item1.Thing.Name != "c" {
		t.Fatalf("decoded %+v", v)
	}
	if _, err := DecodeWidened([]byte(`["a", true]`)); strings.Join(keywords(t, err), ",") != " anyOf" {
		t.Fatalf(`["a", true]: got %v`, err)
	}
}

// rights is Nest nested depth times, every level a Right.
func rights(depth int) []byte {
	return []byte(strings.Repeat(`{"right":"x","next":`, depth) + `{"right":"x"}` + strings.Repeat(`}`, depth))
}

// TestNestIsLinear decodes Nest nested 3,000 deep: Left, tried first at
// every level, fails on the property only Right has. Reading each level as
// both variants without remembering what the level below gave takes 2^3000
// readings; remembered, the work grows with the depth: twice as deep
// allocates at most about twice as much.
func TestNestIsLinear(t *testing.T) {
	v, err := DecodeNested(rights(3000))
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for n := v; n != nil; depth++ {
		if n.Left != nil || n.Right == nil {
			t.Fatalf("level %d: got %+v, want Right only", depth, n)
		}
		n = n.Right.Next
	}
	if depth != 3001 {
		t.Fatalf("decoded %d levels, want 3001", depth)
	}
	allocs := func(depth int) float64 {
		data := rights(depth)
		return testing.AllocsPerRun(3, func() { _, _ = DecodeNested(data) })
	}
	small, large := allocs(1000), allocs(2000)
	if large > 2.2*small {
		t.Fatalf("allocations: %v at depth 1000, %v at depth 2000: not linear", small, large)
	}
}

// TestNestVerdict decodes a Nest whose inner level is neither variant
// (left is no integer, and Right allows no left): so the outer level,
// whose next must be a Nest, matches none either.
func TestNestVerdict(t *testing.T) {
	v, err := DecodeNested([]byte(`{"right":"y","next":{"left":"x"}}`))
	if err == nil {
		t.Fatalf("got %+v, want a violation", v)
	}
	if got := strings.Join(keywords(t, err), ","); got != " oneOf" {
		t.Fatalf("got %v", err)
	}
}

// TestDeepInputStops runs deepInput in a child process whose stack is
// small: a crash there fails this test, not the test binary.
func TestDeepInputStops(t *testing.T) {
	if os.Getenv("UNIONRECURSION_DEEP_CHILD") == "1" {
		deepInput(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeepInputStops$", "-test.v")
	cmd.Env = append(os.Environ(), "UNIONRECURSION_DEEP_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%.2000s", err, out)
	}
}

// deepInput feeds 1,000,000 nested arrays and objects to the decoders of
// recursive unions and tuples: each stops at the depth budget with a
// violation, within a small stack and little memory.
func deepInput(t *testing.T) {
	debug.SetMaxStack(16 << 20)
	const depth = 1_000_000
	inputs := map[string][]byte{
		"arrays":     []byte(strings.Repeat(`[`, depth) + strings.Repeat(`]`, depth)),
		"tuples":     []byte(strings.Repeat(`["a",`, depth) + `{"name":"x"}` + strings.Repeat(`]`, depth)),
		"nest":       rights(depth),
		"unfinished": []byte(strings.Repeat(`{"next":`, depth)),
	}
	decoders := map[string]func([]byte) error{
		"selfish": func(b []byte) error { _, err := DecodeSelfish(b); return err },
		"widened": func(b []byte) error { _, err := DecodeWidened(b); return err },
		"nested":  func(b []byte) error { _, err := DecodeNested(b); return err },
	}
	for in, data := range inputs {
		for name, decode := range decoders {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := decode(data)
			runtime.ReadMemStats(&after)
			if got := strings.Join(keywords(t, err), ","); got != " depth" {
				t.Errorf("%s of %s: got %v, want one depth violation", name, in, err)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
				t.Errorf("%s of %s: allocated %d bytes", name, in, grown)
			}
		}
	}
}
