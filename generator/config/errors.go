package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// syntaxError turns yaml.v3's "yaml: line N: message" into an Error.
func syntaxError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if l, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = l, strings.TrimSpace(after)
			}
		}
	}
	return &Error{Path: path, Line: line, Msg: "invalid YAML: " + msg}
}

var (
	typeErrorLine = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownField  = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	wrongType     = regexp.MustCompile(`^cannot unmarshal !!(\w+)(?: ` + "`(.*)`" + `)? into (.+)$`)
)

// typeErrors rewrites yaml.v3's unmarshal errors (unknown keys, wrong
// types) as one Error per line, saying which key and what it wants.
func typeErrors(path string, te *yaml.TypeError, root *yaml.Node) error {
	var errs []error
	for _, e := range te.Errors {
		m := typeErrorLine.FindStringSubmatch(e)
		if m == nil {
			errs = append(errs, &Error{Path: path, Msg: e})
			continue
		}
		line, _ := strconv.Atoi(m[1])
		errs = append(errs, &Error{Path: path, Line: line, Msg: explain(m[2], line, root)})
	}
	return errors.Join(errs...)
}

// explain rewrites one yaml.v3 unmarshal message about line, naming the
// key of the value it is about when root has one.
func explain(msg string, line int, root *yaml.Node) string {
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown key %q (known: %s)", m[1], strings.Join(knownKeys(m[2]), ", "))
	}
	if m := wrongType.FindStringSubmatch(msg); m != nil {
		got := yamlKinds[m[1]]
		if got == "" {
			got = m[1]
		}
		if m[2] != "" {
			got += " " + strconv.Quote(m[2])
		}
		want := goKinds[m[3]]
		if want == "" {
			want = m[3]
		}
		if key := keyOf(root, line, m[1], m[2]); key != "" {
			return fmt.Sprintf("%s must be %s, not %s", key, want, got)
		}
		return fmt.Sprintf("want %s, not %s", want, got)
	}
	return msg
}

var yamlKinds = map[string]string{
	"seq": "a list", "map": "a mapping", "str": "the string", "int": "the number",
	"float": "the number", "bool": "the boolean", "null": "null",
}

var goKinds = map[string]string{
	"string":            "a string",
	"bool":              "true or false",
	"[]string":          "a list of strings",
	"map[string]string": "a mapping of names to names",
	"[]config.Package":  "a list of packages",
	"config.Package":    "a mapping (package, out, spec, ...)",
	"config.File":       "a mapping with a packages list",
	"*config.File":      "a mapping with a packages list",
}

// knownKeys lists the yaml keys of the config type yaml.v3 names.
func knownKeys(typeName string) []string {
	var t reflect.Type
	switch typeName {
	case "config.File":
		t = reflect.TypeFor[File]()
	case "config.Package":
		t = reflect.TypeFor[Package]()
	default:
		return nil
	}
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// keyOf finds the mapping key whose value is the node an error is about:
// it starts on line and has the YAML tag (and, for scalars, the value) the
// error names. The innermost such key wins ("packages:" and "- package:
// [x]" can both hold a list that starts on line 2). It returns "" when the
// node is under no key.
func keyOf(n *yaml.Node, line int, tag, value string) string {
	if n == nil {
		return ""
	}
	for _, c := range n.Content {
		if k := keyOf(c, line, tag, value); k != "" {
			return k
		}
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			v := n.Content[i+1]
			if v.Line == line && v.ShortTag() == "!!"+tag && sameValue(v.Value, value) {
				return n.Content[i].Value
			}
		}
	}
	return ""
}

// sameValue reports whether a scalar's value is the one an error quotes;
// yaml.v3 shortens long values to their first characters and "...".
func sameValue(value, quoted string) bool {
	if quoted == "" {
		return true
	}
	if prefix, cut := strings.CutSuffix(quoted, "..."); cut {
		return strings.HasPrefix(value, prefix)
	}
	return value == quoted
}
