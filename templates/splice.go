package templates

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"maps"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"
)

// supportFiles are the sources of package support, whose declarations the
// validation and decoding files copy.
//
//go:embed support/*.go
var supportFiles embed.FS

// supportDecl is one top-level declaration of package support.
type supportDecl struct {
	// names are what it declares; a method declares nothing by name but
	// belongs to its receiver type recv.
	names  []string
	recv   string
	method string
	text   string
	// refs are the identifiers it uses; imports the import paths.
	refs    map[string]bool
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
// source order. They are parsed once per process: the input is embedded
// and constant, and nothing changes a declaration once parsed (every user
// only reads them, from any goroutine), so this package-level value is an
// immutable cache, not mutable state.
var loadSupport = sync.OnceValues(parseSupportPackage)

// parseSupportPackage parses package support into its declarations, in
// file and source order.
func parseSupportPackage() ([]*supportDecl, error) {
	entries, err := supportFiles.ReadDir("support")
	if err != nil {
		return nil, fmt.Errorf("read support: %w", err)
	}
	var out []*supportDecl
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := supportFiles.ReadFile(path.Join("support", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read support: %w", err)
		}
		decls, err := parseSupport(e.Name(), src)
		if err != nil {
			return nil, err
		}
		out = append(out, decls...)
	}
	return out, nil
}

func parseSupport(name string, src []byte) ([]*supportDecl, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse support/%s: %w", name, err)
	}
	importPaths := map[string]string{}
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := path.Base(p)
		if imp.Name != nil {
			// A package whose path does not end in its name (jwt/v5).
			name = imp.Name.Name
		}
		importPaths[name] = p
	}
	var out []*supportDecl
	for _, decl := range file.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		d := &supportDecl{refs: map[string]bool{}}
		start := decl.Pos()
		switch x := decl.(type) {
		case *ast.FuncDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
			if x.Recv != nil {
				d.recv, d.method = receiverName(x.Recv.List[0].Type), x.Name.Name
			} else {
				d.names = []string{x.Name.Name}
			}
		case *ast.GenDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
			d.names = genDeclNames(x)
		}
		base := fset.Position(start).Offset
		d.text = string(src[base:fset.Position(decl.End()).Offset])
		d.fields = structFields(fset, decl, src, base)
		ast.Inspect(decl, func(n ast.Node) bool {
			if x, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := x.X.(*ast.Ident); ok && importPaths[id.Name] != "" && !slices.Contains(d.imports, importPaths[id.Name]) {
					d.imports = append(d.imports, importPaths[id.Name])
				}
			}
			return true
		})
		d.refs = declReferences(decl)
		out = append(out, d)
	}
	return out, nil
}

// structFields lists the field lines of a struct type declaration that
// may be pruned, as offsets into its text (which starts at base in src).
// Tagged fields are left out: reflection uses them, not names. So is an
// alias of a struct type: its type must be the same in every package.
func structFields(fset *token.FileSet, decl ast.Decl, src []byte, base int) []fieldSpan {
	gd, ok := decl.(*ast.GenDecl)
	if !ok || len(gd.Specs) != 1 {
		return nil
	}
	ts, ok := gd.Specs[0].(*ast.TypeSpec)
	if !ok || ts.Assign.IsValid() {
		return nil
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return nil
	}
	var out []fieldSpan
	for _, f := range st.Fields.List {
		if f.Tag != nil {
			continue // encoding/json and the like use it by reflection
		}
		start := f.Pos()
		if f.Doc != nil {
			start = f.Doc.Pos()
		}
		from := bytes.LastIndexByte(src[:fset.Position(start).Offset], '\n') + 1
		to := fset.Position(f.End()).Offset
		to += bytes.IndexByte(src[to:], '\n') + 1
		span := fieldSpan{start: from - base, end: to - base}
		for _, n := range f.Names {
			span.names = append(span.names, n.Name)
		}
		out = append(out, span)
	}
	return out
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

func receiverName(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func genDeclNames(gd *ast.GenDecl) []string {
	var names []string
	for _, spec := range gd.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			names = append(names, s.Name.Name)
		case *ast.ValueSpec:
			for _, n := range s.Names {
				names = append(names, n.Name)
			}
		}
	}
	return names
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
			for r := range d.refs {
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

// references lists the names node uses: plain identifiers by name, and
// the names after a dot as selected(name), so that a method is kept only
// when something calls it, not when a builtin or a type shares its name
// (d.int32() against int32, d.number() against type number).
func references(node ast.Node) map[string]bool {
	refs := map[string]bool{}
	ast.Inspect(node, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			refs[selected(x.Sel.Name)] = true
			for name := range references(x.X) {
				refs[name] = true
			}
			return false
		case *ast.Ident:
			refs[x.Name] = true
		}
		return true
	})
	return refs
}

// declReferences is references of a declaration, less a function's own
// name: a method named number does not use a type named number.
func declReferences(decl ast.Decl) map[string]bool {
	fn, ok := decl.(*ast.FuncDecl)
	if !ok {
		return references(decl)
	}
	refs := references(fn.Type)
	for _, part := range []ast.Node{fn.Recv, fn.Body} {
		if part != nil && !reflect.ValueOf(part).IsNil() {
			for name := range references(part) {
				refs[name] = true
			}
		}
	}
	return refs
}

// selected is how references records a name used after a dot.
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

// scanRendered reads the tokens of a Go source: every identifier it uses
// is in refs, one after a dot as selected(name), which is what references
// finds in its syntax tree, without building one.
func scanRendered(src []byte) *parsedFile {
	p := &parsedFile{src: src, refs: map[string]bool{}}
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	offset := func(pos token.Pos) int { return fset.Position(pos).Offset }
	var prev token.Token
	inImports, inGroup := false, false
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch {
		case tok == token.IDENT && prev == token.PERIOD:
			p.refs[selected(lit)] = true
		case tok == token.IDENT:
			p.refs[lit] = true
		}
		switch {
		case tok == token.IDENT && prev == token.PACKAGE && p.nameEnd == 0:
			p.nameEnd = offset(pos) + len(lit)
			p.bodyStart = p.nameEnd
		case tok == token.IMPORT:
			inImports = true
		case inImports && tok == token.LPAREN && prev == token.IMPORT:
			inGroup = true
		case inImports && tok == token.STRING:
			p.imports = append(p.imports, lit)
			if !inGroup {
				inImports, p.bodyStart = false, offset(pos)+len(lit)
			}
		case inImports && tok == token.RPAREN:
			inImports, inGroup, p.bodyStart = false, false, offset(pos)+1
		}
		prev = tok
	}
	return p
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

// appendDecls adds declarations and their imports to a rendered file and
// formats the result. With prune (the names the file's
// own code uses), a struct keeps only the fields that the file or another
// declaration uses.
func appendDecls(p *parsedFile, decls []*supportDecl, prune map[string]bool) ([]byte, error) {
	imports := slices.Clone(p.imports)
	for _, d := range decls {
		for _, p := range d.imports {
			imports = append(imports, strconv.Quote(p))
		}
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
	for _, d := range decls {
		text := d.text
		if prune != nil && len(d.fields) > 0 {
			// Only a struct has fields to drop: the names the others use
			// are gathered for it alone.
			text = d.withoutUnusedFields(usedBesides(d, decls, prune))
		}
		b.WriteString("\n" + text + "\n")
	}
	return formatGo(b.Bytes())
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
		if other != d {
			maps.Copy(used, other.refs)
		}
	}
	return used
}
