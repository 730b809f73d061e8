package local

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
)

// schedule runs the selected steps: at most Jobs at once, each as soon as the steps it
// depends on are done or cached. It returns when every selected step has finished or, after
// ctx is cancelled, when the running ones have stopped.
func (r *run) schedule(ctx context.Context) {
	ready := &readyQueue{}
	for _, n := range r.nodes {
		if n.selected && n.waiting == 0 {
			heap.Push(ready, n)
		}
	}
	done := make(chan *node)
	running := 0
	for {
		for running < r.opts.Jobs && ready.Len() > 0 && ctx.Err() == nil {
			n := heap.Pop(ready).(*node)
			n.res.Status = Running
			running++
			go func() {
				r.execute(ctx, n)
				done <- n
			}()
		}
		if running == 0 {
			break
		}
		n := <-done
		running--
		r.finish(n, ready)
	}
	for _, n := range r.nodes {
		if n.selected && !n.res.Status.finished() {
			n.res.Status, n.res.Reason = Cancelled, "the run was interrupted before it started"
			r.reportEnd(n)
		}
	}
}

// finish records a finished step and releases or skips the steps that depend on it. Only
// the scheduler's goroutine calls it.
func (r *run) finish(n *node, ready *readyQueue) {
	if n.res.Status == Done {
		rec := record{
			fingerprint: n.fp, Output: n.digest, RunID: r.opts.RunID,
			Finished: n.res.Started.Add(n.res.Duration).UTC(), DurationMS: n.res.Duration.Milliseconds(),
			ItemsIn: n.res.ItemsIn, ItemsOut: n.res.ItemsOut, Files: n.res.Files,
		}
		if err := r.state.put(n.step.Name, rec); err != nil {
			r.rep.Report(Event{Kind: EventWarning, Time: time.Now(), Step: n.step.Name,
				Message: fmt.Sprintf("step %s: %v; it will run again next time", n.step.Name, err)})
		}
	}
	r.reportEnd(n)
	switch {
	case n.res.Status.ok():
		for _, c := range n.children {
			c.waiting--
			if c.waiting == 0 && c.res.Status == Waiting {
				heap.Push(ready, c)
			}
		}
	case n.res.Status == Failed || n.res.Status == Skipped:
		for _, c := range n.children {
			if c.res.Status != Waiting {
				continue
			}
			c.res.Status = Skipped
			if n.res.Status == Failed {
				c.res.Reason = "step " + n.step.Name + " failed"
			} else {
				c.res.Reason = "step " + n.step.Name + " was skipped"
			}
			r.finish(c, ready)
		}
	}
}

func (r *run) reportEnd(n *node) {
	res := n.res
	r.rep.Report(Event{Kind: EventStepEnd, Time: time.Now(), Step: n.step.Name, StepResult: &res})
}

// execute decides whether n is cached and runs it when it is not. It runs on its own
// goroutine and writes only n.
func (r *run) execute(ctx context.Context, n *node) {
	name := n.step.Name
	fail := func(err error) {
		n.res.Status, n.res.Err = Failed, fmt.Errorf("step %s: %w", name, err)
	}
	fp, err := r.fingerprint(n)
	if err != nil {
		fail(err)
		return
	}
	n.fp = fp
	prev, had := r.state.prev[name]
	var reason string
	switch {
	case n.forced:
		reason = "forced"
	case !had:
		reason = "no earlier run"
	default:
		reason = changed(prev.fingerprint, fp, n.step.IsCustom())
	}
	if reason == "" {
		d, err := treeDigest(n.output, nil)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			reason = "its output folder is missing"
		case err != nil:
			fail(fmt.Errorf("hashing output %s: %w", n.output, err))
			return
		case d != prev.Output:
			reason = "its output folder changed since run " + prev.RunID
		default:
			n.digest = d
			n.res.Status, n.res.Reason = Cached, "unchanged since run "+prev.RunID
			n.res.ItemsIn, n.res.ItemsOut, n.res.Files = prev.ItemsIn, prev.ItemsOut, prev.Files
			return
		}
	}
	n.res.Reason = reason
	r.attempts(ctx, n)
}

// changed says which part of a fingerprint differs, or "".
func changed(old, cur fingerprint, custom bool) string {
	switch {
	case old.Code != cur.Code && custom:
		return "its command or the files it names changed"
	case old.Code != cur.Code:
		return "its step type or version changed"
	case old.Settings != cur.Settings:
		return "its settings changed"
	case old.Inputs != cur.Inputs:
		return "its inputs changed"
	case old.Sources != cur.Sources:
		return "the files its settings name changed"
	}
	return ""
}

// attempts runs n up to 1+Retries times, each attempt bounded by its timeout, waiting
// Backoff, 2×Backoff, ... between attempts.
func (r *run) attempts(ctx context.Context, n *node) {
	s := n.step
	max := s.Retries + 1
	n.res.Started = time.Now()
	r.rep.Report(Event{Kind: EventStepStart, Time: n.res.Started, Step: s.Name, Reason: n.res.Reason, Attempts: max})
	defer func() { n.res.Duration = time.Since(n.res.Started) }()
	for a := 1; ; a++ {
		n.res.Attempts = a
		actx, cancel := ctx, context.CancelFunc(func() {})
		if s.Timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, s.Timeout)
		}
		rep, err := r.runOnce(actx, n)
		timedOut := ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded)
		cancel()
		if err == nil {
			d, err := treeDigest(n.output, nil)
			if err != nil {
				n.res.Status, n.res.Err = Failed, fmt.Errorf("step %s: hashing output %s: %w", s.Name, n.output, err)
				return
			}
			n.digest = d
			n.res.Status = Done
			n.res.ItemsIn, n.res.ItemsOut, n.res.Files = rep.ItemsIn, rep.ItemsOut, len(rep.Files)
			return
		}
		if ctx.Err() != nil {
			n.res.Status, n.res.Err, n.res.Reason = Cancelled, err, "stopped: the run was interrupted"
			return
		}
		if timedOut {
			err = fmt.Errorf("step %s: timed out after %s; the output folder was not written", s.Name, s.Timeout)
		}
		if a >= max || !retryable(err) {
			if a > 1 {
				err = fmt.Errorf("%w (attempt %d of %d)", err, a, max)
			}
			n.res.Status, n.res.Err = Failed, err
			return
		}
		wait := backoff(r.opts.Backoff, a)
		r.rep.Report(Event{Kind: EventStepRetry, Time: time.Now(), Step: s.Name, Attempt: a, Attempts: max, Wait: wait, Err: err})
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			n.res.Status, n.res.Err, n.res.Reason = Cancelled, err, "stopped: the run was interrupted"
			return
		}
	}
}

// backoff is the wait after the a-th failed attempt: base × 2^(a-1), at most maxBackoff.
func backoff(base time.Duration, a int) time.Duration {
	d := base
	for i := 1; i < a && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// retryable reports whether another attempt could succeed: not for invalid input.
func retryable(err error) bool {
	return !runtime.IsInvalid(err) && !settings.IsError(err)
}

// runOnce runs one attempt of n, as `wurzel run STEP` would.
func (r *run) runOnce(ctx context.Context, n *node) (runtime.Report, error) {
	s := n.step
	opts := runtime.Options{
		Name: s.Name, Output: n.output, EnvPrefix: s.EnvPrefix, Defaults: s.Settings, Environ: r.environ,
	}
	for _, d := range n.deps {
		opts.Inputs = append(opts.Inputs, d.output)
	}
	if s.Type != nil {
		opts.Step = s.Type.Name
		return runBuiltin(ctx, opts)
	}
	opts.Command = s.Command
	stdout := &lineWriter{rep: r.rep, step: s.Name, stream: "stdout"}
	stderr := &lineWriter{rep: r.rep, step: s.Name, stream: "stderr"}
	opts.Stdout, opts.Stderr = stdout, stderr
	rep, err := runCommand(ctx, opts)
	stdout.flush()
	stderr.flush()
	return rep, err
}

// runBuiltin runs a built-in step in this process; a panic in it fails the step, not the
// run (package runtime's deferred cleanup removes its temp folder on the way).
func runBuiltin(ctx context.Context, opts runtime.Options) (rep runtime.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("step %s: panic: %v", opts.Name, p)
		}
	}()
	return runStep(ctx, opts)
}

// runStep and runCommand are package runtime's; benchmarks replace them to measure the
// scheduler alone.
var (
	runStep    = runtime.RunStep
	runCommand = runtime.RunCommand
)

// result collects the selected steps' results.
func (r *run) result(d time.Duration) *Result {
	res := &Result{RunID: r.opts.RunID, Duration: d}
	for _, n := range r.nodes {
		if n.selected {
			res.Steps = append(res.Steps, n.res)
		}
	}
	return res
}

// runError is the *RunError of the run, or nil when no step failed.
func (r *run) runError() error {
	e := &RunError{}
	for _, n := range r.nodes {
		switch {
		case !n.selected:
		case n.res.Status == Failed:
			e.Failed = append(e.Failed, n.res)
		case n.res.Status == Skipped:
			e.Skipped = append(e.Skipped, n.step.Name)
		}
	}
	if len(e.Failed) == 0 {
		return nil
	}
	return e
}

// readyQueue holds the steps that can start, first in topological order first.
type readyQueue []*node

func (q readyQueue) Len() int           { return len(q) }
func (q readyQueue) Less(i, j int) bool { return q[i].index < q[j].index }
func (q readyQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)        { *q = append(*q, x.(*node)) }
func (q *readyQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}
