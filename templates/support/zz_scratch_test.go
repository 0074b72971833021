package support

import (
	"os"
	"testing"
)

func BenchmarkScratchSkip(b *testing.B) {
	data, _ := os.ReadFile("../../testdata/payloads/chartmogul/valid/mrr_movement_large.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var c collector
		d := decoder{data: data, c: &c}
		d.skip()
	}
}

func BenchmarkScratchAny(b *testing.B) {
	data, _ := os.ReadFile("../../testdata/payloads/chartmogul/valid/mrr_movement_large.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var c collector
		d := decoder{data: data, c: &c}
		d.any(nil)
	}
}
