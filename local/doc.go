// Package local is the LocalBackend: Run executes a whole pipeline on this machine, steps in
// parallel where the DAG allows, each step exactly as `wurzel run STEP` runs it, and skips
// the steps whose inputs, settings and code are unchanged since their last successful run.
//
// # Paths
//
// Relative paths (Options.DataDir, settings such as FOLDER_PATH, custom commands and the
// files they name) are resolved against the process's working directory; `wurzel run`
// changes into the pipeline file's directory first, as `dvc repro` runs stages next to
// dvc.yaml. Step S writes <DataDir>/S and reads the folders of the steps it depends on,
// the same folders the rendered DVC pipeline uses.
//
// # Scheduling
//
// At most Options.Jobs steps run at once; a step starts as soon as every step it depends on
// is done or cached. When a step fails (after its retries), the steps that depend on it,
// directly or not, are skipped; every other step still runs. Each attempt of a step is
// bounded by its timeout; a failed attempt is retried after 1s, 2s, 4s, ... (at most
// 5 min) up to the step's retries, unless the failure is invalid input, which would fail
// again. Output folders are written atomically by package runtime: a failed, interrupted
// or killed step leaves its previous output (or none), never a partial one.
//
// # Selection
//
// Options.Only runs exactly the named steps. Options.From runs the named steps and every
// step that depends on them; Options.Until the named steps and every step they depend on;
// given together, the steps that are both. Only cannot be combined with From or Until. A
// selected step reads the outputs of the steps it depends on as they are on disk: when
// such a step is not selected, its output folder must exist (from an earlier run), or Run
// stops before running anything and names it.
//
// # Cache
//
// A step's fingerprint has four parts, each a SHA-256:
//
//	code      the step type and its Version; for a custom step its command and the content
//	          of the files and folders its arguments name (pipeline.Step.Deps, folders, and
//	          the paths and globs in an inline script such as sh -c 'cat docs/*.md')
//	settings  the pipeline's settings of the step and every environment variable under its
//	          prefix (PREFIX and PREFIX__*); values are hashed, never stored
//	inputs    the content of the output folders of the steps it depends on
//	sources   the content of the files and folders its path settings name (FOLDER_PATH);
//	          for a custom step, setting values that name a file or folder
//
// A step is skipped ("cached") when its fingerprint equals the one recorded at its last
// successful run and its output folder still has the content recorded then. What a custom
// step reads without naming it (a path written inside its program) is not seen: name it in
// the command or a setting, or use Force. Content
// hashes cover file names, contents and executable bits; the data folder and version
// control folders (.git, .hg, .svn) are never hashed as sources. Options.Force re-runs every
// selected step, Options.ForceSteps the named ones.
//
// The records live in <DataDir>/.wurzel/state.json. Each finished step is appended to
// <DataDir>/.wurzel/journal.jsonl at once, so a run that is killed keeps what it finished;
// at the end the journal is folded into state.json, written atomically. A lock on
// <DataDir>/.wurzel/lock keeps two runs from using one data folder at the same time.
//
// # Run id and settings
//
// Every step of a run gets the same WURZEL_RUN_ID: the one in Options.RunID or the
// environment, else a new runtime.NewRunID. Settings come from Options.Environ under each
// step's EnvPrefix, with the pipeline's settings as defaults the environment overrides, as
// for `wurzel run STEP`. Before anything runs, Run checks the settings of every selected
// built-in step and that every secret a selected step references is set in the
// environment, and reports every problem at once.
//
// # Reporting
//
// Run sends Events to Options.Reporter as the run proceeds, one at a time; NewTextReporter
// writes plain log lines, NewJSONReporter JSON lines and NewTerminalReporter a live
// display; WriteSummary prints the table of a Result.
package local
