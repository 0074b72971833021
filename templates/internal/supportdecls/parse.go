// Package supportdecls reads the hand-written support package
// (templates/support) into its top-level declarations: what each declares,
// the names and import paths it uses, and its source text. The emitters
// splice these declarations into generated packages; cmd supportindex
// writes them, at go generate time, into the table the emitters read, so
// that generation never parses the support package.
package supportdecls

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Decl is one top-level declaration of package support.
type Decl struct {
	// Names are what it declares; a method declares nothing by name but
	// belongs to its receiver type Recv.
	Names  []string
	Recv   string
	Method string
	// Text is its source, doc comment included, as gofmt wrote it.
	Text string
	// Refs are the identifiers it uses, sorted, a name used after a dot as
	// Selected(name); Imports the import paths it uses.
	Refs    []string
	Imports []string
	// Fields are the fields of a struct type that may be pruned.
	Fields []Field
}

// Field is one line of a struct's fields, with its doc comment: the names
// it declares and where it is in the declaration's Text.
type Field struct {
	Names      []string
	Start, End int
}

// ParseDir reads the Go files of dir but its tests, in name order, into
// their declarations, in file and source order.
func ParseDir(dir string) ([]Decl, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read support: %w", err)
	}
	var out []Decl
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read support: %w", err)
		}
		decls, err := ParseFile(e.Name(), src)
		if err != nil {
			return nil, err
		}
		out = append(out, decls...)
	}
	return out, nil
}

// ParseFile reads one Go source into its declarations, in source order.
func ParseFile(name string, src []byte) ([]Decl, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse support/%s: %w", name, err)
	}
	importPaths := filePaths(file)
	var out []Decl
	for _, decl := range file.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		out = append(out, readDecl(fset, src, decl, importPaths))
	}
	return out, nil
}

// filePaths maps the names a file's imports go by to their paths.
func filePaths(file *ast.File) map[string]string {
	paths := map[string]string{}
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := path.Base(p)
		if imp.Name != nil {
			// A package whose path does not end in its name (jwt/v5).
			name = imp.Name.Name
		}
		paths[name] = p
	}
	return paths
}

// readDecl reads one declaration of src.
func readDecl(fset *token.FileSet, src []byte, decl ast.Decl, importPaths map[string]string) Decl {
	var d Decl
	start := decl.Pos()
	switch x := decl.(type) {
	case *ast.FuncDecl:
		if x.Doc != nil {
			start = x.Doc.Pos()
		}
		if x.Recv != nil {
			d.Recv, d.Method = receiverName(x.Recv.List[0].Type), x.Name.Name
		} else {
			d.Names = []string{x.Name.Name}
		}
	case *ast.GenDecl:
		if x.Doc != nil {
			start = x.Doc.Pos()
		}
		d.Names = genDeclNames(x)
	}
	base := fset.Position(start).Offset
	d.Text = string(src[base:fset.Position(decl.End()).Offset])
	d.Fields = structFields(fset, decl, src, base)
	ast.Inspect(decl, func(n ast.Node) bool {
		if x, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := x.X.(*ast.Ident); ok && importPaths[id.Name] != "" && !slices.Contains(d.Imports, importPaths[id.Name]) {
				d.Imports = append(d.Imports, importPaths[id.Name])
			}
		}
		return true
	})
	for r := range declReferences(decl) {
		d.Refs = append(d.Refs, r)
	}
	slices.Sort(d.Refs)
	return d
}

// structFields lists the field lines of a struct type declaration that
// may be pruned, as offsets into its text (which starts at base in src).
// Tagged fields are left out: reflection uses them, not names.
func structFields(fset *token.FileSet, decl ast.Decl, src []byte, base int) []Field {
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
	var out []Field
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
		span := Field{Start: from - base, End: to - base}
		for _, n := range f.Names {
			span.Names = append(span.Names, n.Name)
		}
		out = append(out, span)
	}
	return out
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

// References lists the names node uses: plain identifiers by name, and
// the names after a dot as Selected(name), so that a method is kept only
// when something calls it, not when a builtin or a type shares its name
// (d.int32() against int32, d.number() against type number).
func References(node ast.Node) map[string]bool {
	refs := map[string]bool{}
	ast.Inspect(node, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.File:
			// The package clause's name refers to nothing.
			for _, d := range x.Decls {
				for name := range References(d) {
					refs[name] = true
				}
			}
			return false
		case *ast.SelectorExpr:
			refs[Selected(x.Sel.Name)] = true
			for name := range References(x.X) {
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

// declReferences is References of a declaration, less a function's own
// name: a method named number does not use a type named number.
func declReferences(decl ast.Decl) map[string]bool {
	fn, ok := decl.(*ast.FuncDecl)
	if !ok {
		refs := References(decl)
		dropFieldNames(decl, refs)
		return refs
	}
	refs := References(fn.Type)
	for _, part := range []ast.Node{fn.Recv, fn.Body} {
		if part != nil && !reflect.ValueOf(part).IsNil() {
			for name := range References(part) {
				refs[name] = true
			}
		}
	}
	return refs
}

// Selected is how References records a name used after a dot.
func Selected(name string) string { return "." + name }

// dropFieldNames removes from refs the names decl's struct types give
// their fields, unless a field's type uses the name: a field declares its
// name, it does not use it. Otherwise two structs with a field of the
// same name would each keep the other's field from being pruned.
func dropFieldNames(decl ast.Decl, refs map[string]bool) {
	var names []string
	typeRefs := map[string]bool{}
	ast.Inspect(decl, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok {
			return true
		}
		for _, f := range st.Fields.List {
			for _, name := range f.Names {
				names = append(names, name.Name)
			}
			for name := range References(f.Type) {
				typeRefs[name] = true
			}
		}
		return true
	})
	for _, name := range names {
		if !typeRefs[name] {
			delete(refs, name)
		}
	}
}
