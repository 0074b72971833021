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
// once, from the model and the package's validation plan, which is made
// once: the support code that validate.gen.go, decode.gen.go and
// receiver.gen.go hold is passed on to the files spliced after them
// instead of being rebuilt, and files are rendered in parallel. The output
// does not depend on the order the files finish in. On an error it
// returns no files and the error of the first failing file in Emitters
// order.
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

// emission is the rendering of one package. The files share the parsed
// support package and the validation plan, made once when the first file
// that needs it asks; the validation, decoding and receiver files are
// spliced once, when the first file that needs them asks.
type emission struct {
	pkg   *model.Package
	decls []*supportDecl
	plan  func() *plan
	// validation, decoding and receiving are validate.gen.go,
	// decode.gen.go and receiver.gen.go with the support declarations
	// each holds.
	validation func() (splicedFile, error)
	decoding   func() (splicedFile, error)
	receiving  func() (splicedFile, error)
}

// splicedFile is a rendered file with the support declarations it holds;
// a package without the file has a nil src.
type splicedFile struct {
	src  []byte
	held []*supportDecl
}

func newEmission(pkg *model.Package, decls []*supportDecl) *emission {
	em := &emission{pkg: pkg, decls: decls}
	em.plan = sync.OnceValue(func() *plan { return makePlan(pkg) })
	em.validation = sync.OnceValues(em.spliceValidation)
	em.decoding = sync.OnceValues(em.spliceDecoding)
	em.receiving = sync.OnceValues(em.spliceReceiver)
	return em
}

// spliceValidation renders validate.gen.go; the validation file always
// carries validationRoots.
func (em *emission) spliceValidation() (splicedFile, error) {
	f, err := Validate(em.pkg, em.plan())
	if err != nil || f == nil {
		return splicedFile{}, err
	}
	src, held, err := spliceSupport(f, validationRoots, nil, em.decls)
	return splicedFile{src: src, held: held}, err
}

// spliceDecoding renders decode.gen.go, less the support code that
// validate.gen.go holds.
func (em *emission) spliceDecoding() (splicedFile, error) {
	f, err := Decode(em.pkg, em.plan())
	if err != nil || f == nil {
		return splicedFile{}, err
	}
	// Rendered and parsed while validate.gen.go may still be in the works.
	p, err := parseRendered(f)
	if err != nil {
		return splicedFile{}, err
	}
	skip, roots, err := em.heldBy(em.validation)
	if err != nil {
		return splicedFile{}, err
	}
	src, held, err := p.splice(roots, skip, em.decls)
	return splicedFile{src: src, held: held}, err
}

// spliceReceiver renders receiver.gen.go with the support code it uses
// that validate.gen.go and decode.gen.go do not hold.
func (em *emission) spliceReceiver() (splicedFile, error) {
	f, err := Receiver(em.pkg)
	if err != nil || f == nil {
		return splicedFile{}, err
	}
	p, err := parseRendered(f)
	if err != nil {
		return splicedFile{}, err
	}
	skip, roots, err := em.heldBy(em.validation, em.decoding)
	if err != nil {
		return splicedFile{}, err
	}
	roots = append(roots, receiverRoots(authKinds(em.pkg))...)
	src, held, err := p.splice(roots, skip, em.decls)
	return splicedFile{src: src, held: held}, err
}

// heldBy waits for files and returns the support declarations they hold,
// to be left out of the file spliced after them, and their names, which
// that file's code may use.
func (em *emission) heldBy(files ...func() (splicedFile, error)) (map[*supportDecl]bool, []string, error) {
	skip := map[*supportDecl]bool{}
	roots := []string{}
	for _, file := range files {
		sf, err := file()
		if err != nil {
			return nil, nil, err
		}
		for _, d := range sf.held {
			skip[d] = true
		}
	}
	// In the support package's order, whichever file holds them.
	for _, d := range em.decls {
		if skip[d] {
			roots = append(roots, d.names...)
		}
	}
	return skip, roots, nil
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

// receiverFile is receiver.gen.go's source.
func (em *emission) receiverFile() ([]byte, error) {
	r, err := em.receiving()
	return r.src, err
}

// senderFile renders sender.gen.go with the runtime it uses from package
// support.
func (em *emission) senderFile() ([]byte, error) {
	if !hasHTTPTransport(em.pkg) {
		return nil, nil // no plan needed
	}
	f, err := Sender(em.pkg, em.plan().g.hasMethods)
	if err != nil || f == nil {
		return nil, err
	}
	src, _, err := spliceSupport(f, nil, nil, em.decls)
	if err != nil {
		return nil, fmt.Errorf("sender of package %s: %w", em.pkg.Name, err)
	}
	return src, nil
}

// brokerRoots are the support declarations brokers.gen.go always carries:
// the subscriber options are API even where nothing else uses them.
var brokerRoots = []string{"SubscribeStrictEnums", "SubscribeDeadLetter", "SubscribeInvalidMessages", "SubscribeErrors", "SubscribeIdempotency", "NewMemoryIdempotencyStore"}

// brokersFile renders brokers.gen.go with the support code it uses that
// the package's other files do not hold.
func (em *emission) brokersFile() ([]byte, error) {
	if !hasBrokerTransport(em.pkg) {
		return nil, nil // no plan needed
	}
	f, err := Brokers(em.pkg, em.plan().g.hasMethods)
	if err != nil || f == nil {
		return nil, err
	}
	p, err := parseRendered(f)
	if err != nil {
		return nil, err
	}
	before := []func() (splicedFile, error){em.validation, em.decoding}
	if hasHTTPTransport(em.pkg) {
		before = append(before, em.receiving)
	}
	skip, roots, err := em.heldBy(before...)
	if err != nil {
		return nil, err
	}
	roots = append(roots, brokerRoots...)
	if hasNATSTransport(em.pkg) {
		roots = append(roots, "SubscribeQueue")
	}
	src, _, err := p.splice(roots, skip, em.decls)
	if err != nil {
		return nil, fmt.Errorf("brokers of package %s: %w", em.pkg.Name, err)
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

// tuplesFile renders tuples.gen.go with the support code its tuples use.
func (em *emission) tuplesFile() ([]byte, error) {
	f, err := Tuples(em.pkg)
	if err != nil || f == nil {
		return nil, err
	}
	src, _, err := spliceSupport(f, nil, nil, em.decls)
	if err != nil {
		return nil, fmt.Errorf("tuples of package %s: %w", em.pkg.Name, err)
	}
	return src, nil
}
