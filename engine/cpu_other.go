//go:build !unix

package engine

import "time"

// processCPU stands in for the process's CPU time where it cannot be read: wall time since
// the process started.
func processCPU() time.Duration { return wallSinceStart() }
