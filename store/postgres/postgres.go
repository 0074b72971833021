// Package postgres is an idempotency store on PostgreSQL for the Receiver
// of any package asyncgen generates: receivers of several replicas that
// share one database deliver each event to one handler once.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	store, err := postgres.New(ctx, pool) // creates its table when missing
//	...
//	http.Handle("POST /webhooks", chartmogul.NewReceiver(h, chartmogul.WithIdempotency(store)))
//
// Each key is one row. Leases and times to live are measured by the
// database's clock, so that replicas whose clocks differ agree; a
// completion or release presents the token of its claim, so that a claim
// whose lease ended cannot overwrite a newer one. Purge deletes the rows
// that expired.
package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The states Claim answers with: the values of the Idempotency* constants
// of every generated package.
const (
	claimed   = "claimed"
	delivered = "delivered"
	inFlight  = "in-flight"
	conflict  = "conflict"
)

// DefaultTTL is how long a Store remembers a completed key unless
// WithTTL says otherwise.
const DefaultTTL = 24 * time.Hour

// DefaultTable is the table a Store keeps its keys in unless WithTable
// says otherwise.
const DefaultTable = "asyncgen_idempotency"

// DB is what a Store runs its statements on: a *pgxpool.Pool, or a
// *pgx.Conn used by nothing else at the same time.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store is an IdempotencyStore on PostgreSQL; it is as safe for
// concurrent use as its DB.
type Store struct {
	db    DB
	ttl   time.Duration
	table string
	sql   statements
}

// statements are a Store's SQL, with its table's name in them.
type statements struct {
	claim, state, complete, release, purge string
}

// Option configures a Store.
type Option func(*Store)

// WithTTL sets how long a completed key is remembered (DefaultTTL by
// default); ttl <= 0 keeps the default.
func WithTTL(ttl time.Duration) Option {
	return func(s *Store) {
		if ttl > 0 {
			s.ttl = ttl
		}
	}
}

// WithTable sets the table's name (DefaultTable by default): letters,
// digits and underscores, optionally after a schema name and a dot.
func WithTable(name string) Option {
	return func(s *Store) { s.table = name }
}

// tableName is what WithTable accepts, so that the name can be written
// into SQL as it is.
var tableName = regexp.MustCompile(`^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$`)

// New returns a Store on db, and creates its table when it does not
// exist.
func New(ctx context.Context, db DB, opts ...Option) (*Store, error) {
	s := &Store{db: db, ttl: DefaultTTL, table: DefaultTable}
	for _, opt := range opts {
		opt(s)
	}
	if !tableName.MatchString(s.table) {
		return nil, fmt.Errorf("postgres idempotency store: table name %q: use lowercase letters, digits and underscores, optionally after a schema and a dot", s.table)
	}
	s.sql = newStatements(s.table)
	create := `CREATE TABLE IF NOT EXISTS ` + s.table + ` (
		key text PRIMARY KEY,
		body_hash text NOT NULL,
		token text NOT NULL,
		done boolean NOT NULL,
		expires_at timestamptz NOT NULL
	)`
	if _, err := db.Exec(ctx, create); err != nil {
		return nil, fmt.Errorf("postgres idempotency store: create table %s: %w", s.table, err)
	}
	return s, nil
}

func newStatements(table string) statements {
	return statements{
		// Inserts the key, or takes over a row whose lease or time to
		// live ended; returns nothing when the key is held.
		claim: `INSERT INTO ` + table + ` AS t (key, body_hash, token, done, expires_at)
			VALUES ($1, $2, $3, false, clock_timestamp() + $4 * interval '1 millisecond')
			ON CONFLICT (key) DO UPDATE SET body_hash = excluded.body_hash, token = excluded.token,
				done = false, expires_at = excluded.expires_at
			WHERE t.expires_at <= clock_timestamp()
			RETURNING token`,
		state:    `SELECT body_hash, done FROM ` + table + ` WHERE key = $1 AND expires_at > clock_timestamp()`,
		complete: `UPDATE ` + table + ` SET done = true, expires_at = clock_timestamp() + $3 * interval '1 millisecond' WHERE key = $1 AND token = $2 AND NOT done`,
		release:  `DELETE FROM ` + table + ` WHERE key = $1 AND token = $2 AND NOT done`,
		purge:    `DELETE FROM ` + table + ` WHERE expires_at <= clock_timestamp()`,
	}
}

// Claim reserves key for the body hashed bodyHash, for lease, unless it
// is in flight, was completed, or was claimed for another body.
func (s *Store) Claim(ctx context.Context, key, bodyHash string, lease time.Duration) (state, token string, err error) {
	token, err = newToken()
	if err != nil {
		return "", "", err
	}
	var got string
	err = s.db.QueryRow(ctx, s.sql.claim, key, bodyHash, token, milliseconds(lease)).Scan(&got)
	switch {
	case err == nil:
		return claimed, got, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return "", "", fmt.Errorf("postgres idempotency store: claim: %w", err)
	}
	var heldHash string
	var done bool
	err = s.db.QueryRow(ctx, s.sql.state, key).Scan(&heldHash, &done)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// Freed between the two statements: the sender's retry claims it.
		return inFlight, "", nil
	case err != nil:
		return "", "", fmt.Errorf("postgres idempotency store: claim: %w", err)
	case heldHash != bodyHash:
		return conflict, "", nil
	case done:
		return delivered, "", nil
	}
	return inFlight, "", nil
}

// ErrLeaseLost is what Complete returns when the token no longer holds
// its key: the lease ended, and the key was freed or claimed again.
var ErrLeaseLost = errors.New("the claim's lease ended and its key was freed or claimed again")

// Complete records the delivery claimed with token as done.
func (s *Store) Complete(ctx context.Context, key, token string) error {
	tag, err := s.db.Exec(ctx, s.sql.complete, key, token, milliseconds(s.ttl))
	if err != nil {
		return fmt.Errorf("postgres idempotency store: complete: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("postgres idempotency store: complete: %w", ErrLeaseLost)
	}
	return nil
}

// Release frees key when token still holds it in flight.
func (s *Store) Release(ctx context.Context, key, token string) error {
	if _, err := s.db.Exec(ctx, s.sql.release, key, token); err != nil {
		return fmt.Errorf("postgres idempotency store: release: %w", err)
	}
	return nil
}

// Purge deletes the keys whose lease or time to live ended, and returns
// how many it deleted. Expired rows are never read as held, so Purge only
// bounds the table's size: run it now and then, say hourly.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	tag, err := s.db.Exec(ctx, s.sql.purge)
	if err != nil {
		return 0, fmt.Errorf("postgres idempotency store: purge: %w", err)
	}
	return tag.RowsAffected(), nil
}

// milliseconds is d in whole milliseconds, at least 1.
func milliseconds(d time.Duration) int64 {
	return max(d.Milliseconds(), 1)
}

// newToken returns 128 random bits in hex.
func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("postgres idempotency store: token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
