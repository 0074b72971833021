package validation

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/internal/kinschema"
	"github.com/asyncgen/asyncgen/internal/validation/keywords"
	polymorphism "github.com/asyncgen/asyncgen/testdata/golden/polymorphism/want"
)

// maxMutations bounds the mutations tried per fixture (kin-openapi's
// VisitJSON compiles the schema on every call, about half a millisecond);
// a fixture with more is sampled at an even stride.
const maxMutations = 250

// mutationBudget is maxMutations, or a fifth of it with -short: the
// stride still spans every kind of mutation.
func mutationBudget() int {
	if testing.Short() {
		return maxMutations / 5
	}
	return maxMutations
}

// TestDifferentialKinOpenAPI checks that the generated validators accept
// exactly what kin-openapi's VisitJSON (JSON Schema 2020-12 mode, formats
// asserted) accepts, on every fixture and on deterministic mutations of
// each: types swapped, properties removed or added, enum and const values
// changed, numbers pushed past bounds and made fractional, strings
// lengthened or emptied, arrays emptied or given a repeated item.
//
// The intended differences are listed, and told apart, in
// intendedDifference.
func TestDifferentialKinOpenAPI(t *testing.T) {
	schemas := map[string]*openapi3.Schema{}
	for _, spec := range []string{"chartmogul", "growpanel", "monday"} {
		for name, s := range payloadSchemas(t, spec) {
			schemas[spec+"/"+name] = s
		}
	}
	var fs []fixture
	fs = append(fs, fixtures(t, "valid")...)
	fs = append(fs, fixtures(t, "invalid")...)
	total, differences := 0, 0
	for _, f := range fs {
		message := fixtureMessage(t, f)
		if message == "" {
			continue // a channel error case: no message to validate against
		}
		schema, decode := schemas[message], messageDecoders[message]
		require.NotNil(t, schema, message)
		n, d := compareWithKin(t, f.path, f.data, schema, decode)
		total, differences = total+n, differences+d
	}
	require.Greater(t, total, 5000*mutationBudget()/maxMutations, "the test must try many payloads")
	t.Logf("%d payloads compared, %d intended differences", total, differences)
}

// compareWithKin runs a payload and its mutations through decode and
// through kin-openapi's VisitJSON on schema, and reports every payload
// they disagree on that is not an intended difference. It returns how many
// payloads it compared and how many differed as intended.
func compareWithKin(t *testing.T, label string, payload []byte, schema *openapi3.Schema, decode decodeFunc) (int, int) {
	t.Helper()
	var root any
	require.NoError(t, json.Unmarshal(payload, &root))
	total, differences := 0, 0
	for _, m := range sample(append([]mutation{{what: "as is", value: root}}, mutations(root)...), mutationBudget()) {
		data, err := json.Marshal(m.value)
		require.NoError(t, err)
		var value any
		require.NoError(t, json.Unmarshal(data, &value))
		_, ours := decode(data)
		theirs := schema.VisitJSON(value, openapi3.EnableJSONSchema2020())
		total++
		if (ours == nil) == (theirs == nil) {
			continue
		}
		if reason, ok := intendedDifference(ours, theirs); ok {
			differences++
			t.Logf("%s %s: intended difference (%s)", label, m.what, reason)
			continue
		}
		t.Errorf("%s, %s:\n  payload: %s\n  generated: %v\n  kin-openapi: %v", label, m.what, data, ours, firstLine(theirs))
	}
	return total, differences
}

// fixtureMessage is the spec/message a fixture is decoded as.
func fixtureMessage(t *testing.T, f fixture) string {
	if filepath.Base(filepath.Dir(f.path)) == "valid" {
		return messageOf(t, f)
	}
	want := expectations(t, f.spec)[f.name]
	if want.Message == "" {
		return ""
	}
	return f.spec + "/" + want.Message
}

// payloadSchemas loads a spec with the generator's loader and returns each
// message's payload schema, its $refs rewritten to the
// #/components/schemas/ form kin-openapi resolves.
func payloadSchemas(t *testing.T, spec string) map[string]*openapi3.Schema {
	t.Helper()
	return specPayloadSchemas(t, filepath.Join("..", "..", "specs", spec+".yaml"))
}

// specPayloadSchemas loads the spec at path; see payloadSchemas.
func specPayloadSchemas(t *testing.T, path string) map[string]*openapi3.Schema {
	t.Helper()
	doc, err := document.Load(path, document.Options{})
	require.NoError(t, err)
	out := map[string]*openapi3.Schema{}
	seen := map[*openapi3.Schema]bool{}
	for _, m := range doc.Messages {
		name := m.Name
		if name == "" {
			name = m.Key
		}
		payload := kinschema.Convert(m.Payload)
		localRefs(t, payload, seen)
		out[name] = payload.Value
	}
	return out
}

// localRefs rewrites the $refs under r ("specs/x.yaml#/components/...")
// to document-local ones ("#/components/..."): the shipped specs are one
// file each, and refer only to components.schemas.
func localRefs(t *testing.T, r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if r == nil || r.Value == nil {
		return
	}
	if r.Ref != "" {
		_, pointer, ok := strings.Cut(r.Ref, "#")
		require.True(t, ok && strings.HasPrefix(pointer, "/components/schemas/"), "unexpected $ref %s", r.Ref)
		r.Ref = "#" + pointer
	}
	if seen[r.Value] {
		return
	}
	seen[r.Value] = true
	v := r.Value
	// kin-openapi's 2020-12 mode reads only the numeric exclusive bounds;
	// the OpenAPI boolean form says the same thing this way.
	if v.ExclusiveMin.IsTrue() && v.Min != nil {
		v.ExclusiveMin, v.Min = openapi3.ExclusiveBound{Value: v.Min}, nil
	}
	if v.ExclusiveMax.IsTrue() && v.Max != nil {
		v.ExclusiveMax, v.Max = openapi3.ExclusiveBound{Value: v.Max}, nil
	}
	for _, p := range v.Properties {
		localRefs(t, p, seen)
	}
	for _, p := range v.PatternProperties {
		localRefs(t, p, seen)
	}
	for _, p := range v.DependentSchemas {
		localRefs(t, p, seen)
	}
	for _, r := range []*openapi3.SchemaRef{v.Items, v.AdditionalProperties.Schema, v.Not, v.Contains, v.PropertyNames, v.If, v.Then, v.Else} {
		localRefs(t, r, seen)
	}
	for _, list := range []openapi3.SchemaRefs{v.AllOf, v.AnyOf, v.OneOf, v.PrefixItems} {
		for _, p := range list {
			localRefs(t, p, seen)
		}
	}
}

// uncheckedFormats are the formats the generated validators check and
// kin-openapi does not (it checks date, date-time, and ipv4 and ipv6 once
// defined, which the tests do).
var uncheckedFormats = []string{"time", "email", "uri", "uuid", "hostname"}

// intendedDifference reports whether the generated validator may differ
// from kin-openapi here, and why. Every violation (or kin-openapi error)
// must be one of the listed kinds:
//   - the generated validator refuses an integer beyond int64 (the Go
//     field cannot hold it), which kin-openapi accepts;
//   - it refuses a date-time time.Time cannot parse, such as 2025-02-30,
//     which kin-openapi's pattern accepts;
//   - it checks formats kin-openapi does not (uncheckedFormats);
//   - it accepts a number within float64 rounding of a multiple of
//     multipleOf (0.19999999999999996 of 0.1, as 0.3-0.1 computes), which
//     kin-openapi's 2020-12 mode, comparing exact decimals, refuses.
func intendedDifference(ours, theirs error) (string, bool) {
	if ours == nil {
		if keywords := kinKeywords(theirs); len(keywords) > 0 && !slices.ContainsFunc(keywords, func(k string) bool { return k != "multipleOf" }) {
			return "multipleOf within float64 rounding", true
		}
		return "", false
	}
	if theirs != nil {
		return "", false
	}
	var reasons []string
	for _, v := range violationList(ours) {
		switch {
		case v.keyword == "type" && strings.Contains(v.message, "does not fit in a 64-bit integer"):
			reasons = append(reasons, "integer beyond int64")
		case v.keyword == "format" && strings.Contains(v.message, "date-time"):
			reasons = append(reasons, "date-time parsed by time.Time")
		case v.keyword == "format" && slices.ContainsFunc(uncheckedFormats, func(f string) bool { return strings.HasSuffix(v.message, "is not a valid "+f) }):
			reasons = append(reasons, "format kin-openapi does not check")
		default:
			return "", false
		}
	}
	slices.Sort(reasons)
	return strings.Join(slices.Compact(reasons), ", "), len(reasons) > 0
}

// kinKeywords lists the keywords of the innermost errors of a
// kin-openapi 2020-12 error (the jsonschema/v6 error it wraps).
func kinKeywords(err error) []string {
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			path := e.ErrorKind.KeywordPath()
			if len(path) > 0 {
				out = append(out, path[len(path)-1])
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	return out
}

type violationInfo struct{ pointer, keyword, message string }

// violationList flattens the *ValidationError of any generated package.
func violationList(err error) []violationInfo {
	var out []violationInfo
	var cm *chartmogul.ValidationError
	var gp *growpanel.ValidationError
	var md *monday.ValidationError
	var kw *keywords.ValidationError
	var pm *polymorphism.ValidationError
	switch {
	case errors.As(err, &cm):
		for _, v := range cm.Violations {
			out = append(out, violationInfo{v.Pointer, v.Keyword, v.Message})
		}
	case errors.As(err, &gp):
		for _, v := range gp.Violations {
			out = append(out, violationInfo{v.Pointer, v.Keyword, v.Message})
		}
	case errors.As(err, &md):
		for _, v := range md.Violations {
			out = append(out, violationInfo{v.Pointer, v.Keyword, v.Message})
		}
	case errors.As(err, &kw):
		for _, v := range kw.Violations {
			out = append(out, violationInfo{v.Pointer, v.Keyword, v.Message})
		}
	case errors.As(err, &pm):
		for _, v := range pm.Violations {
			out = append(out, violationInfo{v.Pointer, v.Keyword, v.Message})
		}
	}
	return out
}

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// mutation is a changed copy of a payload.
type mutation struct {
	what  string
	value any
}

// mutations lists the changed copies of root, in a fixed order: for every
// value (object keys sorted), the changes its kind allows.
func mutations(root any) []mutation {
	var out []mutation
	walkJSON(root, "", func(ptr string, v any, parentIsObject bool) {
		add := func(what string, replacement any) {
			out = append(out, mutation{what: ptr + ": " + what, value: replaceAt(root, ptr, replacement)})
		}
		if parentIsObject {
			out = append(out, mutation{what: ptr + ": removed", value: removeAt(root, ptr)})
		}
		add("null", nil)
		switch x := v.(type) {
		case string:
			add("a number", 7.0)
			add("an object", map[string]any{})
			add("changed", x+"_changed")
			add("upper case", strings.ToUpper(x))
			add("lower case", strings.ToLower(x))
			add("empty", "")
			add("lengthened", x+strings.Repeat("x", 300))
		case float64:
			add("a string", fmt.Sprint(x))
			add("a boolean", true)
			add("fractional", x+0.5)
			add("negated", -x-1)
			add("larger", x*1000+1)
			add("beyond int64", 1e20)
			add("zero", 0.0)
		case bool:
			add("a string", fmt.Sprint(x))
			add("a number", 0.0)
			add("flipped", !x)
		case map[string]any:
			add("an array", []any{})
			add("a string", "x")
			extra := cloneJSON(x).(map[string]any)
			extra["zz_extra"] = "x"
			add("an extra property", extra)
		case []any:
			add("an object", map[string]any{})
			add("empty", []any{})
			if len(x) > 0 {
				add("first item repeated", append(cloneJSON(x).([]any), cloneJSON(x[0])))
			}
		}
	})
	return out
}

// walkJSON visits every value under v with its JSON pointer.
func walkJSON(v any, ptr string, visit func(ptr string, v any, parentIsObject bool)) {
	walk(v, ptr, false, visit)
}

func walk(v any, ptr string, parentIsObject bool, visit func(string, any, bool)) {
	if ptr != "" {
		visit(ptr, v, parentIsObject)
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			walk(x[k], ptr+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"), true, visit)
		}
	case []any:
		for i, item := range x {
			walk(item, fmt.Sprintf("%s/%d", ptr, i), false, visit)
		}
	}
}

// replaceAt returns a copy of root with the value at ptr replaced.
func replaceAt(root any, ptr string, value any) any {
	return editAt(cloneJSON(root), ptr, func(parent any, key string) {
		switch p := parent.(type) {
		case map[string]any:
			p[key] = value
		case []any:
			var i int
			fmt.Sscan(key, &i)
			p[i] = value
		}
	})
}

// removeAt returns a copy of root without the property at ptr.
func removeAt(root any, ptr string) any {
	return editAt(cloneJSON(root), ptr, func(parent any, key string) {
		delete(parent.(map[string]any), key)
	})
}

func editAt(root any, ptr string, edit func(parent any, key string)) any {
	tokens := strings.Split(ptr[1:], "/")
	for i := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(tokens[i], "~1", "/"), "~0", "~")
	}
	cur := root
	for _, tok := range tokens[:len(tokens)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			var i int
			fmt.Sscan(tok, &i)
			cur = c[i]
		}
	}
	edit(cur, tokens[len(tokens)-1])
	return root
}

func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}

// sample keeps at most n mutations, at an even stride.
func sample(ms []mutation, n int) []mutation {
	if len(ms) <= n {
		return ms
	}
	out := make([]mutation, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, ms[i*len(ms)/n])
	}
	return out
}
