package cmd

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneRenderGC(t *testing.T) {
	restore := func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
	t.Cleanup(restore)
	for _, c := range []struct {
		name         string
		gogc, memlim string
		steps        int
		percent      int
		limit        int64
	}{
		{"small pipeline", "", "", 3, renderGCPercent, renderMemoryFloor},
		{"large pipeline", "", "", 100_000, renderGCPercent, 100_000 * renderMemoryPerStep},
		{"GOGC set", "100", "", 3, 100, math.MaxInt64},
		{"GOMEMLIMIT set", "", "2GiB", 3, 100, math.MaxInt64},
	} {
		t.Run(c.name, func(t *testing.T) {
			restore()
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.memlim)
			tuneRenderGC(c.steps)
			if got := debug.SetGCPercent(100); got != c.percent {
				t.Errorf("GC percent %d, want %d", got, c.percent)
			}
			if got := debug.SetMemoryLimit(-1); got != c.limit {
				t.Errorf("memory limit %d, want %d", got, c.limit)
			}
		})
	}
}
