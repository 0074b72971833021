package templates

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// EmitFiles renders the files of a built package, by file name; concerns
// limits them to those concerns (every one when empty). Each file is built
// once: the support code that validate.gen.go and decode.gen.go hold is
// passed on to the files spliced after them instead of being rebuilt, and
// files are rendered in parallel. The output does not depend on the order
// the files finish in. On an error it returns no files and the error of
// the first failing file in Emitters order.
func EmitFiles(pkg *model.Package, concerns []string) (map[string][]byte, error) {
	decls, err := loadSupport()
	if err != nil {
		return nil, err
	}
	em := newEmission(pkg, decls)
	var chosen []Emitter
	for _, e := range Emitters() {
		if len(concerns) == 0 || slices.Contains(concerns, e.Concern) {
			chosen = append(chosen, e)
		}
	}
	sources := make([][]byte, len(chosen))
	errs := make([]error, len(chosen))
	// At most GOMAXPROCS files at once, started in startOrder: the files
	// that later ones wait for first. A file waits for another only once
	// that one has started, so waiting never holds up a start.
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, i := range startOrder(chosen) {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			sources[i], errs[i] = chosen[i].render(em)
		})
	}
	wg.Wait()
	files := map[string][]byte{}
	for i, e := range chosen {
		if errs[i] != nil {
			return nil, fmt.Errorf("emit %s: %w", e.FileName, errs[i])
		}
		if sources[i] != nil {
			files[e.FileName] = sources[i]
		}
	}
	if len(files) > 0 {
		if files[DocFileName], err = packageDocFile(pkg); err != nil {
			return nil, fmt.Errorf("emit %s: %w", DocFileName, err)
		}
	}
	return files, nil
}

// startOrder lists the indexes of emitters in the order their files start
// rendering: the chain validate.gen.go, decode.gen.go, receiver.gen.go,
// where each file is spliced after the one before, then the others, each
// group in Emitters order.
func startOrder(emitters []Emitter) []int {
	var chain, others []int
	for i, e := range emitters {
		if e.chained {
			chain = append(chain, i)
		} else {
			others = append(others, i)
		}
	}
	return append(chain, others...)
}

// emission is the rendering of one package. The files that splice support
// code share the parsed support package, and the validation and decoding
// files are spliced once, when the first file that needs them asks.
type emission struct {
	pkg   *model.Package
	decls []*supportDecl
	// validation and decoding are validate.gen.go and decode.gen.go with
	// the support declarations each holds.
	validation func() (splicedFile, error)
	decoding   func() (splicedFile, error)
}

// splicedFile is a rendered file with the support declarations it holds;
// a package without the file has a nil src.
type splicedFile struct {
	src  []byte
	held []*supportDecl
}

func newEmission(pkg *model.Package, decls []*supportDecl) *emission {
	em := &emission{pkg: pkg, decls: decls}
	em.validation = sync.OnceValues(em.spliceValidation)
	em.decoding = sync.OnceValues(em.spliceDecoding)
	return em
}

// spliceValidation renders validate.gen.go; the validation file always
// carries validationRoots.
func (em *emission) spliceValidation() (splicedFile, error) {
	f, err := Validate(em.pkg)
	if err != nil || f == nil {
		return splicedFile{}, err
	}
	src, held, err := spliceSupport(f, validationRoots, nil, em.decls)
	return splicedFile{src: src, held: held}, err
}

// spliceDecoding renders decode.gen.go, less the support code that
// validate.gen.go holds.
func (em *emission) spliceDecoding() (splicedFile, error) {
	f, err := Decode(em.pkg)
	if err != nil || f == nil {
		return splicedFile{}, err
	}
	// Rendered and parsed while validate.gen.go may still be in the works.
	p, err := parseRendered(f)
	if err != nil {
		return splicedFile{}, err
	}
	validation, err := em.validation()
	if err != nil {
		return splicedFile{}, err
	}
	skip, roots := heldElsewhere(em.decls, heldTexts(validation.held))
	src, held, err := p.splice(roots, skip, em.decls)
	return splicedFile{src: src, held: held}, err
}

// heldTexts is the set of the texts of the declarations of files.
func heldTexts(files ...[]*supportDecl) map[string]bool {
	texts := map[string]bool{}
	for _, decls := range files {
		for _, d := range decls {
			texts[d.text] = true
		}
	}
	return texts
}

// validationFile is validate.gen.go's source.
func (em *emission) validationFile() ([]byte, error) {
	v, err := em.validation()
	return v.src, err
}

// decodingFile is decode.gen.go's source.
func (em *emission) decodingFile() ([]byte, error) {
	d, err := em.decoding()
	return d.src, err
}

// receiverFile renders receiver.gen.go with the support code it uses that
// validate.gen.go and decode.gen.go do not hold.
func (em *emission) receiverFile() ([]byte, error) {
	f, err := Receiver(em.pkg)
	if err != nil || f == nil {
		return nil, err
	}
	p, err := parseRendered(f)
	if err != nil {
		return nil, err
	}
	validation, err := em.validation()
	if err != nil {
		return nil, err
	}
	decoding, err := em.decoding()
	if err != nil {
		return nil, err
	}
	skip, roots := heldElsewhere(em.decls, heldTexts(validation.held, decoding.held))
	roots = append(roots, receiverRoots(authKinds(em.pkg))...)
	src, _, err := p.splice(roots, skip, em.decls)
	return src, err
}

// senderFile renders sender.gen.go with the runtime it uses from package
// support.
func (em *emission) senderFile() ([]byte, error) {
	f, err := Sender(em.pkg)
	if err != nil || f == nil {
		return nil, err
	}
	src, _, err := spliceSupport(f, nil, nil, em.decls)
	if err != nil {
		return nil, fmt.Errorf("sender of package %s: %w", em.pkg.Name, err)
	}
	return src, nil
}

// rendered makes the render function of an emitter whose file needs no
// support code.
func rendered(emit func(*model.Package) (*jen.File, error)) func(*emission) ([]byte, error) {
	return func(em *emission) ([]byte, error) {
		f, err := emit(em.pkg)
		if err != nil || f == nil {
			return nil, err
		}
		return Render(f)
	}
}

// sourced makes the render function of an emitter that splices its own
// support code from the package alone (brokers.gen.go works out for itself
// what the files before it hold).
func sourced(source func(*model.Package) ([]byte, error)) func(*emission) ([]byte, error) {
	return func(em *emission) ([]byte, error) {
		return source(em.pkg)
	}
}
