package hostile

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A property named "-" keeps its value through decoding and encoding:
// the field is tagged "-,", not "-" (which encoding/json skips).
func TestDashPropertyRoundTrips(t *testing.T) {
	v, err := DecodeEvilVInjected([]byte(`{"-":"dash","kind":"a%s","shape":{"sh%pe":"round","r%d":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Field != "dash" || *v.Kind != ThingKindAS {
		t.Fatalf("decoded %+v", v)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"-":"dash"`) {
		t.Fatalf("encoded %s", out)
	}
	var back Thing
	if err := json.Unmarshal(out, &back); err != nil || back.Field != "dash" {
		t.Fatalf("decoded again %+v, %v", back, err)
	}
}

// The decoder's and the validator's checks of "-" agree: it is required
// and at least one character long.
func TestDashPropertyIsValidated(t *testing.T) {
	for _, body := range []string{`{}`, `{"-":""}`} {
		_, err := DecodeEvilVInjected([]byte(body))
		var verr *ValidationError
		if !errors.As(err, &verr) || !strings.Contains(err.Error(), "/-") {
			t.Fatalf("%s: got %v, want a violation at /-", body, err)
		}
	}
	if err := (&Thing{Field: "x"}).Validate(); err != nil {
		t.Fatal(err)
	}
}

// Spec text with % in an error message prints as it is, not as a verb.
func TestPercentSignsPrintAsWritten(t *testing.T) {
	_, err := DecodeKindsD([]byte(`{"k%d":"three"}`))
	if err == nil || !strings.Contains(err.Error(), `k%d "three"`) {
		t.Fatalf("got %v", err)
	}
	var s Shape
	err = json.Unmarshal([]byte(`{"sh%pe":"oval"}`), &s)
	if err == nil || !strings.Contains(err.Error(), `"sh%pe" property, "oval", names none`) {
		t.Fatalf("got %v", err)
	}
}
