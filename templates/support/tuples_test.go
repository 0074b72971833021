package support

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTupleMarshal(t *testing.T) {
	data, err := tupleMarshal("Point", []any{1, "b", nil}, []bool{true, true, false}, nil)
	require.NoError(t, err)
	require.JSONEq(t, `[1,"b"]`, string(data), "positions up to the first absent one")
	data, err = tupleMarshal("Row", []any{"a"}, []bool{true}, []any{2, 3})
	require.NoError(t, err)
	require.JSONEq(t, `["a",2,3]`, string(data), "then the rest")
	_, err = tupleMarshal("Point", []any{nil, "b"}, []bool{false, true}, nil)
	require.EqualError(t, err, "encoding Point: item 1 is set but item 0 is not")
	_, err = tupleMarshal("Row", []any{nil}, []bool{false}, []any{2})
	require.EqualError(t, err, "encoding Row: Rest is set but item 0 is not")
}

func TestTupleDecode(t *testing.T) {
	var x float64
	var y *string
	items := func(text string) []json.RawMessage {
		var out []json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(text), &out))
		return out
	}
	require.NoError(t, tupleDecode("Point", items(`[1.5,"b"]`), []any{&x, &y}, 1, true))
	require.Equal(t, 1.5, x)
	require.Equal(t, "b", *y)
	require.EqualError(t, tupleDecode("Point", items(`[]`), []any{&x, &y}, 1, true), "decoding Point: 0 items, want at least 1")
	require.EqualError(t, tupleDecode("Point", items(`[1,"b",3]`), []any{&x, &y}, 1, true), "decoding Point: 3 items, want at most 2")
	require.NoError(t, tupleDecode("Row", items(`[1,"b",3]`), []any{&x, &y}, 1, false), "an open tuple leaves the rest to its caller")
	err := tupleDecode("Point", items(`[1,2]`), []any{&x, &y}, 1, true)
	require.ErrorContains(t, err, "decoding Point item 1: ")
}
