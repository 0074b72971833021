// Package diff computes line diffs and renders them in the unified format
// (diff -u, git diff). The edit script is a shortest one (Myers' O(ND)
// algorithm in linear space), and the output depends only on the inputs.
package diff

import (
	"fmt"
	"strings"
)

// Context is the number of unchanged lines shown around each change.
const Context = 3

// Unified returns the unified diff turning old into new, with oldName and
// newName on the --- and +++ lines, or "" when they are equal. A last line
// without a newline is marked "\ No newline at end of file".
func Unified(oldName, newName string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := Lines(a, b)
	hunks := groupHunks(ops, Context)
	if len(hunks) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		writeHunk(&sb, h, a, b)
	}
	return sb.String()
}

// splitLines splits s after every newline; each line keeps its "\n", so
// that a last line without one differs from the same line with one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// OpKind says what an Op does.
type OpKind byte

// The kinds of Op.
const (
	Equal  OpKind = ' '
	Delete OpKind = '-'
	Insert OpKind = '+'
)

// Op is one step of an edit script: line A of the old text is kept (Equal,
// also line B of the new text), deleted (Delete) or line B of the new text
// is inserted (Insert). Lines count from 0.
type Op struct {
	Kind OpKind
	A, B int
}

// Lines returns a shortest edit script turning a into b. Within a changed
// run, deletions come before insertions.
func Lines(a, b []string) []Op {
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b)}
	d.deleted = make([]bool, len(a))
	d.inserted = make([]bool, len(b))
	d.compare(0, len(a), 0, len(b))
	return d.script()
}

// differ marks which lines of a are deleted and which of b inserted.
type differ struct {
	a, b              []int
	deleted, inserted []bool
}

// compare marks the edits between a[aLo:aHi] and b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo, bLo = aLo+1, bLo+1
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			d.inserted[j] = true
		}
		return
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			d.deleted[i] = true
		}
		return
	}
	x, y, ok := d.split(aLo, aHi, bLo, bHi)
	if !ok {
		for i := aLo; i < aHi; i++ {
			d.deleted[i] = true
		}
		for j := bLo; j < bHi; j++ {
			d.inserted[j] = true
		}
		return
	}
	d.compare(aLo, x, bLo, y)
	d.compare(x, aHi, y, bHi)
}

// split finds a point (x, y) on a shortest edit path between a[aLo:aHi]
// and b[bLo:bHi] by running Myers' search from both ends until the two
// frontiers overlap (the "middle snake"). Both ranges are non-empty and
// differ in their first and last lines, so the point is strictly inside and
// each half is a smaller problem.
func (d *differ) split(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	a, b := d.a[aLo:aHi], d.b[bLo:bHi]
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	offset := maxD
	size := 2*maxD + 1
	fwd, bwd := make([]int, size), make([]int, size)
	for i := range fwd {
		fwd[i], bwd[i] = -1, -1
	}
	fwd[offset+1], bwd[offset+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	// The diagonals that ran off the grid on either side, per direction.
	fStart, fEnd, bStart, bEnd := 0, 0, 0, 0
	for step := 0; step < maxD; step++ {
		for k := -step + fStart; k <= step-fEnd; k += 2 {
			i := offset + k
			var fx int
			if k == -step || (k != step && fwd[i-1] < fwd[i+1]) {
				fx = fwd[i+1]
			} else {
				fx = fwd[i-1] + 1
			}
			fy := fx - k
			for fx < n && fy < m && a[fx] == b[fy] {
				fx, fy = fx+1, fy+1
			}
			fwd[i] = fx
			switch {
			case fx > n:
				fEnd += 2
			case fy > m:
				fStart += 2
			case odd:
				j := offset + delta - k
				if j >= 0 && j < size && bwd[j] != -1 && fx >= n-bwd[j] {
					return aLo + fx, bLo + fy, true
				}
			}
		}
		for k := -step + bStart; k <= step-bEnd; k += 2 {
			i := offset + k
			var bx int
			if k == -step || (k != step && bwd[i-1] < bwd[i+1]) {
				bx = bwd[i+1]
			} else {
				bx = bwd[i-1] + 1
			}
			by := bx - k
			for bx < n && by < m && a[n-bx-1] == b[m-by-1] {
				bx, by = bx+1, by+1
			}
			bwd[i] = bx
			switch {
			case bx > n:
				bEnd += 2
			case by > m:
				bStart += 2
			case !odd:
				j := offset + delta - k
				if j >= 0 && j < size && fwd[j] != -1 {
					fx := fwd[j]
					fy := fx - (j - offset)
					if fx >= n-bx {
						return aLo + fx, bLo + fy, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// script turns the marks into an edit script.
func (d *differ) script() []Op {
	var ops []Op
	i, j := 0, 0
	for i < len(d.a) || j < len(d.b) {
		switch {
		case i < len(d.a) && d.deleted[i]:
			ops = append(ops, Op{Kind: Delete, A: i, B: j})
			i++
		case j < len(d.b) && d.inserted[j]:
			ops = append(ops, Op{Kind: Insert, A: i, B: j})
			j++
		default:
			ops = append(ops, Op{Kind: Equal, A: i, B: j})
			i, j = i+1, j+1
		}
	}
	return ops
}

// hunk is a run of ops: changes with up to context equal lines around.
type hunk []Op

// groupHunks cuts the script into hunks, merging changes separated by at
// most 2*context equal lines.
func groupHunks(ops []Op, context int) []hunk {
	var hunks []hunk
	for start := 0; start < len(ops); {
		first := nextChange(ops, start)
		if first == len(ops) {
			break
		}
		// Hunks are more than 2*context equal lines apart, so the leading
		// context never reaches into the previous hunk.
		lo := max(first-context, start)
		end := first
		for {
			// end is past the last change of the hunk so far.
			for end < len(ops) && ops[end].Kind != Equal {
				end++
			}
			next := nextChange(ops, end)
			if next == len(ops) || next-end > 2*context {
				break
			}
			end = next
		}
		hi := min(end+context, len(ops))
		hunks = append(hunks, hunk(ops[lo:hi]))
		start = hi
	}
	return hunks
}

func nextChange(ops []Op, from int) int {
	for from < len(ops) && ops[from].Kind == Equal {
		from++
	}
	return from
}

// writeHunk writes one hunk with its @@ header.
func writeHunk(sb *strings.Builder, h hunk, a, b []string) {
	aStart, bStart := h[0].A, h[0].B
	aLen, bLen := 0, 0
	for _, op := range h {
		if op.Kind != Insert {
			aLen++
		}
		if op.Kind != Delete {
			bLen++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
	for _, op := range h {
		line := b[op.B:]
		if op.Kind != Insert {
			line = a[op.A:]
		}
		writeLine(sb, byte(op.Kind), line[0])
	}
}

// hunkRange renders "start,length" the way diff -u does: lines count from
// 1, an empty range names the line before it, and ",1" is left out.
func hunkRange(start, length int) string {
	switch length {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, length)
}

func writeLine(sb *strings.Builder, prefix byte, line string) {
	sb.WriteByte(prefix)
	sb.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		sb.WriteString("\n\\ No newline at end of file\n")
	}
}
