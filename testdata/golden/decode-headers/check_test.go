package decodeheaders

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// valid returns headers that pass every check, with names in other cases
// than the spec's.
func valid() http.Header {
	h := http.Header{}
	h.Set("x-attempt", "3")
	h.Set("X-SIGNATURE", "v1=ab12")
	h.Set("X-Trace", "t-1")
	h.Set("x-test", "true")
	h.Set("X-Region", "eu")
	h.Set("X-Priority", "2")
	h.Set("X-Score", "0.5")
	h.Set("X-Sent-At", "2024-05-01T10:00:00Z")
	h.Set("X-Tags", `["a","b"]`)
	return h
}

func TestDecodeHeadersValid(t *testing.T) {
	v, err := DecodeDeliveryHeaders(valid())
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	if v.XAttempt != 3 || v.XSignature != "v1=ab12" || v.XTest == nil || !*v.XTest ||
		v.XRegion == nil || *v.XRegion != DeliveryHeadersXRegionEu || v.XPriority == nil || *v.XPriority != 2 ||
		v.XScore == nil || *v.XScore != 0.5 || v.XSentAt == nil || !v.XSentAt.Equal(sent) ||
		!reflect.DeepEqual(v.XTags, []string{"a", "b"}) {
		t.Fatalf("got %+v", v)
	}
	// The optional headers may be left out.
	h := http.Header{}
	h.Set("X-Attempt", "10")
	h.Set("X-Signature", "v1=0")
	h.Set("X-Trace", "")
	v, err = DecodeDeliveryHeaders(h)
	if err != nil || v.XAttempt != 10 || v.XTest != nil || v.XTags != nil {
		t.Fatalf("got %+v, %v", v, err)
	}
}

type violation struct{ pointer, keyword string }

func violations(t *testing.T, err error) []violation {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	var out []violation
	for _, v := range ve.Violations {
		out = append(out, violation{v.Pointer, v.Keyword})
	}
	return out
}

func TestDecodeHeadersMissing(t *testing.T) {
	v, err := DecodeDeliveryHeaders(http.Header{})
	want := []violation{{"/headers/X-Attempt", "required"}, {"/headers/x-signature", "required"}, {"/headers/X-Trace", "required"}}
	if got := violations(t, err); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if v == nil {
		t.Fatal("no value returned with the violations")
	}
}

func TestDecodeHeadersInvalid(t *testing.T) {
	cases := []struct {
		name, header string
		values       []string
		want         violation
	}{
		{"not an integer", "X-Attempt", []string{"three"}, violation{"/headers/X-Attempt", "type"}},
		{"fraction", "X-Attempt", []string{"3.5"}, violation{"/headers/X-Attempt", "type"}},
		{"beyond int64", "X-Attempt", []string{"99999999999999999999"}, violation{"/headers/X-Attempt", "type"}},
		{"two lines", "X-Attempt", []string{"1", "2"}, violation{"/headers/X-Attempt", "type"}},
		{"below minimum", "X-Attempt", []string{"0"}, violation{"/headers/X-Attempt", "minimum"}},
		{"above maximum", "X-Attempt", []string{"11"}, violation{"/headers/X-Attempt", "maximum"}},
		{"pattern", "X-Signature", []string{"v2=zz"}, violation{"/headers/x-signature", "pattern"}},
		{"not a boolean", "X-Test", []string{"yes"}, violation{"/headers/X-Test", "type"}},
		{"string enum", "X-Region", []string{"asia"}, violation{"/headers/X-Region", "enum"}},
		{"integer enum", "X-Priority", []string{"7"}, violation{"/headers/X-Priority", "enum"}},
		{"exclusive minimum", "X-Score", []string{"0"}, violation{"/headers/X-Score", "exclusiveMinimum"}},
		{"NaN", "X-Score", []string{"NaN"}, violation{"/headers/X-Score", "type"}},
		{"hexadecimal", "X-Score", []string{"0x10"}, violation{"/headers/X-Score", "type"}},
		{"date-time", "X-Sent-At", []string{"yesterday"}, violation{"/headers/X-Sent-At", "format"}},
		{"not JSON", "X-Tags", []string{"a,b"}, violation{"/headers/X-Tags", "type"}},
		{"JSON item", "X-Tags", []string{`["a",1]`}, violation{"/headers/X-Tags/1", "type"}},
		{"maxItems", "X-Tags", []string{`["a","b","c"]`}, violation{"/headers/X-Tags", "maxItems"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := valid()
			h.Del(c.header)
			for _, v := range c.values {
				h.Add(c.header, v)
			}
			_, err := DecodeDeliveryHeaders(h)
			if got := violations(t, err); !reflect.DeepEqual(got, []violation{c.want}) {
				t.Fatalf("got %v, want [%v]", got, c.want)
			}
		})
	}
}

func TestDecodeHeadersUnknownEnumValue(t *testing.T) {
	h := valid()
	h.Set("X-Region", "asia")
	v, err := DecodeDeliveryHeaders(h)
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.OnlyUnknownEnumValues() || v == nil || *v.XRegion != "asia" {
		t.Fatalf("got %+v, %v", v, err)
	}
	h.Set("X-Attempt", "0")
	if _, err := DecodeDeliveryHeaders(h); !errors.As(err, &ve) || ve.OnlyUnknownEnumValues() {
		t.Fatalf("an enum value and a minimum: %v", err)
	}
}
