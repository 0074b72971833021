package support

//lint:file-ignore U1000 this is source text that templates/splice.go copies into generated packages, where every declaration copied is used.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// SyntaxError is input that is not one well-formed JSON value.
type SyntaxError struct {
	// Offset is the byte offset of the problem in the input.
	Offset  int
	Message string
}

// Error renders the offset and the problem.
func (e *SyntaxError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.Offset) + ": " + e.Message
}

// maxDepth bounds how deeply arrays and objects nest, as encoding/json does.
const maxDepth = 10000

// decoder reads one JSON value into the generated types in one pass. A
// value of the wrong type is a violation (the value is skipped and
// decoding goes on); malformed JSON stops it with a *SyntaxError.
type decoder struct {
	data  []byte
	pos   int
	depth int
	c     *collector
	err   *SyntaxError
	// scratch holds a string that needed unescaping, until the next one.
	scratch []byte
	// kept holds the strings decoded so far, one after the other: each
	// decoded string is a substring of it (a strings.Builder hands out its
	// bytes without copying them).
	kept strings.Builder
	// freeStrings is what is left of the chunk that fresh last allocated
	// for optional string fields.
	freeStrings []string
	// freeInt64s is the rest of the last chunk of int64s.
	freeInt64s []int64
	// freeInt32s is the rest of the last chunk of int32s.
	freeInt32s []int32
	// freeFloat64s is the rest of the last chunk of float64s.
	freeFloat64s []float64
	// freeBools is the rest of the last chunk of bools.
	freeBools []bool
	// overflows counts the integers read that do not fit in an int64: a
	// union tells by it a variant that fails only because Go cannot hold
	// a number.
	overflows int
	// overflowed is the text of the last such integer.
	overflowed []byte
	// spill holds the members past the first heldMembers of the objects
	// being read as any, the innermost object's last, until their maps are
	// made: in chunks that double in size and never move, so that pushing
	// a member copies none of those before it. spillTop is the chunk being
	// filled. (The element type is written out, not named, so that a
	// package that reads nothing as any declares no type for it.)
	spill [][]struct {
		key   string
		value any
	}
	spillTop int
	// deep is set when reading stopped at a value nested more than
	// maxDepth deep: finish reports it as a violation.
	deep bool
	// unions remembers what reading a value as a union gave while a union
	// around it tried its variants, so that each value is read as each
	// union once and trying variants stays linear in the input. It maps
	// the union's number and the value's offset to a unionOutcome (no
	// type of unions.go is named here, so that a package without unions
	// needs none of it).
	unions map[[2]int]any
	// checked is the end of the value whose syntax the outermost union
	// being read has checked: a union inside it need not check it again.
	checked int
	// spans maps the offset of an object or array a discriminated union
	// skipped, looking for its discriminator, to the offset after it.
	spans map[int]int
}

// syntax records the first syntax error and stops reading.
func (d *decoder) syntax(msg string) {
	if d.err == nil {
		d.err = &SyntaxError{Offset: d.pos, Message: msg}
	}
	d.pos = len(d.data)
}

// finish checks that only white space follows the value, and marks the
// violations made so far as the decoder's.
func (d *decoder) finish() error {
	if d.peek(); d.err == nil && d.pos < len(d.data) {
		d.syntax("data after the JSON value")
	}
	if d.deep {
		return &ValidationError{Violations: []Violation{{Keyword: "depth", Message: fmt.Sprintf(
			"arrays and objects nest more than %d deep (at offset %d)", maxDepth, d.err.Offset)}}}
	}
	if d.err != nil {
		return d.err
	}
	d.c.decoded = len(d.c.violations)
	return nil
}

// peek skips white space and returns the next byte, 0 at the end. Every
// byte after a space in ASCII is returned at the first comparison.
func (d *decoder) peek() byte {
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c > ' ' || c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return c
		}
		d.pos++
	}
	return 0
}

// space is peek for where a line break and indentation often come, before
// an object's key or an array's item: runs of spaces are skipped eight
// bytes at a time. (peek is small enough to be inlined; space is not.)
func (d *decoder) space() byte {
	data, i := d.data, d.pos
	for i < len(data) {
		switch c := data[i]; {
		case c > ' ':
			d.pos = i
			return c
		case c == ' ':
			i = spaceRun(data, i+1)
		case c == '\n' || c == '\t' || c == '\r':
			i++
		default:
			d.pos = i
			return c
		}
	}
	d.pos = i
	return 0
}

// spaceRun returns the offset of the first byte at or after i that is not
// a space; len(data) when there is none.
func spaceRun(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		// A byte of x is zero where data has a space; a byte of other has
		// its high bit set exactly where x's byte is not zero (no carry
		// crosses bytes: x&0x7f + 0x7f is at most 0xfe).
		x := binary.LittleEndian.Uint64(data[i:i+8]) ^ (eachByte * ' ')
		if other := ((x &^ highBits) + eachByte*0x7f | x) & highBits; other != 0 {
			return i + bits.TrailingZeros64(other)/8
		}
	}
	for i < len(data) && data[i] == ' ' {
		i++
	}
	return i
}

// enter counts one more level of nesting; false, after stopping the
// reading, past maxDepth, so that no input can exhaust the stack.
func (d *decoder) enter() bool {
	d.depth++
	if d.depth > maxDepth {
		if d.err == nil {
			// Every caller has just read the bracket: report its offset.
			d.deep, d.pos = true, d.pos-1
		}
		d.syntax("values nest too deeply")
		return false
	}
	return true
}

// object starts reading an object; false (after reporting it) when the
// value is something else.
func (d *decoder) object(p *path) bool {
	if d.peek() != '{' {
		d.mismatch(p, "an object")
		return false
	}
	d.pos++
	return d.enter()
}

// field reads the next key of an object that has n keys read, and the
// colon after it; false at the end of the object. The key is valid until
// the next string is read.
func (d *decoder) field(n int) ([]byte, bool) {
	c := d.space()
	switch {
	case c == '}':
		d.pos++
		d.depth--
		return nil, false
	case n > 0 && c == ',':
		d.pos++
		c = d.space()
	case n > 0:
		d.syntax("expected , or } after an object value")
		return nil, false
	}
	if c != '"' {
		d.syntax("expected a string key")
		return nil, false
	}
	key, ok := d.rawString()
	if !ok {
		return nil, false
	}
	if d.peek() != ':' {
		d.syntax("expected : after an object key")
		return nil, false
	}
	d.pos++
	return key, true
}

// array starts reading an array; false (after reporting it) when the value
// is something else.
func (d *decoder) array(p *path) bool {
	if d.peek() != '[' {
		d.mismatch(p, "an array")
		return false
	}
	d.pos++
	return d.enter()
}

// item moves to the next item of an array that has n items read; false at
// the end of the array.
func (d *decoder) item(n int) bool {
	c := d.space()
	switch {
	case c == ']':
		d.pos++
		d.depth--
		return false
	case n == 0:
		return d.err == nil
	case c == ',':
		d.pos++
		d.space()
		return true
	}
	d.syntax("expected , or ] after an array item")
	return false
}

// null reads a null if one comes next; allowed says whether the schema
// allows null here.
func (d *decoder) null(p *path, allowed bool) bool {
	if d.peek() != 'n' {
		return false
	}
	if d.literal("null") && !allowed {
		d.c.fail(p, "type", "null is not allowed")
	}
	return true
}

func (d *decoder) literal(word string) bool {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		d.syntax("invalid literal, expected " + word)
		return false
	}
	d.pos += len(word)
	return true
}

// mismatch reports a value that is not of the type wanted, and skips it.
func (d *decoder) mismatch(p *path, want string) {
	got := ""
	switch c := d.peek(); {
	case c == '"':
		got = "a string"
	case c == '{':
		got = "an object"
	case c == '[':
		got = "an array"
	case c == 't' || c == 'f':
		got = "a boolean"
	case c == 'n':
		got = "null"
	case c == '-' || c >= '0' && c <= '9':
		got = "a number"
	}
	if got != "" {
		d.c.fail(p, "type", "%s is not %s", got, want)
	}
	d.skip()
}

// missing reports required property name of the object at p as missing.
func (d *decoder) missing(p *path, name string) {
	kp := p.at(name)
	failRequired(d.c, &kp)
}

// unknown skips the value of a property the type has no field for; when
// the schema forbids other properties, it is a violation.
func (d *decoder) unknown(p *path, key []byte, closed bool) {
	if closed {
		kp := p.at(string(key))
		failAdditional(d.c, &kp)
	}
	d.skip()
}

// str reads a string.
func (d *decoder) str(p *path) (string, bool) {
	if d.peek() != '"' {
		d.mismatch(p, "a string")
		return "", false
	}
	b, ok := d.rawString()
	return d.text(b), ok
}

// text is b, what rawString returned last, as a string kept in d.kept:
// strings cost a few chunks between them, not one allocation each, and
// share no bytes with the input.
func (d *decoder) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.kept.Cap()-d.kept.Len() < len(b) {
		d.keepChunk(len(b))
	}
	d.kept.Write(b)
	s := d.kept.String()
	return s[len(s)-len(b):]
}

// firstKeptChunk is the size of the first chunk of d.kept, unless the
// input left is shorter.
const firstKeptChunk = 512

// keepChunk starts a new chunk of d.kept, with room for n bytes at least:
// twice the last chunk, but no more than the input left to read and n,
// which is what the strings still to come can need (but for invalid UTF-8,
// which grows when replaced). The strings in the chunks before stay as
// they are.
func (d *decoder) keepChunk(n int) {
	size := max(firstKeptChunk, 2*d.kept.Cap())
	size = max(n, min(size, len(d.data)-d.pos+n))
	d.kept = strings.Builder{}
	d.kept.Grow(size)
}

// freshChunk is how many values fresh allocates at a time.
const freshChunk = 16

// fresh returns a pointer to a new zero T, taken from the chunk *free
// holds and refilled when empty: the values of optional fields are
// allocated a chunk at a time rather than one by one.
func fresh[T any](free *[]T) *T {
	if len(*free) == 0 {
		*free = make([]T, freshChunk)
	}
	v := &(*free)[0]
	*free = (*free)[1:]
	return v
}

// boolean reads true or false.
func (d *decoder) boolean(p *path) (bool, bool) {
	switch d.peek() {
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	}
	d.mismatch(p, "a boolean")
	return false, false
}

// int64 reads an integer: a number with no fraction, such as 3 or 3.0.
func (d *decoder) int64(p *path) (int64, bool) {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.mismatch(p, "an integer")
		return 0, false
	}
	text, isFloat, ok := d.number()
	if !ok {
		return 0, false
	}
	if !isFloat {
		if n, ok := parseInt(text); ok {
			return n, true
		}
		d.overflows, d.overflowed = d.overflows+1, text
		d.c.fail(p, "type", "%s does not fit in a 64-bit integer", text)
		return 0, false
	}
	f, fits := parseFloat(text)
	switch {
	case fits && f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63:
		return int64(f), true
	case fits && f == math.Trunc(f):
		d.overflows, d.overflowed = d.overflows+1, text
		d.c.fail(p, "type", "%s does not fit in a 64-bit integer", text)
	default:
		d.c.fail(p, "type", "%s is not an integer", text)
	}
	return 0, false
}

// int32 reads an integer of format int32.
func (d *decoder) int32(p *path) (int32, bool) {
	n, ok := d.int64(p)
	if ok && (n < math.MinInt32 || n > math.MaxInt32) {
		d.c.fail(p, "format", "%d does not fit in a 32-bit integer", n)
		return 0, false
	}
	return int32(n), ok
}

// float64 reads a number.
func (d *decoder) float64(p *path) (float64, bool) {
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.mismatch(p, "a number")
		return 0, false
	}
	text, _, ok := d.number()
	if !ok {
		return 0, false
	}
	f, ok := parseFloat(text)
	if !ok {
		d.c.fail(p, "type", "%s does not fit in a 64-bit float", text)
		return 0, false
	}
	return f, true
}

// parseFloat is strconv.ParseFloat of a JSON number's text; false when it
// does not fit in a float64.
func parseFloat(text []byte) (float64, bool) {
	if f, ok := exactFloat(text); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(string(text), 64)
	return f, err == nil
}

// exactFloat returns the float64 of a JSON number's text of at most 15
// digits and no exponent, such as 5450 or -741.55: its digits then make
// an integer a float64 holds exactly, and so does the power of ten it is
// divided by, so that the one division rounds as strconv.ParseFloat
// does. false for any other text.
func exactFloat(text []byte) (float64, bool) {
	neg := text[0] == '-'
	if neg {
		text = text[1:]
	}
	if len(text) > 16 {
		return 0, false
	}
	var mantissa uint64
	point := len(text)
	for i, c := range text {
		switch {
		case c >= '0' && c <= '9':
			mantissa = mantissa*10 + uint64(c-'0')
		case c == '.' && point == len(text):
			point = i
		default:
			return 0, false
		}
	}
	if point == len(text) && len(text) > 15 {
		return 0, false
	}
	f := float64(mantissa)
	if point < len(text) {
		f /= pow10(len(text) - point - 1)
	}
	if neg {
		f = -f
	}
	return f, true
}

// pow10 is 10 to the power k, for k from 0 to 15, exactly.
func pow10(k int) float64 {
	return [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}[k]
}

// time reads an RFC 3339 date-time string.
func (d *decoder) time(p *path) (time.Time, bool) {
	var t time.Time
	if d.peek() != '"' {
		d.mismatch(p, "a string")
		return t, false
	}
	b, ok := d.rawString()
	if !ok {
		return t, false
	}
	if err := t.UnmarshalText(b); err != nil {
		d.c.fail(p, "format", "%q is not a valid date-time", b)
		return t, false
	}
	return t, true
}

// any reads any value as encoding/json decodes it into an any. A number
// too large for a float64 anywhere inside it is a violation at p. (Paths
// are not passed down the recursion: they would then escape to the heap.)
func (d *decoder) any(p *path) any {
	v, ok := d.anyValue()
	if !ok {
		d.c.fail(p, "type", "holds a number that does not fit in a 64-bit float")
	}
	return v
}

// anyValue reads any value; ok is false when a number in it does not fit
// in a float64.
func (d *decoder) anyValue() (any, bool) {
	switch c := d.peek(); {
	case c == '"':
		b, _ := d.rawString()
		return d.text(b), true
	case c == '{':
		return d.anyObject()
	case c == '[':
		return d.anyArray()
	case c == 't':
		d.literal("true")
		return true, true
	case c == 'f':
		d.literal("false")
		return false, true
	case c == 'n':
		d.literal("null")
		return nil, true
	case c == '-' || c >= '0' && c <= '9':
		text, _, ok := d.number()
		if !ok {
			return nil, true
		}
		f, ok := parseFloat(text)
		return f, ok
	}
	d.skip()
	return nil, true
}

func (d *decoder) anyObject() (any, bool) {
	d.pos++
	if !d.enter() {
		return nil, true
	}
	return d.members(nil)
}

// anyMembers reads the properties of an object whose opening brace the
// caller has read (with object) into a map of values held as any. A value
// holding a number too large for a float64 is a violation at its key
// under p.
func (d *decoder) anyMembers(p *path) map[string]any {
	m, _ := d.members(p)
	return m
}

// heldMembers is how many members of an object, or items of an array,
// read as any wait on the stack until the map or slice is made at its
// size. The members of a longer object wait in the decoder's spill; a
// longer array is made when its next item comes, and grows as it must.
const heldMembers = 8

// member is a property of an object read as any, before its map is made.
type member = struct {
	key   string
	value any
}

// members reads the members of an object whose opening brace is read, and
// makes their map once it knows how many there are, so that a large
// object's map is not grown and rehashed step by step. fits is false when
// a value holds a number too large for a float64; with p set, that is
// also a violation at the value's key under p.
func (d *decoder) members(p *path) (map[string]any, bool) {
	var held [heldMembers]member
	n, fits := 0, true
	mark := d.spillMark()
	for ; ; n++ {
		key, ok := d.field(n)
		if !ok {
			break
		}
		k := d.text(key)
		v, ok := d.anyValue()
		if !ok {
			fits = false
			if p != nil {
				kp := p.at(k)
				d.c.fail(&kp, "type", "holds a number that does not fit in a 64-bit float")
			}
		}
		if n < heldMembers {
			held[n] = member{k, v}
		} else {
			d.spillPush(member{k, v})
		}
	}
	m := make(map[string]any, n)
	for _, e := range held[:min(n, heldMembers)] {
		m[e.key] = e.value
	}
	if n > heldMembers {
		d.spillInto(mark, m)
	}
	return m, fits
}

// firstSpillChunk is the size of the spill's first chunk.
const firstSpillChunk = 32

// spillPlace is a place in the spill: a chunk and a length.
type spillPlace struct{ chunk, n int }

// spillMark is where the spill's top is.
func (d *decoder) spillMark() spillPlace {
	if len(d.spill) == 0 {
		return spillPlace{}
	}
	return spillPlace{d.spillTop, len(d.spill[d.spillTop])}
}

// spillPush adds e to the spill, in a new chunk twice the size of the
// last when that is full (chunks emptied by spillInto are filled again).
func (d *decoder) spillPush(e member) {
	switch {
	case len(d.spill) == 0:
		d.spill = append(d.spill, make([]member, 0, firstSpillChunk))
	case len(d.spill[d.spillTop]) == cap(d.spill[d.spillTop]):
		d.spillTop++
		if d.spillTop == len(d.spill) {
			d.spill = append(d.spill, make([]member, 0, 2*cap(d.spill[d.spillTop-1])))
		}
	}
	d.spill[d.spillTop] = append(d.spill[d.spillTop], e)
}

// spillInto puts the members pushed since mark into m, in the order they
// came (a later duplicate key wins), and takes them off the spill.
func (d *decoder) spillInto(mark spillPlace, m map[string]any) {
	for i := mark.chunk; i <= d.spillTop; i++ {
		from := 0
		if i == mark.chunk {
			from = mark.n
		}
		for _, e := range d.spill[i][from:] {
			m[e.key] = e.value
		}
		d.spill[i] = d.spill[i][:from]
	}
	d.spillTop = mark.chunk
}

// anyArray reads an array at its opening bracket. An array of at most
// heldMembers items is made at its length.
func (d *decoder) anyArray() (any, bool) {
	d.pos++
	if !d.enter() {
		return nil, true
	}
	var held [heldMembers]any
	var a []any
	n, fits := 0, true
	for ; d.item(n); n++ {
		v, ok := d.anyValue()
		fits = fits && ok
		switch {
		case a != nil:
			a = append(a, v)
		case n < heldMembers:
			held[n] = v
		default:
			a = append(make([]any, 0, 2*heldMembers), held[:]...)
			a = append(a, v)
		}
	}
	if a == nil {
		a = append(make([]any, 0, n), held[:n]...)
	}
	return a, fits
}

// extraItem skips an item, at p, of a tuple that allows only its n
// positions.
func (d *decoder) extraItem(p *path, n int) {
	d.c.fail(p, "items", "the array allows %d items, no more", n)
	d.skip()
}

// skip reads past one value, checking its syntax.
func (d *decoder) skip() {
	switch c := d.peek(); {
	case c == '"':
		d.rawString()
	case c == '{':
		d.pos++
		if !d.enter() {
			return
		}
		for n := 0; ; n++ {
			if _, ok := d.field(n); !ok {
				return
			}
			d.skip()
		}
	case c == '[':
		d.pos++
		if !d.enter() {
			return
		}
		for n := 0; d.item(n); n++ {
			d.skip()
		}
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	case c == 0:
		d.syntax("unexpected end of input, expected a value")
	default:
		d.syntax(fmt.Sprintf("invalid character %q, expected a value", c))
	}
}

// number reads a JSON number, returning its text and whether it has a
// fraction or an exponent.
func (d *decoder) number() ([]byte, bool, bool) {
	data, start := d.data, d.pos
	i := start
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = skipDigits(data, i)
	default:
		d.pos = i
		d.syntax("invalid number")
		return nil, false, false
	}
	isFloat := false
	if i < len(data) && data[i] == '.' {
		isFloat = true
		if i+1 >= len(data) || data[i+1] < '0' || data[i+1] > '9' {
			d.pos = i + 1
			d.syntax("expected a digit after the decimal point")
			return nil, false, false
		}
		i = skipDigits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		isFloat = true
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.pos = i
			d.syntax("expected a digit in the exponent")
			return nil, false, false
		}
		i = skipDigits(data, i)
	}
	d.pos = i
	return data[start:i], isFloat, true
}

func skipDigits(data []byte, i int) int {
	for i < len(data) && data[i] >= '0' && data[i] <= '9' {
		i++
	}
	return i
}

// parseInt parses the text of a JSON integer; false when it overflows.
func parseInt(text []byte) (int64, bool) {
	neg := text[0] == '-'
	if neg {
		text = text[1:]
	}
	var n uint64
	for _, c := range text {
		if n > (math.MaxUint64-9)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

// rawString reads a string at the opening quote and returns its content,
// unescaped: a slice of the input when there was nothing to unescape,
// else d.scratch.
func (d *decoder) rawString() ([]byte, bool) {
	data, start := d.data, d.pos+1
	// plainRun, without the call: most strings end at the first byte
	// it stops at.
	for i := start; i+8 <= len(data); i += 8 {
		if special := specialBytes(binary.LittleEndian.Uint64(data[i : i+8])); special != 0 {
			if i += bits.TrailingZeros64(special) / 8; data[i] == '"' {
				d.pos = i + 1
				return data[start:i], true
			}
			break
		}
	}
	return d.rawStringRest(start)
}

// rawStringRest is rawString for a string that holds an escape, a
// control character or a byte that is not ASCII.
func (d *decoder) rawStringRest(start int) ([]byte, bool) {
	data := d.data
	for i := plainRun(data, start); i < len(data); i = plainRun(data, i) {
		switch c := data[i]; {
		case c == '"':
			d.pos = i + 1
			return data[start:i], true
		case c == '\\' || c < 0x20:
			return d.unescape(start, i)
		default:
			// Valid UTF-8 stays as it is; invalid is replaced.
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return d.unescape(start, i)
			}
			i += size
		}
	}
	d.pos = len(data)
	d.syntax("unterminated string")
	return nil, false
}

// Masks that read eight bytes as one uint64.
const (
	eachByte = 0x0101010101010101
	highBits = 0x8080808080808080
)

// plainRun returns the offset of the first byte at or after i that a
// string cannot hold as it is (a quote, a backslash, a control character)
// or that is not ASCII; len(data) when there is none. It tests eight
// bytes at a time: in each of the terms of specialBytes, a byte is
// flagged wrongly only above one flagged rightly, so the lowest flag is
// exact.
func plainRun(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		if special := specialBytes(binary.LittleEndian.Uint64(data[i : i+8])); special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for ; i < len(data); i++ {
		if c := data[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return i
		}
	}
	return len(data)
}

// specialBytes flags, with its high bit, the bytes of x that plainRun
// stops at: a quote, a backslash, one below 0x20 (x - 0x20 borrows, or x
// is at least 0x80: either sets the high bit).
func specialBytes(x uint64) uint64 {
	return (zeroBytes(x^(eachByte*'"')) | zeroBytes(x^(eachByte*'\\')) | (x - eachByte*0x20) | x) & highBits
}

// zeroBytes flags, with its high bit, each zero byte of x (and maybe bytes
// above the lowest zero byte); other bits may be set too.
func zeroBytes(x uint64) uint64 {
	return (x - eachByte) &^ x
}

// unescape reads the rest of a string from i (start is its first byte)
// into d.scratch, decoding escapes; invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func (d *decoder) unescape(start, i int) ([]byte, bool) {
	data := d.data
	out := append(d.scratch[:0], data[start:i]...)
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.scratch = out
			d.pos = i + 1
			return out, true
		case c == '\\':
			var ok bool
			if out, i, ok = d.escape(out, i); !ok {
				return nil, false
			}
		case c < 0x20:
			d.pos = i
			d.syntax("control character in a string")
			return nil, false
		case c < utf8.RuneSelf:
			j := plainRun(data, i+1)
			out = append(out, data[i:j]...)
			i = j
		default:
			r, size := utf8.DecodeRune(data[i:])
			out = utf8.AppendRune(out, r)
			i += size
		}
	}
	d.pos = len(data)
	d.syntax("unterminated string")
	return nil, false
}

// escape decodes the escape at data[i] (a backslash) onto out.
func (d *decoder) escape(out []byte, i int) ([]byte, int, bool) {
	data := d.data
	if i+1 >= len(data) {
		d.pos = len(data)
		d.syntax("unterminated string")
		return out, i, false
	}
	switch c := data[i+1]; c {
	case '"', '\\', '/':
		return append(out, c), i + 2, true
	case 'b':
		return append(out, '\b'), i + 2, true
	case 'f':
		return append(out, '\f'), i + 2, true
	case 'n':
		return append(out, '\n'), i + 2, true
	case 'r':
		return append(out, '\r'), i + 2, true
	case 't':
		return append(out, '\t'), i + 2, true
	case 'u':
		r, ok := hex4(data, i+2)
		if !ok {
			d.pos = i
			d.syntax("invalid \\u escape")
			return out, i, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(data, i+2); ok && i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					return utf8.AppendRune(out, pair), i + 6, true
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(out, r), i, true
	}
	d.pos = i
	d.syntax("invalid escape in a string")
	return out, i, false
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// ErrUnknownMessage is returned, wrapped, by a channel's decoder for a
// payload whose discriminator names no message the spec lists: a sender
// newer than the spec may send one, and a receiver may ignore it.
var ErrUnknownMessage = errors.New("unknown message")

// ErrNoDiscriminator is returned, wrapped, by a channel's decoder for a
// payload without the string property that names its message.
var ErrNoDiscriminator = errors.New("no discriminator")

// discriminator returns the string value of property name of the JSON
// object data, checking that data is one well-formed JSON value.
func discriminator(data []byte, name string) (string, error) {
	var c collector
	d := decoder{data: data, c: &c}
	if d.peek() != '{' {
		d.skip()
		if err := d.finish(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%w: the payload is not a JSON object", ErrNoDiscriminator)
	}
	d.pos++
	d.enter()
	value, found := "", false
	for n := 0; ; n++ {
		key, ok := d.field(n)
		if !ok {
			break
		}
		if string(key) == name && d.peek() == '"' {
			b, _ := d.rawString()
			value, found = string(b), true
			continue
		}
		d.skip()
	}
	if err := d.finish(); err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("%w: property %q is missing or not a string", ErrNoDiscriminator, name)
	}
	return value, nil
}

// discriminatorInt returns the integer value of property name of the JSON
// object data (a number with no fraction, such as 2 or 2.0), checking
// that data is one well-formed JSON value.
func discriminatorInt(data []byte, name string) (int64, error) {
	raw, err := discriminatorToken(data, name, "an integer", func(c byte) bool { return c == '-' || c >= '0' && c <= '9' })
	if err != nil {
		return 0, err
	}
	integral := true
	for _, c := range raw {
		integral = integral && c != '.' && c != 'e' && c != 'E'
	}
	if n, ok := parseInt(raw); ok && integral {
		return n, nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, fmt.Errorf("%w: property %q is %s, not a 64-bit integer", ErrNoDiscriminator, name, raw)
	}
	return int64(f), nil
}

// discriminatorBool returns the boolean value of property name of the
// JSON object data, checking that data is one well-formed JSON value.
func discriminatorBool(data []byte, name string) (bool, error) {
	raw, err := discriminatorToken(data, name, "a boolean", func(c byte) bool { return c == 't' || c == 'f' })
	return string(raw) == "true", err
}

// discriminatorToken returns the text of the value of property name of
// the JSON object data when it is a number or literal that starts with a
// byte first accepts; want says what it must be in the error otherwise.
func discriminatorToken(data []byte, name, want string, first func(byte) bool) ([]byte, error) {
	var c collector
	d := decoder{data: data, c: &c}
	if d.peek() != '{' {
		d.skip()
		if err := d.finish(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: the payload is not a JSON object", ErrNoDiscriminator)
	}
	d.pos++
	d.enter()
	var raw []byte
	for n := 0; ; n++ {
		key, ok := d.field(n)
		if !ok {
			break
		}
		match := string(key) == name && first(d.peek())
		start := d.pos
		d.skip()
		if match {
			raw = data[start:d.pos]
		}
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: property %q is missing or not %s", ErrNoDiscriminator, name, want)
	}
	return raw, nil
}
