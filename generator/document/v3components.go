package document

import "sort"

// v3ComponentKinds maps each kind of a 3.x components object to what
// reading one entry of it checks; nil checks only that the entry is an
// object. Schemas, security schemes and messages are read first, in
// components; channels, operations and servers where they are used.
func (v *v3Reader) v3ComponentKinds() map[string]func(key string, n *Node) error {
	object := func(string, *Node) error { return nil }
	return map[string]func(string, *Node) error{
		"schemas": object, "securitySchemes": object, "messages": object,
		"servers": object, "channels": object, "operations": object, "parameters": object,
		"externalDocs": object, "tags": object,
		"serverBindings": object, "channelBindings": object, "operationBindings": object, "messageBindings": object,
		"operationTraits": object, "messageTraits": object,
		"serverVariables": v.checkServerVariable,
		"correlationIds":  func(_ string, n *Node) error { _, err := reqString(n, "location"); return err },
		"replies":         func(_ string, n *Node) error { _, err := optList(n, "messages"); return err },
		"replyAddresses": func(_ string, n *Node) error {
			_, err := v.replyAddress(n)
			return err
		},
	}
}

// components reads a 3.x components object: every kind must be a map of
// objects; schemas, security schemes and messages are read in full.
func (v *v3Reader) components(root *Node) error {
	comps, err := optMap(root, "components")
	if comps == nil || err != nil {
		return err
	}
	kinds := v.v3ComponentKinds()
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	sort.Strings(names)
	if err := refuseUnknownFields(comps, "components", names); err != nil {
		return err
	}
	for i, kind := range comps.Keys {
		if check := kinds[kind]; check != nil {
			if err := v.componentEntries(kind, comps.Values[i], check); err != nil {
				return err
			}
		}
	}
	if err := v.componentSchemas(comps); err != nil {
		return err
	}
	if err := v.securitySchemes(comps); err != nil {
		return err
	}
	return v.componentMessages(comps)
}

// componentEntries checks that one kind of components is a map of objects
// and runs check on each.
func (v *v3Reader) componentEntries(kind string, entries *Node, check func(string, *Node) error) error {
	if err := expectKind(entries, "components."+shown(kind), KindMap); err != nil {
		return err
	}
	for i, key := range entries.Keys {
		n, err := v.follow(entries.Values[i])
		if err != nil {
			return err
		}
		if err := expectKind(n, "components."+shown(kind+"."+key), KindMap); err != nil {
			return err
		}
		if err := check(key, n); err != nil {
			return err
		}
	}
	return nil
}

func (v *v3Reader) checkServerVariable(name string, n *Node) error {
	for _, key := range []string{"default", "description"} {
		if _, err := optString(n, key); err != nil {
			return err
		}
	}
	_, err := stringList(n, "enum")
	return err
}

// componentMessages reads every message of components.messages, as 2.x
// does: each gets its types whether or not a channel uses it.
func (v *v3Reader) componentMessages(comps *Node) error {
	msgs, err := optMap(comps, "messages")
	if msgs == nil || err != nil {
		return err
	}
	for i, key := range msgs.Keys {
		n, err := v.follow(msgs.Values[i])
		if err != nil {
			return err
		}
		if _, err := v.message(n, key); err != nil {
			return err
		}
	}
	return nil
}
