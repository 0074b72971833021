package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generated/growpanel"
	"github.com/asyncgen/asyncgen/generated/monday"
	"github.com/asyncgen/asyncgen/internal/testserver"
	"github.com/asyncgen/asyncgen/store/redis"
	"github.com/asyncgen/asyncgen/store/storetest"
)

// One Store fits the receiver of every generated package.
var (
	_ chartmogul.IdempotencyStore = (*redis.Store)(nil)
	_ growpanel.IdempotencyStore  = (*redis.Store)(nil)
	_ monday.IdempotencyStore     = (*redis.Store)(nil)
)

// client connects to a redis-server of the test's own.
func client(t *testing.T) *goredis.Client {
	c := goredis.NewClient(&goredis.Options{Addr: testserver.Redis(t), PoolSize: 64})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestContract(t *testing.T) {
	c := client(t)
	n := 0
	storetest.Run(t, func(*testing.T) storetest.Store {
		n++ // each subtest its own keys
		return redis.New(c, redis.WithPrefix("contract:"+string(rune('a'+n))+":"))
	})
}

// A completed key lives for the store's time to live, a key in flight for
// its lease: no key stays in Redis for ever.
func TestKeysExpire(t *testing.T) {
	c := client(t)
	ctx := context.Background()
	s := redis.New(c, redis.WithPrefix("p:"))
	_, token, err := s.Claim(ctx, "k", "h", 90*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ttl := c.PTTL(ctx, "p:k").Val(); ttl <= 0 || ttl > 90*time.Second {
		t.Fatalf("a key in flight has TTL %v, want its lease of 90s", ttl)
	}
	if err := s.Complete(ctx, "k", token); err != nil {
		t.Fatal(err)
	}
	if ttl := c.PTTL(ctx, "p:k").Val(); ttl <= 90*time.Second || ttl > redis.DefaultTTL {
		t.Fatalf("a completed key has TTL %v, want the store's %v", ttl, redis.DefaultTTL)
	}
}

func BenchmarkStore(b *testing.B) {
	c := goredis.NewClient(&goredis.Options{Addr: testserver.Redis(b), PoolSize: 64})
	b.Cleanup(func() { _ = c.Close() })
	storetest.Benchmark(b, redis.New(c))
}
