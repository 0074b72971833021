package v3requestreply

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// pricing answers quotes with what quote returns, and stock queries with
// a level of 7.
type pricing struct {
	NopHandler
	quote func(*QuoteRequestedPayload) (*QuotedPayload, error)
}

func (p pricing) HandleQuoteRequested(_ context.Context, v *QuoteRequestedPayload) (*QuotedPayload, error) {
	return p.quote(v)
}

func (p pricing) HandleStockQuery(_ context.Context, v *StockQueryPayload) (*StockLevelPayload, error) {
	return &StockLevelPayload{Sku: v.Sku, Available: 7}, nil
}

// recorded keeps what a Receiver tells WithReceiveErrors and WithEvents.
type recorded struct {
	mu     sync.Mutex
	errs   []error
	events []ReceiverEvent
}

func (r *recorded) options() []ReceiverOption {
	return []ReceiverOption{
		WithReceiveErrors(func(_ *http.Request, err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }),
		WithEvents(func(e ReceiverEvent) { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() }),
	}
}

// serve starts a loopback server for h and a Sender posting to it, once.
func serve(t *testing.T, h http.Handler) *Sender {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s, err := NewSender(srv.URL, WithInsecureHTTP(), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReplyReachesTheSender(t *testing.T) {
	h := pricing{quote: func(v *QuoteRequestedPayload) (*QuotedPayload, error) {
		return &QuotedPayload{Product: v.Product, Price: 2.5 * float64(v.Quantity), Currency: QuotedPayloadCurrencyEur}, nil
	}}
	s := serve(t, NewQuotesReceiver(h))
	got, err := s.SendQuoteRequested(context.Background(), &QuoteRequestedPayload{Product: "tea", Quantity: 4})
	if err != nil {
		t.Fatal(err)
	}
	if *got != (QuotedPayload{Product: "tea", Price: 10, Currency: QuotedPayloadCurrencyEur}) {
		t.Fatalf("reply %+v", got)
	}

	// The send operation's reply comes back the same way.
	level, err := serve(t, NewStockReceiver(h)).SendStockQuery(context.Background(), &StockQueryPayload{Sku: "TEA-1"})
	if err != nil {
		t.Fatal(err)
	}
	if *level != (StockLevelPayload{Sku: "TEA-1", Available: 7}) {
		t.Fatalf("reply %+v", level)
	}
}

func TestReceiverWritesTheReplyAsJSON(t *testing.T) {
	h := pricing{quote: func(v *QuoteRequestedPayload) (*QuotedPayload, error) {
		return &QuotedPayload{Product: v.Product, Price: 1, Currency: QuotedPayloadCurrencyUsd}, nil
	}}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"product":"tea","quantity":1}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	NewQuotesReceiver(h).ServeHTTP(w, r)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("answer %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if got := w.Body.String(); got != `{"product":"tea","price":1,"currency":"USD"}` {
		t.Fatalf("body %s", got)
	}
}

func TestInvalidReplyIsNeverSent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reply *QuotedPayload
		want  string
	}{
		{"breaks its schema", &QuotedPayload{Product: "tea", Price: 0, Currency: "GBP"}, "2 violations"},
		{"nil and no error", nil, "neither a reply nor an error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorded{}
			h := pricing{quote: func(*QuoteRequestedPayload) (*QuotedPayload, error) { return tt.reply, nil }}
			s := serve(t, NewQuotesReceiver(h, rec.options()...))
			got, err := s.SendQuoteRequested(context.Background(), &QuoteRequestedPayload{Product: "tea", Quantity: 1})
			var se *SendError
			if got != nil || !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
				t.Fatalf("got %v, %v; want a 500 SendError", got, err)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.errs) != 1 || !strings.Contains(rec.errs[0].Error(), "reply Quoted is invalid and was not sent: ") || !strings.Contains(rec.errs[0].Error(), tt.want) {
				t.Fatalf("reported %v", rec.errs)
			}
			if len(rec.events) != 1 || rec.events[0].Kind != ReceiverRetry || !strings.Contains(rec.events[0].Reason, tt.want) {
				t.Fatalf("events %+v", rec.events)
			}
			if tt.reply != nil {
				var ve *ValidationError
				if !errors.As(rec.errs[0], &ve) || len(ve.Violations) != 2 {
					t.Fatalf("the report does not wrap the violations: %v", rec.errs[0])
				}
				for _, want := range []string{"price", "currency"} {
					if !strings.Contains(rec.events[0].Reason, want) {
						t.Errorf("the event does not name %s: %s", want, rec.events[0].Reason)
					}
				}
			}
		})
	}
}

func TestSenderRefusesAnInvalidReply(t *testing.T) {
	for _, tt := range []struct {
		name, contentType, body string
		status                  int
		want                    string
	}{
		{"breaks its schema", "application/json", `{"product":"tea","price":-1,"currency":"EUR"}`, http.StatusOK, "the reply is not a valid Quoted message: 1 violation"},
		{"not JSON", "application/json", `{"product":`, http.StatusOK, "the reply is not a valid Quoted message"},
		{"another content type", "text/plain", `{}`, http.StatusOK, `the reply's content type "text/plain" is not JSON`},
		{"no reply", "", ``, http.StatusNoContent, "answered without a reply"},
		{"too long", "application/json", strings.Repeat(" ", 1<<20) + `{}`, http.StatusOK, "the reply is larger than 1048576 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			got, err := s.SendQuoteRequested(context.Background(), &QuoteRequestedPayload{Product: "tea", Quantity: 1})
			if got != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an error saying %q", got, err, tt.want)
			}
			var se *SendError
			if errors.As(err, &se) {
				t.Fatalf("the message was delivered, yet the error is a SendError: %v", err)
			}
		})
	}
}

func TestSenderErrorNamesTheViolation(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"product":"tea","price":3,"currency":"GBP"}`))
	}))
	_, err := s.SendQuoteRequested(context.Background(), &QuoteRequestedPayload{Product: "tea", Quantity: 1})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Pointer != "/currency" || ve.Violations[0].Keyword != "enum" {
		t.Fatalf("got %v", err)
	}
}

func TestNopHandlerHasNoReply(t *testing.T) {
	rec := &recorded{}
	s := serve(t, NewQuotesReceiver(NopHandler{}, rec.options()...))
	_, err := s.SendQuoteRequested(context.Background(), &QuoteRequestedPayload{Product: "tea", Quantity: 1})
	var se *SendError
	if !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
		t.Fatalf("got %v", err)
	}
}

// comparer answers comparisons with what compare returns.
type comparer struct {
	NopHandler
	compare func(*ComparePayload) (ComparisonResultsMessage, error)
}

func (c comparer) HandleCompare(_ context.Context, v *ComparePayload) (ComparisonResultsMessage, error) {
	return c.compare(v)
}

func TestReplyOfSeveralMessages(t *testing.T) {
	h := comparer{compare: func(v *ComparePayload) (ComparisonResultsMessage, error) {
		if v.Price > 10 {
			return &DearerPayload{Kind: "dearer", By: v.Price - 10}, nil
		}
		return &CheaperPayload{Kind: "cheaper", By: 10 - v.Price}, nil
	}}
	s := serve(t, NewComparisonsReceiver(h))
	got, err := s.SendCompare(context.Background(), &ComparePayload{Product: "tea", Price: 12})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := got.(*DearerPayload); !ok || *d != (DearerPayload{Kind: "dearer", By: 2}) {
		t.Fatalf("reply %#v", got)
	}
	got, err = s.SendCompare(context.Background(), &ComparePayload{Product: "tea", Price: 4})
	if c, ok := got.(*CheaperPayload); err != nil || !ok || *c != (CheaperPayload{Kind: "cheaper", By: 6}) {
		t.Fatalf("reply %#v, %v", got, err)
	}

	// A reply that breaks its message's schema is not sent.
	rec := &recorded{}
	wrong := comparer{compare: func(*ComparePayload) (ComparisonResultsMessage, error) {
		return &CheaperPayload{Kind: "cheaper", By: 0}, nil
	}}
	got, err = serve(t, NewComparisonsReceiver(wrong, rec.options()...)).SendCompare(context.Background(), &ComparePayload{Product: "tea", Price: 4})
	var se *SendError
	if got != nil || !errors.As(err, &se) || se.StatusCode != http.StatusInternalServerError {
		t.Fatalf("got %#v, %v; want a 500", got, err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0].Error(), "reply Cheaper or Dearer is invalid and was not sent: 1 violation: /by") {
		t.Fatalf("reported %v", rec.errs)
	}
}
