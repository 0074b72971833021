package validation

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/asyncgen/asyncgen/generated/chartmogul"
	"github.com/asyncgen/asyncgen/generator/document"
	"github.com/asyncgen/asyncgen/internal/kinschema"
)

// BenchmarkChartMogul compares, on the ChartMogul fixtures of about 1.3 KB
// and 64 KB, the generated DecodeMRRMovement (decode and full validation)
// with encoding/json.Unmarshal into the same struct (no validation),
// kin-openapi's VisitJSON plus that typed decode, and
// santhosh-tekuri/jsonschema/v6 (schema compiled once) plus that typed
// decode; and Validate alone on a decoded value. Besides the wall time
// it reports cpu-ns/op, the process's CPU time (every thread's, the
// garbage collector's too) per operation, which other processes on a
// shared machine disturb less than the wall time. Run it with
//
//	go test -run '^$' -bench ChartMogul -benchmem -count 6 ./internal/validation > bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl bench.txt
func BenchmarkChartMogul(b *testing.B) {
	schema := chartmogulSchema(b)
	compiled := compileJSONSchema(b, schema)
	for _, payload := range []struct{ name, file string }{
		{"small", "mrr_movement.json"},
		{"large", "mrr_movement_large.json"},
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "valid", payload.file))
		if err != nil {
			b.Fatal(err)
		}
		run := func(impl string, op func() error) {
			b.Run("payload="+payload.name+"/impl="+impl, func(b *testing.B) {
				b.ReportAllocs()
				start, measured := processCPU()
				for b.Loop() {
					if err := op(); err != nil {
						b.Fatal(err)
					}
				}
				if end, ok := processCPU(); ok && measured {
					b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
				}
			})
		}
		run("asyncgen", func() error {
			_, err := chartmogul.DecodeMRRMovement(data)
			return err
		})
		run("encoding-json", func() error {
			var v chartmogul.MRRMovementPayload
			return json.Unmarshal(data, &v)
		})
		run("kin-openapi", func() error {
			var generic any
			if err := json.Unmarshal(data, &generic); err != nil {
				return err
			}
			if err := schema.VisitJSON(generic); err != nil {
				return err
			}
			var v chartmogul.MRRMovementPayload
			return json.Unmarshal(data, &v)
		})
		run("jsonschema-v6", func() error {
			generic, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				return err
			}
			if err := compiled.Validate(generic); err != nil {
				return err
			}
			var v chartmogul.MRRMovementPayload
			return json.Unmarshal(data, &v)
		})
		v, err := chartmogul.DecodeMRRMovement(data)
		if err != nil {
			b.Fatal(err)
		}
		run("validate-only", v.Validate)
	}
}

// BenchmarkChartMogulRatio measures DecodeMRRMovement against
// json.Unmarshal into the same struct in alternating batches of about
// the same length (tens of milliseconds), so that both see the same load
// on a shared machine: it reports the ratio of their CPU times (the
// process's, the garbage collector's included), and each one's CPU time
// per decode. It also reports floor-ratio: the CPU time, against
// json.Unmarshal's, of building again, from a value decoded already, the
// part of the payload read as any (the free-form custom_attributes: each
// map made at its size, each string and number put in an any, the
// strings' bytes copied into one buffer) and the list of external IDs,
// which is what any decoder producing the generated type must allocate and
// build, with no parsing or validation at all. Run it with
//
//	go test -run '^$' -bench ChartMogulRatio -benchtime 40x -count 10 ./internal/validation
func BenchmarkChartMogulRatio(b *testing.B) {
	for _, payload := range []struct {
		name, file string
		batch      int
	}{
		{"small", "mrr_movement.json", 2000},
		{"large", "mrr_movement_large.json", 40},
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payloads", "chartmogul", "valid", payload.file))
		if err != nil {
			b.Fatal(err)
		}
		ours := func() error {
			_, err := chartmogul.DecodeMRRMovement(data)
			return err
		}
		theirs := func() error {
			var v chartmogul.MRRMovementPayload
			return json.Unmarshal(data, &v)
		}
		decoded, err := chartmogul.DecodeMRRMovement(data)
		if err != nil {
			b.Fatal(err)
		}
		var rebuilt *chartmogul.Customer
		floor := func() error {
			rebuilt = rebuildFreeForm(decoded.Customer)
			return nil
		}
		b.Run("payload="+payload.name, func(b *testing.B) {
			if _, ok := processCPU(); !ok {
				b.Skip("no process CPU time on this system")
			}
			var oursCPU, theirsCPU, floorCPU time.Duration
			for b.Loop() {
				oursCPU += batchCPU(b, payload.batch, ours)
				theirsCPU += batchCPU(b, payload.batch, theirs)
				floorCPU += batchCPU(b, payload.batch, floor)
			}
			if !reflect.DeepEqual(rebuilt, decoded.Customer) {
				b.Fatal("the floor built another value than the decoder's")
			}
			decodes := float64(b.N * payload.batch)
			b.ReportMetric(float64(oursCPU)/float64(theirsCPU), "ratio")
			b.ReportMetric(float64(floorCPU)/float64(theirsCPU), "floor-ratio")
			b.ReportMetric(float64(oursCPU)/decodes, "asyncgen-cpu-ns/op")
			b.ReportMetric(float64(theirsCPU)/decodes, "json-cpu-ns/op")
		})
	}
}

// rebuildFreeForm returns a copy of c whose custom attributes and external
// IDs are built anew, as a decoder builds them: see
// BenchmarkChartMogulRatio's floor-ratio.
func rebuildFreeForm(c *chartmogul.Customer) *chartmogul.Customer {
	out := *c
	var text strings.Builder
	text.Grow(freeFormText(c.CustomAttributes) + 16*len(c.ExternalIDs))
	out.CustomAttributes = rebuildMap(c.CustomAttributes, &text)
	out.ExternalIDs = make([]string, len(c.ExternalIDs))
	for i, id := range c.ExternalIDs {
		out.ExternalIDs[i] = keepText(&text, id)
	}
	return &out
}

// rebuildMap builds m again at its size, each string and number in a new
// any, each string's bytes copied into text.
func rebuildMap(m map[string]any, text *strings.Builder) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[keepText(text, k)] = rebuildAny(v, text)
	}
	return out
}

// rebuildAny builds v again, as rebuildMap does.
func rebuildAny(v any, text *strings.Builder) any {
	switch v := v.(type) {
	case map[string]any:
		return rebuildMap(v, text)
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = rebuildAny(item, text)
		}
		return out
	case string:
		return keepText(text, v)
	case float64:
		return v + 0 // a new any holding the number
	}
	return v
}

// keepText copies s into text and returns the copy.
func keepText(text *strings.Builder, s string) string {
	if s == "" {
		return ""
	}
	text.WriteString(s)
	all := text.String()
	return all[len(all)-len(s):]
}

// freeFormText is how many bytes the keys and strings of m hold.
func freeFormText(m map[string]any) int {
	n := 0
	for k, v := range m {
		n += len(k) + anyText(v)
	}
	return n
}

// anyText is how many bytes the keys and strings of v hold.
func anyText(v any) int {
	switch v := v.(type) {
	case map[string]any:
		return freeFormText(v)
	case []any:
		n := 0
		for _, item := range v {
			n += anyText(item)
		}
		return n
	case string:
		return len(v)
	}
	return 0
}

// batchCPU runs op n times and returns the process CPU time it took.
func batchCPU(b *testing.B, n int, op func() error) time.Duration {
	start, _ := processCPU()
	for range n {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	end, _ := processCPU()
	return end - start
}

// chartmogulSchema is the mrr_movement payload schema as the generator
// loads it, with its $refs made local for kin-openapi.
func chartmogulSchema(b *testing.B) *openapi3.Schema {
	doc, err := document.Load(filepath.Join("..", "..", "specs", "chartmogul.yaml"), document.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range doc.Messages {
		if m.Name == "mrr_movement" {
			payload := kinschema.Convert(m.Payload)
			inlineRefs(payload, map[*openapi3.Schema]bool{})
			return payload.Value
		}
	}
	b.Fatal("no mrr_movement message")
	return nil
}

// inlineRefs drops the $refs under r, so that the schema marshals with
// every subschema written out (the ChartMogul schema has no cycle).
func inlineRefs(r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if r == nil || r.Value == nil {
		return
	}
	r.Ref = ""
	if seen[r.Value] {
		return
	}
	seen[r.Value] = true
	for _, p := range r.Value.Properties {
		inlineRefs(p, seen)
	}
	inlineRefs(r.Value.Items, seen)
	inlineRefs(r.Value.AdditionalProperties.Schema, seen)
}

// compileJSONSchema compiles the schema with santhosh-tekuri/jsonschema.
func compileJSONSchema(b *testing.B, schema *openapi3.Schema) *jsonschema.Schema {
	data, err := json.Marshal(schema)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("chartmogul.json", doc); err != nil {
		b.Fatal(err)
	}
	compiled, err := c.Compile("chartmogul.json")
	if err != nil {
		b.Fatal(err)
	}
	return compiled
}
