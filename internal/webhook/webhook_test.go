package webhook

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
)

func loadSpec(t *testing.T, name string) *Spec {
	t.Helper()
	s, err := Load(filepath.Join("..", "..", "specs", name), document.Options{})
	require.NoError(t, err)
	return s
}

// TestClassifyEveryFixture: every valid fixture of the shipped specs is
// classified valid as the message its file is named after (install_trial
// is an install).
func TestClassifyEveryFixture(t *testing.T) {
	for _, spec := range []string{"chartmogul", "growpanel", "monday"} {
		s := loadSpec(t, spec+".yaml")
		dir := filepath.Join("..", "..", "testdata", "payloads", spec, "valid")
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			r := s.Classify(data)
			require.Equal(t, Valid, r.Verdict, "%s/%s: %v", spec, e.Name(), r.Err)
			want := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".json"), "_large")
			if want == "install_trial" || want == "test_payload" {
				continue
			}
			require.Equal(t, want, r.Message, "%s/%s", spec, e.Name())
		}
	}
}

func TestClassifyDispatch(t *testing.T) {
	s := loadSpec(t, "monday.yaml")
	r := s.Classify([]byte(`{"type": "brand_new", "data": {}}`))
	require.Equal(t, Unknown, r.Verdict)
	require.Equal(t, "brand_new", r.Message)

	r = s.Classify([]byte(`{"type": "install", "data": {}}`))
	require.Equal(t, Invalid, r.Verdict)
	require.Equal(t, "install", r.Message)
	require.ErrorContains(t, r.Err, "/data/")

	r = s.Classify([]byte(`[1, 2`))
	require.Equal(t, Invalid, r.Verdict)
	require.ErrorContains(t, r.Err, "not JSON")

	r = s.Classify([]byte(`{} {}`))
	require.Equal(t, Invalid, r.Verdict)
	require.ErrorContains(t, r.Err, "data after the JSON value")
}

func TestMessageAndExampleSuggest(t *testing.T) {
	s := loadSpec(t, "monday.yaml")
	_, err := s.Message("instal")
	require.ErrorContains(t, err, `has no message "instal" (did you mean "install"?); its messages are install, uninstall, `)
	m, err := s.Message("install")
	require.NoError(t, err)
	_, err = m.Example("nope")
	require.ErrorContains(t, err, `message "install" has no example "nope"; its examples are install`)
}

func TestSignerNeedsTheSchemesSecret(t *testing.T) {
	s := loadSpec(t, "monday.yaml")
	_, err := s.Signer(Secrets{Shared: "x", APIKey: "y"})
	require.EqualError(t, err, "the spec requires JWT (mondayJWT); give its secret")
	sign, err := s.Signer(Secrets{JWT: "k"})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "http://x", nil)
	require.NoError(t, err)
	require.NoError(t, sign(req))
	require.True(t, strings.HasPrefix(req.Header.Get("Authorization"), "Bearer ey"))
	require.Empty(t, s.Auths(Secrets{}), "listen lets everything in without a secret")
	require.Len(t, s.Auths(Secrets{JWT: "k"}), 1)
}

func TestTruncateKeepsRunes(t *testing.T) {
	long := "a" + strings.Repeat("é", 30) // byte 40 is inside an é
	got := truncate(long)
	require.True(t, utf8.ValidString(got), got)
	require.True(t, strings.HasSuffix(got, "..."))
	require.Equal(t, "short", truncate("short"))
}

func TestSafeFileName(t *testing.T) {
	require.Equal(t, "x_.._.._evil", safeFileName("x/../../evil"))
	require.Equal(t, "_", safeFileName(".."+"/"))
	require.Len(t, safeFileName(strings.Repeat("a", 500)), 64)
}

// TestClassifyEnumDriftAndViolations: a payload whose only fault is an
// enum value the spec does not list is drift, with the violation the
// generated validator reports; one with other faults too is invalid.
func TestClassifyEnumDriftAndViolations(t *testing.T) {
	s := loadSpec(t, "chartmogul.yaml")
	m, err := s.Message("mrr_movement")
	require.NoError(t, err)
	dir := filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "invalid")
	data, err := os.ReadFile(filepath.Join(dir, "enum_drift_customer_status.json"))
	require.NoError(t, err)
	r := validatePayload(m, data)
	require.Equal(t, Drift, r.Verdict)
	require.EqualError(t, r.Err, `1 violation: /customer/status: "active" is not one of "New Lead", "Working Lead", "Qualified Lead", "Unqualified Lead", "Active", "Past Due", "Cancelled"`)

	data, err = os.ReadFile(filepath.Join(dir, "several.json"))
	require.NoError(t, err)
	r = validatePayload(m, data)
	require.Equal(t, Invalid, r.Verdict)
	require.Greater(t, violationCount(r.Err), 1)
}
