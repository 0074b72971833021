// Package sqlite is an Inbox for the receivers asyncgen generates, kept in
// one SQLite file in write-ahead-log mode, with modernc.org/sqlite (pure
// Go, no cgo): the embedded default for one machine. Every process that
// opens the same file shares the inbox; each commit is synced to disk
// before Append returns, so an event the provider got a 2xx for survives
// a crash of the process or of the machine.
//
//	ib, err := sqlite.Open("/var/lib/billing/inbox.db")
//	rcv := chartmogul.NewReceiver(h, chartmogul.WithInbox(ib))
//	worker := chartmogul.NewInboxWorker(h, ib)
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the driver "sqlite"

	"github.com/asyncgen/asyncgen/inbox"
)

// The states of a row.
const (
	statePending = 0
	stateDead    = 1
)

// busyTimeout is how long a statement waits for another process's write
// to end before it fails.
const busyTimeout = 10 * time.Second

// Inbox is an inbox in one SQLite file. Its methods are safe for
// concurrent use, and several processes may open the same file.
type Inbox struct {
	db *sql.DB
	// now is the clock that leases and retry times are read against.
	now func() time.Time
}

// Open opens the inbox in the file at path, creating the file and its
// table when they do not exist. Close it when done.
func Open(path string) (*Inbox, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite inbox: the path %q is empty or holds ? or #, which SQLite would read as options", path)
	}
	dsn := path + "?_pragma=" + fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite inbox %s: %w", path, err)
	}
	// One connection: SQLite writes one transaction at a time anyway, and
	// a single connection never waits on a lock of its own process.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite inbox %s: create the table: %w", path, err)
	}
	return &Inbox{db: db, now: time.Now}, nil
}

// Close closes the file.
func (ib *Inbox) Close() error { return ib.db.Close() }

// schema is the table of events: pending ones (due at due_at; a leased
// one is due again when its lease ends) and dead letters. Acked events
// are deleted. AUTOINCREMENT keeps an ID from being used twice, since an
// ID is an event's idempotency key when it has no other.
const schema = `
CREATE TABLE IF NOT EXISTS inbox_events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	message TEXT NOT NULL,
	body BLOB NOT NULL,
	headers TEXT,
	claims TEXT,
	received_at INTEGER NOT NULL,
	ordering_key TEXT NOT NULL,
	state INTEGER NOT NULL,
	due_at INTEGER NOT NULL,
	token TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS inbox_events_state ON inbox_events (state, id);
CREATE INDEX IF NOT EXISTS inbox_events_ordering ON inbox_events (ordering_key, state, id) WHERE ordering_key <> '';
`

// columns are those an event is read from, in the order of scan.
const columns = `id, message, body, headers, claims, received_at, ordering_key, attempts, last_error`

// Append keeps event, due at once; its ID and Attempts are ignored.
func (ib *Inbox) Append(ctx context.Context, event inbox.Event) error {
	headers, claims, err := inbox.EncodeMaps(event)
	if err != nil {
		return fmt.Errorf("sqlite inbox: append: %w", err)
	}
	body := event.Body
	if body == nil {
		body = []byte{}
	}
	_, err = ib.db.ExecContext(ctx, `INSERT INTO inbox_events
		(message, body, headers, claims, received_at, ordering_key, state, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		event.Message, body, headers, claims, event.ReceivedAt.UnixMicro(), event.OrderingKey, statePending, ib.now().UnixMicro())
	if err != nil {
		return fmt.Errorf("sqlite inbox: append: %w", err)
	}
	return nil
}

// Lease holds the oldest due event for lease: one that is pending, whose
// retry time or lease has come, and that no older pending event of its
// ordering key holds back.
func (ib *Inbox) Lease(ctx context.Context, lease time.Duration) (inbox.Event, string, bool, error) {
	token, err := inbox.NewToken()
	if err != nil {
		return inbox.Event{}, "", false, fmt.Errorf("sqlite inbox: lease: %w", err)
	}
	now := ib.now()
	row := ib.db.QueryRowContext(ctx, `UPDATE inbox_events SET token = ?1, due_at = ?3
		WHERE id = (
			SELECT e.id FROM inbox_events e
			WHERE e.state = 0 AND e.due_at <= ?2
				AND (e.ordering_key = '' OR NOT EXISTS (
					SELECT 1 FROM inbox_events o
					WHERE o.ordering_key = e.ordering_key AND o.state = 0 AND o.id < e.id))
			ORDER BY e.id LIMIT 1)
		RETURNING `+columns,
		token, now.UnixMicro(), now.Add(lease).UnixMicro())
	event, err := scanEvent(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return inbox.Event{}, "", false, nil
	case err != nil:
		return inbox.Event{}, "", false, fmt.Errorf("sqlite inbox: lease: %w", err)
	}
	return event, token, true, nil
}

// Ack deletes the event leased with token.
func (ib *Inbox) Ack(ctx context.Context, id, token string) error {
	return ib.settle(ctx, "ack", id, token, `DELETE FROM inbox_events WHERE id = ? AND token = ? AND state = 0`)
}

// Fail makes the event leased with token due again at retryAt, one
// attempt more, with reason as its last error.
func (ib *Inbox) Fail(ctx context.Context, id, token string, retryAt time.Time, reason string) error {
	return ib.settle(ctx, "fail", id, token, `UPDATE inbox_events
		SET token = '', due_at = ?, attempts = attempts + 1, last_error = ?
		WHERE id = ? AND token = ? AND state = 0`, retryAt.UnixMicro(), reason)
}

// DeadLetter moves the event leased with token to the dead letters, one
// attempt more, with reason as its last error.
func (ib *Inbox) DeadLetter(ctx context.Context, id, token, reason string) error {
	return ib.settle(ctx, "dead letter", id, token, `UPDATE inbox_events
		SET token = '', state = 1, attempts = attempts + 1, last_error = ?
		WHERE id = ? AND token = ? AND state = 0`, reason)
}

// settle runs query, whose last two arguments are the event's ID and
// token after args, and fails with inbox.ErrLeaseLost when it changed no
// row.
func (ib *Inbox) settle(ctx context.Context, what, id, token, query string, args ...any) error {
	n, ok := parseID(id)
	if !ok || token == "" {
		return fmt.Errorf("sqlite inbox: %s event %q: %w", what, id, inbox.ErrLeaseLost)
	}
	res, err := ib.db.ExecContext(ctx, query, append(args, n, token)...)
	if err != nil {
		return fmt.Errorf("sqlite inbox: %s event %s: %w", what, id, err)
	}
	if changed, err := res.RowsAffected(); err != nil || changed != 1 {
		return fmt.Errorf("sqlite inbox: %s event %s: %w", what, id, inbox.ErrLeaseLost)
	}
	return nil
}

// DeadLetters lists at most limit dead letters, oldest first.
func (ib *Inbox) DeadLetters(ctx context.Context, limit int) ([]inbox.Event, error) {
	rows, err := ib.db.QueryContext(ctx, `SELECT `+columns+` FROM inbox_events WHERE state = 1 ORDER BY id LIMIT ?`, max(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("sqlite inbox: dead letters: %w", err)
	}
	defer rows.Close()
	var out []inbox.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite inbox: dead letters: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite inbox: dead letters: %w", err)
	}
	return out, nil
}

// Replay makes the dead letter id due now, with no attempts counted.
func (ib *Inbox) Replay(ctx context.Context, id string) error {
	n, ok := parseID(id)
	if !ok {
		return fmt.Errorf("sqlite inbox: replay %q: %w", id, inbox.ErrNoDeadLetter)
	}
	res, err := ib.db.ExecContext(ctx, `UPDATE inbox_events SET state = 0, due_at = ?, attempts = 0, token = ''
		WHERE id = ? AND state = 1`, ib.now().UnixMicro(), n)
	if err != nil {
		return fmt.Errorf("sqlite inbox: replay %s: %w", id, err)
	}
	if changed, err := res.RowsAffected(); err != nil || changed != 1 {
		return fmt.Errorf("sqlite inbox: replay %s: %w", id, inbox.ErrNoDeadLetter)
	}
	return nil
}

// Pending counts the events not yet delivered nor dead-lettered.
func (ib *Inbox) Pending(ctx context.Context) (int, error) {
	var n int
	if err := ib.db.QueryRowContext(ctx, `SELECT count(*) FROM inbox_events WHERE state = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite inbox: count pending: %w", err)
	}
	return n, nil
}

// parseID reads an event's ID.
func parseID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// scanEvent reads the columns of an event.
func scanEvent(row interface{ Scan(...any) error }) (inbox.Event, error) {
	var e inbox.Event
	var id, receivedAt int64
	var headers, claims sql.NullString
	if err := row.Scan(&id, &e.Message, &e.Body, &headers, &claims, &receivedAt, &e.OrderingKey, &e.Attempts, &e.LastError); err != nil {
		return e, err
	}
	e.ID = strconv.FormatInt(id, 10)
	e.ReceivedAt = time.UnixMicro(receivedAt)
	if err := inbox.DecodeMaps(&e, headers.String, claims.String); err != nil {
		return e, err
	}
	return e, nil
}
