package decodedispatchtypes

import (
	"errors"
	"testing"
)

func TestIntegerDispatch(t *testing.T) {
	m, err := DecodeVersions([]byte(`{"version":1,"name":"a"}`))
	if v, ok := m.(*V1Payload); !ok || err != nil || v.Name != "a" {
		t.Fatalf("got %#v, %v", m, err)
	}
	// 2.0 is the integer 2; white space around the value is allowed.
	m, err = DecodeVersions([]byte(`{"fullName":"b", "version" : 2.0 }`))
	if v, ok := m.(*V2Payload); !ok || err != nil || v.FullName != "b" {
		t.Fatalf("got %#v, %v", m, err)
	}
	// The message's own violations come with its value.
	m, err = DecodeVersions([]byte(`{"version":2,"fullName":""}`))
	var ve *ValidationError
	if _, ok := m.(*V2Payload); !ok || !errors.As(err, &ve) || ve.Violations[0].Pointer != "/fullName" {
		t.Fatalf("got %#v, %v", m, err)
	}
	for _, unknown := range []string{`{"version":3}`, `{"version":-1}`, `{"version":0}`} {
		if _, err := DecodeVersions([]byte(unknown)); !errors.Is(err, ErrUnknownMessage) || errors.Is(err, ErrNoDiscriminator) {
			t.Fatalf("%s: %v", unknown, err)
		}
	}
	for _, missing := range []string{`{"name":"a"}`, `{"version":"1"}`, `{"version":1.5}`, `{"version":null}`, `{"version":1e30}`, `[1]`} {
		if _, err := DecodeVersions([]byte(missing)); !errors.Is(err, ErrNoDiscriminator) || errors.Is(err, ErrUnknownMessage) {
			t.Fatalf("%s: %v", missing, err)
		}
	}
	var se *SyntaxError
	if _, err := DecodeVersions([]byte(`{"version":1,`)); !errors.As(err, &se) {
		t.Fatalf("malformed: %v", err)
	}
}

func TestBooleanDispatch(t *testing.T) {
	m, err := DecodeModes([]byte(`{"test":false,"amount":3}`))
	if v, ok := m.(*LivePayload); !ok || err != nil || v.Amount != 3 {
		t.Fatalf("got %#v, %v", m, err)
	}
	m, err = DecodeModes([]byte(`{"note":"x","test":true}`))
	if v, ok := m.(*TestPayload); !ok || err != nil || v.Note == nil || *v.Note != "x" {
		t.Fatalf("got %#v, %v", m, err)
	}
	for _, missing := range []string{`{"amount":3}`, `{"test":"true"}`, `{"test":1}`, `{"test":null}`} {
		if _, err := DecodeModes([]byte(missing)); !errors.Is(err, ErrNoDiscriminator) {
			t.Fatalf("%s: %v", missing, err)
		}
	}
	var se *SyntaxError
	if _, err := DecodeModes([]byte(`{"test":tru}`)); !errors.As(err, &se) {
		t.Fatalf("malformed: %v", err)
	}
}

func TestIntegerDiscriminatorKeyword(t *testing.T) {
	m, err := DecodeShapes([]byte(`{"kind":4,"side":2}`))
	if v, ok := m.(*Square); !ok || err != nil || v.Side != 2 {
		t.Fatalf("got %#v, %v", m, err)
	}
	m, err = DecodeShapes([]byte(`{"kind":0,"radius":1.5}`))
	if v, ok := m.(*Circle); !ok || err != nil || v.Radius != 1.5 {
		t.Fatalf("got %#v, %v", m, err)
	}
	if _, err := DecodeShapes([]byte(`{"kind":3}`)); !errors.Is(err, ErrUnknownMessage) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := DecodeShapes([]byte(`{"side":2}`)); !errors.Is(err, ErrNoDiscriminator) {
		t.Fatalf("missing kind: %v", err)
	}
}
