package document

import (
	"regexp"
	"sort"
	"strings"
)

// object names a kind of AsyncAPI 2.x object whose fixed fields are known.
type object int

// The AsyncAPI objects the structure check knows. freeForm values (bindings,
// extensions) and schemas are not checked here: bindings are free-form, and
// schema keywords have their own check.
const (
	freeForm object = iota
	schemaObject
	scalarValue
	rootObject
	infoObject
	contactObject
	licenseObject
	serverObject
	serverVariableObject
	channelObject
	operationObject
	operationTraitObject
	// operationMessage is an operation's message: a Message Object or
	// {oneOf: [Message Object...]}.
	operationMessage
	messageObject
	messageTraitObject
	messageExampleObject
	parameterObject
	componentsObject
	tagObject
	externalDocsObject
	securitySchemeObject
	oauthFlowsObject
	oauthFlowObject
	correlationIDObject
)

// shape says how a field holds its objects.
type shape int

const (
	one shape = iota
	mapOf
	listOf
)

// field is what a fixed field of an object holds.
type field struct {
	object object
	shape  shape
}

// objectFields returns the fixed fields of an object (AsyncAPI 2.0 to 2.6
// together) and the name it has in messages.
func objectFields(o object) (string, map[string]field) {
	switch o {
	case rootObject:
		return "the document", map[string]field{
			"asyncapi": {scalarValue, one}, "id": {scalarValue, one}, "info": {infoObject, one},
			"servers": {serverObject, mapOf}, "defaultContentType": {scalarValue, one},
			"channels": {channelObject, mapOf}, "components": {componentsObject, one},
			"tags": {tagObject, listOf}, "externalDocs": {externalDocsObject, one},
		}
	case infoObject:
		return "info", map[string]field{
			"title": {scalarValue, one}, "version": {scalarValue, one}, "description": {scalarValue, one},
			"termsOfService": {scalarValue, one}, "contact": {contactObject, one}, "license": {licenseObject, one},
		}
	case contactObject:
		return "a contact", scalars("name", "url", "email")
	case licenseObject:
		return "a license", scalars("name", "url")
	case serverObject:
		return "a server", withFields(scalars("url", "protocol", "protocolVersion", "description", "security"), map[string]field{
			"variables": {serverVariableObject, mapOf}, "tags": {tagObject, listOf}, "bindings": {freeForm, one},
		})
	case serverVariableObject:
		return "a server variable", scalars("enum", "default", "description", "examples")
	case channelObject:
		return "a channel", withFields(scalars("$ref", "description", "servers"), map[string]field{
			"subscribe": {operationObject, one}, "publish": {operationObject, one},
			"parameters": {parameterObject, mapOf}, "bindings": {freeForm, one},
		})
	case operationObject:
		return "an operation", withFields(operationTraitFields(), map[string]field{
			"traits": {operationTraitObject, listOf}, "message": {operationMessage, one},
		})
	case operationTraitObject:
		return "an operation trait", operationTraitFields()
	case messageObject:
		return "a message", withFields(messageTraitFields(), map[string]field{
			"payload": {schemaObject, one}, "traits": {messageTraitObject, listOf},
		})
	case messageTraitObject:
		return "a message trait", messageTraitFields()
	case messageExampleObject:
		return "a message example", map[string]field{
			"headers": {freeForm, one}, "payload": {freeForm, one}, "name": {scalarValue, one}, "summary": {scalarValue, one},
		}
	case parameterObject:
		return "a parameter", withFields(scalars("description", "location"), map[string]field{"schema": {schemaObject, one}})
	case componentsObject:
		return "components", map[string]field{
			"schemas": {schemaObject, mapOf}, "servers": {serverObject, mapOf},
			"serverVariables": {serverVariableObject, mapOf}, "channels": {channelObject, mapOf},
			"messages": {operationMessage, mapOf}, "securitySchemes": {securitySchemeObject, mapOf},
			"parameters": {parameterObject, mapOf}, "correlationIds": {correlationIDObject, mapOf},
			"operationTraits": {operationTraitObject, mapOf}, "messageTraits": {messageTraitObject, mapOf},
			"serverBindings": {freeForm, mapOf}, "channelBindings": {freeForm, mapOf},
			"operationBindings": {freeForm, mapOf}, "messageBindings": {freeForm, mapOf},
		}
	case tagObject:
		return "a tag", withFields(scalars("name", "description"), map[string]field{"externalDocs": {externalDocsObject, one}})
	case externalDocsObject:
		return "external docs", scalars("description", "url")
	case securitySchemeObject:
		return "a security scheme", withFields(scalars("type", "description", "name", "in", "scheme", "bearerFormat", "openIdConnectUrl", "scopes"),
			map[string]field{"flows": {oauthFlowsObject, one}})
	case oauthFlowsObject:
		return "OAuth flows", map[string]field{
			"implicit": {oauthFlowObject, one}, "password": {oauthFlowObject, one},
			"clientCredentials": {oauthFlowObject, one}, "authorizationCode": {oauthFlowObject, one},
		}
	case oauthFlowObject:
		return "an OAuth flow", scalars("authorizationUrl", "tokenUrl", "refreshUrl", "scopes")
	case correlationIDObject:
		return "a correlation ID", scalars("description", "location")
	}
	return "", nil
}

func operationTraitFields() map[string]field {
	return withFields(scalars("operationId", "summary", "description", "security"), map[string]field{
		"tags": {tagObject, listOf}, "externalDocs": {externalDocsObject, one}, "bindings": {freeForm, one},
	})
}

func messageTraitFields() map[string]field {
	return withFields(scalars("messageId", "schemaFormat", "contentType", "name", "title", "summary", "description"), map[string]field{
		"headers": {schemaObject, one}, "correlationId": {correlationIDObject, one},
		"tags": {tagObject, listOf}, "externalDocs": {externalDocsObject, one}, "bindings": {freeForm, one},
		"examples": {messageExampleObject, listOf},
	})
}

func scalars(names ...string) map[string]field {
	out := make(map[string]field, len(names))
	for _, n := range names {
		out[n] = field{object: scalarValue}
	}
	return out
}

func withFields(base, more map[string]field) map[string]field {
	for k, v := range more {
		base[k] = v
	}
	return base
}

// traitRefusals are the fields a trait must not carry, with the reason.
func traitRefusals(o object) map[string]string {
	switch o {
	case operationTraitObject:
		return map[string]string{
			"message": "an operation trait cannot carry \"message\": only the operation itself names its messages",
			"traits":  "an operation trait cannot carry \"traits\": traits do not nest",
		}
	case messageTraitObject:
		return map[string]string{
			"payload": "a message trait cannot carry \"payload\": only the message itself gives its payload",
			"traits":  "a message trait cannot carry \"traits\": traits do not nest",
		}
	}
	return nil
}

var componentKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9.\-_]+$`)

// structure checks the fixed fields of every AsyncAPI object reachable from
// the root, components included: unknown fields (x- extensions aside),
// duplicate tag names, component keys, and the fields traits must not
// carry. Each object is visited once, so the check is linear in the
// document.
type structure struct {
	p       *parser
	visited map[structureVisit]bool
}

type structureVisit struct {
	node   *Node
	object object
}

func (p *parser) checkStructure(root *Node) error {
	s := &structure{p: p, visited: map[structureVisit]bool{}}
	return s.value(root, rootObject)
}

// value checks one value that should be an o, following $refs.
func (s *structure) value(raw *Node, o object) error {
	if o == freeForm || o == schemaObject || o == scalarValue {
		return nil
	}
	n, err := s.p.loader.Follow(raw)
	if err != nil {
		return err
	}
	visit := structureVisit{n, o}
	if s.visited[visit] || n.Kind != KindMap {
		// Kinds are checked where the value is read.
		return nil
	}
	s.visited[visit] = true
	switch {
	case o == operationMessage:
		return s.operationMessage(n)
	case o == messageExampleObject && s.p.freeFormExamples():
		return nil
	}
	return s.object(n, o)
}

// operationMessage checks a message, or a oneOf of messages.
func (s *structure) operationMessage(n *Node) error {
	oneOf := n.Get("oneOf")
	if oneOf == nil {
		return s.object(n, messageObject)
	}
	for i, k := range n.Keys {
		if k != "oneOf" && !isExtension(k) {
			if err := s.p.violation(n.KeyNodes[i].Errorf("unknown field %q beside oneOf: a oneOf of messages has nothing else", k)); err != nil {
				return err
			}
		}
	}
	if oneOf.Kind != KindList {
		return nil
	}
	for _, item := range oneOf.Items {
		if err := s.value(item, messageObject); err != nil {
			return err
		}
	}
	return nil
}

// object checks the members of the map n as an o.
func (s *structure) object(n *Node, o object) error {
	name, fields := objectFields(o)
	refused := traitRefusals(o)
	for i, key := range n.Keys {
		if reason, ok := refused[key]; ok {
			if err := s.p.violation(n.KeyNodes[i].Errorf("%s", reason)); err != nil {
				return err
			}
			continue
		}
		f, known := fields[key]
		if !known {
			if isExtension(key) {
				continue
			}
			if err := s.p.violation(n.KeyNodes[i].Errorf("unknown field %q in %s%s", key, name, knownFieldsHint(fields))); err != nil {
				return err
			}
			continue
		}
		if err := s.member(n.Values[i], f, o); err != nil {
			return err
		}
	}
	return nil
}

// knownFieldsHint lists the fields an object may have, for an error.
func knownFieldsHint(fields map[string]field) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return " (it may have " + strings.Join(names, ", ") + ", and x- extensions)"
}

func isExtension(key string) bool { return strings.HasPrefix(key, "x-") }

// member checks the value of one fixed field.
func (s *structure) member(v *Node, f field, in object) error {
	switch f.shape {
	case mapOf:
		return s.mapMember(v, f, in)
	case listOf:
		return s.listMember(v, f)
	}
	return s.value(v, f.object)
}

func (s *structure) mapMember(v *Node, f field, in object) error {
	v, err := s.p.loader.Follow(v)
	if err != nil || v.Kind != KindMap {
		return err
	}
	for i, key := range v.Keys {
		if in == componentsObject && !componentKeyPattern.MatchString(key) {
			err := v.KeyNodes[i].Errorf("component key %q may hold only letters, digits, '.', '-' and '_'", key)
			if err := s.p.violation(err); err != nil {
				return err
			}
		}
		if err := s.value(v.Values[i], f.object); err != nil {
			return err
		}
	}
	return nil
}

func (s *structure) listMember(v *Node, f field) error {
	v, err := s.p.loader.Follow(v)
	if err != nil || v.Kind != KindList {
		return err
	}
	if f.object == tagObject {
		if err := s.uniqueTags(v); err != nil {
			return err
		}
	}
	for _, item := range v.Items {
		if err := s.value(item, f.object); err != nil {
			return err
		}
	}
	return nil
}

// uniqueTags checks that the tags of one list have different names.
func (s *structure) uniqueTags(list *Node) error {
	first := map[string]*Node{}
	for _, raw := range list.Items {
		tag, err := s.p.loader.Follow(raw)
		if err != nil {
			return err
		}
		name := tag.Get("name")
		if name == nil || name.Kind != KindString {
			continue
		}
		if prev, dup := first[name.Str]; dup {
			if err := s.p.violation(name.Errorf("duplicate tag name %q (first at line %d)", name.Str, prev.Line)); err != nil {
				return err
			}
			continue
		}
		first[name.Str] = name
	}
	return nil
}
