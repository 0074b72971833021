// Package ordered holds a set that keeps the order its members were added
// in, for the generator's lists that must stay unique and deterministic
// without comparing every new member with every old one.
package ordered

// Set is a list of distinct values in the order they were first added. Its
// zero value is an empty set ready to use.
type Set[T comparable] struct {
	items  []T
	index  map[T]int
	probes int
}

// Add appends v unless the set holds it, and gives v's position and
// whether it was new.
func (s *Set[T]) Add(v T) (int, bool) {
	if i := s.Index(v); i >= 0 {
		return i, false
	}
	if s.index == nil {
		s.index = map[T]int{}
	}
	s.index[v] = len(s.items)
	s.items = append(s.items, v)
	return len(s.items) - 1, true
}

// Index is v's position in the set, or -1 when the set does not hold it.
func (s *Set[T]) Index(v T) int {
	s.probes++
	if i, ok := s.index[v]; ok {
		return i
	}
	return -1
}

// Has reports whether the set holds v.
func (s *Set[T]) Has(v T) bool { return s.Index(v) >= 0 }

// Items are the members in the order they were added; the caller must not
// change them.
func (s *Set[T]) Items() []T { return s.items }

// Len is the number of members.
func (s *Set[T]) Len() int { return len(s.items) }

// Probes counts the lookups made so far, each of constant cost: the work a
// caller did, for tests that check it grows linearly.
func (s *Set[T]) Probes() int { return s.probes }
