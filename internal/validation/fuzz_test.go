package validation

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
)

// The fuzz targets feed any bytes to the generated decoders of a spec. Beyond
// not panicking or hanging, every result must be consistent:
//   - malformed JSON (as encoding/json.Valid says) is a *SyntaxError, and a
//     *SyntaxError only comes from malformed JSON;
//   - a *ValidationError lists at least one violation, each with a JSON
//     pointer, a keyword and a message, and comes with the decoded value;
//   - a value decoded without error is valid (Validate), and encodes to
//     JSON that decodes, again without error, to an equal value.
//
// Their seeds are the spec's fixtures (added here) and the corpus under
// testdata/fuzz/<target>. Run one by hand with
//
//	go test -run '^$' -fuzz FuzzDecodeChartMogul -fuzztime 60s ./internal/validation

func FuzzDecodeChartMogul(f *testing.F) {
	addFixtures(f, "chartmogul")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data, wrap(chartmogul.DecodeMRRMovement), chartmogulSyntax, chartmogulViolations)
	})
}

func FuzzDecodeGrowPanel(f *testing.F) {
	addFixtures(f, "growpanel")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"mrr_movement", "scheduled_cancellation", "failed_payment"} {
			checkDecode(t, data, messageDecoders["growpanel/"+name], growpanelSyntax, growpanelViolations)
		}
		checkChannel(t, data, channelDecoders["growpanel"].decode, growpanelSyntax, growpanelViolations,
			growpanel.ErrUnknownMessage, growpanel.ErrNoDiscriminator)
	})
}

func FuzzDecodeMonday(f *testing.F) {
	addFixtures(f, "monday")
	f.Fuzz(func(t *testing.T, data []byte) {
		for key, decode := range messageDecoders {
			if strings.HasPrefix(key, "monday/") {
				checkDecode(t, data, decode, mondaySyntax, mondayViolations)
			}
		}
		checkChannel(t, data, channelDecoders["monday"].decode, mondaySyntax, mondayViolations,
			monday.ErrUnknownMessage, monday.ErrNoDiscriminator)
	})
}

// maxSeed leaves the large fixture out of the seeds: the fuzzer spends
// its time minimizing big inputs instead of exploring small ones.
const maxSeed = 8 << 10

func addFixtures(f *testing.F, spec string) {
	for _, kind := range []string{"valid", "invalid", "seed-invalid"} {
		if spec != "monday" && kind == "seed-invalid" {
			continue
		}
		for _, fx := range fixtures(f, kind) {
			if fx.spec == spec && len(fx.data) <= maxSeed {
				f.Add(fx.data)
			}
		}
	}
}

func chartmogulSyntax(err error) bool {
	var se *chartmogul.SyntaxError
	return errors.As(err, &se)
}

func growpanelSyntax(err error) bool {
	var se *growpanel.SyntaxError
	return errors.As(err, &se)
}

func mondaySyntax(err error) bool {
	var se *monday.SyntaxError
	return errors.As(err, &se)
}

// violationsOf returns the violations of a package's *ValidationError, and
// whether err is one.
type violationsOf func(error) ([]violationInfo, bool)

func chartmogulViolations(err error) ([]violationInfo, bool) {
	var ve *chartmogul.ValidationError
	return violationList(err), errors.As(err, &ve)
}

func growpanelViolations(err error) ([]violationInfo, bool) {
	var ve *growpanel.ValidationError
	return violationList(err), errors.As(err, &ve)
}

func mondayViolations(err error) ([]violationInfo, bool) {
	var ve *monday.ValidationError
	return violationList(err), errors.As(err, &ve)
}

// checkDecode checks one message decoder's result on data.
func checkDecode(t *testing.T, data []byte, decode decodeFunc, syntax func(error) bool, violations violationsOf) {
	v, err := decode(data)
	valid := json.Valid(data)
	if tooDeep(t, data, v, err, violations) {
		return
	}
	if syntax(err) != !valid {
		t.Fatalf("json.Valid is %v, decode error %v", valid, err)
	}
	switch {
	case err == nil:
		checkRoundTrip(t, v, decode)
	case !valid:
		if v != nil {
			t.Fatalf("a syntax error comes with no value, got %#v", v)
		}
	default:
		checkViolations(t, v, err, violations)
	}
}

// checkChannel checks a channel decoder's result on data.
func checkChannel(t *testing.T, data []byte, decode decodeFunc, syntax func(error) bool, violations violationsOf, unknown, none error) {
	v, err := decode(data)
	valid := json.Valid(data)
	if tooDeep(t, data, v, err, violations) {
		return
	}
	if syntax(err) != !valid {
		t.Fatalf("json.Valid is %v, decode error %v", valid, err)
	}
	switch {
	case err == nil:
		checkRoundTrip(t, v, decode)
	case !valid, errors.Is(err, unknown), errors.Is(err, none):
		if v != nil {
			t.Fatalf("no value comes with %v, got %#v", err, v)
		}
	default:
		checkViolations(t, v, err, violations)
	}
}

// tooDeep reports whether err is the one violation of a payload that
// nests past the decoder's depth budget (10,000, as encoding/json's, so
// json.Valid refuses it too); such an error comes with no value.
func tooDeep(t *testing.T, data []byte, v any, err error, violations violationsOf) bool {
	list, ok := violations(err)
	if !ok || !slices.ContainsFunc(list, func(x violationInfo) bool { return x.keyword == "depth" }) {
		return false
	}
	if len(list) != 1 || v != nil && !reflect.ValueOf(v).IsNil() || json.Valid(data) {
		t.Fatalf("a depth violation comes alone, without a value, for JSON nested too deep: got %v, %#v", err, v)
	}
	return true
}

func checkViolations(t *testing.T, v any, err error, violations violationsOf) {
	list, ok := violations(err)
	if !ok || len(list) == 0 {
		t.Fatalf("want a *ValidationError with violations, got %T: %v", err, err)
	}
	if v == nil {
		t.Fatalf("a *ValidationError comes with the decoded value: %v", err)
	}
	for _, x := range list {
		if (x.pointer != "" && !strings.HasPrefix(x.pointer, "/")) || x.keyword == "" || x.message == "" {
			t.Fatalf("malformed violation %+v", x)
		}
	}
}

// checkRoundTrip re-encodes a valid value and decodes it again.
func checkRoundTrip(t *testing.T, v any, decode decodeFunc) {
	// A union or a tuple has no Validate: its decoder is its check.
	if value, ok := v.(interface{ Validate() error }); ok {
		if err := value.Validate(); err != nil {
			t.Fatalf("decoded without error but Validate says %v", err)
		}
	}
	again, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	w, err := decode(again)
	if err != nil {
		t.Fatalf("re-encoded %s does not decode: %v", again, err)
	}
	if !reflect.DeepEqual(mustJSON(t, v), mustJSON(t, w)) {
		t.Fatalf("round trip changed the value:\n%s\n%s", again, mustJSON(t, w))
	}
}

func mustJSON(t *testing.T, v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
