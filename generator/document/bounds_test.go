package document

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// aliasBomb returns YAML anchors lol0 ... lol<levels-1> where each level is
// a list of nine aliases of the one before: expanded, the last is 9^levels
// values ("billion laughs"). leaf is the YAML of level zero's items.
func aliasBomb(levels int, leaf string) string {
	var b strings.Builder
	b.WriteString("x-bomb:\n")
	fmt.Fprintf(&b, "  l0: &lol0 [%s]\n", strings.TrimSuffix(strings.Repeat(leaf+", ", 9), ", "))
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "  l%d: &lol%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*lol%d, ", i-1), 9), ", "))
	}
	return b.String()
}

// schemaBomb is anchors s0 ... s<levels-1> of object schemas, each with
// nine properties that are all the schema one level down.
func schemaBomb(levels int) string {
	var b strings.Builder
	b.WriteString("x-schemas:\n  s0: &s0 {type: string}\n")
	for i := 1; i < levels; i++ {
		props := make([]string, 9)
		for j := range props {
			props[j] = fmt.Sprintf("p%d: *s%d", j, i-1)
		}
		fmt.Fprintf(&b, "  s%d: &s%d {type: object, properties: {%s}}\n", i, i, strings.Join(props, ", "))
	}
	return b.String()
}

func TestAliasBombInExampleIsRefused(t *testing.T) {
	spec := header + aliasBomb(10, `"lol"`) + `channels:
  a:
    publish:
      message:
        payload: {type: array}
        examples:
          - payload: *lol9
`
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.ErrorContains(t, err, "expands to more than")
	require.ErrorContains(t, err, "api.yaml:")
}

func TestManyExamplesShareOneExpansionBudget(t *testing.T) {
	// Each example alone stays under the limit; together they would not.
	var examples strings.Builder
	for range 200 {
		examples.WriteString("          - payload: *lol6\n")
	}
	spec := header + aliasBomb(7, `"lol"`) + `channels:
  a:
    publish:
      message:
        payload: {type: array}
        examples:
` + examples.String()
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.ErrorContains(t, err, "expands to more than")
}

func TestAliasBombInSchemaIsShared(t *testing.T) {
	// An aliased schema is one shared schema, as a $ref would make it, so
	// 9^10 properties are ten schemas.
	spec := header + schemaBomb(10) + `channels:
  a:
    publish:
      message:
        payload: *s9
`
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.NoError(t, err)
	s := doc.Channels[0].Publish.Messages[0].Payload.Value
	for range 9 {
		require.Len(t, s.Properties, 9)
		require.Same(t, s.Properties["p0"].Value, s.Properties["p8"].Value)
		s = s.Properties["p0"].Value
	}
	require.True(t, s.Type.Is("string"))
	require.Equal(t, "s0", doc.SchemaInfo[s].Name)
}

func TestAliasBombInTraitsIsMergedWithoutExpanding(t *testing.T) {
	// Traits whose headers schema is an alias bomb: merging them must not
	// copy the bomb out into a tree.
	spec := header + schemaBomb(10) + `channels:
  a:
    publish:
      message:
        payload: {type: string}
        traits:
          - headers: *s9
          - headers: *s9
`
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.NoError(t, err)
	h := doc.Channels[0].Publish.Messages[0].Headers.Value
	require.Len(t, h.Properties, 9)
}

func TestAliasBombInTraitsListIsRefused(t *testing.T) {
	// A bomb of lists in a trait is data: merging keeps it shared, and
	// reading it as an example is refused.
	spec := header + aliasBomb(10, `"lol"`) + `channels:
  a:
    publish:
      message:
        payload: {type: string}
        traits:
          - examples: [{payload: *lol9}]
`
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.ErrorContains(t, err, "expands to more than 1000000 values")
}

func TestInterfaceSharesAliasedValues(t *testing.T) {
	l := NewLoader(memFiles(map[string]string{"api.yaml": aliasBomb(12, `"lol"`)}))
	f, err := l.Load("api.yaml")
	require.NoError(t, err)
	v := f.Root.Get("x-bomb").Get("l11").Interface()
	// 9^12 values if expanded; shared, it is twelve lists.
	for range 11 {
		list, ok := v.([]any)
		require.True(t, ok)
		require.Len(t, list, 9)
		v = list[8]
	}
	require.Equal(t, []any{"lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"}, v)
}

func TestDeepNestingIsRefused(t *testing.T) {
	const depth = 2000
	flow := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	var block strings.Builder
	for i := range depth {
		fmt.Fprintf(&block, "%sa:\n", strings.Repeat(" ", i))
	}
	schema := strings.Repeat("{items: ", depth) + "{}" + strings.Repeat("}", depth)
	for name, spec := range map[string]string{
		"flow list":    header + "channels: {}\nx: " + flow + "\n",
		"block map":    header + "channels: {}\nx:\n" + indent(block.String(), 2),
		"items schema": header + "channels:\n  a:\n    publish:\n      message:\n        payload: " + schema + "\n",
		"json":         `{"asyncapi": "2.6.0", "x": ` + flow + `}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
			require.Error(t, err)
			require.Regexp(t, `nests deeper than 512 levels|exceeded max depth`, err.Error())
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+pad) + "\n"
}

func TestLongRefChainResolvesInLinearWork(t *testing.T) {
	// Schema i refers to schema i+1; every schema is a component, so each
	// chain is followed from every start.
	const n = 3000
	var b strings.Builder
	b.WriteString(header + "channels: {}\ncomponents:\n  schemas:\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "    S%d: {$ref: '#/components/schemas/S%d'}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    S%d: {type: string}\n", n-1)
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": b.String()}))
	require.NoError(t, err)
	require.Len(t, doc.Schemas, n)
	require.Same(t, doc.Schemas[0].Schema.Value, doc.Schemas[n-1].Schema.Value)
}

func TestDeepSchemaUnderTheLimitLoads(t *testing.T) {
	// 250 nested schemas are 500 levels of YAML, under the limit: the
	// schema conversion (and kin-openapi's decoding) must handle them.
	const depth = 250
	schema := strings.Repeat("{items: ", depth) + "{type: string}" + strings.Repeat("}", depth)
	spec := header + "channels:\n  a:\n    publish:\n      message:\n        payload: " + schema + "\n"
	doc, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": spec}))
	require.NoError(t, err)
	s := doc.Channels[0].Publish.Messages[0].Payload.Value
	for range depth {
		require.NotNil(t, s.Items)
		s = s.Items.Value
	}
	require.True(t, s.Type.Is("string"))
}

// TestLongChannelAddressIsRefused: an address longer than the longest MQTT
// topic is an error at the address, in 2.x (the channel's key) and 3.x
// (its address), so that no subscriber builds tries and patterns for
// millions of levels.
func TestLongChannelAddressIsRefused(t *testing.T) {
	long := strings.Repeat("a/", maxAddress/2) + "ab"
	// A key this long must be explicit in YAML (? key : value).
	_, err := Load("api.yaml", memFiles(map[string]string{"api.yaml": header + "channels:\n  ? '" + long + "'\n  : publish:\n      message: {payload: {type: string}}\n"}))
	require.ErrorContains(t, err, "api.yaml:4:5 (#/channels/a~1a~1")
	require.ErrorContains(t, err, "~1ab): the channel address is 65536 bytes long: an address holds at most 65535 (the longest MQTT topic)")

	_, err = Load("api.yaml", memFiles(map[string]string{"api.yaml": header3 + "channels:\n  c:\n    address: '" + long + "'\n"}))
	require.EqualError(t, err, "api.yaml:5:14 (#/channels/c/address): the channel address is 65536 bytes long: an address holds at most 65535 (the longest MQTT topic)")

	_, err = Load("api.yaml", memFiles(map[string]string{"api.yaml": header3 + "channels:\n  c:\n    address: '" + long[:maxAddress] + "'\n"}))
	require.NoError(t, err)
}
