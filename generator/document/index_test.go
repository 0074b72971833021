package document

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKeyIndexAgreesWithGet(t *testing.T) {
	for _, size := range []int{0, 1, indexedKeys - 1, indexedKeys, 100} {
		n := &Node{Kind: KindMap}
		for i := range size {
			n.Keys = append(n.Keys, "k"+strconv.Itoa(i))
			n.Values = append(n.Values, &Node{Kind: KindNumber, Str: strconv.Itoa(i)})
		}
		ix := keyIndex{}
		for i := range size {
			key := "k" + strconv.Itoa(i)
			require.Same(t, n.Get(key), ix.get(n, key), "size %d key %s", size, key)
		}
		require.Nil(t, ix.get(n, "absent"), "size %d", size)
		require.Equal(t, size >= indexedKeys, ix[n] != nil, "size %d: only large maps are indexed", size)
	}
}

func TestRefsIntoLargeMap(t *testing.T) {
	// Resolving $refs goes through the index once components/schemas is
	// large; every ref must still land on its own schema.
	spec := "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {}\ncomponents:\n  schemas:\n"
	const n = 3 * indexedKeys
	for i := range n {
		spec += "    S" + strconv.Itoa(i) + ":\n      type: object\n      description: schema " + strconv.Itoa(i) + "\n" +
			"      properties:\n        next: {$ref: '#/components/schemas/S" + strconv.Itoa((i+5)%n) + "'}\n"
	}
	doc, err := Load("spec.yaml", Options{ReadFile: func(string) ([]byte, error) { return []byte(spec), nil }})
	require.NoError(t, err)
	require.Len(t, doc.Schemas, n)
	for i, s := range doc.Schemas {
		next := s.Schema.Value.Properties["next"]
		require.NotNil(t, next)
		require.Equal(t, "schema "+strconv.Itoa((i+5)%n), next.Value.Description, "S%d.next", i)
	}
	_, err = Load("spec.yaml", Options{ReadFile: func(string) ([]byte, error) {
		return []byte(spec + "    Bad: {$ref: '#/components/schemas/Absent'}\n"), nil
	}})
	require.ErrorContains(t, err, "nothing at /components/schemas/Absent")
}
