package cmd

import (
	"errors"
	"os"
	"path"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/semdiff"
)

func init() {
	subcommands = append(subcommands, newDiffCmd)
	inputErrorChecks = append(inputErrorChecks, func(err error) bool {
		var ge *semdiff.GitError
		return errors.As(err, &ge)
	})
}

type diffOptions struct {
	renderOptions
	rev    string
	format string
	color  string
}

func newDiffCmd() *cobra.Command {
	o := &diffOptions{}
	c := &cobra.Command{
		Use:   "diff",
		Short: "Show what a fresh render changes, field by field",
		Long: `Render the pipeline in memory and compare it with the files under -o, or with the files
committed under -o at a git revision (--rev). YAML files are compared by meaning: key order,
quoting, comments and layout do not count, and each change names its path:

  ~ spec.templates[2].container.image: a → b
  + spec.templates[0].container.env[1]: …
  - metadata.labels.team: data

Other files (the DVC env file, Airflow DAGs) get a line diff. A file whose only change is the
generated-file header (new inputs, same output) is reported as such. Values that look like
secrets are masked. Nothing is written.

--format markdown writes a pull-request comment: a summary and one collapsible section per
file. Colours are used on a terminal unless NO_COLOR is set (--color always|never to choose).

Exit status: 0 when the render matches, 1 when it differs, 2 for invalid input (pipeline,
values, templates, flags, an unknown revision).`,
		Example: `  # What does my change to values.yaml do to the files in deploy/?
  wurzel diff -f values.yaml -o deploy/

  # In a pull request: the change against the target branch, as a comment
  wurzel diff -f values.yaml -o deploy/ --rev origin/main --format markdown > diff.md`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := bindEnv(c, flagBackend, flagTemplatesDir, flagOutput); err != nil {
				return err
			}
			return o.run(c)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.pipeline, flagPipeline, "p", "pipeline.yaml", "pipeline file")
	f.StringSliceVarP(&o.backends, flagBackend, "b", nil, "backends to render, comma-separated, or all (default: the pipeline's spec.backend)")
	f.StringVarP(&o.output, flagOutput, "o", ".", "directory holding the rendered files to compare with")
	f.StringVar(&o.rev, "rev", "", "compare with the files under -o committed at this git revision instead of the files on disk")
	f.StringVar(&o.format, "format", "text", "text, markdown (a pull-request comment) or json")
	f.StringVar(&o.color, "color", "auto", "auto (on a terminal, unless NO_COLOR is set), always or never")
	o.addFlags(f)
	_ = c.RegisterFlagCompletionFunc(flagBackend, completeBackends)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "markdown", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.MarkFlagFilename(flagPipeline, "yaml", "yml")
	_ = c.MarkFlagFilename(flagValues, "yaml", "yml")
	_ = c.MarkFlagDirname(flagTemplatesDir)
	_ = c.MarkFlagDirname(flagOutput)
	return c
}

func (o *diffOptions) run(c *cobra.Command) error {
	switch o.format {
	case "text", "markdown", "json":
	default:
		return invalidf("unknown format %q: want text, markdown or json", o.format)
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return invalidf("--color %q: want auto, always or never", o.color)
	}
	if o.output == "-" {
		return invalidf("wurzel diff compares with the files under -o DIR; it cannot compare with stdout")
	}
	job, err := o.job(c)
	if err != nil {
		return err
	}
	res, err := job.Run(c.Context())
	if err != nil {
		return err
	}
	var drift []engine.Drift
	against := dirLabel(o.output)
	if o.rev != "" {
		against = o.rev + ":" + against
		drift, err = semdiff.CompareGit(c.Context(), o.rev, o.output, res.Files)
	} else {
		from := ""
		if len(res.Files) > 0 {
			h, _ := semdiff.ParseHeader(res.Files[0].Body)
			from = h.Pipeline
		}
		drift, err = engine.Compare(o.output, res.Files, from)
	}
	if err != nil {
		return err
	}
	report := &semdiff.Report{Against: against, Rendered: len(res.Files), Files: semdiff.Files(drift, res.Files)}
	w := c.OutOrStdout()
	switch o.format {
	case "markdown":
		err = semdiff.WriteMarkdown(w, report, semdiff.MarkdownOptions{})
	case "json":
		err = semdiff.WriteJSON(w, report)
	default:
		err = semdiff.WriteText(w, report, semdiff.TextOptions{Color: o.useColor(w)})
	}
	if err != nil {
		return err
	}
	if !report.Equal() {
		return silentError{code: exitFailure}
	}
	return nil
}

// useColor decides --color auto: a terminal, NO_COLOR unset, TERM not dumb.
func (o *diffOptions) useColor(w any) bool {
	switch o.color {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

// dirLabel shows an output directory as a folder: deploy/, ./.
func dirLabel(dir string) string {
	d := path.Clean(strings.ReplaceAll(dir, "\\", "/"))
	if d == "." {
		return "./"
	}
	return d + "/"
}
