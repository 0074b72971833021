package chartmogul

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPost sends the large ChartMogul fixture to a loopback server
// that reads the body and answers 204: impl=sender with SendMRRMovement
// (validate, encode, key, sign, post, drain), impl=bare with a hand-written
// json.Marshal and POST on the same client, the floor a sender can reach.
// Compare them with benchstat -col /impl.
func BenchmarkPost(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	ctx := context.Background()
	for _, payload := range []string{"mrr_movement", "mrr_movement_large"} {
		v := benchPayload(b, payload)
		b.Run("payload="+payload+"/impl=sender", func(b *testing.B) {
			sender, err := NewSender(srv.URL, WithInsecureHTTP(), WithHTTPClient(srv.Client()), WithSharedSecret("s3cret"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := sender.SendMRRMovement(ctx, v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("payload="+payload+"/impl=bare", func(b *testing.B) {
			client := srv.Client()
			b.ReportAllocs()
			for b.Loop() {
				barePost(b, ctx, client, srv.URL, v)
			}
		})
	}
}

// barePost is the hand-written baseline: encode, POST, drain.
func barePost(b *testing.B, ctx context.Context, client *http.Client, url string, v *MRRMovementPayload) {
	body, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b.Fatal(resp.Status)
	}
}

// benchPayload decodes a valid ChartMogul fixture.
func benchPayload(b *testing.B, name string) *MRRMovementPayload {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "valid", name+".json"))
	if err != nil {
		b.Fatal(err)
	}
	v, err := DecodeMRRMovement(data)
	if err != nil {
		b.Fatal(err)
	}
	return v
}
