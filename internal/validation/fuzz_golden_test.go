package validation

import (
	"errors"
	"reflect"
	"testing"

	allofrecursion "github.com/asyncgen/asyncgen/testdata/golden/allof-recursion/want"
	cycles "github.com/asyncgen/asyncgen/testdata/golden/cycles/want"
	polymorphism "github.com/asyncgen/asyncgen/testdata/golden/polymorphism/want"
	tuples "github.com/asyncgen/asyncgen/testdata/golden/tuples/want"
	recursion "github.com/asyncgen/asyncgen/testdata/golden/union-recursion/want"
	unions "github.com/asyncgen/asyncgen/testdata/golden/unions/want"
)

// FuzzDecodeUnions feeds any bytes to the decoders of the golden cases
// with unions (discriminated, matched, recursive, self-recursive), tuples
// and recursive types, with the same checks as the shipped specs' targets.
// Run it by hand with
//
//	go test -run '^$' -fuzz FuzzDecodeUnions -fuzztime 60s ./internal/validation
func FuzzDecodeUnions(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"circle","radius":1}`,
		`{"tree":{"children":["a",{"children":[]}]},"event":{"sequence":1,"type":"update","changes":["x"]}}`,
		`{"holder":{"maybe":null,"shape":{"kind":"square","side":2},"value":[1]},"pet":{"petType":"dog"},"rank":1}`,
		`[1.5, 2]`, `[1, 2, 3]`, `["a", ["b", {"name":"c"}]]`, `{"name":"x"}`,
		`{"right":"x","next":{"left":1,"next":{"right":"y"}}}`,
		`{"self":{"id":"a","self":{"id":"b"}},"children":[{"id":"c"}]}`,
		`{"type":"Dog","name":"Odie","lives":3}`, `{"kind":"bike","wheels":2}`,
		`{"box":{"inner":{"shape":"envelope"},"shape":"crate"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range goldenDecoders {
			checkDecode(t, data, c.decode, c.syntax, c.violations)
		}
	})
}

// goldenDecoders are the Decode functions FuzzDecodeUnions checks.
var goldenDecoders = []struct {
	decode     decodeFunc
	syntax     func(error) bool
	violations violationsOf
}{
	{wrap(unions.DecodeShapeEvent), syntaxOf[*unions.SyntaxError], violationsIn[*unions.ValidationError]},
	{wrap(unions.DecodeEverything), syntaxOf[*unions.SyntaxError], violationsIn[*unions.ValidationError]},
	{wrap(tuples.DecodePoint), syntaxOf[*tuples.SyntaxError], violationsIn[*tuples.ValidationError]},
	{wrap(recursion.DecodeSelfish), syntaxOf[*recursion.SyntaxError], violationsIn[*recursion.ValidationError]},
	{wrap(recursion.DecodeWidened), syntaxOf[*recursion.SyntaxError], violationsIn[*recursion.ValidationError]},
	{wrap(recursion.DecodeNested), syntaxOf[*recursion.SyntaxError], violationsIn[*recursion.ValidationError]},
	{wrap(cycles.DecodeReceiveA), syntaxOf[*cycles.SyntaxError], violationsIn[*cycles.ValidationError]},
	{wrap(allofrecursion.DecodeSendTree), syntaxOf[*allofrecursion.SyntaxError], violationsIn[*allofrecursion.ValidationError]},
	{wrap(polymorphism.DecodePet), syntaxOf[*polymorphism.SyntaxError], violationsIn[*polymorphism.ValidationError]},
	{wrap(polymorphism.DecodeVehicle), syntaxOf[*polymorphism.SyntaxError], violationsIn[*polymorphism.ValidationError]},
	{wrap(polymorphism.DecodeParcel), syntaxOf[*polymorphism.SyntaxError], violationsIn[*polymorphism.ValidationError]},
}

func syntaxOf[E error](err error) bool {
	var se E
	return errors.As(err, &se)
}

// violationsIn lists the violations of a golden package's
// *ValidationError, whose fields are those of every generated package.
func violationsIn[E error](err error) ([]violationInfo, bool) {
	var ve E
	if !errors.As(err, &ve) {
		return nil, false
	}
	list := reflect.ValueOf(ve).Elem().FieldByName("Violations")
	out := make([]violationInfo, 0, list.Len())
	for i := range list.Len() {
		v := list.Index(i)
		out = append(out, violationInfo{v.FieldByName("Pointer").String(), v.FieldByName("Keyword").String(), v.FieldByName("Message").String()})
	}
	return out, true
}
