package monday

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExamplesDecode decodes every example the spec documents with its
// message's Decode function: the fixtures a user's tests start from are
// valid, and there is one for each message.
func TestExamplesDecode(t *testing.T) {
	decoders := map[string]func([]byte) (any, error){
		"install":                  func(b []byte) (any, error) { return DecodeInstall(b) },
		"uninstall":                func(b []byte) (any, error) { return DecodeUninstall(b) },
		"app_subscription_created": func(b []byte) (any, error) { return DecodeAppSubscriptionCreated(b) },
		"app_subscription_changed": func(b []byte) (any, error) { return DecodeAppSubscriptionChanged(b) },
		"app_subscription_renewed": func(b []byte) (any, error) { return DecodeAppSubscriptionRenewed(b) },
		"app_subscription_cancelled_by_user": func(b []byte) (any, error) {
			return DecodeAppSubscriptionCancelledByUser(b)
		},
		"app_subscription_cancelled": func(b []byte) (any, error) { return DecodeAppSubscriptionCancelled(b) },
		"app_subscription_cancellation_revoked_by_user": func(b []byte) (any, error) {
			return DecodeAppSubscriptionCancellationRevokedByUser(b)
		},
		"app_subscription_renewal_attempt_failed": func(b []byte) (any, error) {
			return DecodeAppSubscriptionRenewalAttemptFailed(b)
		},
		"app_subscription_renewal_failed": func(b []byte) (any, error) { return DecodeAppSubscriptionRenewalFailed(b) },
		"app_trial_subscription_started":  func(b []byte) (any, error) { return DecodeAppTrialSubscriptionStarted(b) },
		"app_trial_subscription_ended":    func(b []byte) (any, error) { return DecodeAppTrialSubscriptionEnded(b) },
	}
	seen := map[string]bool{}
	for _, ex := range Examples() {
		decode, ok := decoders[ex.Message]
		require.True(t, ok, "example %q of unknown message %q", ex.Name, ex.Message)
		v, err := decode(ex.Payload)
		require.NoError(t, err, "example %q of %s", ex.Name, ex.Message)
		require.NotNil(t, v)
		msg, err := DecodeMondayWebhook(ex.Payload)
		require.NoError(t, err)
		require.IsType(t, v, msg, "the channel decoder picks the example's own message")
		seen[ex.Message] = true
	}
	require.Len(t, seen, len(decoders), "every message of the spec has an example")
}
