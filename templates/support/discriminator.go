package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"slices"
	"strconv"
	"strings"
)

// tagCase is a value of a discriminator and the index, in the
// rules' oneOf (else anyOf), of the schema it names.
type tagCase struct {
	value  string
	schema int
}

// checkDiscriminated checks an object against the one schema of r's oneOf
// (else anyOf) that the value of its discriminator names, as OpenAPI and
// AsyncAPI say: the other schemas are not tried, and the chosen one's
// violations are reported as they are. It reports false, checking
// nothing, when r has no discriminator or v is not an object: the schemas
// are then tried in turn.
func (t ruleTable) checkDiscriminated(c *collector, p *path, v any, r *valueRules) bool {
	object, ok := v.(map[string]any)
	if r.tagProperty == "" || !ok {
		return false
	}
	schemas, keyword := r.oneOf, "oneOf"
	if len(schemas) == 0 {
		schemas, keyword = r.anyOf, "anyOf"
	}
	raw, ok := object[r.tagProperty]
	if !ok {
		failNoDiscriminator(c, p, keyword, r.tagProperty)
		return true
	}
	kp := p.at(r.tagProperty)
	tag, ok := raw.(string)
	if !ok {
		failDiscriminatorType(c, &kp, keyword, "", jsonTypeName(raw))
		return true
	}
	i, found := slices.BinarySearchFunc(r.tags, tag, func(dc tagCase, tag string) int {
		return strings.Compare(dc.value, tag)
	})
	if !found {
		values := make([]string, len(r.tags))
		for i, dc := range r.tags {
			values[i] = dc.value
		}
		failUnknownTag(c, &kp, keyword, "", tag, strings.Join(values, ", "))
		return true
	}
	t.check(c, p, v, schemas[r.tags[i].schema])
	return true
}

// A discriminator that names no schema is reported by the validator at
// the property, and by the decoder at the union it could not read (whose
// rules, checked after on an empty union, then report nothing more
// there), naming the property.

// failNoDiscriminator reports an object at p without the discriminator
// property that names its schema.
func failNoDiscriminator(c *collector, p *path, keyword, property string) {
	c.fail(p, "discriminator", "has no %q property, which names the schema of %s it is", property, keyword)
}

// failDiscriminatorType reports a discriminator property that is not a
// string: at p itself, or at its object p when property is set.
func failDiscriminatorType(c *collector, p *path, keyword, property, got string) {
	subject := "it"
	if property != "" {
		subject = "its " + strconv.Quote(property) + " property"
	}
	c.fail(p, "discriminator", "%s is %s, not a string naming a schema of %s", subject, got, keyword)
}

// failUnknownTag reports a discriminator value that names none of the
// schemas, at the property p, or at its object p when property is set;
// values lists those that do.
func failUnknownTag(c *collector, p *path, keyword, property, tag, values string) {
	if property != "" {
		c.fail(p, "discriminator", "its %q property, %q, names none of the schemas of %s (it may be %s)", property, tag, keyword, values)
		return
	}
	c.fail(p, "discriminator", "%q names none of the schemas of %s (it may be %s)", tag, keyword, values)
}

// readTag finds, when the value a union reads is an object, its
// property that names the variant, and returns its value (ok). An object
// without that property, or whose property is not a string, is a
// violation. For an object the union's variants are then not tried
// (a.decided): the caller reads the variant the value names, from the
// value's start. A value that is not an object leaves the variants to be
// tried in turn.
func (d *decoder) readTag(p *path, a *alternatives, property string) (string, bool) {
	d.pos, d.depth = a.start, a.depth
	if d.peek() != '{' {
		return "", false
	}
	a.decided = true
	if a.end < 0 {
		d.skipSpan()
		a.end = d.pos
		d.pos = a.start
	}
	raw, found := d.findProperty(property)
	got := jsonKindAt(d.peek())
	d.pos, d.depth = a.start, a.depth
	a.mark, a.overflows = d.c.failures, d.overflows
	keyword := "anyOf"
	if a.exclusive {
		keyword = "oneOf"
	}
	switch {
	case !found:
		failNoDiscriminator(d.c, p, keyword, property)
	case raw == nil:
		failDiscriminatorType(d.c, p, keyword, property, got)
	default:
		return string(raw), true
	}
	return "", false
}

// jsonKindAt names the kind of JSON value that starts with c.
func jsonKindAt(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '"':
		return "a string"
	}
	return "a number"
}

// unknownTag reports a discriminator value that names none of a union's
// variants; values lists those that do.
func (d *decoder) unknownTag(p *path, a *alternatives, property, tag, values string) {
	keyword := "anyOf"
	if a.exclusive {
		keyword = "oneOf"
	}
	failUnknownTag(d.c, p, keyword, property, tag, values)
}

// findProperty reads the object that comes next up to its property name
// and returns that property's value, unescaped, when it is a string (nil
// when it is something else, which is then next); found is false when the
// object has no such property. The other values are skipped with skipSpan, so that looking
// for the discriminators of objects nested in one another reads each of
// them once.
func (d *decoder) findProperty(name string) (value []byte, found bool) {
	d.pos++
	if !d.enter() {
		return nil, false
	}
	for n := 0; ; n++ {
		key, ok := d.field(n)
		if !ok {
			return nil, false
		}
		if string(key) != name {
			d.skipSpan()
			continue
		}
		if d.peek() != '"' {
			return nil, true
		}
		s, ok := d.rawString()
		if !ok {
			return nil, false
		}
		return s, true
	}
}

// skipSpan moves past the next value, whose syntax the union around it
// has checked. An object or array is passed in one step when it was
// passed before; the end of each one passed is remembered.
func (d *decoder) skipSpan() {
	c := d.peek()
	if c != '{' && c != '[' {
		d.skip()
		return
	}
	start := d.pos
	if end, ok := d.spans[start]; ok {
		d.pos = end
		return
	}
	d.pos++
	if !d.enter() {
		return
	}
	if c == '{' {
		for n := 0; ; n++ {
			if _, ok := d.field(n); !ok {
				break
			}
			d.skipSpan()
		}
	} else {
		for n := 0; d.item(n); n++ {
			d.skipSpan()
		}
	}
	if d.spans == nil {
		d.spans = map[int]int{}
	}
	d.spans[start] = d.pos
}
