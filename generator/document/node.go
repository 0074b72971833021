// Package document loads AsyncAPI 2.x and 3.x documents: it parses YAML or
// JSON into a tree that remembers where every value came from, resolves
// $refs across files, and reads the tree into typed AsyncAPI objects whose
// schemas are this package's schema model (Schema), read straight from the
// tree.
package document

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind says what a Node holds.
type Kind int

// The kinds of Node.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindMap
	KindList
)

// String names a kind the way JSON Schema does, for error messages.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindBool:
		return "boolean"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindMap:
		return "object"
	case KindList:
		return "array"
	}
	return "unknown"
}

// Node is one JSON value of a loaded file, with its position.
type Node struct {
	Kind Kind
	// Str holds a string, or the literal text of a number.
	Str  string
	Bool bool
	// Keys and Values hold a map's entries in document order.
	Keys   []string
	Values []*Node
	// KeyNodes hold the position of each map key.
	KeyNodes []*Node
	Items    []*Node
	// aliased marks a value a YAML alias names: it appears in several
	// places of the document, as if each were a $ref to it.
	aliased bool

	File    *File
	Pointer string
	Line    int
	Column  int
}

// Get returns the value of key in a map node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != KindMap {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Values[i]
		}
	}
	return nil
}

// Has reports whether a map node has key.
func (n *Node) Has(key string) bool { return n.Get(key) != nil }

// Loc returns the position of the node.
func (n *Node) Loc() Location {
	if n == nil {
		return Location{}
	}
	path := ""
	if n.File != nil {
		path = n.File.Path
	}
	return Location{File: path, Pointer: n.Pointer, Line: n.Line, Column: n.Column}
}

// Errorf makes a positioned error about this node.
func (n *Node) Errorf(format string, args ...any) *Error {
	return &Error{Loc: n.Loc(), Msg: fmt.Sprintf(format, args...)}
}

// Float returns a number node's value.
func (n *Node) Float() (float64, bool) {
	if n == nil || n.Kind != KindNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Str, 64)
	return f, err == nil
}

// Interface converts the node to plain Go values: map[string]any, []any,
// string, int64 (for whole numbers that fit), float64, bool and nil. A
// value the document shares through YAML aliases is shared in the result
// too, so a small document never expands into a huge value; callers must
// not modify the maps and slices it returns.
func (n *Node) Interface() any {
	return n.plain(map[*Node]any{})
}

func (n *Node) plain(shared map[*Node]any) any {
	switch n.Kind {
	case KindNull:
		return nil
	case KindBool:
		return n.Bool
	case KindNumber:
		if i, err := strconv.ParseInt(n.Str, 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(n.Str, 64)
		return f
	case KindString:
		return n.Str
	}
	if v, ok := shared[n]; ok {
		return v
	}
	var v any
	if n.Kind == KindList {
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.plain(shared)
		}
		v = out
	} else {
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			out[k] = n.Values[i].plain(shared)
		}
		v = out
	}
	shared[n] = v
	return v
}

// limits bound what one file may make the loader do.
type limits struct {
	maxDepth int
	maxNodes int
}

var defaultLimits = limits{maxDepth: 512, maxNodes: 5_000_000}

// converter turns a yaml.v3 node tree into Nodes, sharing anchors instead of
// expanding them, and refusing trees too deep or too large.
type converter struct {
	file    *File
	limits  limits
	nodes   int
	anchors map[*yaml.Node]*Node
}

// parseFile parses data, YAML or JSON, into a Node tree. A file named
// .json must be JSON; one that starts like JSON and fails to parse gets
// the JSON error, which says more than YAML's.
func parseFile(f *File, data []byte) (*Node, error) {
	blank := len(bytes.TrimSpace(data)) == 0
	if isJSONName(f.Path) && !blank {
		if err := jsonSyntaxError(f.Path, data); err != nil {
			return nil, err
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if startsLikeJSON(data) {
			if jsonErr := jsonSyntaxError(f.Path, data); jsonErr != nil {
				return nil, jsonErr
			}
		}
		return nil, yamlError(f.Path, data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{Loc: Location{File: f.Path, Line: 1, Column: 1}, Msg: "the file is empty"}
	}
	c := &converter{file: f, limits: defaultLimits, anchors: map[*yaml.Node]*Node{}}
	return c.convert(doc.Content[0], "", 0)
}

// yamlError turns a yaml.v3 error, which carries "line N" in its text, into
// a positioned Error. Some of its errors carry no line; their place is
// found in data.
func yamlError(path string, data []byte, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if l, convErr := strconv.Atoi(num); convErr == nil {
				line = l
				msg = strings.TrimSpace(after)
			}
		}
	}
	msg = strings.ReplaceAll(msg, "\n", "; ")
	loc := Location{File: path, Line: line}
	if line == 0 {
		loc.Line, loc.Column = yamlProblemAt(data, msg)
	}
	return &Error{Loc: loc, Msg: "invalid YAML: " + msg}
}

func (c *converter) convert(y *yaml.Node, pointer string, depth int) (*Node, error) {
	if depth > c.limits.maxDepth {
		return nil, &Error{Loc: c.loc(y, pointer), Msg: fmt.Sprintf("the document nests deeper than %d levels", c.limits.maxDepth)}
	}
	c.nodes++
	if c.nodes > c.limits.maxNodes {
		return nil, &Error{Loc: c.loc(y, pointer), Msg: fmt.Sprintf("the document has more than %d values", c.limits.maxNodes)}
	}
	if y.Kind == yaml.AliasNode {
		if shared, ok := c.anchors[y.Alias]; ok {
			shared.aliased = true
			return shared, nil
		}
		return nil, &Error{Loc: c.loc(y, pointer), Msg: "alias *" + y.Value + " refers to an anchor that encloses it"}
	}
	n, err := c.convertValue(y, pointer, depth)
	if err == nil && y.Anchor != "" {
		// Registered only once complete, so an alias inside its own anchor
		// is refused instead of making a cycle.
		c.anchors[y] = n
	}
	return n, err
}

func (c *converter) convertValue(y *yaml.Node, pointer string, depth int) (*Node, error) {
	if y.Kind == yaml.DocumentNode {
		return c.convert(y.Content[0], pointer, depth)
	}
	n := &Node{File: c.file, Pointer: pointer, Line: y.Line, Column: y.Column}
	switch y.Kind {
	case yaml.ScalarNode:
		return n, c.scalar(n, y)
	case yaml.SequenceNode:
		n.Kind = KindList
		n.Items = make([]*Node, 0, len(y.Content))
		for i, item := range y.Content {
			child, err := c.convert(item, pointer+"/"+strconv.Itoa(i), depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, child)
		}
		return n, nil
	case yaml.MappingNode:
		return n, c.mapping(n, y, pointer, depth)
	}
	return nil, &Error{Loc: c.loc(y, pointer), Msg: "unsupported YAML node"}
}

func (c *converter) mapping(n *Node, y *yaml.Node, pointer string, depth int) error {
	n.Kind = KindMap
	size := len(y.Content) / 2
	n.Keys = make([]string, 0, size)
	n.Values = make([]*Node, 0, size)
	n.KeyNodes = make([]*Node, 0, size)
	keyNodes := make([]Node, size) // one allocation for the map's key nodes
	var seen map[string]int        // for maps too long to search their keys
	if size > shortMap {
		seen = make(map[string]int, size)
	}
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return &Error{Loc: c.loc(k, pointer), Msg: "a mapping key must be a scalar"}
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			return &Error{Loc: c.loc(k, pointer), Msg: "YAML merge keys (<<) are not supported"}
		}
		if first, dup := firstKey(n, seen, k.Value); dup {
			return &Error{Loc: c.loc(k, pointer), Msg: fmt.Sprintf("duplicate key %q (first at line %d)", k.Value, first)}
		}
		if seen != nil {
			seen[k.Value] = k.Line
		}
		childPtr := pointer + "/" + escapePointer(k.Value)
		child, err := c.convert(v, childPtr, depth+1)
		if err != nil {
			return err
		}
		key := &keyNodes[i/2]
		*key = Node{Kind: KindString, Str: k.Value, File: c.file, Pointer: childPtr, Line: k.Line, Column: k.Column}
		n.Keys = append(n.Keys, k.Value)
		n.Values = append(n.Values, child)
		n.KeyNodes = append(n.KeyNodes, key)
	}
	return nil
}

// shortMap is the most keys a map has for its duplicates to be found by
// searching the keys read so far rather than through a map.
const shortMap = 8

// firstKey reports whether map n, being read, has key already, and the
// line it is on: from seen when the map is long, else from n's keys.
func firstKey(n *Node, seen map[string]int, key string) (int, bool) {
	if seen != nil {
		line, dup := seen[key]
		return line, dup
	}
	for i, k := range n.Keys {
		if k == key {
			return n.KeyNodes[i].Line, true
		}
	}
	return 0, false
}

func (c *converter) scalar(n *Node, y *yaml.Node) error {
	switch y.ShortTag() {
	case "!!null":
		n.Kind = KindNull
	case "!!bool":
		var b bool
		if err := y.Decode(&b); err != nil {
			return &Error{Loc: c.loc(y, n.Pointer), Msg: "invalid boolean " + strconv.Quote(y.Value)}
		}
		n.Kind, n.Bool = KindBool, b
	case "!!int":
		var i int64
		if err := y.Decode(&i); err != nil {
			// Too large for int64: keep it as a float.
			return c.float(n, y)
		}
		n.Kind, n.Str = KindNumber, numberText(y.Value, strconv.FormatInt(i, 10))
	case "!!float":
		return c.float(n, y)
	default:
		// Strings, timestamps and binary stay text, as JSON would see them.
		n.Kind, n.Str = KindString, y.Value
	}
	return nil
}

func (c *converter) float(n *Node, y *yaml.Node) error {
	var f float64
	if err := y.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return &Error{Loc: c.loc(y, n.Pointer), Msg: fmt.Sprintf("number %s cannot be represented in JSON", y.Value)}
	}
	n.Kind, n.Str = KindNumber, numberText(y.Value, strconv.FormatFloat(f, 'g', -1, 64))
	return nil
}

// numberText is the text a number node keeps: the literal as written,
// to the digit, when it is a JSON number; else (YAML's 0x1F, +5, 1_000,
// .5) the canonical text of its value.
func numberText(literal, canonical string) string {
	if isJSONNumber(literal) {
		return literal
	}
	return canonical
}

// isJSONNumber reports whether s is a number as JSON writes one:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	i := digits(s)
	if i == 0 || (s[0] == '0' && i > 1) {
		return false
	}
	s = s[i:]
	if rest, ok := strings.CutPrefix(s, "."); ok {
		if i = digits(rest); i == 0 {
			return false
		}
		s = rest[i:]
	}
	if s == "" {
		return true
	}
	if s[0] != 'e' && s[0] != 'E' {
		return false
	}
	s = s[1:]
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return digits(s) > 0 && digits(s) == len(s)
}

// digits counts the ASCII digits s begins with.
func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func (c *converter) loc(y *yaml.Node, pointer string) Location {
	return Location{File: c.file.Path, Pointer: pointer, Line: y.Line, Column: y.Column}
}

// escapePointer escapes one JSON pointer reference token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapePointer undoes escapePointer.
func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
