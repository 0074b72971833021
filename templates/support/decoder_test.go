package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeAny decodes data as one JSON value with the decoder.
func decodeAny(data []byte) (any, *collector, error) {
	var c collector
	d := decoder{data: data, c: &c}
	v := d.any(nil)
	return v, &c, d.finish()
}

var jsonSamples = []string{
	`null`, `true`, `false`, `0`, `-0`, `12`, `-12.5e3`, `1E+2`, `1e-2`, `"x"`, `""`,
	`"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`, `"\ud83dx"`,
	"\"caf\xc3\xa9\"", "\"bad \xff utf8\"", "\"\xed\xa0\x80\"",
	`[]`, `[1,2,[3,{}]]`, `{}`, `{"a":1,"b":[true,null],"c":{"d":"e"}}`, `{"a":1,"a":2}`,
	` {"a" : [ 1 , 2 ] } `, "\t\n\r 1 \n",
	`[5,{"a":1,"b":[2,{"c":3}]},"x"]`, `{"k":[1,{"a":[{"b":2},3]}],"z":{},"y":[[],[{}]]}`,
	`{"a":[1,2,3],"b":{"c":[4,{"d":5,"d":6}]},"e":"f\u00e9"}`, "[\"\xe2\x82\xac\",\"a\\nb\",{\"\xff\":\"\xe2\x82\"}]",
	// malformed
	``, ` `, `nul`, `tru`, `fals`, `nulll`, `01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x10`,
	`"abc`, `"a\x"`, `"\u12"`, `"\u12g4"`, "\"a\tb\"", `[1,]`, `[,1]`, `[1 2]`, `{"a":1,}`, `{,}`,
	`{"a" 1}`, `{"a":}`, `{1:2}`, `{"a":1}}`, `[1]]`, `1 2`, `{"a":1} x`, `[`, `{`, `{"a"`,
	`{"a":1`, `NaN`, `Infinity`, `'a'`, `[1e400]`,
}

func TestDecodeAnyMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		t.Run(s, func(t *testing.T) { requireSameAsEncodingJSON(t, []byte(s)) })
	}
}

// requireSameAsEncodingJSON checks that the decoder accepts exactly the
// documents encoding/json accepts, with the same value.
func requireSameAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	got, c, err := decodeAny(data)
	var want any
	wantErr := json.Unmarshal(data, &want)
	if wantErr != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(wantErr, &typeErr) {
			// Numbers out of range: a violation here, an error there.
			require.NoError(t, err)
			require.NotEmpty(t, c.violations, "%q", data)
			return
		}
		require.Error(t, err, "encoding/json refuses %q: %v", data, wantErr)
		var ve *ValidationError
		if errors.As(err, &ve) {
			// Nested past the depth budget, which encoding/json shares.
			require.Equal(t, "depth", ve.Violations[0].Keyword)
			require.Contains(t, wantErr.Error(), "exceeded max depth")
			return
		}
		var se *SyntaxError
		require.ErrorAs(t, err, &se)
		require.GreaterOrEqual(t, se.Offset, 0)
		require.LessOrEqual(t, se.Offset, len(data))
		return
	}
	require.NoError(t, err, "encoding/json accepts %q", data)
	require.Empty(t, c.violations)
	require.Equal(t, want, got)
}

// The decoded strings hold copies of their own: changing the input
// afterwards changes none of them.
func TestDecodedStringsDoNotAliasTheInput(t *testing.T) {
	data := []byte(`{"name":"Acme","tags":["b2b","caf\u00e9"],"owner":{"email":"a@b.c"}}`)
	got, _, err := decodeAny(data)
	require.NoError(t, err)
	for i := range data {
		data[i] = 'x'
	}
	want := map[string]any{"name": "Acme", "tags": []any{"b2b", "café"}, "owner": map[string]any{"email": "a@b.c"}}
	require.Equal(t, want, got)
}

// Reading a value as any allocates what the value holds (each map, slice,
// string or number put in an any, and a chunk or two for the text of all
// the strings), not one allocation more per key and per string.
func TestDecodeAnyAllocations(t *testing.T) {
	var members []string
	for i := range 40 {
		members = append(members, fmt.Sprintf(`"key%d":"value%d"`, i, i))
	}
	data := []byte(`{` + strings.Join(members, ",") + `,"list":[1,2,3,4,5,6,7,8,9,10]}`)
	allocs := testing.AllocsPerRun(50, func() {
		if _, _, err := decodeAny(data); err != nil {
			t.Fatal(err)
		}
	})
	// 40 strings and 10 numbers boxed in an any, the map made at its size
	// (its members past the first heldMembers wait in two chunks of the
	// spill), the slice (its first heldMembers items wait on the stack),
	// and a chunk or two of kept strings. It was 147 when every key and
	// string was a copy of its own, 67 when the slice grew from one item.
	require.LessOrEqual(t, allocs, 62.0)
}

// Decoded strings are kept in chunks that grow as they fill: many strings,
// some longer than a chunk, some unescaped, all come out whole.
func TestDecodeManyStringsAcrossChunks(t *testing.T) {
	var members []string
	for i := range 600 {
		value := strings.Repeat(string(rune('a'+i%26)), i%97)
		if i%50 == 0 {
			value = strings.Repeat("long", 300) + `\u00e9`
		}
		members = append(members, fmt.Sprintf(`"key %d":"%s"`, i, value))
	}
	requireSameAsEncodingJSON(t, []byte("{"+strings.Join(members, ",")+"}"))
}

// The strings a decode keeps cost about their own length, not the
// input's: a short string in 64 KB of input takes one small chunk. (The
// whole input was copied once, for the first string read, before.)
func TestDecodeKeepsStringsNotTheInput(t *testing.T) {
	data := []byte(`{"name":"Acme","padding":` + strings.Repeat(" ", 64<<10) + `0}`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, _, err := decodeAny(data); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perDecode := (after.TotalAlloc - before.TotalAlloc) / 10
	require.Less(t, perDecode, uint64(4<<10), "bytes allocated per decode of %d bytes", len(data))
}

// fresh hands out a distinct zero value each time, allocating one chunk
// per freshChunk values.
func TestFreshHandsOutDistinctValues(t *testing.T) {
	var free []int64
	var got []*int64
	for i := range 3*freshChunk + 1 {
		v := fresh(&free)
		require.Zero(t, *v)
		*v = int64(i)
		got = append(got, v)
	}
	for i, v := range got {
		require.Equal(t, int64(i), *v, "value %d was overwritten", i)
	}
	allocs := testing.AllocsPerRun(20, func() {
		free = nil
		for range 2 * freshChunk {
			_ = fresh(&free)
		}
	})
	require.Equal(t, 2.0, allocs)
}

func FuzzDecodeAny(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { requireSameAsEncodingJSON(t, data) })
}

// plainRun finds the same byte as a byte-by-byte scan: every byte value
// at every position of an eight-byte word, with a special byte or none
// after it, since the word-at-a-time test may flag bytes above the first.
func TestPlainRunFindsTheFirstSpecialByte(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\' }
	want := func(data []byte, i int) int {
		for ; i < len(data); i++ {
			if special(data[i]) {
				return i
			}
		}
		return len(data)
	}
	for size := 0; size <= 20; size++ {
		for at := 0; at < size; at++ {
			for b := range 256 {
				for _, after := range []int{-1, '"', 0x00, 0xff, '\\'} {
					data := []byte(strings.Repeat("a", size))
					data[at] = byte(b)
					if after >= 0 && at+1 < size {
						data[at+1] = byte(after)
					}
					for from := 0; from <= at; from += max(1, at/3) {
						if got, want := plainRun(data, from), want(data, from); got != want {
							t.Fatalf("plainRun(%q, %d) = %d, want %d", data, from, got, want)
						}
					}
				}
			}
		}
		require.Equal(t, size, plainRun([]byte(strings.Repeat("a", size)), 0))
	}
}

// spaceRun stops at the same byte as a byte-by-byte scan: every byte value
// at every position of an eight-byte word after a run of spaces, with a
// space or not after it.
func TestSpaceRunFindsTheFirstByteNotASpace(t *testing.T) {
	want := func(data []byte, i int) int {
		for i < len(data) && data[i] == ' ' {
			i++
		}
		return i
	}
	for size := 0; size <= 20; size++ {
		for at := 0; at < size; at++ {
			for b := range 256 {
				for _, after := range []int{-1, ' ', 0x00, 0xff, 0xa0} {
					data := []byte(strings.Repeat(" ", size))
					data[at] = byte(b)
					if after >= 0 && at+1 < size {
						data[at+1] = byte(after)
					}
					for from := 0; from <= at; from += max(1, at/3) {
						if got, want := spaceRun(data, from), want(data, from); got != want {
							t.Fatalf("spaceRun(%q, %d) = %d, want %d", data, from, got, want)
						}
					}
				}
			}
		}
		require.Equal(t, size, spaceRun([]byte(strings.Repeat(" ", size)), 0))
	}
}

// Indented JSON, with every kind of white space in runs of every length
// around every token, decodes as encoding/json decodes it.
func TestDecodeIndentedJSON(t *testing.T) {
	compact := `{"a":[1,{"b":"c","d":[true,false,null]},[]],"e":{},"f":"g"}`
	for _, run := range []string{" ", "  ", "\n", "\n" + strings.Repeat(" ", 7), "\n" + strings.Repeat(" ", 8),
		"\n" + strings.Repeat(" ", 17), "\t\r\n  \t", strings.Repeat(" ", 9) + "\n\t"} {
		var b strings.Builder
		b.WriteString(run)
		for _, c := range compact {
			b.WriteRune(c)
			if strings.ContainsRune("{}[],:", c) {
				b.WriteString(run)
			}
		}
		requireSameAsEncodingJSON(t, []byte(b.String()))
		// White space that is not JSON's, after a run of spaces, is refused.
		requireSameAsEncodingJSON(t, []byte(strings.Replace(b.String(), run+`"f"`, run+"\v"+`"f"`, 1)))
	}
}

// exactFloat gives what strconv.ParseFloat gives, to the bit, for the
// numbers it takes (of every length and place of the point, and random
// digits), and leaves the others to it.
func TestExactFloatMatchesParseFloat(t *testing.T) {
	texts := []string{"0", "-0", "0.0", "-0.0", "1", "-1", "5450", "741.55", "-741.55", "0.1", "0.3", "8.5",
		"123456789012345", "-123456789012345", "0.00000000000001", "99999999999999.9", "9007199254740993",
		"1234567890123456", "12345678901234.56", "1e5", "1E-5", "2.5e3", "0.000000000000001"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		n := 1 + rng.IntN(17)
		digits := make([]byte, n)
		for i := range digits {
			digits[i] = byte('0' + rng.IntN(10))
		}
		if digits[0] == '0' && n > 1 {
			digits[0] = '1'
		}
		text := string(digits)
		if point := rng.IntN(n + 1); point > 0 && point < n {
			text = text[:point] + "." + text[point:]
		}
		if rng.IntN(2) == 0 {
			text = "-" + text
		}
		texts = append(texts, text)
	}
	taken := 0
	for _, text := range texts {
		want, err := strconv.ParseFloat(text, 64)
		require.NoError(t, err)
		got, ok := exactFloat([]byte(text))
		if !ok {
			continue
		}
		taken++
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactFloat(%s) = %v, strconv.ParseFloat %v", text, got, want)
		}
	}
	require.Greater(t, taken, len(texts)/2)
	for _, text := range []string{"1e5", "1E-5", "2.5e3", "1234567890123456", "9007199254740993", "0.0000000000000001"} {
		_, ok := exactFloat([]byte(text))
		require.False(t, ok, text)
	}
}

// Objects and arrays longer than the members held on the stack (and than
// the spill's first chunks), nested in each other, with a key repeated on
// both sides of those limits, decode as encoding/json decodes them.
func TestDecodeLongObjectsAndArrays(t *testing.T) {
	object := func(n int, value func(int) string) string {
		var members []string
		for i := range n {
			members = append(members, fmt.Sprintf(`"k%d":%s`, i%13, value(i)))
		}
		return "{" + strings.Join(members, ",") + "}"
	}
	array := func(n int, value func(int) string) string {
		var items []string
		for i := range n {
			items = append(items, value(i))
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	number := func(i int) string { return fmt.Sprint(i) }
	for _, n := range []int{0, 1, heldMembers - 1, heldMembers, heldMembers + 1, 13, 40, firstSpillChunk + heldMembers + 1, 130} {
		inner := func(i int) string {
			if i%3 == 0 {
				return object(n, number)
			}
			return array(n, number)
		}
		for _, s := range []string{
			object(n, number),
			array(n, number),
			object(n, inner),
			array(n, inner),
			array(3, func(int) string { return object(n, inner) }),
		} {
			requireSameAsEncodingJSON(t, []byte(s))
		}
	}
}

func TestDecodeIntegers(t *testing.T) {
	cases := []struct {
		in      string
		want    int64
		keyword string
	}{
		{`7`, 7, ""},
		{`-7`, -7, ""},
		{`7.0`, 7, ""},
		{`1e3`, 1000, ""},
		{`9223372036854775807`, math.MaxInt64, ""},
		{`-9223372036854775808`, math.MinInt64, ""},
		{`9223372036854775808`, 0, "type"},
		{`1.5`, 0, "type"},
		{`"7"`, 0, "type"},
		{`null`, 0, "type"},
	}
	for _, tc := range cases {
		var c collector
		d := decoder{data: []byte(tc.in), c: &c}
		got, ok := d.int64(nil)
		require.NoError(t, d.finish(), tc.in)
		if tc.keyword == "" {
			require.True(t, ok, tc.in)
			require.Equal(t, tc.want, got, tc.in)
			require.Empty(t, c.violations)
			continue
		}
		require.False(t, ok, tc.in)
		require.Len(t, c.violations, 1, tc.in)
		require.Equal(t, tc.keyword, c.violations[0].Keyword, tc.in)
	}
}

func TestDecodeMismatchPointer(t *testing.T) {
	var c collector
	d := decoder{data: []byte(`{"a/b":{"c~d":[1,"x"]}}`), c: &c}
	require.True(t, d.object(nil))
	key, ok := d.field(0)
	require.True(t, ok)
	p1 := (*path)(nil).at(string(key))
	require.True(t, d.object(&p1))
	key, ok = d.field(0)
	require.True(t, ok)
	p2 := p1.at(string(key))
	require.True(t, d.array(&p2))
	for n := 0; d.item(n); n++ {
		ip := p2.elem(n)
		d.int64(&ip)
	}
	for d.depth > 0 {
		_, ok := d.field(1)
		require.False(t, ok)
	}
	require.NoError(t, d.finish())
	require.Equal(t, []Violation{{Pointer: "/a~1b/c~0d/1", Keyword: "type", Message: "a string is not an integer"}}, c.violations)
}

func TestDiscriminator(t *testing.T) {
	v, err := discriminator([]byte(`{"x":[1,{"type":"no"}],"type":"install"}`), "type")
	require.NoError(t, err)
	require.Equal(t, "install", v)

	_, err = discriminator([]byte(`{"type":3}`), "type")
	require.ErrorIs(t, err, ErrNoDiscriminator)
	_, err = discriminator([]byte(`{"other":"x"}`), "type")
	require.ErrorIs(t, err, ErrNoDiscriminator)
	_, err = discriminator([]byte(`[1]`), "type")
	require.ErrorIs(t, err, ErrNoDiscriminator)
	_, err = discriminator([]byte(`{"type":"x"} {}`), "type")
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
}

// TestDepthBudget checks that arrays and objects nest 10,000 deep, and
// that one level more stops decoding with one depth violation at the
// offset of the bracket too many: for values of any type, values skipped,
// and a discriminator's payload.
func TestDepthBudget(t *testing.T) {
	repeat := func(depth int, open, inner, close string) []byte {
		return []byte(strings.Repeat(open, depth) + inner + strings.Repeat(close, depth))
	}
	depthError := func(offset int) error {
		return &ValidationError{Violations: []Violation{{Keyword: "depth", Message: fmt.Sprintf("arrays and objects nest more than 10000 deep (at offset %d)", offset)}}}
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"10,000 arrays", repeat(10_000, "[", "", "]"), nil},
		{"10,000 objects", repeat(10_000, `{"a":`, "1", "}"), nil},
		{"10,001 arrays", repeat(10_001, "[", "", "]"), depthError(10_000)},
		{"10,001 objects", repeat(10_001, `{"a":`, "1", "}"), depthError(50_000)},
		{"1,000,000 arrays", repeat(1_000_000, "[", "", "]"), depthError(10_000)},
		{"1,000,000 objects in arrays", repeat(1_000_000, `[{"a":`, "1", "}]"), depthError(30_000)},
		{"1,000,000 unclosed arrays", []byte(strings.Repeat("[", 1_000_000)), depthError(10_000)},
	}
	for _, tc := range cases {
		_, _, err := decodeAny(tc.data)
		require.Equal(t, tc.want, err, tc.name)
		if tc.data[0] == '{' {
			_, err := discriminator(tc.data, "b")
			if tc.want == nil {
				require.ErrorIs(t, err, ErrNoDiscriminator, tc.name)
			} else {
				require.Equal(t, tc.want, err, "%s, as a discriminator's payload", tc.name)
			}
		}
	}
}
