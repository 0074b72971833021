package ordered

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSetKeepsFirstOrderAndDropsRepeats(t *testing.T) {
	var s Set[string]
	for _, v := range []string{"b", "a", "b", "c", "a"} {
		s.Add(v)
	}
	require.Equal(t, []string{"b", "a", "c"}, s.Items())
	require.Equal(t, 3, s.Len())
	require.Equal(t, 1, s.Index("a"))
	require.Equal(t, -1, s.Index("z"))
	require.True(t, s.Has("c"))
	i, added := s.Add("c")
	require.Equal(t, 2, i)
	require.False(t, added)
}

func TestSetZeroValueIsEmpty(t *testing.T) {
	var s Set[int]
	require.Equal(t, 0, s.Len())
	require.Equal(t, -1, s.Index(0))
	require.Nil(t, s.Items())
}
