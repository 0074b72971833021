package document

import (
	"strconv"
	"strings"
)

// follow returns the value a reference object ends at, as Loader.Follow
// does, except that a JSON pointer may pass through $refs on its way
// (#/channels/a/messages/m where channels/a is itself a $ref): AsyncAPI 3
// documents point into the messages of a channel that is written elsewhere.
func (v *v3Reader) follow(n *Node) (*Node, error) {
	var chain []*Node
	for IsRef(n) {
		if end, ok := v.followed[n]; ok {
			n = end
			break
		}
		if v.resolving[n] {
			return nil, n.Errorf("$ref cycle with no concrete value: %s", shown(refChain(chain, n)))
		}
		v.resolving[n] = true
		chain = append(chain, n)
		next, err := v.refPlace(n)
		if err != nil {
			v.doneResolving(chain)
			return nil, err
		}
		n = next
	}
	v.doneResolving(chain)
	for _, ref := range chain {
		v.followed[ref] = n
	}
	return n, nil
}

func (v *v3Reader) doneResolving(chain []*Node) {
	for _, ref := range chain {
		delete(v.resolving, ref)
	}
}

// refPlace returns the node the JSON pointer of the reference object n
// names, following the $refs it passes through but not one it ends at.
func (v *v3Reader) refPlace(n *Node) (*Node, error) {
	refNode := n.Get("$ref")
	if refNode.Kind != KindString {
		return nil, refNode.Errorf("$ref must be a string, not %s", refNode.Kind)
	}
	file, fragment, err := v.loader.refFile(refNode)
	if err != nil {
		return nil, err
	}
	cur := file.Root
	if fragment == "" {
		return cur, nil
	}
	walked := ""
	for _, token := range strings.Split(fragment[1:], "/") {
		if cur, err = v.follow(cur); err != nil {
			return nil, err
		}
		token = unescapePointer(token)
		walked += "/" + escapePointer(token)
		if cur = v.member(cur, token); cur == nil {
			return nil, refNode.Errorf("$ref %q: nothing at %s in %s", refNode.Str, shown(walked), shown(file.Path))
		}
	}
	return cur, nil
}

// member returns the member of a map or the item of a list a pointer
// token names, or nil.
func (v *v3Reader) member(n *Node, token string) *Node {
	switch n.Kind {
	case KindMap:
		return v.loader.keys.get(n, token)
	case KindList:
		i, err := strconv.Atoi(token)
		if err != nil || i < 0 || i >= len(n.Items) {
			return nil
		}
		return n.Items[i]
	}
	return nil
}
