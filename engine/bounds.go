package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// RenderTimeout bounds the execution of one template of a pack (an output, or an output's
// path), with RenderTimeoutPerStep more for every step of the pipeline. A template that runs
// longer, such as nested ranges over long lists or an exponential recursion in an override,
// fails the render instead of running for minutes. The time is the process's CPU time (the
// packs rendering at the same time included), so that a busy machine, which stretches wall
// time, does not fail an honest render: rendering 10,000 steps for every backend takes
// about 15 s of CPU, and may take 60; wall time is bounded too, at ten times as much.
var (
	RenderTimeout        = 10 * time.Second
	RenderTimeoutPerStep = 5 * time.Millisecond
)

// maxRenderHeap is how far the heap may grow while one template executes, with
// maxRenderHeapPerStep more for every step: a template that doubles a string or a list in a
// loop fails the render long before the machine runs out of memory. The heap is the
// process's, which the packs rendering at the same time and the parse-back of their outputs
// share: an honest render of 10,000 steps for every backend grows it by a few hundred MiB.
// The CLI's soft memory limit for renders (cmd/gc.go) uses RenderHeapPerStep too.
var (
	maxRenderHeap        int64 = 1 << 30
	maxRenderHeapPerStep int64 = RenderHeapPerStep
)

// RenderHeapPerStep is what the heap bound of a render allows for each step of the pipeline.
const RenderHeapPerStep = 64 << 10

// renderBounds are the time and heap growth one template of a pipeline of n steps may take.
func renderBounds(steps int) (time.Duration, int64) {
	return RenderTimeout + time.Duration(steps)*RenderTimeoutPerStep, maxRenderHeap + int64(steps)*maxRenderHeapPerStep
}

// boundsTick is how often a running template's heap is looked at.
const boundsTick = 10 * time.Millisecond

// errStopped is what a stopped render's writer and functions return.
var errStopped = errors.New("render stopped")

// guard stops an abandoned render: text/template cannot be interrupted, so once a template
// is given up on, its goroutine is left to finish, and the render's writer and functions
// fail at their next call.
type guard struct {
	stopped atomic.Bool
	heap    int64 // the heap growth allowed (0: maxRenderHeap)
	memo    *memo // the render's include results (nil: none)
}

func (g *guard) err() error {
	if g != nil && g.stopped.Load() {
		return errStopped
	}
	return nil
}

// boundedRun runs fn (one template execution) in its own goroutine and waits for it, for
// ctx, for timeout and while the heap stays within maxRenderHeap. A panic in fn is
// returned as an error. what names the template in errors.
func boundedRun(ctx context.Context, g *guard, what string, timeout time.Duration, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%s: the template panicked: %v", what, r)
			}
		}()
		done <- fn()
	}()
	timer := time.NewTimer(10 * timeout) // a backstop: the bound is on CPU time
	defer timer.Stop()
	tick := time.NewTicker(boundsTick)
	defer tick.Stop()
	base, cpu := heapBytes(), processCPU()
	tooLong := func() error {
		g.stopped.Store(true)
		return fmt.Errorf("%s: rendering took more than %v of CPU time; a template loops too long (a range over a long list inside another, or a recursion)", what, timeout)
	}
	limit := maxRenderHeap
	if g != nil && g.heap > 0 {
		limit = g.heap
	}
	for {
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			g.stopped.Store(true)
			return ctx.Err()
		case <-timer.C:
			g.stopped.Store(true)
			return fmt.Errorf("%s: rendering took more than %v of wall time (ten times its CPU-time bound of %v); a template loops too long, or the machine is overloaded", what, 10*timeout, timeout)
		case <-tick.C:
			if processCPU()-cpu > timeout {
				return tooLong()
			}
			if grown := heapBytes() - base; grown > limit {
				g.stopped.Store(true)
				return fmt.Errorf("%s: rendering used more than %d MiB of memory; a template builds too large a value (a string or list that grows in a loop)", what, limit>>20)
			}
		}
	}
}

// heapBytes is the memory held by heap objects, live or not yet swept.
func heapBytes() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

var processStart = time.Now()

func wallSinceStart() time.Duration { return time.Since(processStart) }
