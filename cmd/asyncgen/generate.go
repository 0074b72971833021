package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/internal/outdir"
)

// parseJobs reads the flags generate and check share and returns what to
// generate: one generator.Config per output package.
func parseJobs(name string, args []string, stderr io.Writer) ([]generator.Config, error) {
	fs := flag.NewFlagSet("asyncgen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg generator.Config
	fs.StringVar(&cfg.Package, "package", "", "Go package name of the output (required without -config)")
	fs.StringVar(&cfg.OutDir, "out", "", "output directory (required without -config)")
	initialisms := fs.String("initialisms", "", "comma-separated extra initialisms to write in capitals, such as SKU,CRM")
	concerns := fs.String("emit", "", "comma-separated concerns to emit (types); all when empty")
	fs.BoolVar(&cfg.Load.AllowRemoteRefs, "allow-remote-refs", false, "allow $refs to http(s) URLs (off: loading never uses the network)")
	fs.Usage = func() {
		printf(stderr, "Usage: asyncgen %s -package NAME -out DIR [flags] SPEC...\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.Specs = fs.Args()
	cfg.Initialisms = splitList(*initialisms)
	cfg.Concerns = splitList(*concerns)
	switch {
	case cfg.Package == "":
		return nil, fmt.Errorf("-package is required")
	case cfg.OutDir == "":
		return nil, fmt.Errorf("-out is required")
	case len(cfg.Specs) == 0:
		return nil, fmt.Errorf("no spec given")
	}
	return []generator.Config{cfg}, nil
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

// generated is one job's output: the files and where they go.
type generated struct {
	dir   string
	files map[string][]byte
}

// generateAll runs every job in memory; on the first error it returns no
// output, so that nothing is written.
func generateAll(jobs []generator.Config) ([]generated, error) {
	out := make([]generated, 0, len(jobs))
	for _, cfg := range jobs {
		files, err := generator.Generate(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, generated{dir: cfg.OutDir, files: files})
	}
	return out, nil
}

func generateCommand(args []string, stderr io.Writer) int {
	jobs, err := parseJobs("generate", args, stderr)
	if err != nil {
		return usageError("generate", err, stderr)
	}
	outputs, err := generateAll(jobs)
	if err != nil {
		printf(stderr, "asyncgen: %v\n", err)
		return exitError
	}
	for _, o := range outputs {
		if err := outdir.Write(o.dir, o.files); err != nil {
			printf(stderr, "asyncgen: %v\n", err)
			return exitError
		}
	}
	return exitOK
}

// usageError reports a flag error and returns the exit code for it: help
// asked for is not an error.
func usageError(command string, err error, stderr io.Writer) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	printf(stderr, "asyncgen %s: %v\n", command, err)
	return exitUsage
}

func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
