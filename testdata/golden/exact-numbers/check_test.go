package exactnumbers

import (
	"encoding/json"
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

// TestIntegersPastFloatPrecision: values one apart past 2^53, which a
// float64 cannot tell apart, are told apart by the enum and const checks,
// and int64's extremes are allowed values.
func TestIntegersPastFloatPrecision(t *testing.T) {
	cases := []struct {
		payload string
		want    []string
	}{
		{`{"account":9007199254740993,"kind":9007199254740993}`, nil},
		{`{"account":9007199254740995,"kind":9007199254740993,"limit":9223372036854775807}`, nil},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":-9223372036854775808}`, nil},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":1}`, nil},
		{`{"account":9007199254740992,"kind":9007199254740993}`, []string{"/account enum"}},
		{`{"account":9007199254740994,"kind":9007199254740993}`, []string{"/account enum"}},
		{`{"account":9007199254740993,"kind":9007199254740992}`, []string{"/kind const"}},
		{`{"account":9007199254740993,"kind":9007199254740993,"limit":9223372036854775806}`, []string{"/limit enum"}},
	}
	for _, c := range cases {
		_, err := DecodeEntry([]byte(c.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.payload, got, c.want)
		}
	}
}

// TestEnumConstantsAreExact: the generated constants hold the spec's
// digits.
func TestEnumConstantsAreExact(t *testing.T) {
	if got := int64(Account9007199254740993); got != 9007199254740993 {
		t.Errorf("Account9007199254740993 is %d", got)
	}
	want := []Account{9007199254740993, 9007199254740995}
	if got := AccountValues(); !reflect.DeepEqual(got, want) {
		t.Errorf("AccountValues() = %v, want %v", got, want)
	}
	if !Account(9007199254740995).Valid() || Account(9007199254740994).Valid() {
		t.Error("Valid tells the values apart wrongly")
	}
}

// TestBoundsPastFloatPrecision: minimum, maximum, their exclusive forms
// and multipleOf beyond 2^53 on integer properties compare to the digit
// (as float64s, 9007199254740992 and 9007199254740993 are one number).
func TestBoundsPastFloatPrecision(t *testing.T) {
	const entry = `"account":9007199254740993,"kind":9007199254740993`
	cases := []struct {
		fields string
		want   []string
	}{
		{`"floor":9007199254740993,"above":9007199254740994,"ceiling":9007199254740993,"below":9007199254740992`, nil},
		{`"floor":9007199254740992`, []string{"/floor minimum"}},
		{`"above":9007199254740993`, []string{"/above exclusiveMinimum"}},
		{`"ceiling":9007199254740994`, []string{"/ceiling maximum"}},
		{`"below":9007199254740993`, []string{"/below exclusiveMaximum"}},
		{`"step":18014398509481986`, nil},
		{`"step":-9007199254740993`, nil},
		{`"step":9007199254740992`, []string{"/step multipleOf"}},
		{`"step":18014398509481985`, []string{"/step multipleOf"}},
		{`"odd":-3`, nil},
		{`"odd":-6`, []string{"/odd minimum"}},
		{`"odd":4`, []string{"/odd multipleOf"}},
	}
	for _, c := range cases {
		payload := "{" + entry + "," + c.fields + "}"
		_, err := DecodeEntry([]byte(payload))
		if got := violations(t, err); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", payload, got, c.want)
		}
	}
}

// TestBoundMessagesQuoteDigits: the messages of bounds and enums quote
// the spec's digits, not their nearest float64.
func TestBoundMessagesQuoteDigits(t *testing.T) {
	floor, step := int64(9007199254740992), int64(9007199254740994)
	var limit EntryLimit = 2
	err := Entry{Account: 9007199254740993, Kind: 9007199254740993, Floor: &floor, Step: &step, Limit: &limit}.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	var got []string
	for _, v := range ve.Violations {
		got = append(got, v.String())
	}
	want := []string{
		"/limit: 2 is not one of 9223372036854775807, -9223372036854775808, 1",
		"/floor: 9007199254740992 is less than 9007199254740993",
		"/step: 9007199254740994 is not a multiple of 9007199254740993",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestAnyBoundsPastFloatPrecision: a value held as any whose digits are
// known (a json.Number or an int64 put there by Go code) is compared with
// the bounds, the enum and multipleOf to the digit.
func TestAnyBoundsPastFloatPrecision(t *testing.T) {
	cases := []struct {
		loose, even, kind any
		want              []string
	}{
		{json.Number("9007199254740993"), json.Number("9007199254740994"), json.Number("9007199254740993"), nil},
		{int64(9007199254740993), int64(-2), "none", nil},
		{json.Number("9007199254740992"), nil, nil, []string{"/loose minimum", "/loose multipleOf"}},
		{json.Number("9007199254741000"), nil, nil, []string{"/loose exclusiveMaximum", "/loose multipleOf"}},
		{nil, json.Number("9007199254740995"), nil, []string{"/looseEven multipleOf"}},
		{nil, nil, json.Number("9007199254740992"), []string{"/looseKind enum"}},
		{nil, nil, int64(9007199254740994), []string{"/looseKind enum"}},
	}
	for _, c := range cases {
		e := Entry{Account: 9007199254740993, Kind: 9007199254740993, Loose: c.loose, LooseEven: c.even, LooseKind: c.kind}
		if got := violations(t, e.Validate()); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v, %v, %v: got %q, want %q", c.loose, c.even, c.kind, got, c.want)
		}
	}
	var ve *ValidationError
	err := Entry{Account: 9007199254740993, Kind: 9007199254740993, LooseKind: json.Number("9007199254740992")}.Validate()
	if !errors.As(err, &ve) || ve.Violations[0].Message != `9007199254740992 is not one of 9007199254740993, "none"` {
		t.Errorf("enum message: %v", err)
	}
}
