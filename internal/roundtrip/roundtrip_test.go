// Package roundtrip exercises the committed generated packages on the
// payload fixtures: nothing a payload carries may be lost.
package roundtrip

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
)

// payloadTypes maps a fixture (spec/name without .json) to a fresh value
// of the payload type it must decode into.
var payloadTypes = map[string]func() any{
	"chartmogul/mrr_movement":       func() any { return new(chartmogul.MRRMovementPayload) },
	"chartmogul/mrr_movement_large": func() any { return new(chartmogul.MRRMovementPayload) },
	"growpanel/mrr_movement":        func() any { return new(growpanel.MRRMovementPayload) },
	"growpanel/test_payload":        func() any { return new(growpanel.MRRMovementPayload) },
	"growpanel/scheduled_cancellation": func() any {
		return new(growpanel.ScheduledCancellationPayload)
	},
	"growpanel/failed_payment":                             func() any { return new(growpanel.FailedPaymentPayload) },
	"monday/install":                                       func() any { return new(monday.InstallPayload) },
	"monday/install_trial":                                 func() any { return new(monday.InstallPayload) },
	"monday/uninstall":                                     func() any { return new(monday.UninstallPayload) },
	"monday/app_subscription_created":                      func() any { return new(monday.AppSubscriptionCreatedPayload) },
	"monday/app_subscription_changed":                      func() any { return new(monday.AppSubscriptionChangedPayload) },
	"monday/app_subscription_renewed":                      func() any { return new(monday.AppSubscriptionRenewedPayload) },
	"monday/app_subscription_cancelled_by_user":            func() any { return new(monday.AppSubscriptionCancelledByUserPayload) },
	"monday/app_subscription_cancelled":                    func() any { return new(monday.AppSubscriptionCancelledPayload) },
	"monday/app_subscription_cancellation_revoked_by_user": func() any { return new(monday.AppSubscriptionCancellationRevokedByUserPayload) },
	"monday/app_subscription_renewal_attempt_failed":       func() any { return new(monday.AppSubscriptionRenewalAttemptFailedPayload) },
	"monday/app_subscription_renewal_failed":               func() any { return new(monday.AppSubscriptionRenewalFailedPayload) },
	"monday/app_trial_subscription_started":                func() any { return new(monday.AppTrialSubscriptionStartedPayload) },
	"monday/app_trial_subscription_ended":                  func() any { return new(monday.AppTrialSubscriptionEndedPayload) },
}

func TestFixturesRoundTrip(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "*", "valid", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		key := filepath.Base(filepath.Dir(filepath.Dir(path))) + "/" + strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(key, func(t *testing.T) {
			newValue, ok := payloadTypes[key]
			require.True(t, ok, "fixture %s has no payload type in payloadTypes", key)
			original, err := os.ReadFile(path)
			require.NoError(t, err)

			value := newValue()
			dec := json.NewDecoder(bytes.NewReader(original))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(value), "every field of the fixture has a Go field")

			reencoded, err := json.Marshal(value)
			require.NoError(t, err)
			var want, got any
			require.NoError(t, json.Unmarshal(original, &want))
			require.NoError(t, json.Unmarshal(reencoded, &got))
			requireSameJSON(t, "", want, got)
		})
	}
}

// TestSeedBodiesAreNotJSON keeps the monday docs' invalid examples honest:
// a decoder must refuse them.
func TestSeedBodiesAreNotJSON(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "payloads", "monday", "seed-invalid", "*.json"))
	require.NoError(t, err)
	require.Len(t, paths, 12)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var v monday.InstallPayload
		require.Error(t, json.Unmarshal(data, &v), path)
	}
}

// requireSameJSON compares decoded JSON values; strings that are both
// RFC 3339 date-times compare as instants, since time.Time re-encodes
// "2023-06-26T00:00:00.000+00:00" as "2023-06-26T00:00:00Z".
func requireSameJSON(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		require.True(t, ok, "%s: want an object, got %T", path, got)
		require.Len(t, g, len(w), "%s: keys differ", path)
		for k, wv := range w {
			gv, ok := g[k]
			require.True(t, ok, "%s/%s was lost", path, k)
			requireSameJSON(t, path+"/"+k, wv, gv)
		}
	case []any:
		g, ok := got.([]any)
		require.True(t, ok, "%s: want an array, got %T", path, got)
		require.Len(t, g, len(w), path)
		for i := range w {
			requireSameJSON(t, path, w[i], g[i])
		}
	case string:
		g, ok := got.(string)
		require.True(t, ok, "%s: want a string, got %T", path, got)
		wt, errW := time.Parse(time.RFC3339Nano, w)
		gt, errG := time.Parse(time.RFC3339Nano, g)
		if errW == nil && errG == nil {
			require.True(t, wt.Equal(gt), "%s: %s and %s are different instants", path, w, g)
			return
		}
		require.Equal(t, w, g, path)
	default:
		require.Equal(t, want, got, path)
	}
}
