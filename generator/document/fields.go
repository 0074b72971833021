package document

import "fmt"

// expectKind checks a node's kind.
func expectKind(n *Node, what string, kind Kind) error {
	if n.Kind != kind {
		return n.Errorf("%s must be %s, not %s", what, article(kind), n.Kind)
	}
	return nil
}

func article(k Kind) string {
	switch k {
	case KindMap, KindList:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// optString reads an optional string member of a map node.
func optString(n *Node, key string) (string, error) {
	v := n.Get(key)
	if v == nil {
		return "", nil
	}
	if err := expectKind(v, key, KindString); err != nil {
		return "", err
	}
	return v.Str, nil
}

// reqString reads a required string member of a map node.
func reqString(n *Node, key string) (string, error) {
	if !n.Has(key) {
		return "", missing(n, key)
	}
	return optString(n, key)
}

// optMap reads an optional map member of a map node; nil when absent.
func optMap(n *Node, key string) (*Node, error) {
	v := n.Get(key)
	if v == nil {
		return nil, nil
	}
	if err := expectKind(v, key, KindMap); err != nil {
		return nil, err
	}
	return v, nil
}

// optList reads an optional list member of a map node; nil when absent.
func optList(n *Node, key string) (*Node, error) {
	v := n.Get(key)
	if v == nil {
		return nil, nil
	}
	if err := expectKind(v, key, KindList); err != nil {
		return nil, err
	}
	return v, nil
}

// stringList reads an optional list of strings.
func stringList(n *Node, key string) ([]string, error) {
	list, err := optList(n, key)
	if list == nil || err != nil {
		return nil, err
	}
	out := make([]string, 0, len(list.Items))
	for i, item := range list.Items {
		if err := expectKind(item, fmt.Sprintf("%s[%d]", key, i), KindString); err != nil {
			return nil, err
		}
		out = append(out, item.Str)
	}
	return out, nil
}

func missing(n *Node, key string) *Error {
	return n.Errorf("missing required field %q", key)
}
