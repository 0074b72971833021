package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"fmt"
	"reflect"
)

// alternatives is a value that a union reads again as each of its
// variants, quietly, to find the variants whose schema it matches. The
// decoder, not encoding/json, reads every variant, so a variant sees null
// apart from an absent property, and integers as the decoder reads them.
type alternatives struct {
	// start and end delimit the value in the input; depth is the
	// decoder's nesting depth at start.
	start, end, depth int
	// exclusive is set for oneOf, which every variant is tried for; anyOf
	// stops at the first variant that matches.
	exclusive bool
	// matched counts the variants the value matches.
	matched int
	// mark and overflows are the collector's failures and the decoder's
	// integer overflows when the current variant's trial began.
	mark, overflows int
	// overflowed is the integer too large for an int64 that a variant
	// failed on, when it failed on nothing else.
	overflowed []byte
	// remember is set when the union is read inside a variant of another:
	// its outcome is then kept under key, the union's number and the
	// value's offset.
	remember bool
	key      [2]int
	// rules is the index of the union's rules, when the decoder's verdict
	// on the value stands for them (0 otherwise).
	rules int
	// outer is the decoder's checked before the union checked its value.
	outer int
	// failures and overflows0 are the collector's failures and the
	// decoder's integer overflows when the union began.
	failures, overflows0 int
	// decided is set when the union's discriminator chose the variant
	// (or, missing or not a string, chose none): no variant is tried.
	decided bool
}

// unionOutcome is what reading a value as a union gave, quietly: the
// union, where the value ends, and what the reading added to the failures
// and integer overflows.
type unionOutcome struct {
	value               any
	end                 int
	failures, overflows int
	overflowed          []byte
}

// recallUnion sets v to what reading the next value as union gave before,
// when it was read already inside a variant of another union, and moves
// past it as if reading it again.
func recallUnion[T any](d *decoder, union int, v *T) bool {
	if d.c.quiet == 0 || d.unions == nil {
		return false
	}
	d.peek()
	o, ok := d.unions[[2]int{union, d.pos}].(unionOutcome)
	if !ok {
		return false
	}
	*v = o.value.(T)
	d.pos = o.end
	d.c.failures += o.failures
	d.overflows += o.overflows
	if o.overflowed != nil {
		d.overflowed = o.overflowed
	}
	return true
}

// rememberUnion keeps v, what reading a value as the union of a gave, when
// the union was read inside a variant of another; and, when a.rules is
// set, whether v failed the union's rules, so that checking them again
// (which would re-encode v) is not needed.
func rememberUnion[T any](d *decoder, a *alternatives, v T) {
	if d.err != nil {
		return
	}
	failures := d.c.failures - a.failures
	if a.remember {
		if d.unions == nil {
			d.unions = map[[2]int]any{}
		}
		o := unionOutcome{value: v, end: d.pos, failures: failures, overflows: d.overflows - a.overflows0}
		if o.overflows > 0 {
			o.overflowed = d.overflowed
		}
		d.unions[a.key] = o
	}
	if a.rules == 0 {
		return
	}
	if key := unionValue(v); key != nil {
		if d.c.judged == nil {
			d.c.judged = map[[2]any]bool{}
		}
		d.c.judged[[2]any{key, a.rules}] = failures > 0
	}
}

// unionValue returns v when it is a union that holds a variant and is
// made of pointers only (so that it can be a map key), else nil.
func unionValue(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return nil
	}
	set := false
	for i := range rv.NumField() {
		f := rv.Field(i)
		if f.Kind() != reflect.Pointer {
			return nil
		}
		set = set || !f.IsNil()
	}
	if !set {
		return nil
	}
	return v
}

// union checks the syntax of the next value and returns where it is. ok is
// false for null, which leaves every variant unset, and for malformed
// JSON.
//
// Inside a variant of another union the value's syntax is checked
// already, by the outermost union: the value is not read again here, and
// its end is where the first variant's reading stops.
func (d *decoder) union(union, rules int, exclusive bool) (alternatives, bool) {
	if d.peek() == 'n' {
		d.literal("null")
		return alternatives{}, false
	}
	a := alternatives{start: d.pos, depth: d.depth, exclusive: exclusive, end: -1, rules: rules,
		failures: d.c.failures, overflows0: d.overflows}
	if d.c.quiet > 0 && d.pos < d.checked {
		a.remember, a.key = true, [2]int{union, d.pos}
		return a, d.err == nil
	}
	d.skip()
	a.end, a.outer = d.pos, d.checked
	d.checked = max(d.checked, a.end)
	return a, d.err == nil
}

// variant starts reading the value again as one more variant, quietly. It
// returns false when no variant needs trying: anyOf has found its match.
func (d *decoder) variant(a *alternatives) bool {
	if a.decided || !a.exclusive && a.matched > 0 {
		return false
	}
	d.pos, d.depth = a.start, a.depth
	a.mark, a.overflows = d.c.try(), d.overflows
	return true
}

// readAs reports whether the value was read as the current variant
// without a failure, so that the variant's rules are worth checking. A
// variant whose only failures are integers beyond int64 is remembered.
func (d *decoder) readAs(a *alternatives) bool {
	if a.end < 0 {
		a.end = d.pos
	}
	failures, overflows := d.c.failures-a.mark, d.overflows-a.overflows
	if overflows > 0 && failures == overflows && a.overflowed == nil {
		a.overflowed = d.overflowed
	}
	return failures == 0
}

// matched ends the trial of a variant. It reports whether the value is
// that variant and matched no variant before it: the one the union keeps.
func (d *decoder) matched(a *alternatives) bool {
	d.readAs(a)
	if !d.c.passed(a.mark) {
		return false
	}
	a.matched++
	return a.matched == 1
}

// unionEnd moves past the value and reports a value that matches none of
// the union's variants, or (oneOf) several. A value that would match a
// variant but for an integer beyond int64 is reported as such: the Go
// type cannot hold it.
func (d *decoder) unionEnd(p *path, a *alternatives, variants int) {
	d.pos, d.depth = a.end, a.depth
	if !a.remember {
		d.checked = a.outer
	}
	keyword := "anyOf"
	if a.exclusive {
		keyword = "oneOf"
	}
	switch {
	case a.decided:
		// The chosen variant reported its own violations.
	case a.matched == 0 && a.overflowed != nil:
		d.c.fail(p, "type", "%s does not fit in a 64-bit integer", a.overflowed)
	case a.matched == 0:
		d.c.fail(p, keyword, "matches none of the %d schemas of %s", variants, keyword)
	case a.matched > 1 && a.exclusive:
		d.c.fail(p, keyword, "matches %d of the %d schemas of oneOf, not exactly one", a.matched, variants)
	}
}

// unmarshalUnion is the UnmarshalJSON of union v, named name: it reads
// data with the generated decoder, as the Decode functions do, so that a
// value where unions nest is read in time linear in its size, nested at
// most maxDepth deep. Any violation that decides the variant (the value
// matches none, or several of a oneOf; its discriminator names none, or
// the variant named refuses it) is an error, and leaves v empty.
func unmarshalUnion[T any, P interface {
	*T
	decodeJSON(d *decoder, p *path)
}](name string, data []byte, v P) error {
	var zero T
	*v = zero
	c := new(collector)
	d := &decoder{c: c, data: data}
	var x T
	P(&x).decodeJSON(d, nil)
	err := d.finish()
	if err == nil {
		err = c.err()
	}
	if err != nil {
		return fmt.Errorf("decoding %s: %w", name, err)
	}
	*v = x
	return nil
}
