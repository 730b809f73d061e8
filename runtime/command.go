package runtime

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

// stopGrace is how long a custom step may take to exit after SIGTERM before it is killed.
var stopGrace = 10 * time.Second

// RunCommand runs a custom step: opts.Command with the contract of the package comment, its
// stdout and stderr streamed to opts.Stdout and opts.Stderr. The output folder is put in
// place only when the command exits with status 0; a non-zero status is a *CommandError.
//
// WURZEL_RUN_ID is passed on from opts.Environ; when it is absent, one is made once for
// this run with NewRunID and given to the command (and returned in the Report).
//
// When ctx is cancelled (wurzel got SIGINT or SIGTERM), the command gets SIGTERM, then
// SIGKILL after a grace period; the temp folder is removed and the error wraps ctx.Err().
func RunCommand(ctx context.Context, opts Options) (Report, error) {
	start := time.Now()
	if len(opts.Command) == 0 || opts.Command[0] == "" {
		return Report{}, invalidf("custom step: no command to run")
	}
	name := opts.Name
	if name == "" {
		name = filepath.Base(filepath.Clean(opts.Output))
	}
	rep := Report{Step: opts.Command[0], Name: name, Output: opts.Output, RunID: runID(opts.Environ)}
	if opts.Output == "" {
		return rep, invalidf("step %s: no output folder (-o)", name)
	}
	if len(opts.Defaults) > 0 && opts.EnvPrefix == "" && !opts.Unprefixed {
		return rep, invalidf("step %s: settings need an env prefix (--env-prefix)", name)
	}
	inputs := make([]string, 0, len(opts.Inputs))
	for _, in := range opts.Inputs {
		abs, err := checkInputDir(in)
		if err != nil {
			return rep, fmt.Errorf("step %s: %w", name, err)
		}
		inputs = append(inputs, abs)
	}

	dir, err := atomicfile.CreateDir(opts.Output)
	if err != nil {
		return rep, fmt.Errorf("step %s: %w", name, err)
	}
	defer dir.Discard()
	outAbs, err := filepath.Abs(dir.Path())
	if err != nil {
		return rep, fmt.Errorf("step %s: %w", name, err)
	}

	cmd := exec.CommandContext(ctx, opts.Command[0], opts.Command[1:]...)
	cmd.Env = commandEnv(opts, name, rep.RunID, outAbs, inputs)
	cmd.Stdin = nil
	cmd.Stdout = opts.Stdout
	cmd.Stderr = opts.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = stopGrace
	cmd.SysProcAttr = childAttr()
	if lock := dir.Lock(); lock != nil {
		// The child holds the temp folder's lock too, so that a later run does not remove
		// the folder while an orphaned child still writes to it.
		cmd.ExtraFiles = []*os.File{lock}
	}
	unlock := lockThread()
	err = cmd.Run()
	unlock()
	if ctx.Err() != nil {
		return rep, fmt.Errorf("step %s: interrupted: %w", name, ctx.Err())
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		ce := &CommandError{Step: name, Command: opts.Command[0], ExitCode: exit.ExitCode()}
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			ce.Signal = signalName(ws.Signal())
		}
		return rep, ce
	case err != nil:
		return rep, fmt.Errorf("step %s: running %s: %w", name, opts.Command[0], err)
	}
	if rep.Files, err = listFiles(dir.Path()); err != nil {
		return rep, fmt.Errorf("step %s: %w", name, err)
	}
	if err := dir.Commit(); err != nil {
		return rep, fmt.Errorf("step %s: %w", name, err)
	}
	rep.Run = time.Since(start)
	rep.Total = rep.Run
	return rep, nil
}

// checkInputDir checks that an input folder exists and can be passed in WURZEL_INPUT_DIRS;
// it returns the folder as an absolute path.
func checkInputDir(in string) (string, error) {
	fi, err := os.Stat(in)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", invalidf("input folder %s does not exist", in)
	case err != nil:
		return "", fmt.Errorf("input folder %s: %w", in, err)
	case !fi.IsDir():
		return "", invalidf("input %s is not a folder", in)
	}
	abs, err := filepath.Abs(in)
	if err != nil {
		return "", err
	}
	if strings.ContainsRune(abs, filepath.ListSeparator) {
		return "", invalidf("input folder %s: a path with %q cannot be passed in %s", abs, filepath.ListSeparator, EnvInputDirs)
	}
	return abs, nil
}

// commandEnv is the custom step's environment: opts.Environ without the contract's own
// variables, then the contract's variables, then the defaults the environment lacks.
func commandEnv(opts Options, name, runID, out string, inputs []string) []string {
	contract := map[string]string{
		EnvOutputDir: out,
		EnvInputDirs: strings.Join(inputs, string(filepath.ListSeparator)),
		EnvRunID:     runID,
		EnvStepName:  name,
	}
	env := make([]string, 0, len(opts.Environ)+len(contract)+len(opts.Defaults))
	for _, kv := range opts.Environ {
		if k, _, _ := strings.Cut(kv, "="); !isContractVar(k) {
			env = append(env, kv)
		}
	}
	for _, k := range []string{EnvOutputDir, EnvInputDirs, EnvRunID, EnvStepName} {
		env = append(env, k+"="+contract[k])
	}
	keys := make([]string, 0, len(opts.Defaults))
	for k := range opts.Defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := k
		if !opts.Unprefixed {
			v = opts.EnvPrefix + "__" + k
		}
		if !has(opts.Environ, v) {
			env = append(env, v+"="+opts.Defaults[k])
		}
	}
	return env
}

func isContractVar(k string) bool {
	return k == EnvOutputDir || k == EnvInputDirs || k == EnvRunID || k == EnvStepName
}

// listFiles reports the regular files below dir, sorted.
func listFiles(dir string) ([]FileReport, error) {
	var out []FileReport
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, FileReport{Output: filepath.ToSlash(rel)})
		return err
	})
	return out, err
}
