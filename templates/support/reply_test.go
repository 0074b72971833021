package support

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// replyPayload is a reply whose Decode function refuses a negative N.
type replyPayload struct {
	N int `json:"n"`
}

func decodeReplyPayload(data []byte) (*replyPayload, error) {
	if strings.Contains(string(data), `"n":-`) {
		return nil, &ValidationError{Violations: []Violation{{Pointer: "/n", Keyword: "minimum", Message: "less than 0"}}}
	}
	return &replyPayload{}, nil
}

// answeringDelivery delivers to a handler returning reply and err.
func answeringDelivery(reply *replyPayload, err error, calls *atomic.Int32) receiverDelivery {
	return receiverDelivery{message: "ask", answer: func(context.Context) ([]byte, error) {
		calls.Add(1)
		return receiverReplyEncoder("answer", decodeReplyPayload)(reply, err)
	}}.answering()
}

func TestReceiverReplyEncoder(t *testing.T) {
	encode := receiverReplyEncoder("answer", decodeReplyPayload)
	body, err := encode(&replyPayload{N: 2}, nil)
	require.NoError(t, err)
	require.JSONEq(t, `{"n":2}`, string(body))

	handlerErr := errors.New("no answer today")
	_, err = encode(&replyPayload{N: 2}, handlerErr)
	require.Same(t, handlerErr, err, "the handler's error passes as it is")

	var re *receiverReplyError
	_, err = encode(nil, nil)
	require.ErrorAs(t, err, &re)
	require.EqualError(t, err, "the handler's reply answer is invalid and was not sent: the handler returned neither a reply nor an error")

	_, err = encode(&replyPayload{N: -1}, nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &re)
	require.ErrorAs(t, err, &ve, "the violations are there for errors.As")
	require.Equal(t, "/n", ve.Violations[0].Pointer)
}

// A request with a reply is handled at once even with an inbox: its
// sender waits for the reply.
func TestReceiverReplyBypassesTheInbox(t *testing.T) {
	inbox := &memInbox{}
	var calls atomic.Int32
	rc := newReceiverCore(receiverSettings{inbox: inbox, authenticator: func(*http.Request) error { return nil }}, nil,
		func([]byte) (receiverDelivery, error) {
			return answeringDelivery(&replyPayload{N: 3}, nil, &calls), nil
		})
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, inboxRequest(`{}`))
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	require.JSONEq(t, `{"n":3}`, w.Body.String())
	require.Empty(t, inbox.events)
	require.EqualValues(t, 1, calls.Load())
}

// An invalid reply answers 500 and releases the idempotency key, so that
// a retry calls the handler again; a valid one completes it.
func TestReceiverReplySettlesItsKey(t *testing.T) {
	for _, tt := range []struct {
		name   string
		reply  *replyPayload
		status int
		settle string
		body   string
	}{
		{"valid", &replyPayload{N: 1}, http.StatusOK, "complete", `{"n":1}`},
		{"invalid", &replyPayload{N: -1}, http.StatusInternalServerError, "release",
			`{"error":"the handler's reply answer is invalid and was not sent: 1 violation: /n: less than 0"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := &settleStore{settled: make(chan string, 1)}
			var reported []error
			var calls atomic.Int32
			rc := newReceiverCore(receiverSettings{idempotent: true, store: store, bodyHashKeys: true,
				onError: func(_ *http.Request, err error) { reported = append(reported, err) }, authenticator: func(*http.Request) error { return nil }}, nil,
				func([]byte) (receiverDelivery, error) { return answeringDelivery(tt.reply, nil, &calls), nil })
			w := httptest.NewRecorder()
			rc.ServeHTTP(w, inboxRequest(`{}`))
			require.Equal(t, tt.status, w.Code)
			require.JSONEq(t, tt.body, w.Body.String())
			require.Equal(t, tt.settle, <-store.settled)
			if tt.status == http.StatusOK {
				require.Empty(t, reported)
			} else {
				require.Len(t, reported, 1)
			}
		})
	}
}

// The paths that send no reply (an inbox worker, a broker subscriber)
// call the handler through handle, which drops the reply but not its
// error.
func TestAnsweringHandleDropsTheReply(t *testing.T) {
	var calls atomic.Int32
	require.NoError(t, answeringDelivery(&replyPayload{N: 1}, nil, &calls).handle(context.Background()))
	require.Error(t, answeringDelivery(&replyPayload{N: -1}, nil, &calls).handle(context.Background()))
	require.EqualValues(t, 2, calls.Load())
}

func TestSendRequestReadsTheReply(t *testing.T) {
	for _, tt := range []struct {
		name, contentType, body string
		status                  int
		want, wantErr           string
	}{
		{"json", "application/json; charset=utf-8", `{"n":1}`, http.StatusOK, `{"n":1}`, ""},
		{"+json", "application/vnd.acme+json", `{"n":2}`, http.StatusCreated, `{"n":2}`, ""},
		{"no content type", "", `{"n":3}`, http.StatusOK, `{"n":3}`, ""},
		{"204", "", ``, http.StatusNoContent, "", "delivered, but the receiver answered without a reply"},
		{"white space only", "application/json", " \n", http.StatusOK, "", "delivered, but the receiver answered without a reply"},
		{"html", "text/html", `<p>ok</p>`, http.StatusOK, "", `delivered, but the reply's content type "text/html" is not JSON`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil // no sniffing
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			tr, _ := testTransport(t, srv, fastPolicy)
			reply, err := tr.request(testContext(t), []byte(`{}`))
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				var se *SendError
				require.False(t, errors.As(err, &se), "delivered: not a SendError")
			} else {
				require.NoError(t, err)
				require.Equal(t, tt.want, string(reply))
			}
			require.EqualValues(t, 1, requests.Load(), "a delivered request is not retried")
		})
	}
}
