package generator

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
)

// TestAllOfClosureWorkIsLinear follows a diamond of allOf parts n wide,
// every part also naming the shared root: each schema is listed once, and
// the lookups grow with the parts named, not with their square (comparing
// each new part with every listed one took n²/2).
func TestAllOfClosureWorkIsLinear(t *testing.T) {
	const n = 5000
	root := &document.Schema{}
	shared := &document.Schema{}
	for range n {
		part := &document.Schema{AllOf: document.SchemaRefs{{Value: shared}, {Value: root}}}
		root.AllOf = append(root.AllOf, &document.SchemaRef{Value: part})
	}
	parts := allOfClosure(root)
	require.Equal(t, n+2, parts.Len())
	require.Same(t, root, parts.Items()[0])
	require.Same(t, shared, parts.Items()[2])
	require.LessOrEqual(t, parts.Probes(), 1+3*n)
}

// TestRequiredAndConstsWorkIsLinear reads n parts that each require the
// same n/10 properties and fix one of them by const: each name is kept
// once, the first const wins, and the lookups grow with the names read.
func TestRequiredAndConstsWorkIsLinear(t *testing.T) {
	const n, names = 500, 50
	var parts []*document.Schema
	for i := range n {
		s := &document.Schema{Properties: document.Schemas{}}
		for j := range names {
			s.Required = append(s.Required, fmt.Sprintf("p%02d", j))
		}
		s.Properties["kind"] = &document.SchemaRef{Value: &document.Schema{Const: fmt.Sprint(i)}}
		parts = append(parts, s)
	}
	b := &builder{doc: &document.Document{}}
	required, consts := b.requiredAndConsts(parts)
	require.Equal(t, names, required.Len())
	require.Equal(t, "p00", required.Items()[0])
	require.Equal(t, "p49", required.Items()[names-1])
	require.Len(t, consts, 1)
	require.Equal(t, "kind", consts[0].Name)
	require.Equal(t, `"0"`, consts[0].JSON)
	require.LessOrEqual(t, required.Probes(), n*names)
}

// TestChannelMessagesWorkIsLinear lists a channel whose operations name n
// messages, twice each: each once, in order, with one lookup per naming.
func TestChannelMessagesWorkIsLinear(t *testing.T) {
	const n = 5000
	var msgs []*document.Message
	for range n {
		msgs = append(msgs, &document.Message{})
	}
	ch := &document.Channel{
		Publish:   &document.Operation{Messages: msgs},
		Subscribe: &document.Operation{Messages: msgs},
	}
	got := channelMessages(ch)
	require.Equal(t, n, got.Len())
	require.Same(t, msgs[n-1], got.Items()[n-1])
	require.Equal(t, 2*n, got.Probes())
}
