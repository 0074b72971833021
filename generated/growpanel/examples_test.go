package growpanel

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/webhooktest"
)

// TestExamplesDecode decodes every example the spec documents with its
// message's Decode function: the fixtures a user's tests start from are
// valid, and there is one for each message.
func TestExamplesDecode(t *testing.T) {
	decoders := map[string]func([]byte) (any, error){
		"mrr_movement":           func(b []byte) (any, error) { return DecodeMRRMovement(b) },
		"scheduled_cancellation": func(b []byte) (any, error) { return DecodeScheduledCancellation(b) },
		"failed_payment":         func(b []byte) (any, error) { return DecodeFailedPayment(b) },
	}
	seen := map[string]bool{}
	for _, ex := range Examples() {
		decode, ok := decoders[ex.Message]
		require.True(t, ok, "example %q of unknown message %q", ex.Name, ex.Message)
		v, err := decode(ex.Payload)
		require.NoError(t, err, "example %q of %s", ex.Name, ex.Message)
		require.NotNil(t, v)
		msg, err := DecodeGrowpanelWebhook(ex.Payload)
		require.NoError(t, err)
		require.IsType(t, v, msg, "the channel decoder picks the example's own message")
		seen[ex.Message] = true
	}
	require.Len(t, seen, len(decoders), "every message of the spec has an example")
}

// TestExamplesAreFreshCopies checks that a test changing an example's
// payload does not change what the next call returns.
func TestExamplesAreFreshCopies(t *testing.T) {
	first := Examples()
	want := string(first[0].Payload)
	first[0].Payload[0] = 'X'
	require.Equal(t, want, string(Examples()[0].Payload))
}

// TestExamplesThroughReceiver runs the README's loop: every example, sent
// as a provider would, is accepted by the generated receiver.
func TestExamplesThroughReceiver(t *testing.T) {
	const token = "s3cret"
	receiver := NewReceiver(NopHandler{}, WithSharedSecret(token))
	for _, ex := range Examples() {
		req, err := webhooktest.NewRawRequest("/webhooks/growpanel", ex.Payload, webhooktest.WithSharedSecret(token))
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		receiver.ServeHTTP(rec, req)
		require.Equal(t, http.StatusNoContent, rec.Code, "%s example %q: %s", ex.Message, ex.Name, rec.Body)
	}
}
