package main

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writtenByCommand finds the files a shell command line writes: a
// redirection's target, go build/test -o, asyncgen -out.
var writtenByCommand = regexp.MustCompile(`(?:>|\s-o|\s-out)\s+(\S+)`)

// placeholder is a usage line's stand-in for a path, such as DIR.
var placeholder = regexp.MustCompile(`^[A-Z]+$`)

// TestGitignoreCoversREADMECommands checks that every file the README's
// commands write inside the repository is ignored by .gitignore, so that
// following the README leaves the tree clean (and .ci/run green).
func TestGitignoreCoversREADMECommands(t *testing.T) {
	repo := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	require.NoError(t, err)
	ignore, err := os.ReadFile(filepath.Join(repo, ".gitignore"))
	require.NoError(t, err)
	patterns := gitignorePatterns(string(ignore))

	var written []string
	for i, block := range strings.Split(string(readme), "```") {
		lang, body, _ := strings.Cut(block, "\n")
		if i%2 == 0 || (lang != "" && lang != "sh") {
			continue
		}
		for _, line := range strings.Split(body, "\n") {
			for _, m := range writtenByCommand.FindAllStringSubmatch(line, -1) {
				target := path.Clean(strings.Trim(m[1], `'"`))
				if path.IsAbs(target) || target == "." || strings.HasPrefix(target, "$") || placeholder.MatchString(target) {
					continue // outside the repository, the user's own package, or a usage line's DIR
				}
				written = append(written, target)
			}
		}
	}
	require.Subset(t, written, []string{"bench.txt", "recv.txt", "send.txt", "cm.test", "out/chartmogul"}, "the README's commands as this test reads them")
	for _, w := range written {
		require.True(t, ignored(patterns, w), "%s, written by a README command, is not in .gitignore", w)
	}
}

// gitignorePatterns returns the patterns of a .gitignore file.
func gitignorePatterns(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// ignored reports whether the slash-separated path p, relative to the
// repository root, matches one of the patterns as git reads them: a
// pattern with a leading slash is anchored at the root, one without
// matches any name along the path, and a trailing slash matches a
// directory (so everything under it).
func ignored(patterns []string, p string) bool {
	parts := strings.Split(p, "/")
	for _, pat := range patterns {
		pat = strings.TrimSuffix(pat, "/")
		if anchored, ok := strings.CutPrefix(pat, "/"); ok {
			depth := len(strings.Split(anchored, "/"))
			if depth <= len(parts) {
				if m, _ := path.Match(anchored, strings.Join(parts[:depth], "/")); m {
					return true
				}
			}
			continue
		}
		for _, part := range parts {
			if m, _ := path.Match(pat, part); m {
				return true
			}
		}
	}
	return false
}

func TestIgnored(t *testing.T) {
	patterns := []string{"/out/", "*.test", "bench.txt"}
	require.True(t, ignored(patterns, "out/chartmogul"))
	require.True(t, ignored(patterns, "cm.test"))
	require.True(t, ignored(patterns, "generated/chartmogul/bench.txt"))
	require.False(t, ignored(patterns, "generated/out/x.go"), "/out/ is anchored")
	require.False(t, ignored(patterns, "recv.txt"))
}
