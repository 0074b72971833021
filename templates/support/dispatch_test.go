package support

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDiscriminatorInt(t *testing.T) {
	for in, want := range map[string]int64{
		`{"k":7}`: 7, `{"k": -3 }`: -3, `{"k":2.0}`: 2, `{"k":1e2}`: 100, `{"a":{"k":1},"k":0}`: 0,
		`{"k":9223372036854775807}`: 9223372036854775807,
	} {
		n, err := discriminatorInt([]byte(in), "k")
		require.NoError(t, err, in)
		require.Equal(t, want, n, in)
	}
	for _, in := range []string{`{}`, `{"k":"7"}`, `{"k":1.5}`, `{"k":9223372036854775808}`, `{"k":1e19}`, `{"k":true}`, `7`} {
		_, err := discriminatorInt([]byte(in), "k")
		require.True(t, errors.Is(err, ErrNoDiscriminator), "%s: %v", in, err)
	}
	var se *SyntaxError
	_, err := discriminatorInt([]byte(`{"k":7} x`), "k")
	require.ErrorAs(t, err, &se)
}

func TestDiscriminatorBool(t *testing.T) {
	for in, want := range map[string]bool{`{"k":true}`: true, `{"k":false,"x":[1]}`: false} {
		b, err := discriminatorBool([]byte(in), "k")
		require.NoError(t, err, in)
		require.Equal(t, want, b, in)
	}
	for _, in := range []string{`{}`, `{"k":"true"}`, `{"k":null}`, `{"k":0}`} {
		_, err := discriminatorBool([]byte(in), "k")
		require.True(t, errors.Is(err, ErrNoDiscriminator), "%s: %v", in, err)
	}
	var se *SyntaxError
	_, err := discriminatorBool([]byte(`{"k":tru}`), "k")
	require.ErrorAs(t, err, &se)
}
