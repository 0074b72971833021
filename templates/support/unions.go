package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

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
}

// union checks the syntax of the next value and returns where it is. ok is
// false for null, which leaves every variant unset, and for malformed
// JSON.
func (d *decoder) union(exclusive bool) (alternatives, bool) {
	if d.peek() == 'n' {
		d.literal("null")
		return alternatives{}, false
	}
	a := alternatives{start: d.pos, depth: d.depth, exclusive: exclusive}
	d.skip()
	a.end = d.pos
	return a, d.err == nil
}

// variant starts reading the value again as one more variant, quietly. It
// returns false when no variant needs trying: anyOf has found its match.
func (d *decoder) variant(a *alternatives) bool {
	if !a.exclusive && a.matched > 0 {
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
	keyword := "anyOf"
	if a.exclusive {
		keyword = "oneOf"
	}
	switch {
	case a.matched == 0 && a.overflowed != nil:
		d.c.fail(p, "type", "%s does not fit in a 64-bit integer", a.overflowed)
	case a.matched == 0:
		d.c.fail(p, keyword, "matches none of the %d schemas of %s", variants, keyword)
	case a.matched > 1 && a.exclusive:
		d.c.fail(p, keyword, "matches %d of the %d schemas of oneOf, not exactly one", a.matched, variants)
	}
}
