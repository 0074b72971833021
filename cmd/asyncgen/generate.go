package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/templates"
)

// options are the flags generate takes.
type options struct {
	cfg generator.Config
}

func parseFlags(name string, args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("asyncgen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.cfg.Package, "package", "", "Go package name of the output (required)")
	fs.StringVar(&o.cfg.OutDir, "out", "", "output directory (required)")
	initialisms := fs.String("initialisms", "", "comma-separated extra initialisms to write in capitals, such as SKU,CRM")
	concerns := fs.String("emit", "", "comma-separated concerns to emit (types); all when empty")
	fs.BoolVar(&o.cfg.Load.AllowRemoteRefs, "allow-remote-refs", false, "allow $refs to http(s) URLs (off: loading never uses the network)")
	fs.Usage = func() {
		printf(stderr, "Usage: asyncgen %s -package NAME -out DIR [flags] SPEC...\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.cfg.Specs = fs.Args()
	o.cfg.Initialisms = splitList(*initialisms)
	o.cfg.Concerns = splitList(*concerns)
	switch {
	case o.cfg.Package == "":
		return nil, fmt.Errorf("-package is required")
	case o.cfg.OutDir == "":
		return nil, fmt.Errorf("-out is required")
	case len(o.cfg.Specs) == 0:
		return nil, fmt.Errorf("no spec given")
	}
	return o, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func generateCommand(args []string, stderr io.Writer) int {
	o, err := parseFlags("generate", args, stderr)
	if err != nil {
		if err != flag.ErrHelp {
			printf(stderr, "asyncgen generate: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	files, err := generator.Generate(o.cfg)
	if err != nil {
		printf(stderr, "asyncgen: %v\n", err)
		return exitError
	}
	if err := writeFiles(o.cfg.OutDir, files); err != nil {
		printf(stderr, "asyncgen: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeFiles writes every file (each through a temporary file and a
// rename, so none is ever half written) and removes the generated files of
// an earlier run that this run no longer makes.
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := writeAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	stale, err := staleFiles(dir, files)
	if err != nil {
		return err
	}
	for _, path := range stale {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("remove stale %s: %w", path, err)
		}
	}
	return nil
}

func writeAtomic(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".asyncgen-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// staleFiles lists the *.gen.go files in dir that carry asyncgen's header
// but are not among files: left by an earlier run.
func staleFiles(dir string, files map[string][]byte) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.gen.go"))
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, path := range matches {
		if _, ok := files[filepath.Base(path)]; ok {
			continue
		}
		if generatedByUs(path) {
			stale = append(stale, path)
		}
	}
	return stale, nil
}

// generatedByUs reports whether the file at path starts with our header.
func generatedByUs(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(templates.HeaderPrefix))
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return string(head) == templates.HeaderPrefix
}

func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
