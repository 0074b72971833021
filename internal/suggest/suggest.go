// Package suggest finds the word a user probably meant: the closest of the
// known names to a misspelt one, for "did you mean" hints.
package suggest

import "unicode/utf8"

// maxLen bounds the words compared, so that a hostile name costs at most
// maxLen² steps per candidate.
const maxLen = 128

// Closest returns the candidate nearest to word by edit distance (with
// letter case ignored), when it is near enough to be a typo: at most a
// third of the word's length, and at least one edit allowed. Ties go to the
// first candidate. It returns "" when nothing is close.
func Closest(word string, candidates []string) string {
	if word == "" || utf8.RuneCountInString(word) > maxLen {
		return ""
	}
	limit := max(1, utf8.RuneCountInString(word)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if c == word || utf8.RuneCountInString(c) > maxLen {
			continue
		}
		if d := distance(fold(word), fold(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// fold lowers ASCII letters, so that a wrong capital costs nothing.
func fold(s string) []rune {
	r := []rune(s)
	for i, c := range r {
		if 'A' <= c && c <= 'Z' {
			r[i] = c + 'a' - 'A'
		}
	}
	return r
}

// distance is the Levenshtein distance of a and b, with an adjacent swap
// counted as one edit (optimal string alignment).
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
