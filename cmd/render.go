package cmd

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/spf13/cobra"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/semdiff"
)

func init() { subcommands = append(subcommands, newRenderCmd) }

type renderOptions struct {
	valuesOptions
	pipeline string
	backends []string
	output   string
	check    bool
	diff     bool
	strict   bool
}

func newRenderCmd() *cobra.Command {
	o := &renderOptions{}
	c := &cobra.Command{
		Use:   "render",
		Short: "Render the pipeline into the native configuration of one or more backends",
		Long: `Render the pipeline into the native configuration of one or more backends.

Values are layered like Helm's, lowest first: each backend pack's values.yaml, the
pipeline's spec.backendConfig, each -f file in order, then each --set, --set-string,
--set-file and --set-json in order. Maps merge, scalars and lists are replaced, and null
deletes a key. Values files written for Python Wurzel (dvc.<name>, workflows.<name>) work
unchanged.

Every file is rendered and checked in memory first; files are written only when all
backends rendered, so a failing render changes nothing.

Exit status: 0 on success, 2 for invalid input (pipeline, values, templates, flags), 1 for
I/O failures.`,
		Example: `  # Render for the backends listed in spec.backend, into the current directory
  wurzel render

  # Argo and GitHub Actions with two values files, into deploy/
  wurzel render -f values.yaml -f prod.yaml --backend argo,github-actions -o deploy/

  # Print every file to stdout instead of writing
  wurzel render --backend all -o -

  # Change one value, and use your organisation's templates over the embedded ones
  wurzel render --set argo.namespace=prod --templates-dir ./our-templates

  # In CI: fail when the committed files differ from a fresh render, and show how
  wurzel render -f values.yaml -o deploy/ --check --diff`,
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
	f.StringVarP(&o.output, flagOutput, "o", ".", "output directory, or - for stdout")
	f.BoolVar(&o.check, "check", false, "write nothing; exit 1 if the files under -o differ from a fresh render (stale, edited by hand, missing or extra)")
	f.BoolVar(&o.diff, "diff", false, "with --check, print a unified diff of each difference")
	f.BoolVar(&o.strict, "strict", false, "fail when a chosen backend cannot express a feature the pipeline uses (instead of reporting it)")
	o.addFlags(f)
	_ = c.RegisterFlagCompletionFunc(flagBackend, completeBackends)
	_ = c.MarkFlagFilename(flagPipeline, "yaml", "yml")
	_ = c.MarkFlagFilename(flagValues, "yaml", "yml")
	_ = c.MarkFlagDirname(flagTemplatesDir)
	return c
}

func (o *renderOptions) job(c *cobra.Command) (*engine.Job, error) {
	tuneRenderGC(0)
	p, src, err := loadPipeline(o.pipeline, c.ErrOrStderr())
	if err != nil {
		return nil, err
	}
	tuneRenderGC(len(p.Spec.Steps))
	lib, err := o.library()
	if err != nil {
		return nil, err
	}
	backends, err := lib.Select(o.backends, p.Spec.Backends)
	if err != nil {
		return nil, invalid(err)
	}
	b := Build()
	return &engine.Job{
		Pipeline: p, Source: src, Library: lib, Backends: backends,
		ValueFiles: o.files, Sets: o.sets, PipelineName: o.pipelineName,
		Version: b.Version, Image: defaultImage(b.Version),
	}, nil
}

func (o *renderOptions) run(c *cobra.Command) error {
	job, err := o.job(c)
	if err != nil {
		return err
	}
	res, err := job.Run(c.Context())
	if err != nil {
		return err
	}
	if err := o.report(c, res.Report); err != nil {
		return err
	}
	if o.check {
		if o.output == "-" {
			return invalidf("--check compares with the files under -o DIR; it cannot check stdout")
		}
		return o.runCheck(c, job, res.Files)
	}
	if o.diff {
		return invalidf("--diff needs --check")
	}
	if o.output == "-" {
		w := c.OutOrStdout()
		for i, f := range res.Files {
			if i > 0 {
				fmt.Fprintln(w, "---")
			}
			fmt.Fprintf(w, "# Source: %s\n", f.Path)
			if _, err := w.Write(f.Body); err != nil {
				return err
			}
		}
		return nil
	}
	written, err := engine.Write(o.output, res.Files)
	for _, p := range written {
		fmt.Fprintf(c.ErrOrStderr(), "wrote %s\n", path.Join(o.output, p))
	}
	return err
}

// defaultImage is the container image of this version of wurzel: the release's tag, or
// latest for development builds and pseudo-versions (go install …@main), whose tags are
// never published. build/internal/source.ImageTag applies the same rule.
func defaultImage(version string) string {
	tag := version
	if !semver.IsValid(tag) || semver.Canonical(tag) != tag || module.IsPseudoVersion(tag) {
		tag = "latest"
	}
	return "ghcr.io/wurzel-dev/wurzel:" + tag
}

func completeBackends(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	lib, err := (&valuesOptions{}).library()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	for _, p := range lib.Packs {
		out = append(out, p.Name+"\t"+p.Meta.Description)
	}
	return append(out, "all\tevery backend"), cobra.ShellCompDirectiveNoFileComp
}

// runCheck compares the render with the files under -o and reports each difference.
func (o *renderOptions) runCheck(c *cobra.Command, job *engine.Job, files []engine.File) error {
	drift, err := engine.Compare(o.output, files, job.Pipeline.File)
	if err != nil {
		return err
	}
	stderr := c.ErrOrStderr()
	if len(drift) == 0 {
		fmt.Fprintf(stderr, "wurzel: %d files under %s match a fresh render\n", len(files), o.output)
		return nil
	}
	fmt.Fprintf(stderr, "wurzel: %d of the rendered files under %s differ from a fresh render of %s:\n", len(drift), o.output, job.Pipeline.File)
	hints := map[engine.DriftKind]string{
		engine.Stale:   "its inputs changed: run wurzel render",
		engine.Edited:  "edited by hand: change the pipeline, values or templates instead, then render",
		engine.Missing: "not written yet: run wurzel render",
		engine.Extra:   "no longer rendered: delete it",
	}
	for _, d := range drift {
		hint := hints[d.Kind]
		if d.Kind == engine.Stale && bytes.Equal(semdiff.StripHeader(d.Got), semdiff.StripHeader(d.Want)) {
			hint = "only its header changed (new inputs, same content): run wurzel render"
		}
		fmt.Fprintf(stderr, "  %-8s %s (%s)\n", d.Kind, path.Join(o.output, d.Path), hint)
	}
	if o.diff {
		for _, d := range drift {
			text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
				A: difflib.SplitLines(string(d.Got)), B: difflib.SplitLines(string(d.Want)),
				FromFile: path.Join(o.output, d.Path) + " (on disk)", ToFile: path.Join(o.output, d.Path) + " (rendered)", Context: 3,
			})
			if err != nil {
				return err
			}
			fmt.Fprint(c.OutOrStdout(), text)
		}
	}
	return silentError{code: exitFailure}
}

// report prints what the chosen backends emulate or drop; with --strict a dropped feature
// is an error.
func (o *renderOptions) report(c *cobra.Command, findings []engine.Finding) error {
	var dropped []string
	for _, f := range findings {
		fmt.Fprintf(c.ErrOrStderr(), "wurzel: note: %s\n", f)
		if f.Support == engine.NoSupport {
			dropped = append(dropped, f.Backend+" "+f.Feature)
		}
	}
	if o.strict && len(dropped) > 0 {
		return invalidf("--strict: the chosen backends cannot express %s; choose other backends or drop --strict", strings.Join(dropped, ", "))
	}
	return nil
}
