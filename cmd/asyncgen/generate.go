package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/generator/config"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/internal/outdir"
)

// request is what generate or check was asked to do: every package of a
// config file, or the one package the flags describe.
type request struct {
	configPath string
	flags      generator.Config
}

// parseRequest reads the flags generate and check share.
func parseRequest(name string, args []string, stderr io.Writer) (*request, error) {
	fs := flag.NewFlagSet("asyncgen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	r := &request{}
	cfg := &r.flags
	fs.StringVar(&r.configPath, "config", "", "config file listing every package to generate, such as "+config.DefaultFile+" (instead of the other flags)")
	fs.StringVar(&cfg.Package, "package", "", "Go package name of the output (required without -config)")
	fs.StringVar(&cfg.OutDir, "out", "", "output directory (required without -config)")
	initialisms := fs.String("initialisms", "", "comma-separated extra initialisms to write in capitals, such as SKU,CRM")
	concerns := fs.String("emit", "", "comma-separated concerns to emit (types); all when empty")
	fs.BoolVar(&cfg.Load.AllowRemoteRefs, "allow-remote-refs", false, "allow $refs to http(s) URLs (off: loading never uses the network)")
	fs.BoolVar(&cfg.Load.Lenient, "lenient", false, "turn spec rule violations that leave a well-defined output into warnings on stderr, and generate anyway")
	fs.Usage = func() {
		printf(stderr, "Usage: asyncgen %s -package NAME -out DIR [flags] SPEC...\n       asyncgen %s -config %s\n\nFlags:\n", name, name, config.DefaultFile)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if r.configPath != "" {
		return r, onlyConfig(fs)
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
	return r, nil
}

// onlyConfig refuses other flags and specs beside -config: the config file
// says everything, and silently ignoring a flag would surprise.
func onlyConfig(fs *flag.FlagSet) error {
	var others []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "config" {
			others = append(others, "-"+f.Name)
		}
	})
	if len(others) > 0 {
		return fmt.Errorf("-config cannot be combined with %s: put the options in the config file", strings.Join(others, ", "))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("-config cannot be combined with specs on the command line (%s): list them in the config file", strings.Join(fs.Args(), " "))
	}
	return nil
}

// jobs returns one generator.Config per package to generate.
func (r *request) jobs() ([]generator.Config, error) {
	if r.configPath != "" {
		return config.Load(r.configPath)
	}
	return []generator.Config{r.flags}, nil
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
// output, so that nothing is written. Warnings, and a package with nothing
// to generate (after prefix), are reported on stderr as they come.
func generateAll(jobs []generator.Config, stderr io.Writer, prefix string) ([]generated, error) {
	out := make([]generated, 0, len(jobs))
	for _, cfg := range jobs {
		cfg.Load.Warn = func(w *document.Error) { printWarning(stderr, w) }
		pkg, err := generator.Build(cfg)
		if err != nil {
			return nil, err
		}
		if len(pkg.Messages) == 0 && len(pkg.Types) == 0 {
			printf(stderr, "%s: nothing generated for package %s: %s\n", prefix, cfg.Package, nothingDeclared(cfg.Specs))
		}
		files, err := generator.Emit(pkg, cfg.Concerns)
		if err != nil {
			return nil, err
		}
		out = append(out, generated{dir: cfg.OutDir, files: files})
	}
	return out, nil
}

// nothingDeclared says that specs declare no messages and no schemas.
func nothingDeclared(specs []string) string {
	if len(specs) == 1 {
		return specs[0] + " declares no messages and no schemas"
	}
	return strings.Join(specs, ", ") + " declare no messages and no schemas"
}

// printWarning writes a warning on one line: "file:line:col (#/pointer):
// warning: message".
func printWarning(stderr io.Writer, w *document.Error) {
	printf(stderr, "%s: warning: %s\n", w.Loc, w.Msg)
}

func generateCommand(args []string, stderr io.Writer) int {
	req, err := parseRequest("generate", args, stderr)
	if err != nil {
		return usageError("generate", err, stderr)
	}
	jobs, err := req.jobs()
	if err != nil {
		printError(stderr, "asyncgen", err)
		return exitError
	}
	outputs, err := generateAll(jobs, stderr, "asyncgen")
	if err != nil {
		printError(stderr, "asyncgen", err)
		return exitError
	}
	for _, o := range outputs {
		if err := outdir.Write(o.dir, o.files); err != nil {
			printError(stderr, "asyncgen", err)
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

// printError writes err on stderr, each of its lines after prefix (a
// config file can have several problems, one per line).
func printError(stderr io.Writer, prefix string, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		printf(stderr, "%s: %s\n", prefix, line)
	}
}

func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
