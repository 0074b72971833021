// Package postgres is an Inbox on PostgreSQL for the receivers asyncgen
// generates: many receivers and workers, on many machines, share one
// table. A worker leases the oldest due event with FOR UPDATE SKIP LOCKED,
// so that workers never wait on each other's events, and never lease one
// that an older event of the same ordering key holds back.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	ib, err := postgres.New(ctx, pool) // creates its table when missing
//	...
//	rcv := chartmogul.NewReceiver(h, chartmogul.WithInbox(ib))
//	worker := chartmogul.NewInboxWorker(h, ib)
//
// Leases are measured by the database's clock, so that workers whose
// clocks differ agree on when a lease ends; a retry time is the worker's. An acked event
// is deleted; dead letters stay until replayed.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/asyncgen/asyncgen/inbox"
)

// DefaultTable is the table an Inbox keeps its events in unless WithTable
// says otherwise.
const DefaultTable = "asyncgen_inbox"

// DB is what an Inbox runs its statements on: a *pgxpool.Pool, or a
// *pgx.Conn used by nothing else at the same time.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Inbox is an inbox in a PostgreSQL table; it is as safe for concurrent
// use as its DB, and any number of processes may share the table.
type Inbox struct {
	db    DB
	table string
	sql   statements
}

// statements are the SQL texts of an Inbox, with its table's name.
type statements struct {
	append, lease, ack, fail, deadLetter, deadLetters, replay, pending string
}

// Option configures an Inbox.
type Option func(*Inbox)

// WithTable sets the table's name (DefaultTable by default): lowercase
// letters, digits and underscores, optionally after a schema name and a
// dot.
func WithTable(name string) Option {
	return func(ib *Inbox) { ib.table = name }
}

// isTableName reports whether name is what WithTable accepts, so that the
// name can be written into SQL as it is: a table name of at most 51 bytes
// (the indexes add to it within PostgreSQL's 63), after an optional
// schema name of at most 63 and a dot; each name lowercase letters, digits
// and underscores, not starting with a digit. (A regular expression
// counting those lengths would compile to hundreds of instructions at
// every start of a program linking this package.)
func isTableName(name string) bool {
	schema, table, qualified := strings.Cut(name, ".")
	if !qualified {
		return isSQLName(name, 51)
	}
	return isSQLName(schema, 63) && isSQLName(table, 51)
}

// isSQLName reports whether name is 1 to limit lowercase letters, digits and
// underscores, not starting with a digit.
func isSQLName(name string, limit int) bool {
	if name == "" || len(name) > limit || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// New returns an Inbox on db, and creates its table and indexes when they
// do not exist.
func New(ctx context.Context, db DB, opts ...Option) (*Inbox, error) {
	ib := &Inbox{db: db, table: DefaultTable}
	for _, opt := range opts {
		opt(ib)
	}
	if !isTableName(ib.table) {
		return nil, fmt.Errorf("postgres inbox: table name %q: use lowercase letters, digits and underscores, optionally after a schema and a dot", ib.table)
	}
	ib.sql = newStatements(ib.table)
	if err := ib.create(ctx); err != nil {
		return nil, err
	}
	return ib, nil
}

// create makes the table and its indexes. Two processes creating them at
// once may collide on the catalog; the loser tries once more, and then
// finds them made.
func (ib *Inbox) create(ctx context.Context) error {
	base := ib.table[strings.LastIndexByte(ib.table, '.')+1:]
	ddl := []string{
		`CREATE TABLE IF NOT EXISTS ` + ib.table + ` (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			message text NOT NULL,
			body bytea NOT NULL,
			headers text,
			claims text,
			received_at timestamptz NOT NULL,
			ordering_key text NOT NULL,
			dead boolean NOT NULL DEFAULT false,
			due_at timestamptz NOT NULL,
			token text NOT NULL DEFAULT '',
			attempts integer NOT NULL DEFAULT 0,
			last_error text NOT NULL DEFAULT ''
		)`,
		`CREATE INDEX IF NOT EXISTS ` + base + `_pending ON ` + ib.table + ` (id) WHERE NOT dead`,
		`CREATE INDEX IF NOT EXISTS ` + base + `_ordering ON ` + ib.table + ` (ordering_key, id) WHERE NOT dead AND ordering_key <> ''`,
	}
	for _, stmt := range ddl {
		_, err := ib.db.Exec(ctx, stmt)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P07") {
			_, err = ib.db.Exec(ctx, stmt)
		}
		if err != nil {
			return fmt.Errorf("postgres inbox: create table %s: %w", ib.table, err)
		}
	}
	return nil
}

// columns are those an event is read from, in the order of scan.
const columns = `id, message, body, headers, claims, received_at, ordering_key, attempts, last_error`

func newStatements(table string) statements {
	return statements{
		append: `INSERT INTO ` + table + ` (message, body, headers, claims, received_at, ordering_key, due_at)
			VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())`,
		// The oldest pending event that is due and that no older pending
		// event of its ordering key holds back; rows other workers are
		// leasing at this moment are skipped, not waited for.
		lease: `WITH next AS (
				SELECT e.id FROM ` + table + ` e
				WHERE NOT e.dead AND e.due_at <= clock_timestamp()
					AND (e.ordering_key = '' OR NOT EXISTS (
						SELECT 1 FROM ` + table + ` o
						WHERE o.ordering_key = e.ordering_key AND NOT o.dead AND o.id < e.id))
				ORDER BY e.id LIMIT 1
				FOR UPDATE SKIP LOCKED)
			UPDATE ` + table + ` t SET token = $1, due_at = clock_timestamp() + $2 * interval '1 millisecond'
			FROM next WHERE t.id = next.id
			RETURNING t.id, t.message, t.body, t.headers, t.claims, t.received_at, t.ordering_key, t.attempts, t.last_error`,
		ack: `DELETE FROM ` + table + ` WHERE id = $1 AND token = $2 AND NOT dead`,
		fail: `UPDATE ` + table + ` SET token = '', due_at = $3, attempts = attempts + 1, last_error = $4
			WHERE id = $1 AND token = $2 AND NOT dead`,
		deadLetter: `UPDATE ` + table + ` SET token = '', dead = true, attempts = attempts + 1, last_error = $3
			WHERE id = $1 AND token = $2 AND NOT dead`,
		deadLetters: `SELECT ` + columns + ` FROM ` + table + ` WHERE dead ORDER BY id LIMIT $1`,
		replay: `UPDATE ` + table + ` SET dead = false, token = '', attempts = 0, due_at = clock_timestamp()
			WHERE id = $1 AND dead`,
		pending: `SELECT count(*) FROM ` + table + ` WHERE NOT dead`,
	}
}

// Append keeps event, due at once; its ID and Attempts are ignored.
func (ib *Inbox) Append(ctx context.Context, event inbox.Event) error {
	headers, claims, err := inbox.EncodeMaps(event)
	if err != nil {
		return fmt.Errorf("postgres inbox: append: %w", err)
	}
	body := event.Body
	if body == nil {
		body = []byte{}
	}
	if _, err := ib.db.Exec(ctx, ib.sql.append, event.Message, body, headers, claims, event.ReceivedAt, event.OrderingKey); err != nil {
		return fmt.Errorf("postgres inbox: append: %w", err)
	}
	return nil
}

// Lease holds the oldest due event for lease: one that is pending, whose
// retry time or lease has come, and that no older pending event of its
// ordering key holds back.
func (ib *Inbox) Lease(ctx context.Context, lease time.Duration) (inbox.Event, string, bool, error) {
	token, err := inbox.NewToken()
	if err != nil {
		return inbox.Event{}, "", false, fmt.Errorf("postgres inbox: lease: %w", err)
	}
	event, err := scanEvent(ib.db.QueryRow(ctx, ib.sql.lease, token, max(lease.Milliseconds(), 1)))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return inbox.Event{}, "", false, nil
	case err != nil:
		return inbox.Event{}, "", false, fmt.Errorf("postgres inbox: lease: %w", err)
	}
	return event, token, true, nil
}

// Ack deletes the event leased with token.
func (ib *Inbox) Ack(ctx context.Context, id, token string) error {
	return ib.settle(ctx, "ack", id, token, ib.sql.ack)
}

// Fail makes the event leased with token due again at retryAt, one
// attempt more, with reason as its last error.
func (ib *Inbox) Fail(ctx context.Context, id, token string, retryAt time.Time, reason string) error {
	return ib.settle(ctx, "fail", id, token, ib.sql.fail, retryAt, reason)
}

// DeadLetter moves the event leased with token to the dead letters, one
// attempt more, with reason as its last error.
func (ib *Inbox) DeadLetter(ctx context.Context, id, token, reason string) error {
	return ib.settle(ctx, "dead letter", id, token, ib.sql.deadLetter, reason)
}

// settle runs query with the event's ID and token, then args, and fails
// with inbox.ErrLeaseLost when it changed no row.
func (ib *Inbox) settle(ctx context.Context, what, id, token, query string, args ...any) error {
	n, ok := parseID(id)
	if !ok || token == "" {
		return fmt.Errorf("postgres inbox: %s event %q: %w", what, id, inbox.ErrLeaseLost)
	}
	tag, err := ib.db.Exec(ctx, query, append([]any{n, token}, args...)...)
	if err != nil {
		return fmt.Errorf("postgres inbox: %s event %s: %w", what, id, err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("postgres inbox: %s event %s: %w", what, id, inbox.ErrLeaseLost)
	}
	return nil
}

// DeadLetters lists at most limit dead letters, oldest first.
func (ib *Inbox) DeadLetters(ctx context.Context, limit int) ([]inbox.Event, error) {
	rows, err := ib.db.Query(ctx, ib.sql.deadLetters, max(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("postgres inbox: dead letters: %w", err)
	}
	defer rows.Close()
	var out []inbox.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres inbox: dead letters: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres inbox: dead letters: %w", err)
	}
	return out, nil
}

// Replay makes the dead letter id due now, with no attempts counted.
func (ib *Inbox) Replay(ctx context.Context, id string) error {
	n, ok := parseID(id)
	if !ok {
		return fmt.Errorf("postgres inbox: replay %q: %w", id, inbox.ErrNoDeadLetter)
	}
	tag, err := ib.db.Exec(ctx, ib.sql.replay, n)
	if err != nil {
		return fmt.Errorf("postgres inbox: replay %s: %w", id, err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("postgres inbox: replay %s: %w", id, inbox.ErrNoDeadLetter)
	}
	return nil
}

// Pending counts the events not yet delivered nor dead-lettered.
func (ib *Inbox) Pending(ctx context.Context) (int, error) {
	var n int
	if err := ib.db.QueryRow(ctx, ib.sql.pending).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres inbox: count pending: %w", err)
	}
	return n, nil
}

// parseID reads an event's ID.
func parseID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// scanEvent reads the columns of an event.
func scanEvent(row pgx.Row) (inbox.Event, error) {
	var e inbox.Event
	var id int64
	var headers, claims *string
	if err := row.Scan(&id, &e.Message, &e.Body, &headers, &claims, &e.ReceivedAt, &e.OrderingKey, &e.Attempts, &e.LastError); err != nil {
		return e, err
	}
	e.ID = strconv.FormatInt(id, 10)
	var h, c string
	if headers != nil {
		h = *headers
	}
	if claims != nil {
		c = *claims
	}
	if err := inbox.DecodeMaps(&e, h, c); err != nil {
		return e, err
	}
	return e, nil
}
