package cmd

import (
	"os"
	"runtime/debug"

	"github.com/wurzel-dev/wurzel/engine"
)

// A render allocates several times its live heap in short-lived values (parse trees,
// template results, the parse-back of every output), and Go's default (GOGC=100, a
// collection each time the heap doubles from a few MiB) spends a fifth of a small render
// collecting. Renders collect when the heap has grown fivefold instead, within a soft
// memory limit of renderMemoryFloor or renderMemoryPerStep per step, whichever is more, so
// that a large pipeline does not use more memory than with Go's default (and stays within
// the engine's heap bound, which allows 1 GiB and 64 KiB per step).
//
// Measured side by side against Go's default (bench/RESULTS.md): the example pipeline for
// all backends 1.28× faster, 1,000 steps 1.15×, 10,000 steps the same time with less memory.
const (
	renderGCPercent     = 400
	renderMemoryFloor   = 900 << 20
	renderMemoryPerStep = engine.RenderHeapPerStep
)

// tuneRenderGC sets the collector for a render of a pipeline of the given number of steps
// (0 before the pipeline is read). GOGC or GOMEMLIMIT in the environment turn it off: the
// user's settings win.
func tuneRenderGC(steps int) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(renderMemoryFloor, int64(steps)*renderMemoryPerStep))
	debug.SetGCPercent(renderGCPercent)
}
