package polymorphism

import (
	"errors"
	"strings"
	"testing"
)

// violationsOf lists err's violations as "pointer keyword: message".
func violationsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a *ValidationError, got %v", err)
	}
	var out []string
	for _, v := range ve.Violations {
		out = append(out, v.Pointer+" "+v.Keyword+": "+v.Message)
	}
	return out
}

func wantViolations(t *testing.T, err error, want ...string) {
	t.Helper()
	got := violationsOf(t, err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBaseDiscriminatorPicksTheVariant(t *testing.T) {
	for _, body := range []string{
		`{"type":"Dog","name":"Rex","barks":true}`,
		`{"type":"Cat","name":"Tom","lives":9}`,
		// Cat's schema accepts this Dog too: the discriminator decides.
		`{"type":"Dog","name":"Odie","lives":3}`,
	} {
		pet, err := DecodePet([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if err := pet.Validate(); err != nil {
			t.Fatalf("%s: Validate: %v", body, err)
		}
	}
	_, err := DecodePet([]byte(`{"type":"Bird","name":"Tweety"}`))
	wantViolations(t, err, `/type discriminator: "Bird" names none of the schemas of oneOf (it may be Cat, Dog)`)
	_, err = DecodePet([]byte(`{"type":"Cat","name":"Rex","barks":true}`))
	wantViolations(t, err, `/lives required: is required`)
	_, err = DecodePet([]byte(`{"type":"Cat","lives":10}`))
	wantViolations(t, err, `/lives maximum: 10 is greater than 9`)
	_, err = DecodePet([]byte(`{"type":7,"lives":1}`))
	wantViolations(t, err, `/type type: a number is not a string`)
}

func TestUnionDiscriminatorPicksTheVariant(t *testing.T) {
	v, err := DecodeVehicle([]byte(`{"kind":"car","wheels":4}`))
	if err != nil || v.Car == nil || v.Bike != nil {
		t.Fatalf("car: %+v, %v", v, err)
	}
	v, err = DecodeVehicle([]byte(`{"kind":"bike"}`))
	if err != nil || v.Bike == nil || v.Car != nil {
		t.Fatalf("bike: %+v, %v", v, err)
	}
	_, err = DecodeVehicle([]byte(`{"kind":"bike","wheels":4}`))
	wantViolations(t, err, `/wheels maximum: 4 is greater than 2`)
	_, err = DecodeVehicle([]byte(`{"kind":"boat"}`))
	wantViolations(t, err, ` discriminator: its "kind" property, "boat", names none of the schemas of oneOf (it may be bike, car)`)
	_, err = DecodeVehicle([]byte(`{"wheels":2}`))
	wantViolations(t, err, ` discriminator: has no "kind" property, which names the schema of oneOf it is`)
	_, err = DecodeVehicle([]byte(`{"wheels":2,"kind":true}`))
	wantViolations(t, err, ` discriminator: its "kind" property is a boolean, not a string naming a schema of oneOf`)
	_, err = DecodeVehicle([]byte(`"car"`))
	wantViolations(t, err, ` oneOf: matches none of the 2 schemas of oneOf`)
}

func TestNestedDiscriminatedUnions(t *testing.T) {
	p, err := DecodeParcel([]byte(`{"box":{"inner":{"inner":{"shape":"crate"},"shape":"envelope"},"shape":"crate"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Box.Crate == nil || p.Box.Crate.Inner.Envelope == nil || p.Box.Crate.Inner.Envelope.Inner.Crate == nil {
		t.Fatalf("got %+v", p.Box)
	}
	_, err = DecodeParcel([]byte(`{"box":{"inner":{"inner":{"shape":"tube"},"shape":"envelope"},"shape":"crate"}}`))
	wantViolations(t, err, `/box/inner/inner discriminator: its "shape" property, "tube", names none of the schemas of anyOf (it may be crate, envelope)`)
}

func TestNullableDiscriminatedUnion(t *testing.T) {
	p, err := DecodeParcel([]byte(`{"ride":{"kind":"Bike"}}`))
	if err != nil || p.Ride == nil || p.Ride.Bike == nil {
		t.Fatalf("both schemas accept it, the tag names Bike: %+v, %v", p, err)
	}
	if _, err := DecodeParcel([]byte(`{"ride":null}`)); err != nil {
		t.Fatal(err)
	}
	_, err = DecodeParcel([]byte(`{"ride":{"kind":"Car","wheels":2}}`))
	wantViolations(t, err, `/ride/wheels minimum: 2 is less than 3`)
}
