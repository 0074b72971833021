// Package config reads asyncgen.yaml, the file that lists every package a
// repository generates: which specs, where, and with which options. Paths in
// it are relative to the file's directory. Unknown keys, wrong types and bad
// values are errors naming the file and line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/templates"
)

// DefaultFile is the conventional name of the config file.
const DefaultFile = "asyncgen.yaml"

// File is the contents of asyncgen.yaml.
type File struct {
	// Packages are the packages to generate, each from its own specs.
	Packages []Package `yaml:"packages"`
}

// Package is one output package.
type Package struct {
	// Package is the Go package name of the output.
	Package string `yaml:"package"`
	// Out is the output directory.
	Out string `yaml:"out"`
	// Spec is the AsyncAPI document; Specs several merged into one package.
	// Exactly one of them is given.
	Spec  string   `yaml:"spec"`
	Specs []string `yaml:"specs"`
	// Emit limits the concerns emitted (all when empty).
	Emit []string `yaml:"emit"`
	// Initialisms are extra words written in capitals.
	Initialisms []string `yaml:"initialisms"`
	// TypeNames maps schema names (components keys) to Go type names.
	TypeNames map[string]string `yaml:"typeNames"`
	// AllowRemoteRefs lets $refs fetch http(s) URLs.
	AllowRemoteRefs bool `yaml:"allowRemoteRefs"`
	// RefRoot is the directory files named by $refs must be inside; by
	// default the nearest one above the first spec that holds a go.mod.
	RefRoot string `yaml:"refRoot"`

	// Lenient turns spec rule violations that leave a well-defined output
	// into warnings.
	Lenient bool `yaml:"lenient"`
}

// Error is a problem at one line of a config file.
type Error struct {
	Path string
	// Line is 0 when the problem is with the whole file.
	Line int
	Msg  string
}

// Error renders "path:line: message".
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Path + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

// Load reads the config file at path and returns what to generate, one
// generator.Config per package, with paths resolved against the file's
// directory.
func Load(path string) ([]generator.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read: %v", unwrapPathError(err))}
	}
	return Parse(path, data)
}

// Parse is Load for a file already read; path names it in errors and
// anchors its relative paths.
func Parse(path string, data []byte) ([]generator.Config, error) {
	f, root, err := decode(path, data)
	if err != nil {
		return nil, err
	}
	if err := check(path, f, root); err != nil {
		return nil, err
	}
	return configs(filepath.Dir(path), f), nil
}

// decode parses data twice: into a yaml.Node tree, for the lines of
// values, and strictly into File.
func decode(path string, data []byte) (*File, *yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, syntaxError(path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil, &Error{Path: path, Msg: "the file is empty; it needs a packages list"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, nil, typeErrors(path, te, &root)
		}
		return nil, nil, syntaxError(path, err)
	}
	return &f, root.Content[0], nil
}

// configs turns a checked file into generator configs.
func configs(dir string, f *File) []generator.Config {
	out := make([]generator.Config, 0, len(f.Packages))
	for _, p := range f.Packages {
		specs := p.Specs
		if p.Spec != "" {
			specs = []string{p.Spec}
		}
		resolved := make([]string, len(specs))
		for i, s := range specs {
			resolved[i] = resolve(dir, s)
		}
		cfg := generator.Config{
			Package:     p.Package,
			OutDir:      resolve(dir, p.Out),
			Specs:       resolved,
			Initialisms: p.Initialisms,
			TypeNames:   p.TypeNames,
			Concerns:    p.Emit,
		}
		cfg.Load.AllowRemoteRefs = p.AllowRemoteRefs
		if p.RefRoot != "" {
			cfg.Load.RefRoot = resolve(dir, p.RefRoot)
		}

		cfg.Load.Lenient = p.Lenient
		out = append(out, cfg)
	}
	return out
}

// resolve makes a path from the config file relative to its directory.
func resolve(dir, path string) string {
	path = filepath.FromSlash(path)
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// check validates the values of a decoded file; root gives their lines.
func check(path string, f *File, root *yaml.Node) error {
	list := mapValue(root, "packages")
	if len(f.Packages) == 0 {
		return &Error{Path: path, Line: lineOf(list, root), Msg: "no packages: list at least one under packages"}
	}
	var errs []error
	outs := map[string]int{}
	for i, p := range f.Packages {
		entry := list.Content[i]
		at := func(key string) int { return lineOf(mapValue(entry, key), entry) }
		for _, msg := range checkPackage(p) {
			errs = append(errs, &Error{Path: path, Line: at(msg.key), Msg: msg.text})
		}
		if p.Out == "" {
			continue
		}
		out := resolve(filepath.Dir(path), p.Out)
		if first, dup := outs[out]; dup {
			errs = append(errs, &Error{Path: path, Line: at("out"), Msg: fmt.Sprintf("out %q is also the output of the package at line %d; each package needs its own directory", p.Out, first)})
			continue
		}
		outs[out] = entry.Line
	}
	return errors.Join(errs...)
}

// problem is a bad value and the key it is under.
type problem struct{ key, text string }

// checkPackage lists what is wrong with one package entry.
func checkPackage(p Package) []problem {
	var out []problem
	add := func(key, format string, args ...any) {
		out = append(out, problem{key, fmt.Sprintf(format, args...)})
	}
	switch {
	case p.Package == "":
		add("", "package is required")
	case generator.PackageNameProblem(p.Package) != "":
		add("package", "package %q is not a Go identifier", p.Package)
	}
	if p.Out == "" {
		add("", "out is required")
	}
	switch {
	case p.Spec == "" && len(p.Specs) == 0:
		add("", "spec (or specs) is required")
	case p.Spec != "" && len(p.Specs) > 0:
		add("specs", "give spec or specs, not both")
	case slices.Contains(p.Specs, ""):
		add("specs", "specs has an empty path")
	}
	known := knownConcerns()
	for _, c := range p.Emit {
		if !slices.Contains(known, c) {
			add("emit", "unknown concern %q in emit (known: %s)", c, strings.Join(known, ", "))
		}
	}
	for _, w := range p.Initialisms {
		if problem := generator.InitialismProblem(w); problem != "" {
			add("initialisms", "initialism %q %s", w, problem)
		}
	}
	for _, schema := range sortedKeys(p.TypeNames) {
		if name := p.TypeNames[schema]; generator.NameProblem(name) != "" {
			add("typeNames", "typeNames: %q for %s cannot name a Go type: %s", name, schema, generator.NameProblem(name))
		}
	}
	return out
}

// knownConcerns lists the concerns the emitters offer, sorted.
func knownConcerns() []string {
	var out []string
	for _, e := range templates.Emitters() {
		if !slices.Contains(out, e.Concern) {
			out = append(out, e.Concern)
		}
	}
	slices.Sort(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// lineOf is n's line, or fallback's when n is nil.
func lineOf(n, fallback *yaml.Node) int {
	if n != nil {
		return n.Line
	}
	return fallback.Line
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
