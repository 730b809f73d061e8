package local

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
)

// DefaultDataDir is where steps write their output folders unless Options.DataDir says
// otherwise: the DVC pack's default too.
const DefaultDataDir = "data"

// Options configure a run.
type Options struct {
	// DataDir holds the steps' output folders, <DataDir>/<step name>. Default: "data".
	DataDir string
	// Jobs bounds how many steps run at once. Default: the number of CPUs.
	Jobs int
	// Force re-runs every selected step; ForceSteps re-runs the named ones.
	Force      bool
	ForceSteps []string
	// Only, From and Until select part of the pipeline (see the package comment).
	Only, From, Until []string
	// Environ is the environment of the steps: os.Environ(), with .env file entries
	// before it so that the process environment wins.
	Environ []string
	// RunID is the run's WURZEL_RUN_ID. Default: WURZEL_RUN_ID in Environ, else a new one.
	RunID string
	// Reporter receives the run's events (nil: none).
	Reporter Reporter
	// Backoff is the wait before the first retry of a failed step; it doubles with each
	// retry, up to 5 minutes. Default: 1s.
	Backoff time.Duration
}

// maxBackoff bounds the wait between two attempts of a step.
const maxBackoff = 5 * time.Minute

// Status is where a step stands in a run.
type Status int

// The statuses of a step. Waiting and Running are transient; a finished run leaves every
// selected step Done, Cached, Failed, Skipped or Cancelled.
const (
	Waiting   Status = iota // its inputs are not ready yet
	Running                 // it runs now
	Done                    // it ran and succeeded
	Cached                  // it was unchanged: not run, its output kept
	Failed                  // it failed (after its retries)
	Skipped                 // not run: a step it depends on failed or was skipped
	Cancelled               // not run or stopped: the run was interrupted
)

var statusNames = [...]string{"waiting", "running", "done", "cached", "failed", "skipped", "cancelled"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// MarshalText writes the status's name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a status's name.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown step status %q", b)
}

// finished reports whether s is a final status.
func (s Status) finished() bool { return s >= Done }

// ok reports whether dependents of a step with status s can run.
func (s Status) ok() bool { return s == Done || s == Cached }

// StepResult is what happened to one selected step.
type StepResult struct {
	Name string
	// Class is the built-in step type's name; "" for a custom step.
	Class  string
	Status Status
	// Reason says why the step ran (no earlier run, forced, inputs changed, ...), why it
	// was skipped, or, for a cached step, since which run it is unchanged.
	Reason string
	// Err is the step's error when it failed.
	Err error
	// Attempts counts the attempts made (0 when it did not run).
	Attempts int
	// Started is when it started (zero when it did not run); Duration covers every
	// attempt and the waits between them.
	Started  time.Time
	Duration time.Duration
	// ItemsIn and ItemsOut count documents or embedding rows (built-in steps); Files the
	// output files. For a cached step they are those of the run that made its output.
	ItemsIn, ItemsOut, Files int
	// Output is the step's output folder.
	Output string
}

// Result describes a finished run.
type Result struct {
	RunID string
	// Steps are the selected steps, in the pipeline's topological order.
	Steps    []StepResult
	Duration time.Duration
}

// Count returns how many steps ended with status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, st := range r.Steps {
		if st.Status == s {
			n++
		}
	}
	return n
}

// InvalidError is a run that cannot start: unknown step names in the selection, settings
// that do not parse, missing secrets or inputs. The command line maps it to exit code 2.
type InvalidError struct{ Err error }

func (e *InvalidError) Error() string { return e.Err.Error() }
func (e *InvalidError) Unwrap() error { return e.Err }

// IsInvalid reports whether err is or wraps an *InvalidError.
func IsInvalid(err error) bool {
	var e *InvalidError
	return errors.As(err, &e)
}

func invalidf(format string, args ...any) error {
	return &InvalidError{Err: fmt.Errorf(format, args...)}
}

// RunError is a run in which steps failed. Unwrap gives the steps' errors.
type RunError struct {
	// Failed are the failed steps' results, in topological order.
	Failed []StepResult
	// Skipped names the steps not run because of them.
	Skipped []string
}

func (e *RunError) Error() string {
	var b strings.Builder
	if len(e.Failed) == 1 {
		f := e.Failed[0]
		fmt.Fprintf(&b, "step %s failed: %s", f.Name, stepMessage(f))
	} else {
		fmt.Fprintf(&b, "%d steps failed:", len(e.Failed))
		for _, f := range e.Failed {
			fmt.Fprintf(&b, "\n  step %s: %s", f.Name, stepMessage(f))
		}
	}
	it := "it"
	if len(e.Failed) > 1 {
		it = "them"
	}
	switch n := len(e.Skipped); {
	case n == 1:
		fmt.Fprintf(&b, "\nstep %s depends on %s and was skipped", e.Skipped[0], it)
	case n > maxListed:
		fmt.Fprintf(&b, "\n%d steps depend on %s and were skipped: %s and %d more", n, it, strings.Join(e.Skipped[:maxListed], ", "), n-maxListed)
	case n > 1:
		fmt.Fprintf(&b, "\n%d steps depend on %s and were skipped: %s", n, it, strings.Join(e.Skipped, ", "))
	}
	return b.String()
}

// maxListed bounds the skipped steps a RunError names.
const maxListed = 10

// Unwrap returns the failed steps' errors.
func (e *RunError) Unwrap() []error {
	out := make([]error, 0, len(e.Failed))
	for _, f := range e.Failed {
		out = append(out, f.Err)
	}
	return out
}

// stepMessage is a step's error without the "step NAME: " that package runtime puts first.
func stepMessage(r StepResult) string {
	if r.Err == nil {
		return r.Reason
	}
	return strings.TrimPrefix(r.Err.Error(), "step "+r.Name+": ")
}

// Run executes the pipeline p (see the package comment). It returns the result of every
// selected step, also when it fails: an *InvalidError when the run could not start (nil
// Result), a *RunError when steps failed, an error wrapping ctx.Err() when the run was
// interrupted, another error for an I/O problem with the data folder.
func Run(ctx context.Context, p *pipeline.Pipeline, opts Options) (*Result, error) {
	start := time.Now()
	if opts.DataDir == "" {
		opts.DataDir = DefaultDataDir
	}
	opts.DataDir = filepath.Clean(opts.DataDir)
	if opts.Jobs <= 0 {
		opts.Jobs = goruntime.NumCPU()
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.RunID == "" {
		opts.RunID = lookupEnv(opts.Environ, runtime.EnvRunID)
	}
	if opts.RunID == "" {
		opts.RunID = runtime.NewRunID(start)
	}
	r, err := plan(p, opts)
	if err != nil {
		return nil, err
	}
	if err := r.preflight(); err != nil {
		return nil, err
	}
	unlock, err := lockDataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	st, warn, err := openState(opts.DataDir, p.Metadata.Name)
	if err != nil {
		return nil, err
	}
	r.state = st
	r.rep = newSerialReporter(opts.Reporter)
	if warn != "" {
		r.rep.Report(Event{Kind: EventWarning, Time: time.Now(), Message: warn})
	}

	r.rep.Report(Event{Kind: EventRunStart, Time: start, Run: r.info()})
	r.schedule(ctx)
	res := r.result(time.Since(start))
	closeErr := st.close(r.names())
	r.rep.Report(Event{Kind: EventRunEnd, Time: time.Now(), Result: res})

	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("run %s interrupted: %w", opts.RunID, err)
	}
	if runErr := r.runError(); runErr != nil {
		return res, runErr
	}
	if closeErr != nil {
		return res, closeErr
	}
	return res, nil
}

// RunInfo describes a run as it starts.
type RunInfo struct {
	RunID    string
	Pipeline string
	// Steps are the selected steps, in topological order.
	Steps   []string
	Jobs    int
	DataDir string
}

func lookupEnv(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}
