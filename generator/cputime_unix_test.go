//go:build unix

package generator

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time, user and system, this process has used.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// reportCPU reports the CPU time per operation since start (from
// processCPU) as cpu-ns/op: on a shared machine it varies less than the
// wall time, and it counts the work of every goroutine.
func reportCPU(b *testing.B, start time.Duration) {
	if end, ok := processCPU(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
