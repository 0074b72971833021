package anypayloads

import (
	"errors"
	"os"
	"os/exec"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
)

// TestAnyPayloads decodes payloads that are any JSON value: null too.
func TestAnyPayloads(t *testing.T) {
	for _, payload := range []string{`null`, `1`, `"x"`, `[1,{"a":null}]`} {
		for name, decode := range map[string]func([]byte) (any, error){
			"anything": func(b []byte) (any, error) { v, err := DecodeAnything(b); return deref(v), err },
			"loop":     func(b []byte) (any, error) { v, err := DecodeLoop(b); return deref(v), err },
		} {
			v, err := decode([]byte(payload))
			if err != nil {
				t.Errorf("%s %s: %v", name, payload, err)
				continue
			}
			if payload == `[1,{"a":null}]` && !reflect.DeepEqual(v, []any{1.0, map[string]any{"a": nil}}) {
				t.Errorf("%s %s: decoded %#v", name, payload, v)
			}
		}
	}
	var se *SyntaxError
	if _, err := DecodeAnything([]byte(`[1,`)); !errors.As(err, &se) {
		t.Errorf("[1,: got %v, want a *SyntaxError", err)
	}
}

func deref(v *any) any {
	if v == nil {
		return "no value"
	}
	return *v
}

// TestDeepAny runs deepAny in a child process whose stack is small: a
// crash there fails this test, not the test binary.
func TestDeepAny(t *testing.T) {
	if os.Getenv("ANYPAYLOADS_DEEP_CHILD") == "1" {
		deepAny(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeepAny$", "-test.v")
	cmd.Env = append(os.Environ(), "ANYPAYLOADS_DEEP_CHILD=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%.2000s", err, out)
	}
}

// deepAny feeds 1,000,000 nested arrays to a decoder of any value: it
// stops at the depth budget with a violation. 10,000 levels are read.
func deepAny(t *testing.T) {
	debug.SetMaxStack(16 << 20)
	deep := strings.Repeat(`[`, 1_000_000) + strings.Repeat(`]`, 1_000_000)
	_, err := DecodeAnything([]byte(deep))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Keyword != "depth" {
		t.Fatalf("got %v, want one depth violation", err)
	}
	limit := strings.Repeat(`[`, 10_000) + strings.Repeat(`]`, 10_000)
	if _, err := DecodeAnything([]byte(limit)); err != nil {
		t.Fatalf("10,000 levels: %v", err)
	}
}
