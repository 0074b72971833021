package decodedispatch

import (
	"errors"
	"testing"
)

func TestDispatch(t *testing.T) {
	m, err := DecodePets([]byte(`{"petType":"Dog","name":"Rex","barks":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if dog, ok := m.(*Dog); !ok || dog.Name != "Rex" || !dog.Barks {
		t.Fatalf("got %#v", m)
	}
	m, err = DecodePets([]byte(`{"petType":"Cat","name":"Tom"}`))
	if _, ok := m.(*Cat); !ok || err != nil {
		t.Fatalf("got %#v, %v", m, err)
	}
	m, err = DecodePets([]byte(`{"petType":"Dog","name":"Rex"}`))
	var ve *ValidationError
	if _, ok := m.(*Dog); !ok || !errors.As(err, &ve) || ve.Violations[0].Pointer != "/barks" {
		t.Fatalf("a dog without barks: got %#v, %v", m, err)
	}
	if _, err := DecodePets([]byte(`{"petType":"Parrot"}`)); !errors.Is(err, ErrUnknownMessage) {
		t.Fatalf("unknown discriminator: %v", err)
	}
	if _, err := DecodePets([]byte(`{"name":"Rex"}`)); !errors.Is(err, ErrNoDiscriminator) || errors.Is(err, ErrUnknownMessage) {
		t.Fatalf("missing discriminator: %v", err)
	}
	var se *SyntaxError
	if _, err := DecodePets([]byte(`{"petType":"Dog"`)); !errors.As(err, &se) {
		t.Fatalf("malformed: %v", err)
	}
}
