package diff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUnifiedExamples(t *testing.T) {
	for _, c := range []struct {
		name     string
		old, new string
		want     string
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", want: ""},
		{name: "both empty", old: "", new: "", want: ""},
		{
			name: "one line changed in the middle",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			new:  "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			want: "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
		},
		{
			name: "new file",
			old:  "",
			new:  "a\nb\n",
			want: "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "removed file",
			old:  "a\n",
			new:  "",
			want: "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n",
		},
		{
			name: "no newline at end",
			old:  "a\nb",
			new:  "a\nb\n",
			want: "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name: "two hunks far apart",
			old:  "x\n1\n2\n3\n4\n5\n6\n7\ny\n",
			new:  "X\n1\n2\n3\n4\n5\n6\n7\nY\n",
			want: "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-x\n+X\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-y\n+Y\n",
		},
		{
			name: "changes six equal lines apart share a hunk",
			old:  "x\n1\n2\n3\n4\n5\n6\ny\n",
			new:  "X\n1\n2\n3\n4\n5\n6\nY\n",
			want: "--- old\n+++ new\n@@ -1,8 +1,8 @@\n-x\n+X\n 1\n 2\n 3\n 4\n 5\n 6\n-y\n+Y\n",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, Unified("old", "new", []byte(c.old), []byte(c.new)))
		})
	}
}

// TestLinesShortest checks on random inputs that the script turns a into b
// and has as many edits as the textbook LCS table says a shortest one has.
func TestLinesShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 3000 {
		a, b := randomLines(rng, 14, 3), randomLines(rng, 14, 3)
		ops := Lines(a, b)
		requireScript(t, a, b, ops)
		edits := 0
		for _, op := range ops {
			if op.Kind != Equal {
				edits++
			}
		}
		require.Equal(t, len(a)+len(b)-2*lcsLength(a, b), edits, "case %d: %q -> %q", iter, a, b)
	}
}

// TestUnifiedRoundTrip applies random diffs with a small patcher written
// here and, when the machine has it, with patch(1).
func TestUnifiedRoundTrip(t *testing.T) {
	patchTool, _ := exec.LookPath("patch")
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := range 1000 {
		old, new := randomText(rng), randomText(rng)
		if rng.IntN(2) == 0 {
			new = mutate(rng, old)
		}
		u := Unified("old", "new", []byte(old), []byte(new))
		if old == new {
			require.Empty(t, u)
			continue
		}
		require.Equal(t, new, applyUnified(t, old, u), "case %d:\n%s", iter, u)
		if patchTool != "" && iter%10 == 0 {
			require.Equal(t, new, runPatch(t, patchTool, old, u), "case %d: patch(1) disagrees:\n%s", iter, u)
		}
	}
}

func TestLinesLarge(t *testing.T) {
	// A big file with scattered edits: the result must still be a valid
	// shortest-looking script (one delete and one insert per edit).
	var a []string
	for i := range 20000 {
		a = append(a, "line "+strconv.Itoa(i)+"\n")
	}
	b := append([]string(nil), a...)
	for i := 100; i < len(b); i += 1000 {
		b[i] = "changed\n"
	}
	ops := Lines(a, b)
	requireScript(t, a, b, ops)
	edits := 0
	for _, op := range ops {
		if op.Kind != Equal {
			edits++
		}
	}
	require.Equal(t, 2*20, edits)
}

func randomLines(rng *rand.Rand, maxLen, alphabet int) []string {
	out := make([]string, rng.IntN(maxLen+1))
	for i := range out {
		out[i] = string(rune('a'+rng.IntN(alphabet))) + "\n"
	}
	return out
}

func randomText(rng *rand.Rand) string {
	var sb strings.Builder
	for range rng.IntN(30) {
		sb.WriteString(strconv.Itoa(rng.IntN(5)))
		sb.WriteByte('\n')
	}
	s := sb.String()
	if s != "" && rng.IntN(4) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// mutate changes a few lines of s, so that diffs have context and hunks.
func mutate(rng *rand.Rand, s string) string {
	lines := splitLines(s)
	for range rng.IntN(4) + 1 {
		switch i := rng.IntN(len(lines) + 1); rng.IntN(3) {
		case 0:
			lines = append(lines[:i], append([]string{"new\n"}, lines[i:]...)...)
		case 1:
			if i < len(lines) {
				lines = append(lines[:i], lines[i+1:]...)
			}
		default:
			if i < len(lines) {
				lines[i] = "edited\n"
			}
		}
	}
	return strings.Join(lines, "")
}

func requireScript(t *testing.T, a, b []string, ops []Op) {
	t.Helper()
	var gotA, gotB []string
	for _, op := range ops {
		switch op.Kind {
		case Equal:
			require.Equal(t, a[op.A], b[op.B])
			gotA, gotB = append(gotA, a[op.A]), append(gotB, b[op.B])
		case Delete:
			gotA = append(gotA, a[op.A])
		case Insert:
			gotB = append(gotB, b[op.B])
		}
	}
	require.Equal(t, strings.Join(a, ""), strings.Join(gotA, ""))
	require.Equal(t, strings.Join(b, ""), strings.Join(gotB, ""))
}

func lcsLength(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// applyUnified applies a unified diff to old, checking every context and
// deleted line against it.
func applyUnified(t *testing.T, old, u string) string {
	t.Helper()
	src := splitLines(old)
	body := strings.SplitAfter(u, "\n")
	require.True(t, strings.HasPrefix(body[0], "--- ") && strings.HasPrefix(body[1], "+++ "), u)
	var out []string
	next := 0 // index in src of the first line not yet copied
	for i := 2; i < len(body) && body[i] != ""; {
		var aStart, aLen, bStart, bLen int
		header := body[i]
		parseRange := func(s string) (int, int) {
			start, length, found := strings.Cut(s, ",")
			st, err := strconv.Atoi(start)
			require.NoError(t, err, header)
			if !found {
				return st, 1
			}
			l, err := strconv.Atoi(length)
			require.NoError(t, err, header)
			return st, l
		}
		var aSpec, bSpec string
		_, err := fmt.Sscanf(header, "@@ -%s +%s @@\n", &aSpec, &bSpec)
		require.NoError(t, err, header)
		aStart, aLen = parseRange(aSpec)
		bStart, bLen = parseRange(bSpec)
		from := aStart - 1
		if aLen == 0 {
			from = aStart
		}
		require.GreaterOrEqual(t, from, next, "hunks overlap or go backwards")
		out = append(out, src[next:from]...)
		next = from
		i++
		gotA, gotB := 0, 0
		for i < len(body) && body[i] != "" && !strings.HasPrefix(body[i], "@@") {
			line := body[i][1:]
			noNewline := i+1 < len(body) && strings.HasPrefix(body[i+1], `\ No newline`)
			if noNewline {
				line = strings.TrimSuffix(line, "\n")
			}
			switch body[i][0] {
			case ' ':
				require.Equal(t, src[next], line)
				out = append(out, line)
				next++
				gotA++
				gotB++
			case '-':
				require.Equal(t, src[next], line)
				next++
				gotA++
			case '+':
				out = append(out, line)
				gotB++
			default:
				t.Fatalf("bad line %q in\n%s", body[i], u)
			}
			i++
			if noNewline {
				i++
			}
		}
		require.Equal(t, aLen, gotA, header)
		require.Equal(t, bLen, gotB, header)
		_ = bStart
	}
	out = append(out, src[next:]...)
	return strings.Join(out, "")
}

func runPatch(t *testing.T, tool, old, u string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, []byte(old), 0o644))
	cmd := exec.Command(tool, "--quiet", "--force", "--fuzz=0", "--no-backup-if-mismatch", file)
	cmd.Stdin = strings.NewReader(u)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return string(data)
}
