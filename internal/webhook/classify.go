package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/asyncgen/asyncgen/templates/support"
)

// Verdict is what a payload is against the spec.
type Verdict int

// The verdicts.
const (
	// Valid: the payload is a message of the spec and valid.
	Valid Verdict = iota
	// Drift: valid but for enum values the spec does not list; a
	// generated receiver delivers it unless WithStrictEnums.
	Drift
	// Invalid: not valid against any message of the spec.
	Invalid
	// Unknown: its discriminator names a message the spec does not list.
	Unknown
)

// String names the verdict as listen prints it.
func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Drift:
		return "enum drift"
	case Invalid:
		return "invalid"
	case Unknown:
		return "unknown event"
	}
	return "Verdict(" + strconv.Itoa(int(v)) + ")"
}

// Result is a classified payload.
type Result struct {
	Verdict Verdict
	// Message is the message the payload is (or is closest to); for an
	// unknown event, the discriminator's value.
	Message string
	// KeyHeader is the message's idempotency header, if any.
	KeyHeader string
	// Keys are a few identifying fields of the payload, "name=value".
	Keys []string
	// Err holds the violations: a *support.ValidationError for Invalid
	// and Drift, nil for Valid.
	Err error
}

// maxKeys bounds the identifying fields a Result lists.
const maxKeys = 3

// Classify finds the message a payload is and validates it: by the
// discriminator of a dispatching channel when the payload has one, else
// against every message, the first valid one winning.
func (s *Spec) Classify(body []byte) Result {
	value, err := decodeJSON(body)
	if err != nil {
		return Result{Verdict: Invalid, Err: &support.ValidationError{Violations: []support.Violation{{Keyword: "type", Message: "not JSON: " + err.Error()}}}}
	}
	keys := keyFields(value)
	if r, ok := s.dispatch(value); ok {
		r.Keys = keys
		return r
	}
	var best Result
	for i, m := range s.Messages {
		r := validate(m, value)
		if r.Verdict == Valid {
			r.Keys = keys
			return r
		}
		if i == 0 || better(r, best) {
			best = r
		}
	}
	if len(s.Messages) == 0 {
		best = Result{Verdict: Unknown, Err: errors.New("the spec has no messages")}
	}
	best.Keys = keys
	return best
}

// better reports whether a is closer to valid than b.
func better(a, b Result) bool {
	if a.Verdict != b.Verdict {
		return a.Verdict < b.Verdict
	}
	return violationCount(a.Err) < violationCount(b.Err)
}

func violationCount(err error) int {
	var ve *support.ValidationError
	if errors.As(err, &ve) {
		return len(ve.Violations)
	}
	return 0
}

// dispatch classifies a payload carrying a channel's discriminator.
func (s *Spec) dispatch(value any) (Result, bool) {
	obj, ok := value.(map[string]any)
	if !ok {
		return Result{}, false
	}
	for _, d := range s.Dispatches {
		raw, ok := obj[d.Property]
		if !ok {
			continue
		}
		name := scalarText(raw)
		if m, ok := d.Cases[name]; ok {
			return validate(m, value), true
		}
		return Result{Verdict: Unknown, Message: name, Err: fmt.Errorf("%s %q names no message of the spec", d.Property, name)}, true
	}
	return Result{}, false
}

// validate checks value against m's schema.
func validate(m *Message, value any) Result {
	r := Result{Message: m.Name, KeyHeader: m.KeyHeader}
	if m.Schema == nil {
		return r
	}
	validator := m.validator
	if validator == nil {
		// A message made outside Load.
		validator = support.NewDynamicValidator()
	}
	err := validator.Validate(m.Schema, value)
	if err == nil {
		return r
	}
	r.Err = err
	r.Verdict = Invalid
	var ve *support.ValidationError
	if errors.As(err, &ve) && ve.OnlyUnknownEnumValues() {
		r.Verdict = Drift
	}
	return r
}

// decodeJSON reads one JSON value, refusing trailing data.
func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// scalarText writes a discriminator value as the generated decoder
// compares it.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// keyFields picks identifying scalar fields of an object payload, at the
// top or one level down: id and *_id/*Id, event, type, email.
func keyFields(value any) []string {
	obj, ok := value.(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	collect := func(prefix string, m map[string]any) {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if len(out) >= maxKeys || !identifying(k) {
				continue
			}
			switch v := m[k].(type) {
			case string, float64, bool:
				out = append(out, prefix+k+"="+truncate(scalarText(v)))
			}
		}
	}
	collect("", obj)
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if inner, ok := obj[k].(map[string]any); ok {
			collect(k+".", inner)
		}
	}
	return out
}

func identifying(name string) bool {
	lower := strings.ToLower(name)
	return lower == "id" || lower == "event" || lower == "type" || lower == "email" ||
		strings.HasSuffix(lower, "_id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID")
}

// truncate shortens a value for one line of output, at a rune boundary.
func truncate(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
