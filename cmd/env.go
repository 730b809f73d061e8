package cmd

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/settings"
)

func init() { subcommands = append(subcommands, newEnvCmd) }

type envOptions struct {
	pipeline   string
	genEnv     bool
	check      bool
	envFiles   []string
	output     string
	allowExtra bool
}

func newEnvCmd() *cobra.Command {
	o := &envOptions{}
	c := &cobra.Command{
		Use:   "env",
		Short: "List, template or check the settings of every step of a pipeline",
		Long: `List the environment variables that configure the steps of a pipeline, required ones
first: each variable with its step, type, whether it must be set, and its value from
pipeline.yaml or the step's default.

A setting is required when the step type requires it and pipeline.yaml gives no value, or
when pipeline.yaml takes it from a secret (secretRef): then the environment must set it
wherever the step runs without its orchestrator.

--gen-env writes a .env template instead (to stdout, or atomically to --output FILE): the
required variables to fill in, then the optional ones commented out with the values the
pipeline would use. It reads nothing from the environment, so it never copies a secret.

--check reads the environment (and --env-file files, which the environment wins over) the
way 'wurzel run' does, with the pipeline's settings as defaults, and lists every variable
that is missing, unknown or invalid. Custom steps are not checked: their settings are
theirs to read.

Exit status: 0 on success, 1 when --check finds a problem, 2 for an invalid pipeline or flags.`,
		Example: `  # Every setting of the pipeline in ./pipeline.yaml
  wurzel env

  # Start a .env file for local runs
  wurzel env --gen-env --output .env

  # Before running: is everything set, and set right?
  wurzel env --check --env-file .env

  # Another pipeline file
  wurzel env -p pipelines/nightly.yaml --check`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return o.run(c) },
	}
	f := c.Flags()
	f.StringVarP(&o.pipeline, flagPipeline, "p", "pipeline.yaml", "pipeline file")
	f.BoolVar(&o.genEnv, flagGenEnv, false, "write a .env template (required variables first)")
	f.BoolVar(&o.check, "check", false, "check the environment: exit 1 listing every missing, unknown or invalid variable")
	f.StringArrayVar(&o.envFiles, flagEnvFile, nil, "with --check: read variables from a .env file; the environment wins over it (repeatable)")
	f.StringVar(&o.output, flagOutput, "", "with --gen-env: write the template to this file (atomically) instead of stdout")
	f.BoolVar(&o.allowExtra, flagAllowExtra, false, "with --check: ignore unknown variables under a step's prefix")
	_ = c.MarkFlagFilename(flagPipeline, "yaml", "yml")
	_ = c.MarkFlagFilename(flagEnvFile)
	return c
}

func (o *envOptions) run(c *cobra.Command) error {
	switch {
	case o.genEnv && o.check:
		return invalidf("--%s and --check do different things; give one", flagGenEnv)
	case o.output != "" && !o.genEnv:
		return invalidf("--%s is for --%s", flagOutput, flagGenEnv)
	case len(o.envFiles) > 0 && !o.check:
		return invalidf("--%s is for --check", flagEnvFile)
	case o.allowExtra && !o.check:
		return invalidf("--%s is for --check", flagAllowExtra)
	}
	p, _, err := loadPipeline(o.pipeline, c.ErrOrStderr())
	if err != nil {
		return err
	}
	vars := pipelineVars(p)
	switch {
	case o.check:
		return o.runCheck(c, p)
	case o.genEnv:
		var buf bytes.Buffer
		title := fmt.Sprintf("Environment of pipeline %s (%s), written by wurzel env --gen-env", p.Metadata.Name, o.pipeline)
		tvars := make([]envVar, len(vars))
		for i, v := range vars {
			tvars[i] = v.envVar
		}
		if err := writeEnvTemplate(&buf, title, tvars); err != nil {
			return err
		}
		if o.output == "" || o.output == "-" {
			_, err := c.OutOrStdout().Write(buf.Bytes())
			return err
		}
		if err := atomicfile.WriteFile(o.output, buf.Bytes(), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(c.ErrOrStderr(), "wrote %s\n", o.output)
		return nil
	}
	return writeEnvTable(c.OutOrStdout(), vars)
}

// pipelineVar is an envVar with the columns of the table.
type pipelineVar struct {
	envVar
	step, typ, source, doc string
}

// pipelineVars lists the settings of every step: required ones first, each group in step
// order, then field order.
func pipelineVars(p *pipeline.Pipeline) []pipelineVar {
	var out []pipelineVar
	for _, s := range p.Spec.Steps {
		where := s.Name
		if s.Type != nil {
			where += " (" + s.Type.Name + ")"
		}
		if s.Type == nil {
			for _, k := range s.SettingNames() {
				v := pipelineVar{step: s.Name, typ: "string"}
				v.Name = s.EnvPrefix + "__" + k
				v.Comment = where + " " + k + " (custom step)"
				if ref, ok := s.Secrets[k]; ok {
					v.Required, v.source = true, secretSource(ref)
					v.Comment += ": from " + v.source + " on orchestrators"
				} else {
					v.Value, v.source = s.Settings[k], "pipeline"
				}
				v.doc = "-"
				out = append(out, v)
			}
			continue
		}
		for _, l := range settings.Leaves(s.Type.Settings) {
			var value *string
			source := "default"
			if val, ok := s.Settings[l.Path]; ok {
				value, source = &val, "pipeline"
			}
			f := l.Field
			v := pipelineVar{envVar: leafVar(l, s.EnvPrefix, where, value), step: s.Name, typ: f.TypeName(),
				doc: withConstraints(f.Doc, f.Enum, f.Min, f.Max)}
			if ref, ok := s.Secrets[l.Path]; ok {
				v.Required, v.Value, source = true, "", secretSource(ref)
				v.Comment += " (from " + source + " on orchestrators)"
			}
			if l.Field.IsSecret() && v.Value != "" {
				v.Value = "***"
			}
			if v.Required && source == "default" {
				source = "-"
			}
			v.source = source
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Required && !out[j].Required })
	return out
}

func secretSource(ref pipeline.SecretRef) string { return "secret " + ref.Name + "/" + ref.Key }

// writeEnvTable prints the variables as a table.
func writeEnvTable(w io.Writer, vars []pipelineVar) error {
	if len(vars) == 0 {
		_, err := fmt.Fprintln(w, "The pipeline's steps have no settings.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tSTEP\tTYPE\tREQUIRED\tVALUE\tFROM\tDESCRIPTION")
	for _, v := range vars {
		value := v.Value
		switch {
		case v.Required:
			value = "-"
		case value == "":
			value = `""`
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Name, v.step, v.typ, yesNo(v.Required),
			oneLine(value), v.source, v.doc)
	}
	return tw.Flush()
}

// runCheck reads the environment as `wurzel run` would for every built-in step.
func (o *envOptions) runCheck(c *cobra.Command, p *pipeline.Pipeline) error {
	environ, err := readEnviron(o.envFiles)
	if err != nil {
		return err
	}
	var lines []string
	checked := 0
	for _, s := range p.Spec.Steps {
		where := "step " + s.Name
		if s.Type != nil {
			where += " (" + s.Type.Name + ")"
		}
		fromSecret := map[string]bool{}
		for _, k := range s.SettingNames() {
			ref, ok := s.Secrets[k]
			if !ok {
				continue
			}
			name := s.EnvPrefix + "__" + k
			fromSecret["environment variable "+name] = true
			if !hasEnv(environ, name) {
				lines = append(lines, fmt.Sprintf("%s: environment variable %s: not set (the pipeline takes it from %s on orchestrators)", where, name, secretSource(ref)))
			}
		}
		if s.Type == nil {
			continue
		}
		checked++
		_, err := settings.FromEnv(environ, s.EnvPrefix, s.Type.Settings, settings.Options{
			Defaults:       s.Settings,
			DefaultsSource: fmt.Sprintf("%s setting", o.pipeline),
			AllowExtra:     o.allowExtra,
		})
		if err == nil {
			continue
		}
		se, ok := err.(*settings.Error)
		if !ok {
			return fmt.Errorf("%s: %w", where, err)
		}
		for _, pr := range se.Problems {
			if pr.Code == settings.CodeMissing && fromSecret[pr.Source] {
				continue // reported above, with its secret
			}
			lines = append(lines, where+": "+pr.String())
		}
	}
	if len(lines) == 0 {
		fmt.Fprintf(c.OutOrStdout(), "ok: the environment satisfies the %d built-in steps of %s\n", checked, o.pipeline)
		return nil
	}
	w := c.ErrOrStderr()
	fmt.Fprintf(w, "wurzel: the environment does not satisfy %s:\n", o.pipeline)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
	fmt.Fprintf(w, "hint: 'wurzel env --gen-env -p %s' writes a .env template\n", o.pipeline)
	return silentError{code: exitFailure}
}

func hasEnv(environ []string, name string) bool {
	for _, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); ok && k == name {
			return true
		}
	}
	return false
}

// oneLine shortens a value for a table cell.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
