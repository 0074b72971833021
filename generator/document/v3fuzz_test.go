package document

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoadV3 feeds arbitrary bytes to the loader as an AsyncAPI 3.0
// document: it must return a document or a one-line *Error naming the
// file, never panic and never hang. Seeds (the 3.0 goldens, the shipped
// specs in 3.0 and rule cases) are in testdata/fuzz/FuzzLoadV3; run it with
//
//	go test -run '^$' -fuzz FuzzLoadV3 -fuzztime 5m ./generator/document
func FuzzLoadV3(f *testing.F) {
	f.Add([]byte(v3Base + "operations:\n  a:\n    action: receive\n    channel: {$ref: '#/channels/users'}\n    messages: [{$ref: '#/channels/users/messages/signedUp'}]\n    reply:\n      address: {location: '$message.header#/r'}\n      channel: {$ref: '#/channels/other'}\n"))
	f.Add([]byte(header3 + "channels:\n  c: {$ref: 'other.yaml#/channels/c'}\noperations:\n  o:\n    action: send\n    channel: {$ref: '#/channels/c'}\n    messages: [{$ref: '#/channels/c/messages/m'}]\n    traits: [{summary: s}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
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
