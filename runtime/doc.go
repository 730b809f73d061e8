// Package runtime runs one step, as `wurzel run` does: RunStep runs a built-in step type,
// RunCommand a custom step's executable.
//
// Both build the step's settings from the environment (package settings), read its input
// folders and write its output folder atomically: the output is built in a temp folder next
// to OUT and moved into place only when the step succeeded, so a failed, interrupted or
// killed step leaves the previous OUT (or none), never a partial one.
//
// RunStep reads every file of every input folder (folders in the order given, files sorted
// by name, dot files skipped), calls the step once per file (once with no data for a source
// step) and writes one file per call (sorted by the contract's codec), named by Python Wurzel's history
// rule: a source ManualMarkdownStep writes ManualMarkdown.json, a SimpleSplitterStep reading
// it writes ManualMarkdown-SimpleSplitter.json.
//
// RunCommand runs an executable with the custom step contract: WURZEL_OUTPUT_DIR (the empty
// temp folder to fill), WURZEL_INPUT_DIRS (absolute input folders joined by ':'),
// WURZEL_RUN_ID, WURZEL_STEP_NAME and the step's defaults exported under its prefix unless
// the environment already sets them. Exit status 0 puts the folder in place; anything else
// fails the step.
package runtime
