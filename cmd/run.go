package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wurzel-dev/wurzel/local"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

func init() {
	subcommands = append(subcommands, newRunCmd)
	inputErrorChecks = append(inputErrorChecks, settings.IsError, runtime.IsInvalid, local.IsInvalid)
}

// Flag names of the runtime commands.
const (
	flagInputs           = "inputs"
	flagEnvPrefix        = "env-prefix"
	flagDefault          = "default"
	flagEnvFile          = "env-file"
	flagAllowExtra       = "allow-extra-settings"
	flagEncapsulateEnv   = "encapsulate-env"
	flagNoEncapsulateEnv = "no-encapsulate-env"
	flagExecutor         = "executor"
	flagMiddlewares      = "middlewares"
	flagStepName         = "name"
	flagDataDir          = "data-dir"
	flagJobs             = "jobs"
	flagForce            = "force"
	flagOnly             = "only"
	flagFrom             = "from"
	flagUntil            = "until"
	flagLogFormat        = "log-format"
	maxEnvFileSize       = 1 << 20
	envMiddlewares       = "MIDDLEWARES"
	forceAll             = "*" // --force without a step
)

// The --log-format values.
const (
	logAuto = "auto"
	logText = "text"
	logJSON = "json"
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

	// The whole-pipeline form.
	dataDir           string
	jobs              int
	force             []string
	only, from, until []string
	logFormat         string
}

func newRunCmd() *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "run [-p PIPELINE | STEPCLASS -o OUT [-i IN]... | -o OUT [-i IN]... -- COMMAND [ARG]...] [flags]",
		Short: "Run a whole pipeline here, or one step (the runtime entrypoint of every rendered backend)",
		Long: `Run a whole pipeline on this machine, or one step: read its settings from the
environment, read every file of its input folders and write its output folder.

  wurzel run [-p pipeline.yaml] [flags]             the whole pipeline (the LocalBackend)
  wurzel run STEPCLASS -o OUT [-i IN]...            a built-in step (see 'wurzel steps')
  wurzel run -o OUT [-i IN]... -- COMMAND [ARG]...  a custom step: any executable

THE WHOLE PIPELINE

Without a step class or a command, 'wurzel run' runs the pipeline file (-p, default
./pipeline.yaml) here, with no orchestrator. Steps run in the pipeline file's folder:
relative paths of the pipeline (settings such as FOLDER_PATH, custom commands and their
files) and --data-dir are relative to it. Step S writes <data-dir>/S, the folders the
rendered dvc.yaml uses; steps run exactly as the rendered backends run them.

Up to --jobs steps run at once; a step starts as soon as the steps it depends on are done.
A step is skipped (cached) when its step type and version (or its command and the files
and folders it names), its settings, its input folders and the files its path settings name
are unchanged since its last successful run, and its output folder is as that run left it;
everything is compared by content hash, recorded in <data-dir>/.wurzel/state.json.
--force re-runs every selected step, --force STEP (repeatable) the steps named.

--only STEP runs just those steps; --from STEP those and every step downstream of them;
--until STEP those and every step upstream of them; --from and --until together, the steps
in between. All three are repeatable and take comma-separated lists. Steps that are not
selected do not run: a selected step reads their output folders as they are, which must
exist from an earlier run.

Settings come from the environment under each step's prefix, as for one step ('wurzel env'
lists them), with the pipeline's settings as defaults that the environment overrides;
secrets the pipeline references must be set in the environment or an --env-file. They
are checked for every step before any step runs. Every step gets the same WURZEL_RUN_ID.

A failing step is tried again as often as its retries in the pipeline allow, after 1s,
2s, 4s, ...; its timeout bounds each attempt. When it fails for good, the steps that depend
on it are skipped, the others still run, and the failing step is named in the last line.
Output folders are written atomically: a failed, interrupted or killed run leaves no
half-written folder, and running it again finishes the work. On a terminal a live display
shows every step; else plain log lines (--log-format text) or JSON lines (--log-format
json). A table of every step ends the run. Custom steps' output goes to the log, each line
prefixed with [STEP].

ONE STEP

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

Python Wurzel's flags are accepted: -e/--executor (ignored: wurzel has one executor),
--encapsulate-env (the default), --no-encapsulate-env (read unprefixed names, as Python
Wurzel did) and -m/--middlewares (accepted with a warning: middlewares are not supported).

Exit status: 0 on success, 1 when a step failed, 2 for invalid flags, pipeline, inputs or
settings, 130 when interrupted (SIGINT or SIGTERM).`,
		Example: `  # Run ./pipeline.yaml here; a second run skips the steps whose inputs did not change
  wurzel run

  # Another pipeline file, two steps at a time, settings from a .env file
  wurzel run -p examples/pipelinedemo/pipeline.yaml --jobs 2 --env-file .env

  # Re-run the splitter and everything after it, even if nothing changed
  wurzel run --from splitter --force

  # Only the source step, for machines
  wurzel run --only source --log-format json

  # A source step: settings from the environment, output into data/source
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
	f.StringVar(&o.dataDir, flagDataDir, local.DefaultDataDir, "whole pipeline: folder of the steps' output folders, relative to the pipeline file's folder")
	f.IntVarP(&o.jobs, flagJobs, "j", 0, "whole pipeline: how many steps run at once (default: the number of CPUs)")
	f.StringArrayVar(&o.force, flagForce, nil, "whole pipeline: re-run every selected step even if cached; --force STEP re-runs just STEP (repeatable)")
	f.Lookup(flagForce).NoOptDefVal = forceAll
	f.StringSliceVar(&o.only, flagOnly, nil, "whole pipeline: run only these steps (repeatable, comma-separated)")
	f.StringSliceVar(&o.from, flagFrom, nil, "whole pipeline: run these steps and every step downstream of them")
	f.StringSliceVar(&o.until, flagUntil, nil, "whole pipeline: run these steps and every step upstream of them")
	f.StringVar(&o.logFormat, flagLogFormat, logAuto, "whole pipeline: auto (a live display on a terminal, else text), text or json")
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
	if slices.Contains(o.force, forceAll) && len(args) > 0 && dash < 0 {
		// pflag reads "--force STEP" as --force and an argument: the arguments are the
		// steps to force (the one-step forms have nothing to force).
		o.force = slices.DeleteFunc(o.force, func(s string) bool { return s == forceAll })
		o.force = append(o.force, args...)
		args = nil
	}
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
		return o.checkPipelineFlags(c) // a whole pipeline
	}
	if c.Flags().Changed(flagPipeline) {
		return invalidf("-p/--pipeline runs a whole pipeline; it cannot be combined with a step")
	}
	for _, name := range pipelineFlags {
		if c.Flags().Changed(name) {
			return invalidf("--%s is for running a whole pipeline; it cannot be combined with a step", name)
		}
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

// pipelineFlags are the flags of the whole-pipeline form only; stepFlags those of the
// one-step forms only.
var (
	pipelineFlags = []string{flagDataDir, flagJobs, flagForce, flagOnly, flagFrom, flagUntil, flagLogFormat}
	stepFlags     = []string{flagOutput, flagInputs, flagEnvPrefix, flagDefault, flagStepName, flagAllowExtra,
		flagEncapsulateEnv, flagNoEncapsulateEnv, flagExecutor, flagMiddlewares}
)

// checkPipelineFlags rejects the one-step flags in the whole-pipeline form.
func (o *runOptions) checkPipelineFlags(c *cobra.Command) error {
	for _, name := range stepFlags {
		if c.Flags().Changed(name) {
			return invalidf("--%s is for running one step: give a STEPCLASS or -- COMMAND, or drop --%s to run the whole pipeline", name, name)
		}
	}
	return nil
}

// runPipeline runs the whole pipeline o.pipeline with the LocalBackend: the `wurzel run`
// form without a step class or a command.
func runPipeline(c *cobra.Command, o *runOptions) error {
	if err := bindEnv(c, flagDataDir, flagJobs, flagLogFormat); err != nil {
		return err
	}
	switch o.logFormat {
	case logAuto, logText, logJSON:
	default:
		return invalidf("--%s %q: want auto, text or json", flagLogFormat, o.logFormat)
	}
	if o.jobs < 0 {
		return invalidf("--%s %d: want a number of steps, 1 or more", flagJobs, o.jobs)
	}
	err := o.runPipeline(c)
	if err != nil && o.logFormat == logJSON {
		// Machines read one JSON object per line: the error is the last one.
		code := exitCode(c.Context(), err)
		line, _ := json.Marshal(struct {
			Time     string `json:"time"`
			Event    string `json:"event"`
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}{time.Now().UTC().Format(time.RFC3339Nano), "error", err.Error(), code})
		fmt.Fprintln(c.ErrOrStderr(), string(line))
		return silentError{code}
	}
	return err
}

func (o *runOptions) runPipeline(c *cobra.Command) error {
	stderr := c.ErrOrStderr()
	environ, err := readEnviron(o.envFiles)
	if err != nil {
		return err
	}
	p, _, err := loadPipeline(o.pipeline, stderr)
	if err != nil {
		return err
	}
	opts := local.Options{
		DataDir: o.dataDir, Jobs: o.jobs, Only: o.only, From: o.from, Until: o.until,
		Environ: environ, Reporter: o.reporter(stderr),
	}
	for _, f := range o.force {
		if f == forceAll {
			opts.Force = true
		} else {
			opts.ForceSteps = append(opts.ForceSteps, f)
		}
	}
	// Steps run next to the pipeline file, as dvc repro runs stages next to dvc.yaml.
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.Chdir(p.Dir); err != nil {
		return fmt.Errorf("changing into the pipeline's folder: %w", err)
	}
	defer os.Chdir(wd) //nolint:errcheck // back to where tests started
	_, err = local.Run(c.Context(), p, opts)
	return err
}

// reporter picks the display: live on a terminal, else plain lines, or JSON.
func (o *runOptions) reporter(w io.Writer) local.Reporter {
	switch o.logFormat {
	case logJSON:
		return local.NewJSONReporter(w)
	case logText:
		return local.NewTextReporter(w)
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return local.NewTextReporter(w)
	}
	fd := int(f.Fd())
	return local.NewTerminalReporter(w, local.TerminalOptions{
		Size:  func() (int, int) { w, h, _ := term.GetSize(fd); return w, h },
		Color: os.Getenv("NO_COLOR") == "",
	})
}
