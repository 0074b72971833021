package generator

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates"
)

// featureSpec makes every emitter declare its fixed names: API key and JWT
// schemes, a message with headers, a union with a discriminator, a tuple
// and patterns, one of whose variable would be named like a support type
// (patternRule).
const featureSpec = `asyncapi: 2.6.0
info:
  title: Every name
  version: 1.0.0
servers:
  hooks:
    url: https://example.com/hooks
    protocol: https
    security:
      - apiKey: []
      - jwt: []
channels:
  feature-orders:
    subscribe:
      message:
        name: featureOrder
        headers:
          type: object
          properties:
            Delivery-ID: {type: string, x-idempotency-key: true}
        payload:
          type: object
          properties:
            shape: {$ref: '#/components/schemas/FeatureShape'}
            point: {$ref: '#/components/schemas/FeaturePoint'}
            code: {type: string, pattern: '^[a-z]+$'}
            rule: {type: string, pattern: 'rule'}
`

// featureComponents are the schemas featureSpec refers to.
const featureComponents = `  securitySchemes:
    apiKey: {type: httpApiKey, in: header, name: X-Hook-Key}
    jwt: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    FeatureShape:
      oneOf:
        - {type: object, required: [kind, r], properties: {kind: {type: string, enum: [circle]}, r: {type: number}}}
        - {type: object, required: [kind, side], properties: {kind: {type: string, enum: [square]}, side: {type: number}}}
      discriminator: kind
    FeaturePoint:
      type: array
      items:
        - {type: number}
        - {type: string}
`

// nameFreedomSpec is featureSpec plus every name of names used as a
// channel, a message, a schema, a property and an enum value, and, where
// the name has several words, as the enum constant its first word (the
// enum type) and the rest (the value) would make.
func nameFreedomSpec(names []string) string {
	var sb strings.Builder
	sb.WriteString(featureSpec)
	for _, n := range names {
		fmt.Fprintf(&sb, "  %s:\n    subscribe:\n      message:\n        $ref: '#/components/messages/%s'\n", n, n)
	}
	sb.WriteString("components:\n  messages:\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "    %s:\n      name: %s\n      payload:\n        $ref: '#/components/schemas/%s'\n", n, n, n)
		fmt.Fprintf(&sb, "      examples:\n        - name: %s\n          payload: {%s: x}\n", n, n)
	}
	sb.WriteString(featureComponents)
	for _, n := range names {
		fmt.Fprintf(&sb, "    %s:\n      type: object\n      properties:\n        %s: {type: string}\n", n, n)
	}
	sb.WriteString("    Everything:\n      type: object\n      properties:\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "        %s: {type: integer}\n", n)
	}
	sb.WriteString("        every_value:\n          type: string\n          enum:\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "            - %s\n", n)
	}
	groups := splitNames(names)
	for _, first := range slices.Sorted(maps.Keys(groups)) {
		if !slices.Contains(names, first) {
			fmt.Fprintf(&sb, "    %s:\n      type: string\n      enum: [%s]\n", first, strings.Join(groups[first], ", "))
		}
	}
	return sb.String()
}

// splitNames groups the names of several words by their first word, with
// the rest of each written in snake case: WithAPIKey is With, api_key.
func splitNames(names []string) map[string][]string {
	out := map[string][]string{}
	for _, n := range names {
		words := splitWords(n)
		if len(words) < 2 || !token.IsExported(n) {
			continue
		}
		out[words[0]] = append(out[words[0]], strings.ToLower(strings.Join(words[1:], "_")))
	}
	return out
}

// TestEveryDeclaredNameStaysFree generates a package whose spec uses every
// name a generated package can declare, as the naming authority lists
// them (the fixed names of templates.DeclaredNames and the names the
// model gives a spec's declarations), as a channel, message, schema,
// property and enum value, and builds and vets it.
func TestEveryDeclaredNameStaysFree(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a package with the go tool")
	}
	reserved, err := templates.DeclaredNames()
	require.NoError(t, err)
	for _, must := range []string{"Sender", "RetryPolicy", "SendError", "ValidationError", "Handler", "WithRetry"} {
		require.Contains(t, reserved, must)
	}
	// The names the model gives featureSpec's own declarations (decoders,
	// receivers, header accessors) are taken by the spec's names too.
	features, err := Build(memoryConfig([]byte(featureSpec + "components:\n" + featureComponents)))
	require.NoError(t, err)
	var given []string
	for _, n := range features.Names() {
		if !slices.ContainsFunc(features.Types, func(t *model.Type) bool { return t.Name == n }) {
			given = append(given, n) // the types are featureSpec's own schemas
		}
	}
	require.Contains(t, given, "FeatureOrderHeadersFromContext")
	require.Contains(t, given, "patternAZ", "pattern variables are the model's names too")
	names := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(reserved), given...))))
	cfg := memoryConfig([]byte(nameFreedomSpec(names)))
	cfg.Package = "everyname"
	files, err := Generate(cfg)
	require.NoError(t, err)
	for _, must := range []string{"types.gen.go", "enums.gen.go", "unions.gen.go", "tuples.gen.go", "examples.gen.go", "auth.gen.go", "receiver.gen.go", "sender.gen.go"} {
		require.Contains(t, files, must)
	}
	mod := generatedModule(t, "everyname", files, nil)
	goTool(t, mod, "vet", ".")
}

// generatedModule writes files and tests (name to text) into a new module
// that may import what generated code imports, and returns its directory.
func generatedModule(t *testing.T, module string, files map[string][]byte, tests map[string]string) string {
	t.Helper()
	mod := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module "+module+"\n\ngo 1.22\n"+generatedRequirements(t)), 0o644))
	sum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644))
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(mod, name), data, 0o644))
	}
	for name, text := range tests {
		require.NoError(t, os.WriteFile(filepath.Join(mod, name), []byte(text), 0o644))
	}
	return mod
}

// goTool runs the go command in dir and fails the test, with the first
// lines of its output, when it fails.
func goTool(t *testing.T, dir string, args ...string) {
	t.Helper()
	path, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), firstLines(string(out), 30))
}

// firstLines keeps the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestDeclaredNamesCoverTheGoldens checks DeclaredNames against what the
// goldens declare: every package-level name is either named by the model
// (types, enum constants, decoders, rule table constants, pattern
// variables) or listed; the emitters derive none.
func TestDeclaredNamesCoverTheGoldens(t *testing.T) {
	reserved, err := templates.DeclaredNames()
	require.NoError(t, err)
	for _, c := range goldenCases(t) {
		pkg, err := Build(Config{Package: c.pkg, OutDir: c.wantDir, Specs: []string{c.spec}})
		require.NoError(t, err)
		known := modelNames(pkg)
		for name, data := range readGenerated(t, c.wantDir) {
			for _, decl := range topLevelNames(t, name, data) {
				if !known[decl] && !slices.Contains(reserved, decl) {
					t.Errorf("%s/%s declares %s, which templates.DeclaredNames does not list", c.name, name, decl)
				}
			}
		}
	}
}

// modelNames are the package-level names the model gives.
func modelNames(pkg *model.Package) map[string]bool {
	names := map[string]bool{}
	for _, n := range pkg.Names() {
		names[n] = true
	}
	return names
}

// topLevelNames lists the package-level names a Go file declares (not
// methods, nor the blank identifier).
func topLevelNames(t *testing.T, name string, src []byte) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	require.NoError(t, err)
	var out []string
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					out = append(out, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" { // the blank identifier declares nothing
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}
