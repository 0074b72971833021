// Package webhook runs a spec loaded at run time through the runtime of
// the generated receivers and senders (templates/support): it is what
// asyncgen send and asyncgen listen are made of. Messages are told apart
// and validated the way generated code does, with the spec's schemas
// checked by the rules the generated validators would check, read at run
// time (support.DynamicValidator) instead of compiled.
package webhook

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/internal/suggest"
	"github.com/asyncgen/asyncgen/templates"
	"github.com/asyncgen/asyncgen/templates/support"
)

// Spec is a loaded spec: its messages, how its channels tell them apart,
// and how its requests authenticate.
type Spec struct {
	// Path is the spec's file.
	Path     string
	Messages []*Message
	// Dispatches are the discriminators of channels carrying several
	// messages.
	Dispatches  []*Dispatch
	Credentials []templates.Credential
}

// Message is one message of the spec.
type Message struct {
	// Name is the message's name in the spec (or its components key).
	Name string
	// Schema is the payload schema; nil when the message has none.
	Schema *support.DynamicSchema
	// Examples are the payloads the spec documents, as JSON.
	Examples []*model.Example
	// KeyHeader is the header the spec declares as its idempotency key.
	KeyHeader string
	// validator checks payloads against Schema; the spec's messages share
	// it.
	validator *support.DynamicValidator
}

// Dispatch is a payload property whose value names the message.
type Dispatch struct {
	Property string
	// Cases maps each value, as the generated decoder writes it (the
	// string, the integer in decimal, true or false), to its message.
	Cases map[string]*Message
}

// Load reads the spec at path as generate would.
func Load(path string, opts document.Options) (*Spec, error) {
	cfg := generator.Config{Package: "spec", OutDir: filepath.Dir(path), Specs: []string{path}, Load: opts}
	pkg, err := generator.Build(cfg)
	if err != nil {
		return nil, err
	}
	s := &Spec{Path: path, Credentials: templates.Credentials(pkg)}
	validator, rules := support.NewDynamicValidator(), templates.NewDynamicRules()
	byModel := map[*model.Message]*Message{}
	for _, m := range pkg.Messages {
		msg := &Message{Name: m.WireName, Schema: rules.Convert(m.PayloadRules), Examples: m.Examples, KeyHeader: m.IdempotencyHeader, validator: validator}
		byModel[m] = msg
		s.Messages = append(s.Messages, msg)
	}
	for _, ch := range pkg.Channels {
		if ch.Dispatch == nil {
			continue
		}
		d := &Dispatch{Property: ch.Dispatch.Property, Cases: map[string]*Message{}}
		for _, c := range ch.Dispatch.Cases {
			if msg := byModel[c.Message]; msg != nil {
				d.Cases[c.Value] = msg
			}
		}
		s.Dispatches = append(s.Dispatches, d)
	}
	return s, nil
}

// Message returns the message called name, or an error naming the
// closest one.
func (s *Spec) Message(name string) (*Message, error) {
	for _, m := range s.Messages {
		if m.Name == name {
			return m, nil
		}
	}
	names := s.messageNames()
	hint := ""
	if found := suggest.Closest(name, names); found != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", found)
	}
	return nil, fmt.Errorf("%s has no message %q%s; its messages are %s", s.Path, name, hint, strings.Join(names, ", "))
}

func (s *Spec) messageNames() []string {
	names := make([]string, 0, len(s.Messages))
	for _, m := range s.Messages {
		names = append(names, m.Name)
	}
	return names
}

// Example returns the message's example called name, or its first when
// name is "".
func (m *Message) Example(name string) (*model.Example, error) {
	if len(m.Examples) == 0 {
		return nil, fmt.Errorf("message %q has no examples in the spec; send a file with -file", m.Name)
	}
	if name == "" {
		return m.Examples[0], nil
	}
	var names []string
	for _, ex := range m.Examples {
		if ex.Name == name {
			return ex, nil
		}
		names = append(names, ex.Name)
	}
	hint := ""
	if found := suggest.Closest(name, names); found != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", found)
	}
	return nil, fmt.Errorf("message %q has no example %q%s; its examples are %s", m.Name, name, hint, strings.Join(slices.Compact(names), ", "))
}
