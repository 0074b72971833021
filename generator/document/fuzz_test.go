package document

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// fuzzFiles serves data as the root document, and again as other.yaml so
// that $refs into another file are exercised too.
func fuzzFiles(data []byte) Options {
	return Options{ReadFile: func(path string) ([]byte, error) {
		switch path {
		case "api.yaml", "other.yaml":
			return data, nil
		}
		return nil, fs.ErrNotExist
	}}
}

// FuzzLoad feeds arbitrary bytes to the loader as a document: it must
// return a document or a one-line *Error naming the file, never panic and
// never hang. Seeds are in testdata/fuzz/FuzzLoad; run it with
//
//	go test -run '^$' -fuzz FuzzLoad -fuzztime 60s ./generator/document
func FuzzLoad(f *testing.F) {
	f.Add([]byte(header + "channels: {}\n"))
	f.Add([]byte(header + "channels:\n  a:\n    publish:\n      message:\n        payload: {$ref: 'other.yaml#/components/schemas/S'}\ncomponents:\n  schemas:\n    S: {type: object, properties: {s: {$ref: '#/components/schemas/S'}}}\n"))
	f.Add([]byte(header + "tags: [{name: a}, {name: a}]\nchannels:\n  a:\n    publish:\n      traits: [{message: {}}]\n      message:\n        payload: {type: object, properties: {n: {type: integer, default: x}}}\n        traits: [{payload: {}, messageId: m}]\n        examples: [{payload: {n: 1}}, {payload: {n: x}}, {}]\n"))
	f.Add([]byte(header + "servers: {k: {url: k, protocol: kafka}}\nchannels:\n  a:\n    publish:\n      message: {correlationId: {location: '$message.header#/id'}, payload: {}}\n      x-reply: {channel: {$ref: '#/channels/b'}, messages: [{$ref: '#/components/messages/M'}], address: {location: '$message.header#/to'}}\n  b:\n    subscribe: {message: {$ref: '#/components/messages/M'}}\ncomponents: {messages: {M: {payload: {}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lenient := fuzzFiles(data)
		lenient.Lenient = true
		lenient.Warn = func(w *Error) {
			if w.Loc.File == "" || strings.Contains(w.Error(), "\n") {
				t.Fatalf("warning names no file or is not one line: %q", w.Error())
			}
		}
		if _, err := Load("api.yaml", lenient); err != nil {
			var docErr *Error
			if !errors.As(err, &docErr) {
				t.Fatalf("lenient error is not a *document.Error: %T %v", err, err)
			}
		}
		doc, err := Load("api.yaml", fuzzFiles(data))
		if err == nil {
			if doc == nil {
				t.Fatal("no document and no error")
			}
			return
		}
		var docErr *Error
		if !errors.As(err, &docErr) {
			t.Fatalf("error is not a *document.Error: %T %v", err, err)
		}
		if docErr.Loc.File == "" {
			t.Fatalf("error names no file: %v", err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not one line: %q", err.Error())
		}
	})
}
