package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator"
)

func TestParse(t *testing.T) {
	data := `# every package this repository generates
packages:
  - package: billing
    out: internal/billing
    spec: specs/chartmogul.yaml
    emit: [types]
    initialisms: [MRR, SKU]
    typeNames:
      MrrMovementPayload: MRRMovement
  - package: events
    out: ./gen/events/
    specs:
      - specs/a.yaml
      - /abs/b.yaml
    allowRemoteRefs: true
    lenient: true
`
	got, err := Parse(filepath.Join("repo", "asyncgen.yaml"), []byte(data))
	require.NoError(t, err)
	billing := generator.Config{
		Package:     "billing",
		OutDir:      filepath.Join("repo", "internal", "billing"),
		Specs:       []string{filepath.Join("repo", "specs", "chartmogul.yaml")},
		Initialisms: []string{"MRR", "SKU"},
		TypeNames:   map[string]string{"MrrMovementPayload": "MRRMovement"},
		Concerns:    []string{"types"},
	}
	events := generator.Config{
		Package: "events",
		OutDir:  filepath.Join("repo", "gen", "events"),
		Specs:   []string{filepath.Join("repo", "specs", "a.yaml"), "/abs/b.yaml"},
	}
	events.Load.AllowRemoteRefs = true
	events.Load.Lenient = true
	require.Equal(t, []generator.Config{billing, events}, got)
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{
			name: "empty file",
			data: "",
			want: "asyncgen.yaml: the file is empty; it needs a packages list",
		},
		{
			name: "only a comment",
			data: "# nothing yet\n",
			want: "asyncgen.yaml: the file is empty; it needs a packages list",
		},
		{
			name: "no packages",
			data: "packages: []\n",
			want: "asyncgen.yaml:1: no packages: list at least one under packages",
		},
		{
			name: "invalid YAML",
			data: "packages:\n  - package: \"x\n",
			want: "asyncgen.yaml:2: invalid YAML: found unexpected end of stream",
		},
		{
			name: "unknown top-level key",
			data: "packages:\n  - {package: x, out: o, spec: s.yaml}\nversion: 2\n",
			want: `asyncgen.yaml:3: unknown key "version" (known: packages)`,
		},
		{
			name: "unknown package key",
			data: "packages:\n  - package: x\n    out: o\n    spec: s.yaml\n    output: o\n",
			want: `asyncgen.yaml:5: unknown key "output" (known: package, out, spec, specs, emit, initialisms, typeNames, allowRemoteRefs, refRoot, lenient)`,
		},
		{
			name: "top level is a list",
			data: "- package: x\n",
			want: "asyncgen.yaml:1: want a mapping with a packages list, not a list",
		},
		{
			name: "packages is a number",
			data: "packages: 3\n",
			want: `asyncgen.yaml:1: packages must be a list of packages, not the number "3"`,
		},
		{
			name: "wrong types, every one reported",
			data: "packages:\n  - package: [x]\n    out: o\n    specs: a.yaml\n    allowRemoteRefs: maybe\n    typeNames: [A]\n    emit: {types: true}\n",
			want: "asyncgen.yaml:2: package must be a string, not a list\n" +
				`asyncgen.yaml:4: specs must be a list of strings, not the string "a.yaml"` + "\n" +
				`asyncgen.yaml:5: allowRemoteRefs must be true or false, not the string "maybe"` + "\n" +
				"asyncgen.yaml:6: typeNames must be a mapping of names to names, not a list\n" +
				"asyncgen.yaml:7: emit must be a list of strings, not a mapping",
		},
		{
			name: "long value",
			data: "packages:\n  - package: x\n    out: o\n    spec: s.yaml\n    allowRemoteRefs: definitely-not\n",
			want: `asyncgen.yaml:5: allowRemoteRefs must be true or false, not the string "definit..."`,
		},
		{
			name: "type name not a string",
			data: "packages:\n  - package: x\n    out: o\n    spec: s.yaml\n    typeNames:\n      A: [B]\n",
			want: "asyncgen.yaml:6: A must be a string, not a list",
		},
		{
			name: "missing required keys",
			data: "packages:\n  - emit: [types]\n",
			want: "asyncgen.yaml:2: package is required\nasyncgen.yaml:2: out is required\nasyncgen.yaml:2: spec (or specs) is required",
		},
		{
			name: "bad values",
			data: "packages:\n  - package: my-pkg\n    out: o\n    spec: s.yaml\n    specs: [t.yaml]\n    emit: [types, sender2]\n    initialisms: [S.K.U]\n    typeNames: {A: 9lives, B: lower}\n",
			want: `asyncgen.yaml:2: package "my-pkg" is not a Go identifier` + "\n" +
				"asyncgen.yaml:5: give spec or specs, not both\n" +
				`asyncgen.yaml:6: unknown concern "sender2" in emit (known: brokers, decoding, http, types, validation)` + "\n" +
				`asyncgen.yaml:7: initialism "S.K.U" must be letters and digits` + "\n" +
				`asyncgen.yaml:8: typeNames: "9lives" for A cannot name a Go type: it is not a Go identifier (a letter, then letters, digits or underscores, and no keyword)` + "\n" +
				`asyncgen.yaml:8: typeNames: "lower" for B cannot name a Go type: it does not start with an upper-case letter, so it would not be exported`,
		},
		{
			name: "two packages in one directory",
			data: "packages:\n  - {package: a, out: gen, spec: a.yaml}\n  - package: b\n    out: ./gen/\n    spec: b.yaml\n",
			want: `asyncgen.yaml:4: out "./gen/" is also the output of the package at line 2; each package needs its own directory`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse("asyncgen.yaml", []byte(c.data))
			require.Error(t, err)
			require.Nil(t, got)
			require.Equal(t, c.want, err.Error())
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DefaultFile)
	require.NoError(t, os.WriteFile(path, []byte("packages:\n  - {package: x, out: gen, spec: s.yaml}\n"), 0o644))
	got, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, []generator.Config{{Package: "x", OutDir: filepath.Join(dir, "gen"), Specs: []string{filepath.Join(dir, "s.yaml")}}}, got)

	_, err = Load(filepath.Join(dir, "absent.yaml"))
	require.EqualError(t, err, filepath.Join(dir, "absent.yaml")+": cannot read: no such file or directory")
}

// TestREADMEExample parses the asyncgen.yaml the README shows, so that the
// documented format stays the real one.
func TestREADMEExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	const start = "```yaml\n# yaml-language-server: $schema="
	_, rest, found := strings.Cut(string(readme), start)
	require.True(t, found, "README.md has no %q block", start)
	_, rest, _ = strings.Cut(rest, "\n") // the rest of the modeline
	example, _, found := strings.Cut(rest, "```")
	require.True(t, found)
	got, err := Parse("asyncgen.yaml", []byte(example))
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "billing", got[0].Package)
	require.Equal(t, []string{"types"}, got[1].Concerns)
	require.Equal(t, map[string]string{"MrrMovementPayload": "MRRMovement"}, got[1].TypeNames)
	require.Len(t, got[1].Specs, 2)
}

func TestParseRefRootIsRelativeToTheFile(t *testing.T) {
	data := "packages:\n  - {package: a, out: o, spec: specs/a.yaml, refRoot: ..}\n  - {package: b, out: p, spec: specs/b.yaml}\n"
	got, err := Parse(filepath.Join("repo", "conf", "asyncgen.yaml"), []byte(data))
	require.NoError(t, err)
	require.Equal(t, "repo", got[0].Load.RefRoot)
	require.Empty(t, got[1].Load.RefRoot, "left to the default")
}
