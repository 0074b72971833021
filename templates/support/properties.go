package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

// property reads the value of a property that a struct has no field for,
// and checks it against the propertyNames, patternProperties and
// additionalProperties of rules i; closed says whether the struct's
// schema forbids properties it does not name. A value nothing checks is
// skipped, not decoded.
func (t ruleTable) property(d *decoder, p *path, key []byte, i int, closed bool) {
	r := &t[i]
	k := d.text(key)
	kp := p.at(k)
	if r.propertyNames != 0 {
		t.check(d.c, &kp, k, r.propertyNames)
	}
	// constrained: a matching pattern has rules to check.
	matched, constrained := false, false
	for _, pr := range r.patternProperties {
		if pr.pattern.MatchString(k) {
			matched, constrained = true, constrained || pr.rules != 0
		}
	}
	switch {
	case matched && !constrained:
		d.skip()
	case matched:
		v := d.any(&kp)
		for _, pr := range r.patternProperties {
			if pr.rules != 0 && pr.pattern.MatchString(k) {
				t.check(d.c, &kp, v, pr.rules)
			}
		}
	case closed || r.noAdditional:
		failAdditional(d.c, &kp)
		d.skip()
	case r.additional != 0:
		t.check(d.c, &kp, d.any(&kp), r.additional)
	default:
		d.skip()
	}
}
