//go:build !unix

package generator

import (
	"testing"
	"time"
)

// processCPU is not measured on this system.
func processCPU() (time.Duration, bool) { return 0, false }

// reportCPU reports nothing where processCPU measures nothing.
func reportCPU(*testing.B, time.Duration) {}
