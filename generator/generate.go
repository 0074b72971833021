// Package generator turns AsyncAPI 2.x and 3.x documents into Go source files: it
// loads the documents, builds the model and runs the emitters. It writes
// nothing; the caller decides what to do with the files.
package generator

import (
	"errors"
	"fmt"
	"slices"

	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/generator/model"
	"github.com/asyncgen/asyncgen/templates"
)

// Config says what to generate.
type Config struct {
	// Package is the Go package name of the output.
	Package string
	// OutDir is where the files will be written; generated comments name
	// the specs relative to it. Generate itself writes nothing.
	OutDir string
	// Specs are the AsyncAPI documents to read, merged into one package.
	Specs []string
	// Initialisms are words to write in capitals besides the usual ones.
	Initialisms []string
	// TypeNames maps a schema name (its components key) to the Go type name
	// to use instead of the derived one.
	TypeNames map[string]string
	// Concerns limits the emitted files to these concerns ("types"); all
	// of them when empty.
	Concerns []string
	// Load controls how files and $refs are read.
	Load document.Options
}

// Generate reads the specs cfg names and returns the generated files, by
// file name relative to cfg.OutDir. On any error it returns no files.
func Generate(cfg Config) (map[string][]byte, error) {
	pkg, err := Build(cfg)
	if err != nil {
		return nil, err
	}
	return Emit(pkg, cfg.Concerns)
}

// Build loads the specs and builds the model of the package.
func Build(cfg Config) (*model.Package, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Load.RefRoot == "" {
		// One root for every spec: the first one's.
		cfg.Load.RefRoot = document.DefaultRefRoot(cfg.Specs[0])
	}
	reserved, err := templates.DeclaredNames()
	if err != nil {
		return nil, err
	}
	pkg := &model.Package{Name: cfg.Package, Reserved: reserved}
	b := newBuilder(pkg, newNamer(cfg.Initialisms), cfg.TypeNames)
	for _, spec := range cfg.Specs {
		doc, err := document.Load(spec, cfg.Load)
		if err != nil {
			return nil, err
		}
		pkg.Sources = append(pkg.Sources, relPath(cfg.OutDir, spec))
		if pkg.Title == "" {
			pkg.Title, pkg.Description = doc.Info.Title, doc.Info.Description
		}
		if err := b.addDocument(doc, relSource(cfg.OutDir)); err != nil {
			if placed := (*document.Error)(nil); errors.As(err, &placed) {
				return nil, err // it names the file already
			}
			return nil, fmt.Errorf("%s: %w", spec, err)
		}
	}
	b.finish()
	if cfg.Load.Warn != nil {
		for _, w := range b.unansweredReplies() {
			cfg.Load.Warn(w)
		}
		if cfg.emits("brokers") {
			for _, w := range b.kafkaRequestsWithoutMethod(templates.KafkaRequestsWithoutMethod(pkg)) {
				cfg.Load.Warn(w)
			}
		}
	}
	return pkg, nil
}

// emits reports whether the files of concern are generated: all are when
// Concerns is empty.
func (cfg Config) emits(concern string) bool {
	return len(cfg.Concerns) == 0 || slices.Contains(cfg.Concerns, concern)
}

func (cfg Config) validate() error {
	switch {
	case len(cfg.Specs) == 0:
		return errors.New("no spec given")
	case PackageNameProblem(cfg.Package) != "":
		return fmt.Errorf("package name %q is not a Go identifier", cfg.Package)
	case cfg.OutDir == "":
		return errors.New("no output directory given")
	}
	for _, w := range cfg.Initialisms {
		if problem := InitialismProblem(w); problem != "" {
			return fmt.Errorf("initialism %q %s", w, problem)
		}
	}
	known := map[string]bool{}
	for _, e := range templates.Emitters() {
		known[e.Concern] = true
	}
	for _, c := range cfg.Concerns {
		if !known[c] {
			return fmt.Errorf("unknown concern %q", c)
		}
	}
	return checkConcernNeeds(cfg.Concerns)
}

// checkConcernNeeds refuses a list of concerns that leaves out one that
// another needs (decoding needs validation and types).
func checkConcernNeeds(concerns []string) error {
	if len(concerns) == 0 {
		return nil
	}
	for _, e := range templates.Emitters() {
		if !slices.Contains(concerns, e.Concern) {
			continue
		}
		for _, need := range e.Needs {
			if !slices.Contains(concerns, need) {
				return fmt.Errorf("concern %q needs concern %q too", e.Concern, need)
			}
		}
	}
	return nil
}

// Emit runs the emitters on a built package; concerns limits which.
func Emit(pkg *model.Package, concerns []string) (map[string][]byte, error) {
	return templates.EmitFiles(pkg, concerns)
}
