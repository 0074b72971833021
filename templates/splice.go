package templates

import (
	"bytes"
	"fmt"
	"go/token"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

//go:generate go run ./internal/supportindex

// supportDecl is one top-level declaration of package support, as
// supportdecls.Decl reads it (see there), with the table's field names.
type supportDecl struct {
	names  []string
	recv   string
	method string
	text   string
	// refs are the identifiers it uses, sorted; imports the import paths.
	refs    []string
	imports []string
	// fields are the fields of a struct type, where text holds them.
	fields []fieldSpan
}

// fieldSpan is one line of a struct's fields, with its doc comment: the
// names it declares and where it is in the declaration's text.
type fieldSpan struct {
	names      []string
	start, end int
}

// loadSupport returns the declarations of package support, in file and
// source order, from the table go generate wrote (support_index.gen.go):
// generation never parses the support package. Nothing changes a
// declaration (every user only reads them, from any goroutine).
func loadSupport() ([]*supportDecl, error) {
	decls := make([]*supportDecl, len(supportIndex))
	for i := range supportIndex {
		decls[i] = &supportIndex[i]
	}
	return decls, nil
}

// withoutUnusedFields is d's text less the struct fields that nothing in
// used names, by selector or as a key.
func (d *supportDecl) withoutUnusedFields(used map[string]bool) string {
	text := d.text
	for i := len(d.fields) - 1; i >= 0; i-- {
		f := d.fields[i]
		if len(f.names) == 0 || slices.ContainsFunc(f.names, func(n string) bool { return used[n] || used[selected(n)] }) {
			continue
		}
		text = text[:f.start] + text[f.end:]
	}
	return text
}

// shake selects the declarations that the identifiers roots need, and
// every declaration those need in turn. A method comes along with its
// type when it is exported or its name is used.
func shake(decls []*supportDecl, roots map[string]bool) []*supportDecl {
	refs := map[string]bool{}
	for r := range roots {
		refs[r] = true
	}
	typeIncluded := map[string]bool{}
	included := make([]bool, len(decls))
	for changed := true; changed; {
		changed = false
		for i, d := range decls {
			if included[i] || !needed(d, refs, typeIncluded) {
				continue
			}
			included[i], changed = true, true
			for _, r := range d.refs {
				refs[r] = true
			}
			for _, n := range d.names {
				typeIncluded[n] = true
			}
		}
	}
	var out []*supportDecl
	for i, d := range decls {
		if included[i] {
			out = append(out, d)
		}
	}
	return out
}

func needed(d *supportDecl, refs, typeIncluded map[string]bool) bool {
	if d.recv != "" {
		return typeIncluded[d.recv] && (token.IsExported(d.method) || refs[selected(d.method)])
	}
	return slices.ContainsFunc(d.names, func(n string) bool { return refs[n] })
}

// selected is how supportdecls.References records a name used after a
// dot.
func selected(name string) string { return "." + name }

// spliceSupport renders f and appends the support declarations its code
// needs, leaving out those named in skip (another file of the package has
// them). It returns the source and the declarations it appended.
func spliceSupport(f *jen.File, extraRoots []string, skip map[*supportDecl]bool, decls []*supportDecl) ([]byte, []*supportDecl, error) {
	p, err := parseRendered(f)
	if err != nil {
		return nil, nil, err
	}
	return p.splice(extraRoots, skip, decls)
}

// parsedFile is a file rendered by jennifer, not yet formatted, with what
// splicing needs of it: the names its code uses (as references records
// them), its import paths (quoted) and where its package clause and its
// imports end. It may be ready before the files it is spliced after are.
type parsedFile struct {
	src       []byte
	refs      map[string]bool
	imports   []string
	nameEnd   int
	bodyStart int
}

// parseRendered renders f and scans jennifer's output as it comes: the
// file is parsed and formatted once, after splicing, where any syntax
// error in it is reported.
func parseRendered(f *jen.File) (*parsedFile, error) {
	src, err := renderUnformatted(f)
	if err != nil {
		return nil, err
	}
	return scanRendered(src), nil
}

// splice appends to p the support declarations its code and extraRoots
// need, less those in skip, and formats the result. It returns the source
// and the declarations it appended.
func (p *parsedFile) splice(extraRoots []string, skip map[*supportDecl]bool, decls []*supportDecl) ([]byte, []*supportDecl, error) {
	roots := maps.Clone(p.refs)
	for _, r := range extraRoots {
		roots[r] = true
	}
	var chosen []*supportDecl
	for _, d := range shake(decls, roots) {
		if !skip[d] {
			chosen = append(chosen, d)
		}
	}
	// Only the file spliced last (the one given skip) may drop struct
	// fields: a declaration another file holds may serve that file too.
	var prune map[string]bool
	if skip != nil {
		prune = roots
	}
	out, err := appendDecls(p, chosen, prune)
	return out, chosen, err
}

// appendDecls adds declarations and their imports to a rendered file.
// Only the rendered code is formatted: the support declarations are
// gofmt'd already, and gofmt lays out each top-level declaration by
// itself, so the file is formatted as a whole would be. With prune (the
// names the file's own code uses), a struct keeps only the fields that the
// file or another declaration uses, and is formatted again, since its
// fields may align otherwise.
func appendDecls(p *parsedFile, decls []*supportDecl, prune map[string]bool) ([]byte, error) {
	imports := slices.Clone(p.imports)
	texts := make([]string, len(decls))
	for i, d := range decls {
		text, err := d.prunedText(decls, prune)
		if err != nil {
			return nil, err
		}
		texts[i] = text
		imports = append(imports, d.importsOf(text)...)
	}
	slices.Sort(imports)
	imports = slices.Compact(imports)

	var b bytes.Buffer
	b.Write(p.src[:p.nameEnd])
	b.WriteString("\n\n")
	if len(imports) > 0 {
		b.WriteString("import (\n" + importBlock(imports) + ")\n")
	}
	b.Write(p.src[p.bodyStart:])
	out, err := formatGo(b.Bytes())
	if err != nil {
		return nil, err
	}
	for _, text := range texts {
		out = append(out, '\n')
		out = append(out, text...)
		out = append(out, '\n')
	}
	return out, nil
}

// importsOf is the quoted import paths of d that text, d's text as
// prunedText left it, still uses: a struct field that went may have been
// the only use of a package. An import whose name is not the last element
// of its path (jwt/v5) is kept.
func (d *supportDecl) importsOf(text string) []string {
	var before, after map[string]bool
	if text != d.text {
		before, after = scanRendered([]byte(d.text)).refs, scanRendered([]byte(text)).refs
	}
	var out []string
	for _, imp := range d.imports {
		if name := path.Base(imp); !before[name] || after[name] {
			out = append(out, strconv.Quote(imp))
		}
	}
	return out
}

// prunedText is d's text, less the struct fields that nothing uses when
// prune is set (see appendDecls), formatted again when a field went.
func (d *supportDecl) prunedText(decls []*supportDecl, prune map[string]bool) (string, error) {
	if prune == nil || len(d.fields) == 0 {
		return d.text, nil
	}
	// Only a struct has fields to drop: the names the others use are
	// gathered for it alone.
	text := d.withoutUnusedFields(usedBesides(d, decls, prune))
	if text == d.text {
		return text, nil
	}
	out, err := formatGo([]byte(text))
	if err != nil {
		return "", fmt.Errorf("support declaration %s: %w", strings.Join(d.names, ", "), err)
	}
	return string(out), nil
}

// importBlock lists quoted import paths, the standard library's first and
// then, after a blank line, the others (their first element has a dot).
func importBlock(imports []string) string {
	var std, other strings.Builder
	for _, imp := range imports {
		first, _, _ := strings.Cut(strings.Trim(imp, `"`), "/")
		if strings.Contains(first, ".") {
			other.WriteString("\t" + imp + "\n")
		} else {
			std.WriteString("\t" + imp + "\n")
		}
	}
	if std.Len() > 0 && other.Len() > 0 {
		return std.String() + "\n" + other.String()
	}
	return std.String() + other.String()
}

// usedBesides is the names that roots and every declaration but d use.
func usedBesides(d *supportDecl, decls []*supportDecl, roots map[string]bool) map[string]bool {
	used := maps.Clone(roots)
	for _, other := range decls {
		if other == d {
			continue
		}
		for _, r := range other.refs {
			used[r] = true
		}
	}
	return used
}
