package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// jsonSamples are Go test files run inside the golden packages whose types
// have generated JSON methods: each decodes samples, checks what it got and
// encodes it back.
var jsonSamples = map[string]string{
	"unions": `package unions

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestShapeUsesDiscriminator(t *testing.T) {
	s := roundTrip[Shape](t, ` + "`" + `{"kind":"circle","radius":2}` + "`" + `)
	if s.Circle == nil || s.Circle.Radius != 2 || s.Square != nil {
		t.Fatalf("circle: %+v", s)
	}
	s = roundTrip[Shape](t, ` + "`" + `{"kind":"square","side":3}` + "`" + `)
	if s.Square == nil || s.Square.Side != 3 || s.Circle != nil {
		t.Fatalf("square: %+v", s)
	}
	refuse[Shape](t, ` + "`" + `{"kind":"hexagon"}` + "`" + `, ` + "`" + "its \"kind\" property, \"hexagon\", names none" + "`" + `)
	refuse[Shape](t, ` + "`" + `{"radius":1}` + "`" + `, ` + "`" + "has no \"kind\" property" + "`" + `)
	refuse[Shape](t, ` + "`" + `{"kind":"circle","radius":"big"}` + "`" + `, "decoding Shape")
}

func TestPetUsesMapping(t *testing.T) {
	for _, in := range []string{` + "`" + `{"petType":"dog","barks":true}` + "`" + `, ` + "`" + `{"petType":"doggo"}` + "`" + `} {
		if p := roundTrip[Pet](t, in); p.Dog == nil || p.Cat != nil {
			t.Fatalf("%s: %+v", in, p)
		}
	}
	if p := roundTrip[Pet](t, ` + "`" + `{"petType":"cat","lives":9}` + "`" + `); p.Cat == nil || *p.Cat.Lives != 9 {
		t.Fatalf("cat: %+v", p)
	}
	refuse[Pet](t, ` + "`" + `{"petType":"Dog"}` + "`" + `, "its \"petType\" property, \"Dog\", names none")
}

func TestEventMatchesExactlyOne(t *testing.T) {
	if e := roundTrip[Event](t, ` + "`" + `{"sequence":1,"type":"heartbeat"}` + "`" + `); e.Heartbeat == nil || e.Heartbeat.Sequence != 1 {
		t.Fatalf("heartbeat: %+v", e)
	}
	if e := roundTrip[Event](t, ` + "`" + `{"sequence":2,"type":"update","changes":["a"]}` + "`" + `); e.Update == nil || e.Update.Changes[0] != "a" {
		t.Fatalf("update: %+v", e)
	}
	if e := roundTrip[Event](t, ` + "`" + `{"error":"boom"}` + "`" + `); e.Failure == nil || e.Failure.Error != "boom" {
		t.Fatalf("failure: %+v", e)
	}
	refuse[Event](t, ` + "`" + `{"type":"heartbeat"}` + "`" + `, "matches none of the 3 schemas of oneOf")
	refuse[Event](t, ` + "`" + `{"error":"boom","extra":1}` + "`" + `, "matches none")
	refuse[Event](t, ` + "`" + `"heartbeat"` + "`" + `, "matches none")
}

func TestValueTakesTheFirstMatch(t *testing.T) {
	if v := roundTrip[Value](t, ` + "`" + `"text"` + "`" + `); v.String == nil || *v.String != "text" {
		t.Fatalf("string: %+v", v)
	}
	if v := roundTrip[Value](t, ` + "`" + `7` + "`" + `); v.Integer == nil || *v.Integer != 7 || v.Number != nil {
		t.Fatalf("integer: %+v", v)
	}
	if v := roundTrip[Value](t, ` + "`" + `7.5` + "`" + `); v.Number == nil || *v.Number != 7.5 || v.Integer != nil {
		t.Fatalf("number: %+v", v)
	}
	if v := roundTrip[Value](t, ` + "`" + `["a","b"]` + "`" + `); len(v.Array) != 2 {
		t.Fatalf("array: %+v", v)
	}
	if v := roundTrip[Value](t, ` + "`" + `{"x":1,"y":2}` + "`" + `); v.Object["y"] != 2 || v.Point != nil {
		t.Fatalf("object first: %+v", v)
	}
	if v := roundTrip[Value](t, ` + "`" + `{"x":1.5,"y":2}` + "`" + `); v.Point == nil || v.Point.X != 1.5 {
		t.Fatalf("point: %+v", v)
	}
	refuse[Value](t, ` + "`" + `true` + "`" + `, "matches none")
}

func TestTreeRecurses(t *testing.T) {
	tree := roundTrip[Tree](t, ` + "`" + `{"children":["a",{"children":[]}]}` + "`" + `)
	if tree.Node == nil || len(tree.Node.Children) != 2 || *tree.Node.Children[0].Leaf != "a" || tree.Node.Children[1].Node == nil {
		t.Fatalf("tree: %+v", tree)
	}
}

func TestHolder(t *testing.T) {
	h := roundTrip[Holder](t, ` + "`" + `{"maybe":null,"shape":{"kind":"square","side":1},"value":[],"described":{"kind":"circle","radius":1},"loose":{"any":true},"either":{"a":"x"}}` + "`" + `)
	if h.Maybe != nil || h.Shape.Square == nil || h.Value.Array == nil || h.Described.Radius != 1 {
		t.Fatalf("holder: %+v", h)
	}
	h = roundTrip[Holder](t, ` + "`" + `{"maybe":{"kind":"circle","radius":3},"shape":null}` + "`" + `)
	if h.Maybe == nil || h.Maybe.Radius != 3 || h.Shape.Circle != nil || h.Shape.Square != nil {
		t.Fatalf("holder: %+v", h)
	}
}

func TestRankEnum(t *testing.T) {
	if r := roundTrip[Rank](t, ` + "`" + `-1` + "`" + `); r != RankMinus1 || !r.Valid() {
		t.Fatalf("rank: %v", r)
	}
}

func TestMarshalNeedsOneVariant(t *testing.T) {
	_, err := json.Marshal(Shape{Circle: &Circle{}, Square: &Square{}})
	if err == nil || !strings.Contains(err.Error(), "2 variants are set") {
		t.Fatalf("two variants: %v", err)
	}
	if data, err := json.Marshal(Shape{}); err != nil || string(data) != "null" {
		t.Fatalf("no variant: %s %v", data, err)
	}
}
`,
	"tuples": `package tuples

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPoint(t *testing.T) {
	p := roundTrip[Point](t, ` + "`" + `[1,2]` + "`" + `)
	if p.X != 1 || p.Y != 2 || p.Label != nil {
		t.Fatalf("point: %+v", p)
	}
	if p = roundTrip[Point](t, ` + "`" + `[1,2,"here"]` + "`" + `); *p.Label != "here" {
		t.Fatalf("labelled: %+v", p)
	}
	refuse[Point](t, ` + "`" + `[1]` + "`" + `, "1 items, want at least 2")
	refuse[Point](t, ` + "`" + `[1,2,"a",4]` + "`" + `, "4 items, want at most 3")
	refuse[Point](t, ` + "`" + `[1,"two"]` + "`" + `, "decoding Point item 1")
	refuse[Point](t, ` + "`" + `{"x":1}` + "`" + `, "decoding Point")
}

func TestRowRest(t *testing.T) {
	r := roundTrip[Row](t, ` + "`" + `["a",[1,2],3,4]` + "`" + `)
	if *r.Item0 != "a" || r.Item1.Y != 2 || len(r.Rest) != 2 || r.Rest[1] != 4 {
		t.Fatalf("row: %+v", r)
	}
	if r = roundTrip[Row](t, ` + "`" + `[]` + "`" + `); r.Item0 != nil {
		t.Fatalf("empty: %+v", r)
	}
	refuse[Row](t, ` + "`" + `["a",[1,2],"x"]` + "`" + `, "decoding Row item 2")
	_, err := json.Marshal(Row{Item1: &Point{}})
	if err == nil || !strings.Contains(err.Error(), "item 1 is set but item 0 is not") {
		t.Fatalf("gap: %v", err)
	}
}

func TestHolderAndOpen(t *testing.T) {
	h := roundTrip[Holder](t, ` + "`" + `{"point":[0,1],"rows":[["r"]],"open":[true,"x",{"y":1}]}` + "`" + `)
	if h.Point.Y != 1 || *h.Rows[0].Item0 != "r" || !*h.Open.Item0 || len(h.Open.Rest) != 2 {
		t.Fatalf("holder: %+v", h)
	}
}
`,
	"keywords": `package keywords

import (
	"testing"
	"time"
)

func TestStampEncodesAsTime(t *testing.T) {
	s := roundTrip[Stamps](t, ` + "`" + `["2024-05-01T10:00:00Z","2024-05-01T12:30:00+02:00"]` + "`" + `)
	if !time.Time(s[0]).Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) || !time.Time(s[1]).Equal(time.Time(s[0]).Add(30*time.Minute)) {
		t.Fatalf("stamps: %v", s)
	}
	refuse[Stamps](t, ` + "`" + `["yesterday"]` + "`" + `, "cannot parse")
}

func TestConditionalPropertiesAreKept(t *testing.T) {
	th := roundTrip[Thing](t, ` + "`" + `{"kind":"card","cardNumber":"4242","bic":"X","scores":{"s_a":1}}` + "`" + `)
	if *th.CardNumber != "4242" || *th.Bic != "X" || th.Scores["s_a"] != 1 {
		t.Fatalf("thing: %+v", th)
	}
}
`,
}

// jsonSampleHelpers is shared by every sample file.
const jsonSampleHelpers = `package PKG

import (
	"encoding/json"
	"strings"
	"testing"
)

// roundTrip decodes in, encodes the result and checks it is the same JSON.
func roundTrip[T any](t *testing.T, in string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatalf("decode %s: %v", in, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %s: %v", in, err)
	}
	if canonical(t, []byte(in)) != canonical(t, out) {
		t.Fatalf("round trip of %s gave %s", in, out)
	}
	return v
}

// refuse checks that decoding in fails with an error containing want.
func refuse[T any](t *testing.T, in, want string) {
	t.Helper()
	var v T
	err := json.Unmarshal([]byte(in), &v)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("decode %s: got error %v, want one containing %q", in, err, want)
	}
}

func canonical(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %s", data)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
`

// TestGeneratedJSONMethods runs the sample tests above inside copies of
// the golden packages they are written for: the generated UnmarshalJSON and
// MarshalJSON methods must decode what the schema allows, refuse what it
// does not, and encode it back unchanged.
func TestGeneratedJSONMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a throwaway module")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	mod := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module jsonmethods\n\ngo 1.22\n"), 0o644))
	for name, samples := range jsonSamples {
		dir := filepath.Join(mod, name)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		generated := readGenerated(t, filepath.Join("..", "testdata", "golden", name, "want"))
		require.NotEmpty(t, generated, "golden case %s", name)
		for file, data := range generated {
			require.NoError(t, os.WriteFile(filepath.Join(dir, file), data, 0o644))
		}
		helpers := []byte("package " + name + jsonSampleHelpers[len("package PKG"):])
		require.NoError(t, os.WriteFile(filepath.Join(dir, "helpers_test.go"), helpers, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "samples_test.go"), []byte(samples), 0o644))
	}
	cmd := exec.Command(goTool, "test", "-count=1", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go test on the generated JSON methods:\n%s", out)
}
