package generator

import (
	"fmt"
	"go/format"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// syntheticSpec writes an AsyncAPI document with n object schemas. Each has
// an inline enum, a nested inline object with its own enum, a $ref to the
// next schema (the last refers to the first, so all n form one recursive
// cycle) and an array of $refs to a schema further away; every tenth
// schema is the payload of a message on its own channel.
func syntheticSpec(n int) []byte {
	var sb strings.Builder
	sb.WriteString("asyncapi: 2.6.0\ninfo:\n  title: Synthetic\n  version: 1.0.0\nchannels:\n")
	messages := max(1, n/10)
	for m := range messages {
		fmt.Fprintf(&sb, "  channel%d:\n    subscribe:\n      message:\n        $ref: '#/components/messages/Event%d'\n", m, m)
	}
	sb.WriteString("components:\n  messages:\n")
	for m := range messages {
		fmt.Fprintf(&sb, "    Event%d:\n      name: event_%d\n      payload:\n        $ref: '#/components/schemas/Thing%d'\n", m, m, (m*10)%n)
	}
	sb.WriteString("  schemas:\n")
	for i := range n {
		fmt.Fprintf(&sb, `    Thing%d:
      type: object
      description: Thing number %d.
      required: [id, status]
      properties:
        id:
          type: string
        status:
          type: string
          enum: [active, paused, closed]
        count:
          type: integer
        next:
          $ref: '#/components/schemas/Thing%d'
        others:
          type: array
          items:
            $ref: '#/components/schemas/Thing%d'
        detail:
          type: object
          properties:
            note:
              type: string
            level:
              type: string
              enum: [low, high]
            created_at:
              type: string
              format: date-time
`, i, i, (i+1)%n, (i*7+3)%n)
	}
	return []byte(sb.String())
}

// syntheticConfig generates a synthetic spec served from memory.
func syntheticConfig(n int) Config {
	spec := filepath.Join("virtual", "spec.yaml")
	data := syntheticSpec(n)
	cfg := Config{Package: "synthetic", OutDir: filepath.Join("virtual", "out"), Specs: []string{spec}}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if path != spec {
			return nil, fs.ErrNotExist
		}
		return data, nil
	}
	return cfg
}

// TestSyntheticSpec checks the benchmark's input: every schema becomes a
// struct with its enums and nested type, and the recursive refs are
// pointers.
func TestSyntheticSpec(t *testing.T) {
	files, err := Generate(syntheticConfig(12))
	require.NoError(t, err)
	types, enums := string(files["types.gen.go"]), string(files["enums.gen.go"])
	for i := range 12 {
		require.Contains(t, types, fmt.Sprintf("type Thing%d struct {", i))
		require.Contains(t, types, fmt.Sprintf("type Thing%dDetail struct {", i))
		require.Contains(t, enums, fmt.Sprintf("type Thing%dStatus string", i))
		require.Contains(t, enums, fmt.Sprintf("type Thing%dDetailLevel string", i))
	}
	require.Regexp(t, `\tNext +\*Thing1 +`+"`"+`json:"next,omitempty"`, types)
	require.Regexp(t, `\tOthers +\[\]Thing3 +`+"`"+`json:"others,omitempty"`, types)
}

// BenchmarkScale generates synthetic specs of 10 to 10,000 schemas. Time
// and memory per operation must grow about linearly with the size:
//
//	go test ./generator -run '^$' -bench Scale -benchmem -count 5
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("schemas=%d", n), func(b *testing.B) {
			cfg := syntheticConfig(n)
			b.ReportAllocs()
			cpu, _ := processCPU()
			for b.Loop() {
				if _, err := Generate(cfg); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/schema")
		})
	}
}

// enumSpec writes an AsyncAPI document whose one message carries a string
// enum of n values.
func enumSpec(n int) []byte {
	var sb strings.Builder
	sb.WriteString("asyncapi: 2.6.0\ninfo:\n  title: Enum\n  version: 1.0.0\nchannels:\n  colors:\n    subscribe:\n      message:\n        name: color\n        payload:\n          $ref: '#/components/schemas/Color'\n")
	sb.WriteString("components:\n  schemas:\n    Color:\n      type: string\n      enum:\n")
	for i := range n {
		fmt.Fprintf(&sb, "        - value_%d\n", i)
	}
	return []byte(sb.String())
}

// memoryConfig generates spec data served from memory.
func memoryConfig(data []byte) Config {
	spec := filepath.Join("virtual", "spec.yaml")
	cfg := Config{Package: "synthetic", OutDir: filepath.Join("virtual", "out"), Specs: []string{spec}}
	cfg.Load.ReadFile = func(path string) ([]byte, error) {
		if path != spec {
			return nil, fs.ErrNotExist
		}
		return data, nil
	}
	return cfg
}

// BenchmarkScaleEnum generates one enum of 100 to 10,000 values.
func BenchmarkScaleEnum(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("values=%d", n), func(b *testing.B) {
			cfg := memoryConfig(enumSpec(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Generate(cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/value")
		})
	}
}

// BenchmarkScaleFloor is the floor BenchmarkScale is measured against:
// one go/format pass over the files BenchmarkScale writes, generated once
// before timing starts.
//
//	go test ./generator -run '^$' -bench 'Scale(Floor)?/schemas=1000$' -count 5
func BenchmarkScaleFloor(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("schemas=%d", n), func(b *testing.B) {
			files, err := Generate(syntheticConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu, _ := processCPU()
			for b.Loop() {
				for _, src := range files {
					if _, err := format.Source(src); err != nil {
						b.Fatal(err)
					}
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/schema")
		})
	}
}

// BenchmarkGenerateChartMogul generates the shipped ChartMogul spec, every
// concern, in process: the work of one `asyncgen generate` less starting
// the process and writing the files.
//
//	go test ./generator -run '^$' -bench GenerateChartMogul -benchmem
func BenchmarkGenerateChartMogul(b *testing.B) {
	cfg := Config{Package: "chartmogul", OutDir: filepath.Join("..", "generated", "chartmogul"), Specs: []string{filepath.Join("..", "specs", "chartmogul.yaml")}}
	b.ReportAllocs()
	cpu, _ := processCPU()
	for b.Loop() {
		if _, err := Generate(cfg); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
