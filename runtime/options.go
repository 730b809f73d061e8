package runtime

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Options describe one step run.
type Options struct {
	// Step is the built-in step's class name or Python path (RunStep):
	// SimpleSplitterStep, wurzel.steps.splitter:SimpleSplitterStep.
	Step string
	// Command is a custom step's argv (RunCommand).
	Command []string
	// Name is the step's name, used in errors and as WURZEL_STEP_NAME. Default: the class
	// name (RunStep) or the output folder's base name (RunCommand).
	Name string
	// Output is the output folder; Inputs are the input folders.
	Output string
	Inputs []string
	// EnvPrefix prefixes the step's settings (PREFIX__FIELD). RunStep defaults to the
	// upper-cased class name; RunCommand needs one when Defaults is not empty.
	EnvPrefix string
	// Defaults are settings written in pipeline.yaml or given with --default, by field;
	// the environment wins over them.
	Defaults map[string]string
	// Environ is the environment to read settings from and to give a custom step:
	// os.Environ(), with .env file entries before it so that the process environment wins.
	Environ []string
	// AllowExtra ignores unknown variables under the prefix (settings.Options.AllowExtra).
	AllowExtra bool
	// Unprefixed reads settings without the prefix (Python Wurzel's --no-encapsulate-env).
	Unprefixed bool
	// Stdout and Stderr receive a custom step's output (discarded when nil).
	Stdout, Stderr io.Writer
}

// Report describes a finished run, for progress display and the local executor.
type Report struct {
	// Step is the class (RunStep) or the command (RunCommand); Name the step's name.
	Step, Name string
	Output     string
	RunID      string
	// Files has one entry per output file, in the order written.
	Files []FileReport
	// ItemsIn and ItemsOut count documents or embedding rows (built-in steps only).
	ItemsIn, ItemsOut int
	// Load, Run and Save add up the per-file durations; Total is the whole run, from
	// reading settings to the output folder in place.
	Load, Run, Save, Total time.Duration
}

// FileReport describes one call of a built-in step, or one file a custom step wrote.
type FileReport struct {
	// Input is the input file ("" for a source step or a custom step); Output the file's
	// name in the output folder.
	Input, Output     string
	ItemsIn, ItemsOut int
	Load, Run, Save   time.Duration
}

// InvalidError is a problem with how a step was called: an unknown class, a missing input
// folder, inputs that do not fit the step. The command line maps it to exit code 2.
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

// CommandError is a custom step that exited with a non-zero status or was killed.
type CommandError struct {
	Step    string
	Command string
	// ExitCode is the exit status, or -1 when a signal ended the command.
	ExitCode int
	// Signal names the signal that ended the command, if any.
	Signal string
}

func (e *CommandError) Error() string {
	if e.Signal != "" {
		return fmt.Sprintf("step %s: command %s was killed by %s; the output folder was not written", e.Step, e.Command, e.Signal)
	}
	return fmt.Sprintf("step %s: command %s exited with status %d; the output folder was not written", e.Step, e.Command, e.ExitCode)
}
