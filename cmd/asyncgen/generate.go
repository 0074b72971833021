package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/asyncgen/asyncgen/generator"
	"github.com/asyncgen/asyncgen/generator/config"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/internal/outdir"
	"github.com/asyncgen/asyncgen/templates"
)

// request is what generate or check was asked to do: every package of a
// config file, or the one package the flags describe.
type request struct {
	configPath string
	flags      generator.Config
	// initialisms and concerns are the raw comma-separated flag values.
	initialisms, concerns string
}

// requestFlags returns the flags generate and check share, bound to a new
// request.
func requestFlags(name string) (*flag.FlagSet, *request) {
	fs := flag.NewFlagSet("asyncgen "+name, flag.ContinueOnError)
	r := &request{}
	cfg := &r.flags
	fs.StringVar(&r.configPath, "config", "", "config file listing every package to generate, such as "+config.DefaultFile+" (instead of the other flags)")
	fs.StringVar(&cfg.Package, "package", "", "Go package name of the output (required without -config); it must match the package of the hand-written files already in -out")
	fs.StringVar(&cfg.OutDir, "out", "", "output directory (required without -config)")
	fs.StringVar(&r.initialisms, "initialisms", "", "comma-separated extra initialisms to write in capitals, such as SKU,CRM")
	fs.StringVar(&r.concerns, "emit", "", "comma-separated concerns to emit, all when empty: "+strings.Join(knownConcerns(), ", ")+
		"\n(validation needs types, decoding needs both, http needs all three, brokers all four)")
	fs.BoolVar(&cfg.Load.AllowRemoteRefs, "allow-remote-refs", false, "allow $refs to http(s) URLs (off: loading never uses the network)")
	fs.StringVar(&cfg.Load.RefRoot, "ref-root", "", "`directory` that files named by $refs must be inside (default: the nearest one above the first spec holding a go.mod, else the spec's directory)")
	fs.BoolVar(&cfg.Load.Lenient, "lenient", false, "turn spec rule violations that leave a well-defined output into warnings on stderr, and generate anyway")
	return fs, r
}

// parseRequest reads the flags generate and check share; the error is
// errHelp when help was asked for.
func parseRequest(name string, args []string) (*request, error) {
	fs, r := requestFlags(name)
	specs, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if r.configPath != "" {
		return r, onlyConfig(fs, specs)
	}
	cfg := &r.flags
	cfg.Specs = specs
	cfg.Initialisms = splitList(r.initialisms)
	cfg.Concerns = splitList(r.concerns)
	switch {
	case cfg.Package == "":
		return nil, fmt.Errorf("-package is required")
	case cfg.OutDir == "":
		return nil, fmt.Errorf("-out is required")
	case len(cfg.Specs) == 0:
		return nil, fmt.Errorf("no spec given")
	}
	return r, checkConcerns(cfg.Concerns)
}

// checkConcerns refuses an -emit value that names no concern, listing the
// known ones and the closest.
func checkConcerns(concerns []string) error {
	known := knownConcerns()
	for _, c := range concerns {
		if !slices.Contains(known, c) {
			return fmt.Errorf("unknown concern %q in -emit%s; the concerns are %s", c, didYouMean(c, known, ""), strings.Join(known, ", "))
		}
	}
	return nil
}

// knownConcerns lists the concerns the emitters offer, in their order.
func knownConcerns() []string {
	var out []string
	for _, e := range templates.Emitters() {
		if !slices.Contains(out, e.Concern) {
			out = append(out, e.Concern)
		}
	}
	return out
}

// onlyConfig refuses other flags and specs beside -config: the config file
// says everything, and silently ignoring a flag would surprise.
func onlyConfig(fs *flag.FlagSet, specs []string) error {
	var others []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "config" {
			others = append(others, "-"+f.Name)
		}
	})
	if len(others) > 0 {
		return fmt.Errorf("-config cannot be combined with %s: put the options in the config file", strings.Join(others, ", "))
	}
	if len(specs) > 0 {
		return fmt.Errorf("-config cannot be combined with specs on the command line (%s): list them in the config file", strings.Join(specs, " "))
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
// output, so that nothing is written. A job whose output directory holds
// hand-written files of another package is refused before it is generated.
// Warnings, and a package with nothing to generate (after prefix), are
// reported on stderr as they come.
func generateAll(jobs []generator.Config, stderr io.Writer, prefix string) ([]generated, error) {
	out := make([]generated, 0, len(jobs))
	for _, cfg := range jobs {
		if err := outdir.CheckPackage(cfg.OutDir, cfg.Package); err != nil {
			return nil, err
		}
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

// generateCommand writes the files of every package asked for.
func generateCommand(args []string, stdout, stderr io.Writer) int {
	req, err := parseRequest("generate", args)
	if err != nil {
		return requestError("generate", err, stdout, stderr)
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

// requestError answers a flag error of generate or check: help asked for
// goes to stdout and is no error; anything else is printed once with the
// way to the help.
func requestError(command string, err error, stdout, stderr io.Writer) int {
	if errors.Is(err, errHelp) {
		c, _ := findCommand(command)
		commandHelp(stdout, c)
		return exitOK
	}
	printUsageError(stderr, command, err)
	return exitUsage
}

// printError writes err on stderr, each of its lines after prefix (a
// config file can have several problems, one per line).
func printError(stderr io.Writer, prefix string, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		printf(stderr, "%s: %s\n", prefix, line)
	}
}

const generateDetails = `Several specs given together are merged into one package. The files are
written into -out (created when missing); a *.gen.go file there that
asyncgen wrote earlier and would no longer write is removed, and files
without asyncgen's header are never touched. If any package fails,
nothing is written. Exit status: 0 on success, 1 when a spec is refused,
2 on a usage error.
`

const checkDetails = `check generates in memory and compares with what is on disk. It writes
nothing: it prints a unified diff on stdout and one line per file on
stderr. Exit status: 0 when everything is current, 1 when not, 2 on bad
input.
`
