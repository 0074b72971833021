package support

import (
	"errors"
	"sync"
	"testing"
)

// dynamicViolations validates value against s with a new validator and
// lists "pointer keyword" of each violation.
func dynamicViolations(t *testing.T, s *DynamicSchema, value any) []string {
	t.Helper()
	err := NewDynamicValidator().Validate(s, value)
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

func TestDynamicValidatorKeywords(t *testing.T) {
	one, two := 1.0, 2.0
	ten := uint64(10)
	positive := &DynamicSchema{Types: []string{"integer"}, Minimum: &one}
	object := &DynamicSchema{
		Types:    []string{"object"},
		Required: []string{"id"},
		Properties: []DynamicProperty{
			{Name: "id", Schema: &DynamicSchema{Types: []string{"string"}, MaxLength: &ten, Pattern: "^[a-z]+$"}},
			{Name: "n", Schema: positive},
			{Name: "kind", Schema: &DynamicSchema{Enum: []any{"a", "b"}}},
			{Name: "free"},
		},
		NoAdditionalProperties: true,
	}
	cases := []struct {
		name   string
		schema *DynamicSchema
		value  any
		want   []string
	}{
		{"valid object", object, map[string]any{"id": "abc", "n": 3.0, "kind": "a", "free": []any{}}, nil},
		{"missing, wrong type, below minimum", object, map[string]any{"n": 0.5}, []string{"/id required", "/n type"}},
		{"pattern and enum", object, map[string]any{"id": "ABC", "kind": "c"}, []string{"/id pattern", "/kind enum"}},
		{"additional property", object, map[string]any{"id": "a", "x": true}, []string{"/x additionalProperties"}},
		{"minimum", positive, 0.0, []string{" minimum"}},
		{"number as json.Number-free int", positive, int64(2), nil},
		{"exclusive maximum", &DynamicSchema{ExclusiveMaximum: &two}, 2.0, []string{" exclusiveMaximum"}},
		{"const empty array", &DynamicSchema{HasConst: true, Const: []any{}}, []any{}, nil},
		{"const empty array refuses null", &DynamicSchema{HasConst: true, Const: []any{}}, nil, []string{" const"}},
		{"never", &DynamicSchema{Never: true}, "x", []string{" false"}},
		{"not of the empty schema", &DynamicSchema{Not: &DynamicSchema{}}, 1.0, []string{" not"}},
		{"pattern that does not compile is not checked", &DynamicSchema{Pattern: "(?<=x)"}, "y", nil},
		{"format checked", &DynamicSchema{Format: "uuid"}, "nope", []string{" format"}},
		{"unknown format ignored", &DynamicSchema{Format: "color"}, "nope", nil},
		{"if then", &DynamicSchema{If: &DynamicSchema{Types: []string{"string"}}, Then: &DynamicSchema{MaxLength: new(uint64)}}, "x", []string{" maxLength"}},
		{"if else", &DynamicSchema{If: &DynamicSchema{Types: []string{"string"}}, Else: &DynamicSchema{Types: []string{"boolean"}}}, 1.0, []string{" type"}},
		{"oneOf both match", &DynamicSchema{OneOf: []*DynamicSchema{{}, {Types: []string{"number"}}}}, 1.0, []string{" oneOf"}},
		{"count past int", &DynamicSchema{MinItems: ptrTo(uint64(1) << 63)}, []any{1.0}, []string{" minItems"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := dynamicViolations(t, c.schema, c.value)
			if len(got) != len(c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %q, want %q", got, c.want)
				}
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestDynamicValidatorRecursiveSchema: a schema that refers to itself is a
// cycle of pointers, checked as deep as the value goes.
func TestDynamicValidatorRecursiveSchema(t *testing.T) {
	node := &DynamicSchema{Types: []string{"object"}, Required: []string{"name"}}
	node.Properties = []DynamicProperty{
		{Name: "name", Schema: &DynamicSchema{Types: []string{"string"}}},
		{Name: "children", Schema: &DynamicSchema{Types: []string{"array"}, Items: node}},
	}
	tree := map[string]any{"name": "root", "children": []any{
		map[string]any{"name": "a", "children": []any{map[string]any{"children": []any{}}}},
	}}
	got := dynamicViolations(t, node, tree)
	if len(got) != 1 || got[0] != "/children/0/children/0/name required" {
		t.Fatalf("got %q", got)
	}
}

// TestDynamicValidatorConcurrentUse validates against schemas added while
// other goroutines validate; run with -race.
func TestDynamicValidatorConcurrentUse(t *testing.T) {
	v := NewDynamicValidator()
	schemas := make([]*DynamicSchema, 8)
	for i := range schemas {
		schemas[i] = &DynamicSchema{Types: []string{"object"}, Required: []string{"id"}, Properties: []DynamicProperty{{Name: "id", Schema: &DynamicSchema{Types: []string{"string"}}}}}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(schemas)*2)
	for _, s := range schemas {
		for _, value := range []any{map[string]any{"id": "x"}, map[string]any{}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := v.Validate(s, value)
				if m := value.(map[string]any); (len(m) == 0) != (err != nil) {
					errs <- errors.New("wrong verdict")
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestDynamicValidatorDiscriminator: cases given in any order are found;
// the first case of a value counts, and one naming no schema is left out.
func TestDynamicValidatorDiscriminator(t *testing.T) {
	car := &DynamicSchema{Required: []string{"wheels"}}
	bike := &DynamicSchema{}
	s := &DynamicSchema{OneOf: []*DynamicSchema{car, bike}, Discriminator: &DynamicDiscriminator{Property: "kind", Cases: []DynamicCase{
		{Value: "car", Variant: 0}, {Value: "bike", Variant: 1}, {Value: "car", Variant: 1}, {Value: "boat", Variant: 2},
	}}}
	cases := []struct {
		value any
		want  []string
	}{
		{map[string]any{"kind": "bike"}, nil},
		{map[string]any{"kind": "car"}, []string{"/wheels required"}},
		{map[string]any{"kind": "boat"}, []string{"/kind discriminator"}},
		{map[string]any{}, []string{" discriminator"}},
	}
	for _, c := range cases {
		got := dynamicViolations(t, s, c.value)
		if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
			t.Errorf("%v: got %q, want %q", c.value, got, c.want)
		}
	}
}
