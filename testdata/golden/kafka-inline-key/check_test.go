package kafkainlinekey

import (
	"context"
	"strings"
	"testing"
)

// TestInlineKeyChecksBeforePublishing: a key that breaks its inline
// schema is refused before anything is sent (the publisher has no client:
// reaching the client would panic).
func TestInlineKeyChecksBeforePublishing(t *testing.T) {
	p := NewKafkaPublisher(nil)
	ctx := context.Background()
	err := p.PublishOrder(ctx, "Order 1", &OrderPayload{})
	if err == nil || !strings.Contains(err.Error(), "key") || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("PublishOrder with a key breaking its pattern: %v", err)
	}
	err = p.PublishShard(ctx, 65, &ShardPayload{})
	if err == nil || !strings.Contains(err.Error(), "key") || !strings.Contains(err.Error(), "greater than 64") {
		t.Fatalf("PublishShard with a key above its maximum: %v", err)
	}
}

// TestInlineKeyChecksAfterReading: the subscriber's key decoders refuse
// the same keys, and accept good ones as the named type.
func TestInlineKeyChecksAfterReading(t *testing.T) {
	if _, err := decodeOrderKafkaKey([]byte("Order 1")); err == nil {
		t.Fatal("an order key breaking its pattern was accepted")
	}
	if _, err := decodeShardKafkaKey([]byte("0")); err == nil {
		t.Fatal("a shard key below its minimum was accepted")
	}
	k, err := decodeOrderKafkaKey([]byte("ord-7"))
	if err != nil || k != OrderKey("ord-7") {
		t.Fatalf("a good order key: %v, %v", k, err)
	}
	n, err := decodeNoteKafkaKey([]byte("anything at all"))
	if err != nil || n != "anything at all" {
		t.Fatalf("a plain key: %v, %v", n, err)
	}
}
