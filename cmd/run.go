package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

func init() {
	subcommands = append(subcommands, newRunCmd)
	inputErrorChecks = append(inputErrorChecks, settings.IsError, runtime.IsInvalid)
}

// Flag names of the runtime commands.
const (
	flagInputs             = "inputs"
	flagEnvPrefix          = "env-prefix"
	flagDefault            = "default"
	flagEnvFile            = "env-file"
	flagAllowExtra         = "allow-extra-settings"
	flagEncapsulateEnv     = "encapsulate-env"
	flagNoEncapsulateEnv   = "no-encapsulate-env"
	flagExecutor           = "executor"
	flagMiddlewares        = "middlewares"
	flagStepName           = "name"
	maxEnvFileSize         = 1 << 20
	envMiddlewares         = "MIDDLEWARES"
	runPipelineUnsupported = "running a whole pipeline (wurzel run without a step class) is not implemented yet; " +
		"run one step with 'wurzel run STEPCLASS -o OUT [-i IN]...'"
)

// runOptions are the flags of `wurzel run`.
type runOptions struct {
	pipeline       string
	output         string
	inputs         []string
	envPrefix      string
	defaults       []string
	envFiles       []string
	allowExtra     bool
	encapsulate    bool
	noEncapsulate  bool
	executor       string
	middlewares    string
	name           string
	step           string   // the STEPCLASS argument
	command        []string // the argv after --
	defaultsByName map[string]string
}

func newRunCmd() *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "run [STEPCLASS] -o OUT [-i IN]... [flags] [-- COMMAND [ARG]...]",
		Short: "Run one step (the runtime entrypoint of every rendered backend)",
		Long: `Run one step: read its settings from the environment, read every file of its input
folders and write its output folder.

  wurzel run STEPCLASS -o OUT [-i IN]...            a built-in step (see 'wurzel steps')
  wurzel run -o OUT [-i IN]... -- COMMAND [ARG]...  a custom step: any executable

STEPCLASS is a class name (SimpleSplitterStep) or a Python Wurzel path
(wurzel.steps.splitter:SimpleSplitterStep or wurzel.steps.splitter.SimpleSplitterStep).

Settings are read from <PREFIX>__<FIELD> (nested fields <PREFIX>__<FIELD>__<SUB>), or from
a JSON object in <PREFIX>; PREFIX is --env-prefix, else the upper-cased class name. Lowest
first: the step's defaults, --default values, then the environment. An unknown variable under
the prefix, a missing required setting or a value that does not parse stops the step before
it reads anything, with every problem listed; secret values are never printed. --env-file
adds a .env file's variables; variables already in the environment win over it.

The output is built in a temp folder next to OUT and moved into place only when the step
succeeded: a failed, interrupted or killed step leaves the previous OUT (or none), never a
partial one. Built-in steps write one file per input file, named by Python Wurzel's history
rule (ManualMarkdown.json, then ManualMarkdown-SimpleSplitter.json).

A custom step's command runs with WURZEL_OUTPUT_DIR (the empty folder to fill),
WURZEL_INPUT_DIRS (input folders joined by ':'), WURZEL_RUN_ID (from the environment, or
made for this run) and WURZEL_STEP_NAME (--name, else the base name of OUT), plus its
--default settings exported as <PREFIX>__<FIELD> unless the environment sets them. Its
output is streamed; exit status 0 puts the folder in place, anything else fails the step.

Without a step class or a command, 'wurzel run' runs the whole pipeline (-p) here.

Python Wurzel's flags are accepted: -e/--executor (ignored: wurzel has one executor),
--encapsulate-env (the default), --no-encapsulate-env (read unprefixed names, as Python
Wurzel did) and -m/--middlewares (accepted with a warning: middlewares are not supported).

Exit status: 0 on success, 1 when the step failed, 2 for invalid flags, inputs or settings,
130 when interrupted.`,
		Example: `  # A source step: settings from the environment, output into data/source
  MANUALMARKDOWNSTEP__FOLDER_PATH=./docs wurzel run ManualMarkdownStep -o data/source

  # A step reading another's output, with a pipeline default the environment may override
  wurzel run SimpleSplitterStep -o data/splitter -i data/source --default TOKEN_COUNT_MAX=512

  # The same step under its own prefix, with variables from a .env file
  wurzel run SimpleSplitterStep -o data/small -i data/source --env-prefix SMALL --env-file .env

  # A command line written for Python Wurzel
  wurzel run wurzel.steps.splitter:SimpleSplitterStep -o data/splitter -i data/source -e DvcBackend --encapsulate-env

  # A custom step: any executable, with its settings under ENRICH__
  wurzel run -o data/enrich -i data/splitter --env-prefix ENRICH --default MODEL=small -- python3 enrich.py`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.parseArgs(c, args); err != nil {
				return err
			}
			if o.step == "" && o.command == nil {
				return runPipeline(c, o)
			}
			return o.run(c)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.pipeline, flagPipeline, "p", "pipeline.yaml", "pipeline file (without a step: run the whole pipeline)")
	f.StringVarP(&o.output, flagOutput, "o", "", "output folder (required for a step)")
	f.StringArrayVarP(&o.inputs, flagInputs, "i", nil, "input folder (repeatable; files are read in this order, each folder sorted)")
	f.StringVar(&o.envPrefix, flagEnvPrefix, "", "prefix of the step's settings (default: the upper-cased class name; for a custom step, the upper-cased --name)")
	f.StringArrayVar(&o.defaults, flagDefault, nil, "a setting's value unless the environment sets it: FIELD=VALUE (repeatable)")
	f.StringArrayVar(&o.envFiles, flagEnvFile, nil, "read variables from a .env file; the environment wins over it (repeatable; later files win)")
	f.BoolVar(&o.allowExtra, flagAllowExtra, false, "ignore unknown variables under the step's prefix (as ALLOW_EXTRA_SETTINGS=true does)")
	f.BoolVar(&o.encapsulate, flagEncapsulateEnv, false, "read settings as <PREFIX>__<FIELD> (the default; Python Wurzel's flag)")
	f.BoolVar(&o.noEncapsulate, flagNoEncapsulateEnv, false, "read settings as <FIELD> without prefix, as Python Wurzel's --no-encapsulate-env did")
	f.StringVarP(&o.executor, flagExecutor, "e", "", "accepted for Python Wurzel command lines and ignored")
	f.StringVarP(&o.middlewares, flagMiddlewares, "m", "", "accepted for Python Wurzel command lines; middlewares are not supported (a warning is printed)")
	f.StringVar(&o.name, flagStepName, "", "the step's name in messages and WURZEL_STEP_NAME (default: the class name, or the base name of -o for a custom step)")
	_ = c.MarkFlagDirname(flagOutput)
	_ = c.MarkFlagDirname(flagInputs)
	_ = c.MarkFlagFilename(flagEnvFile)
	_ = c.MarkFlagFilename(flagPipeline, "yaml", "yml")
	c.ValidArgsFunction = completeStepClasses
	return c
}

// parseArgs sorts the arguments into the three forms and checks the flags that go with them.
func (o *runOptions) parseArgs(c *cobra.Command, args []string) error {
	dash := c.ArgsLenAtDash()
	switch {
	case dash >= 0:
		if dash > 0 {
			return invalidf("give a step class or a command after --, not both (got %s and %s)", strings.Join(args[:dash], " "), strings.Join(args[dash:], " "))
		}
		if len(args) == 0 {
			return invalidf("no command after --")
		}
		o.command = args
	case len(args) == 1:
		o.step = args[0]
	case len(args) > 1:
		return invalidf("want one step class, got %d arguments (%s); a custom step's command goes after --", len(args), strings.Join(args, " "))
	}
	if o.encapsulate && o.noEncapsulate {
		return invalidf("--%s and --%s contradict each other", flagEncapsulateEnv, flagNoEncapsulateEnv)
	}
	if o.step == "" && o.command == nil {
		return nil // a whole pipeline
	}
	if c.Flags().Changed(flagPipeline) {
		return invalidf("-p/--pipeline runs a whole pipeline; it cannot be combined with a step")
	}
	if o.output == "" {
		return invalidf("no output folder: give -o OUT")
	}
	o.defaultsByName = map[string]string{}
	for _, d := range o.defaults {
		k, v, ok := strings.Cut(d, "=")
		if !ok || k == "" {
			return invalidf("--default %q: want FIELD=VALUE", d)
		}
		if _, dup := o.defaultsByName[k]; dup {
			return invalidf("--default %s is given twice", k)
		}
		o.defaultsByName[k] = v
	}
	return nil
}

func (o *runOptions) run(c *cobra.Command) error {
	stderr := c.ErrOrStderr()
	environ, err := readEnviron(o.envFiles)
	if err != nil {
		return err
	}
	if o.middlewares != "" {
		fmt.Fprintf(stderr, "wurzel: warning: middlewares are not supported; ignoring -m %s\n", o.middlewares)
	} else if m := lookupEnv(environ, envMiddlewares); strings.TrimSpace(m) != "" {
		fmt.Fprintf(stderr, "wurzel: warning: middlewares are not supported; ignoring %s=%s\n", envMiddlewares, m)
	}
	opts := runtime.Options{
		Step: o.step, Command: o.command, Name: o.name,
		Output: o.output, Inputs: o.inputs,
		EnvPrefix: o.envPrefix, Defaults: o.defaultsByName,
		Environ: environ, AllowExtra: o.allowExtra, Unprefixed: o.noEncapsulate,
		Stdout: c.OutOrStdout(), Stderr: stderr,
	}
	var rep runtime.Report
	if o.command != nil {
		if opts.Name == "" {
			opts.Name = filepath.Base(filepath.Clean(o.output))
		}
		if opts.EnvPrefix == "" {
			opts.EnvPrefix = pipeline.EnvPrefixFor(opts.Name, "", 0, "")
		}
		rep, err = runtime.RunCommand(c.Context(), opts)
	} else {
		rep, err = runtime.RunStep(c.Context(), opts)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, summary(rep))
	return nil
}

// summary is the line printed after a step succeeded.
func summary(r runtime.Report) string {
	files := fmt.Sprintf("%d files", len(r.Files))
	if len(r.Files) == 1 {
		files = "1 file"
	}
	items := ""
	if r.Step != "" && r.ItemsIn+r.ItemsOut > 0 {
		items = fmt.Sprintf(" (%d items in, %d out)", r.ItemsIn, r.ItemsOut)
	}
	return fmt.Sprintf("step %s: wrote %s%s to %s in %s", r.Name, files, items, r.Output, r.Total.Round(time.Millisecond))
}

// readEnviron returns the process environment with the .env files' variables before it, so
// that a variable set in the environment wins over a file (and a later file over an
// earlier one).
func readEnviron(files []string) ([]string, error) {
	var env []string
	for _, f := range files {
		entries, err := readEnvFile(f)
		if err != nil {
			return nil, err
		}
		env = append(env, entries...)
	}
	return append(env, os.Environ()...), nil
}

// readEnvFile reads and parses one .env file.
func readEnvFile(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, invalidf("--%s %s: no such file", flagEnvFile, path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading env file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, invalidf("--%s %s: not a regular file", flagEnvFile, path)
	}
	if fi.Size() > maxEnvFileSize {
		return nil, invalidf("--%s %s: larger than %d bytes", flagEnvFile, path, maxEnvFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading env file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEnvFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading env file %s: %w", path, err)
	}
	return settings.ParseEnvFile(path, data)
}

// lookupEnv returns the last value of name in environ.
func lookupEnv(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

// completeStepClasses completes the STEPCLASS argument of run and inspect.
func completeStepClasses(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return steps.Names(), cobra.ShellCompDirectiveNoFileComp
}

// runPipeline runs the whole pipeline o.pipeline with the LocalBackend. It is the
// `wurzel run` form without a step class or a command; the local executor replaces this.
func runPipeline(_ *cobra.Command, _ *runOptions) error {
	return invalidf("%s", runPipelineUnsupported)
}
