package chartmogul_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/internal/receivertest"
)

// listInbox is a chartmogul.Inbox in memory: enough of the contract for
// one worker (no ordering keys).
type listInbox struct {
	mu     sync.Mutex
	events []chartmogul.InboxEvent
	state  []string // "", "leased:<token>", "acked", "dead"
	due    []time.Time
}

func (l *listInbox) Append(_ context.Context, e chartmogul.InboxEvent) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.ID = strconv.Itoa(len(l.events))
	l.events, l.state, l.due = append(l.events, e), append(l.state, ""), append(l.due, time.Time{})
	return nil
}

func (l *listInbox) Lease(context.Context, time.Duration) (chartmogul.InboxEvent, string, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, s := range l.state {
		if s == "" && !time.Now().Before(l.due[i]) {
			l.state[i] = "leased:" + strconv.Itoa(i)
			return l.events[i], l.state[i], true, nil
		}
	}
	return chartmogul.InboxEvent{}, "", false, nil
}

func (l *listInbox) settle(id, token, to string, attempt bool, retryAt time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, err := strconv.Atoi(id)
	if err != nil || i >= len(l.state) || l.state[i] != token {
		return errors.New("not leased with this token")
	}
	l.state[i], l.due[i] = to, retryAt
	if attempt {
		l.events[i].Attempts++
	}
	return nil
}

func (l *listInbox) Ack(_ context.Context, id, token string) error {
	return l.settle(id, token, "acked", false, time.Time{})
}
func (l *listInbox) Fail(_ context.Context, id, token string, retryAt time.Time, _ string) error {
	return l.settle(id, token, "", true, retryAt)
}
func (l *listInbox) DeadLetter(_ context.Context, id, token, _ string) error {
	return l.settle(id, token, "dead", true, time.Time{})
}
func (l *listInbox) DeadLetters(context.Context, int) ([]chartmogul.InboxEvent, error) {
	return nil, nil
}
func (l *listInbox) Replay(context.Context, string) error { return errors.New("no dead letters") }

func (l *listInbox) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.state {
		if s == "acked" {
			n++
		}
	}
	return n
}

// With WithInbox the receiver answers 202 without calling the handler,
// and the worker later decodes the kept body and delivers it, through a
// handler failure.
func TestReceiverWithInboxDeliversThroughTheWorker(t *testing.T) {
	inbox := &listInbox{}
	h := &recorder{fail: errors.New("database down")}
	recv := chartmogul.NewReceiver(h, chartmogul.WithSharedSecret("s3cret"), chartmogul.WithInbox(inbox),
		chartmogul.WithOrderingKey(func(message string, _ []byte) string { return message }))
	w := receivertest.Serve(recv, receivertest.Request(validPayload(t), receivertest.Header("Authorization", "Bearer s3cret")))
	require.Equal(t, http.StatusAccepted, w.Code)
	require.Zero(t, h.count())
	require.Len(t, inbox.events, 1)
	require.Equal(t, "mrr_movement", inbox.events[0].Message)
	require.Equal(t, "mrr_movement", inbox.events[0].OrderingKey)
	require.NotContains(t, inbox.events[0].Headers, "Authorization")

	var mu sync.Mutex
	var reported []error
	worker := chartmogul.NewInboxWorker(h, inbox, chartmogul.WithInboxBackoff(time.Millisecond, time.Millisecond),
		chartmogul.WithInboxPoll(time.Millisecond), chartmogul.WithInboxErrors(func(err error) {
			mu.Lock()
			defer mu.Unlock()
			reported = append(reported, err)
			if len(reported) == 2 {
				h.mu.Lock()
				h.fail = nil // the database is back
				h.mu.Unlock()
			}
		}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- worker.Run(ctx) }()
	require.Eventually(t, func() bool { return inbox.acked() == 1 }, 20*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Equal(t, 1, h.count())
	require.Equal(t, 2, inbox.events[0].Attempts)
	require.ErrorContains(t, reported[0], "database down")
}
