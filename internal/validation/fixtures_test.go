// Package validation exercises the generated validators and decoders of
// the shipped specs on the payload fixtures: every valid payload decodes
// to what encoding/json makes of it, and every invalid one fails with the
// pointers and keywords testdata/payloads/<spec>/expected-invalid.json
// lists.
package validation

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
)

// decodeFunc decodes one payload; the value is nil when there is none.
type decodeFunc func([]byte) (any, error)

// wrap turns a generated Decode function into a decodeFunc, keeping a nil
// pointer a nil any.
func wrap[T any](decode func([]byte) (*T, error)) decodeFunc {
	return func(data []byte) (any, error) {
		v, err := decode(data)
		if v == nil {
			return nil, err
		}
		return v, err
	}
}

func wrapChannel[T comparable](decode func([]byte) (T, error)) decodeFunc {
	return func(data []byte) (any, error) {
		v, err := decode(data)
		var zero T
		if v == zero {
			return nil, err
		}
		return v, err
	}
}

// messageDecoders maps spec/message name to the message's decoder.
var messageDecoders = map[string]decodeFunc{
	"chartmogul/mrr_movement":                              wrap(chartmogul.DecodeMRRMovement),
	"growpanel/mrr_movement":                               wrap(growpanel.DecodeMRRMovement),
	"growpanel/scheduled_cancellation":                     wrap(growpanel.DecodeScheduledCancellation),
	"growpanel/failed_payment":                             wrap(growpanel.DecodeFailedPayment),
	"monday/install":                                       wrap(monday.DecodeInstall),
	"monday/uninstall":                                     wrap(monday.DecodeUninstall),
	"monday/app_subscription_created":                      wrap(monday.DecodeAppSubscriptionCreated),
	"monday/app_subscription_changed":                      wrap(monday.DecodeAppSubscriptionChanged),
	"monday/app_subscription_renewed":                      wrap(monday.DecodeAppSubscriptionRenewed),
	"monday/app_subscription_cancelled_by_user":            wrap(monday.DecodeAppSubscriptionCancelledByUser),
	"monday/app_subscription_cancelled":                    wrap(monday.DecodeAppSubscriptionCancelled),
	"monday/app_subscription_cancellation_revoked_by_user": wrap(monday.DecodeAppSubscriptionCancellationRevokedByUser),
	"monday/app_subscription_renewal_attempt_failed":       wrap(monday.DecodeAppSubscriptionRenewalAttemptFailed),
	"monday/app_subscription_renewal_failed":               wrap(monday.DecodeAppSubscriptionRenewalFailed),
	"monday/app_trial_subscription_started":                wrap(monday.DecodeAppTrialSubscriptionStarted),
	"monday/app_trial_subscription_ended":                  wrap(monday.DecodeAppTrialSubscriptionEnded),
}

// channelDecoders are the decoders of the channels that carry several
// messages, with the property that names the message.
var channelDecoders = map[string]struct {
	decode   decodeFunc
	property string
}{
	"growpanel": {wrapChannel(growpanel.DecodeGrowpanelWebhook), "event"},
	"monday":    {wrapChannel(monday.DecodeMondayWebhook), "type"},
}

// fixture is one payload file.
type fixture struct {
	spec, name, path string
	data             []byte
}

func fixtures(t testing.TB, kind string) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "*", kind, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var out []fixture
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		spec := filepath.Base(filepath.Dir(filepath.Dir(p)))
		out = append(out, fixture{spec: spec, name: filepath.Base(p), path: p, data: data})
	}
	return out
}

// messageOf is the message a valid fixture is: named by its discriminator
// on a dispatching channel, else the spec's only message.
func messageOf(t testing.TB, f fixture) string {
	t.Helper()
	ch, ok := channelDecoders[f.spec]
	if !ok {
		return f.spec + "/mrr_movement"
	}
	var body map[string]any
	require.NoError(t, json.Unmarshal(f.data, &body))
	name, _ := body[ch.property].(string)
	return f.spec + "/" + name
}

// TestValidFixtures decodes every valid fixture with its message's decoder
// and its channel's: no error, and the same value as a strict
// encoding/json decode of the fixture into the same type.
func TestValidFixtures(t *testing.T) {
	for _, f := range fixtures(t, "valid") {
		t.Run(f.spec+"/"+f.name, func(t *testing.T) {
			decode := messageDecoders[messageOf(t, f)]
			require.NotNil(t, decode, "no decoder for %s", messageOf(t, f))
			got, err := decode(f.data)
			require.NoError(t, err)
			requireSameAsEncodingJSON(t, f.data, got)
			require.NoError(t, got.(interface{ Validate() error }).Validate())

			if ch, ok := channelDecoders[f.spec]; ok {
				viaChannel, err := ch.decode(f.data)
				require.NoError(t, err)
				require.Equal(t, reflect.TypeOf(got), reflect.TypeOf(viaChannel))
				require.Equal(t, got, viaChannel)
			}
		})
	}
}

// requireSameAsEncodingJSON decodes data strictly with encoding/json into
// a fresh value of got's type and compares the two.
func requireSameAsEncodingJSON(t *testing.T, data []byte, got any) {
	t.Helper()
	want := reflect.New(reflect.TypeOf(got).Elem()).Interface()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(want))
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	gotJSON, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(wantJSON), string(gotJSON))
}

// expectation is what an invalid fixture must fail with.
type expectation struct {
	Message    string   `json:"message"`
	Violations []string `json:"violations"`
	Error      string   `json:"error"`
	Note       string   `json:"note"`
}

func expectations(t *testing.T, spec string) map[string]expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", spec, "expected-invalid.json"))
	require.NoError(t, err)
	var out map[string]expectation
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

// TestInvalidFixtures checks that every invalid fixture fails with the
// pointers and keywords expected-invalid.json lists, in that order.
func TestInvalidFixtures(t *testing.T) {
	byspec := map[string]map[string]expectation{}
	seen := map[string]bool{}
	for _, f := range fixtures(t, "invalid") {
		if byspec[f.spec] == nil {
			byspec[f.spec] = expectations(t, f.spec)
		}
		want, ok := byspec[f.spec][f.name]
		require.True(t, ok, "%s has no entry in expected-invalid.json", f.path)
		seen[f.spec+"/"+f.name] = true
		t.Run(f.spec+"/"+f.name, func(t *testing.T) {
			if want.Error != "" {
				_, err := channelDecoders[f.spec].decode(f.data)
				sentinel := map[string]error{
					"ErrUnknownMessage":  errors.Join(growpanel.ErrUnknownMessage, monday.ErrUnknownMessage),
					"ErrNoDiscriminator": errors.Join(growpanel.ErrNoDiscriminator, monday.ErrNoDiscriminator),
				}[want.Error]
				require.NotNil(t, sentinel, "unknown error %q", want.Error)
				require.True(t, slices.ContainsFunc(sentinel.(interface{ Unwrap() []error }).Unwrap(), func(s error) bool { return errors.Is(err, s) }), "want %s, got %v", want.Error, err)
				return
			}
			decode := messageDecoders[f.spec+"/"+want.Message]
			require.NotNil(t, decode, "no decoder for %s", want.Message)
			v, err := decode(f.data)
			require.Error(t, err)
			require.Equal(t, want.Violations, violations(t, err))
			require.NotNil(t, v, "a *ValidationError comes with the decoded value")
			for _, p := range want.Violations {
				require.Contains(t, err.Error(), strings.Fields(p)[0])
			}
		})
	}
	for spec, list := range byspec {
		for name := range list {
			require.True(t, seen[spec+"/"+name], "expected-invalid.json of %s lists %s, which does not exist", spec, name)
		}
	}
}

// violations lists "pointer keyword" of every violation of a
// *ValidationError of any of the generated packages.
func violations(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	var cm *chartmogul.ValidationError
	var gp *growpanel.ValidationError
	var md *monday.ValidationError
	switch {
	case errors.As(err, &cm):
		for _, v := range cm.Violations {
			require.NotEmpty(t, v.Message)
			out = append(out, v.Pointer+" "+v.Keyword)
		}
	case errors.As(err, &gp):
		for _, v := range gp.Violations {
			require.NotEmpty(t, v.Message)
			out = append(out, v.Pointer+" "+v.Keyword)
		}
	case errors.As(err, &md):
		for _, v := range md.Violations {
			require.NotEmpty(t, v.Message)
			out = append(out, v.Pointer+" "+v.Keyword)
		}
	default:
		t.Fatalf("want a *ValidationError, got %T: %v", err, err)
	}
	return out
}

// TestEnumDrift accepts a payload whose only problem is an unknown enum
// value, and refuses one with other violations too.
func TestEnumDrift(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "invalid", "enum_drift_customer_status.json"))
	require.NoError(t, err)
	v, err := chartmogul.DecodeMRRMovement(data)
	var ve *chartmogul.ValidationError
	require.ErrorAs(t, err, &ve)
	require.True(t, ve.OnlyUnknownEnumValues())
	require.True(t, ve.Violations[0].UnknownEnumValue())
	require.Equal(t, `/customer/status: "active" is not one of "New Lead", "Working Lead", "Qualified Lead", "Unqualified Lead", "Active", "Past Due", "Cancelled"`, ve.Violations[0].String())
	require.Equal(t, chartmogul.CustomerStatus("active"), *v.Customer.Status)

	data, err = os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "invalid", "several.json"))
	require.NoError(t, err)
	_, err = chartmogul.DecodeMRRMovement(data)
	require.ErrorAs(t, err, &ve)
	require.False(t, ve.OnlyUnknownEnumValues())
}

// TestMalformedJSON refuses the monday docs' original bodies (not JSON)
// and trailing data, with a *SyntaxError.
func TestMalformedJSON(t *testing.T) {
	for _, f := range fixtures(t, "seed-invalid") {
		_, err := monday.DecodeMondayWebhook(f.data)
		var se *monday.SyntaxError
		require.ErrorAs(t, err, &se, f.path)
		_, err = messageDecoders[messageOfName(f)](f.data)
		require.ErrorAs(t, err, &se, f.path)
	}
	for _, f := range fixtures(t, "valid") {
		decode := messageDecoders[messageOf(t, f)]
		_, err := decode(append(slices.Clone(f.data), " \n\t"...))
		require.NoError(t, err, "white space may follow the value")
		_, err = decode(append(slices.Clone(f.data), "{}"...))
		require.Error(t, err, "%s followed by data", f.path)
		require.Contains(t, err.Error(), "data after the JSON value")
	}
}

func messageOfName(f fixture) string {
	return f.spec + "/" + strings.TrimSuffix(f.name, ".json")
}

// TestValidateAllocatesNothing checks that Validate on a valid decoded
// value makes no allocation.
func TestValidateAllocatesNothing(t *testing.T) {
	for _, f := range fixtures(t, "valid") {
		v, err := messageDecoders[messageOf(t, f)](f.data)
		require.NoError(t, err)
		validator := v.(interface{ Validate() error })
		allocs := testing.AllocsPerRun(100, func() {
			if validator.Validate() != nil {
				t.Fatal("valid payload failed")
			}
		})
		require.Zero(t, allocs, f.path)
	}
}

// TestDecodeAllocatesAsEncodingJSON holds Decode, which validates too, to
// at most half the allocations of a plain encoding/json.Unmarshal into the
// same type (counts, not times: they do not depend on the machine's load).
// Strings are copied into shared chunks, and optional fields' values come
// a chunk at a time: before that, Decode made 0.8 times encoding/json's
// allocations on the ChartMogul fixtures.
func TestDecodeAllocatesAsEncodingJSON(t *testing.T) {
	for _, f := range fixtures(t, "valid") {
		decode := messageDecoders[messageOf(t, f)]
		v, err := decode(f.data)
		require.NoError(t, err)
		typ := reflect.TypeOf(v).Elem()
		ours := testing.AllocsPerRun(20, func() { _, _ = decode(f.data) })
		theirs := testing.AllocsPerRun(20, func() {
			_ = json.Unmarshal(f.data, reflect.New(typ).Interface())
		})
		require.LessOrEqual(t, ours, theirs*0.5, "%s: %v allocations, encoding/json %v", f.path, ours, theirs)
	}
}

// TestDecodeAllocatesOptionalFieldsWithThePayload decodes a payload whose
// optional fields are all strings and integers: the payload, its
// collector and every field's value are one allocation, and the text of
// the strings one more. It was five before (the payload, the collector,
// a chunk of strings, a chunk of integers, the text).
func TestDecodeAllocatesOptionalFieldsWithThePayload(t *testing.T) {
	data := []byte(`{"date":"2025-03-15T10:00:00Z","type":"mrr_movement","description":"Acme upgraded",
		"movement_type":"expansion","account_currency":"USD","invoice_currency":"EUR",
		"account_currency_symbol":"$","invoice_currency_symbol":"€","movement_amount_in_cent":5450,
		"mrr_movement_in_account_currency":5450,"mrr_movement_in_invoice_currency":5000}`)
	v, err := chartmogul.DecodeMRRMovement(data)
	require.NoError(t, err)
	require.Equal(t, "€", *v.InvoiceCurrencySymbol)
	require.Equal(t, int64(5000), *v.MRRMovementInInvoiceCurrency)
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := chartmogul.DecodeMRRMovement(data); err != nil {
			t.Fatal(err)
		}
	})
	require.Equal(t, 2.0, allocs)
}

// TestEveryMessageHasFixtures requires a valid and an invalid fixture for
// every message of the three specs.
func TestEveryMessageHasFixtures(t *testing.T) {
	valid, invalid := map[string]bool{}, map[string]bool{}
	for _, f := range fixtures(t, "valid") {
		valid[messageOf(t, f)] = true
	}
	for _, spec := range []string{"chartmogul", "growpanel", "monday"} {
		for _, want := range expectations(t, spec) {
			if want.Message != "" {
				invalid[spec+"/"+want.Message] = true
			}
		}
	}
	for message := range messageDecoders {
		require.True(t, valid[message], "no valid fixture of %s", message)
		require.True(t, invalid[message], "no invalid fixture of %s", message)
	}
}
