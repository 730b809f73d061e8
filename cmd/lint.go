package cmd

import (
	"errors"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/lint"
	"github.com/wurzel-dev/wurzel/templates"
)

func init() {
	subcommands = append(subcommands, newLintCmd)
	inputErrorChecks = append(inputErrorChecks, func(err error) bool {
		var be *lint.BackendError
		return errors.As(err, &be)
	})
}

type lintOptions struct {
	valuesOptions
	pipeline string
	backends []string
	format   string
}

func newLintCmd() *cobra.Command {
	o := &lintOptions{}
	c := &cobra.Command{
		Use:   "lint",
		Short: "Check the pipeline, values and rendered files offline, reporting every problem",
		Long: `Check the pipeline and its values, render every selected backend in memory and check each
file offline, with the schemas built into wurzel: Argo Workflow and CronWorkflow, Kubernetes
CronJob, ConfigMap and PersistentVolumeClaim, GitHub workflows, GitLab CI and dvc.yaml.
Airflow DAGs are checked for closed strings and balanced brackets only (python3 -m
py_compile is the full check).

wurzel lint also checks that:
  * values files hold only known keys (with the nearest known key as a hint);
  * secrets are references: a literal that looks like a secret (an API key, a private key,
    a random-looking value under a name like API_KEY or password) is an error, in the
    pipeline, the values and the rendered files; its value is never printed;
  * templates render (no template errors, no <no value>) and names are legal on each target;
  * jobs, tasks and templates that rendered files refer to exist.

Every problem is reported at once, with its file, line, key path and severity (error,
warning, info); --format json gives the same as JSON. Nothing is written.

Exit status: 0 when there is no error (warnings and notes do not fail), 1 when there is
one, 2 for invalid flags or an unknown backend.`,
		Example: `  # Check the backends of spec.backend with your values
  wurzel lint -f values.yaml

  # Every backend, with your organisation's templates, as JSON for a tool
  wurzel lint -f values.yaml --backend all --templates-dir ./our-templates --format json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := bindEnv(c, flagBackend, flagTemplatesDir); err != nil {
				return err
			}
			return o.run(c)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.pipeline, flagPipeline, "p", "pipeline.yaml", "pipeline file")
	f.StringSliceVarP(&o.backends, flagBackend, "b", nil, "backends to check, comma-separated, or all (default: the pipeline's spec.backend)")
	f.StringVar(&o.format, "format", "text", "text or json")
	o.addFlags(f)
	_ = c.RegisterFlagCompletionFunc(flagBackend, completeBackends)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = c.MarkFlagFilename(flagPipeline, "yaml", "yml")
	_ = c.MarkFlagFilename(flagValues, "yaml", "yml")
	_ = c.MarkFlagDirname(flagTemplatesDir)
	return c
}

func (o *lintOptions) run(c *cobra.Command) error {
	if o.format != "text" && o.format != "json" {
		return invalidf("unknown format %q: want text or json", o.format)
	}
	if f, err := os.Open(o.pipeline); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return invalidf("reading pipeline: %v (give the pipeline with -p FILE)", err)
		}
	} else {
		f.Close()
	}
	b := Build()
	report, err := lint.Run(c.Context(), lint.Config{
		Pipeline: o.pipeline, ValueFiles: o.files, Sets: o.sets, TemplateDirs: o.templateDirs,
		Backends: o.backends, PipelineName: o.pipelineName,
		Version: b.Version, Image: defaultImage(b.Version), Templates: templates.FS,
	})
	if err != nil {
		return err
	}
	if o.format == "json" {
		err = report.WriteJSON(c.OutOrStdout())
	} else {
		err = report.WriteText(c.OutOrStdout())
	}
	if err != nil {
		return err
	}
	if report.Failed() {
		return silentError{code: exitFailure}
	}
	return nil
}
