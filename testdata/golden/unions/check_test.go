package unions

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

// TestUnionDecoding checks which variant the generated decoder keeps, and
// what it refuses.
func TestUnionDecoding(t *testing.T) {
	const holder = `{"holder":{"maybe":null,"shape":{"kind":"circle","radius":1},"value":`
	cases := []struct {
		payload string
		variant func(*EverythingPayload) bool
		want    []string
	}{
		{`{"tree":{"children":["a",{"children":[]}]}}`, func(v *EverythingPayload) bool {
			return v.Tree.Node != nil && len(v.Tree.Node.Children) == 2 && *v.Tree.Node.Children[0].Leaf == "a" &&
				v.Tree.Node.Children[1].Node != nil
		}, nil},
		{`{"event":{"sequence":1,"type":"update","changes":["x"]}}`, func(v *EverythingPayload) bool {
			return v.Event.Update != nil && v.Event.Heartbeat == nil && v.Event.Failure == nil
		}, nil},
		{`{"event":{"sequence":1,"type":"heartbeat"}}`, func(v *EverythingPayload) bool { return v.Event.Heartbeat != nil }, nil},
		{`{"event":{"error":"e"}}`, func(v *EverythingPayload) bool { return v.Event.Failure != nil }, nil},
		{holder + `5}}`, func(v *EverythingPayload) bool { return *v.Holder.Value.Integer == 5 && v.Holder.Value.Number == nil }, nil},
		{holder + `5.5}}`, func(v *EverythingPayload) bool { return *v.Holder.Value.Number == 5.5 }, nil},
		{holder + `["a"]}}`, func(v *EverythingPayload) bool { return v.Holder.Value.Array[0] == "a" }, nil},
		{holder + `{"x":1.5,"y":2}}}`, func(v *EverythingPayload) bool { return v.Holder.Value.Point.X == 1.5 }, nil},
		{`{"event":{"sequence":null,"type":"heartbeat"}}`, nil, []string{"/event oneOf"}},
		{`{"event":{"sequence":1,"type":"update"}}`, nil, []string{"/event oneOf"}},
		{`{"event":{"error":"e","extra":1}}`, nil, []string{"/event oneOf"}},
		{`{"tree":{"children":[1]}}`, nil, []string{"/tree oneOf"}},
		{holder + `true}}`, nil, []string{"/holder/value anyOf"}},
		// Rank is an enum made of oneOf constants: the keyword broken is oneOf.
		{`{"rank":2}`, nil, []string{"/rank oneOf"}},
	}
	for _, tc := range cases {
		v, err := DecodeEverything([]byte(tc.payload))
		if got := violations(t, err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.payload, got, tc.want)
			continue
		}
		if tc.variant != nil && !tc.variant(v) {
			t.Errorf("%s: decoded %+v, not the variant expected", tc.payload, v)
		}
	}
}
