package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

func init() { subcommands = append(subcommands, newStepsCmd, newInspectCmd) }

const flagGenEnv = "gen-env"

// stepJSON is one step type in `wurzel steps -o json` and `wurzel inspect -o json`.
type stepJSON struct {
	Name       string        `json:"name"`
	PythonPath string        `json:"pythonPath,omitempty"`
	Version    string        `json:"version,omitempty"`
	Doc        string        `json:"doc"`
	Input      *string       `json:"input"` // null for a source step
	Output     string        `json:"output"`
	EnvPrefix  string        `json:"envPrefix,omitempty"`
	Settings   []settingJSON `json:"settings,omitempty"`
}

// settingJSON is one setting in `wurzel inspect -o json`.
type settingJSON struct {
	Name     string   `json:"name"`
	Env      string   `json:"env"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Default  string   `json:"default"`
	Secret   bool     `json:"secret"`
	Doc      string   `json:"doc"`
	Enum     []string `json:"enum,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
}

func newStepsCmd() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "steps",
		Short: "List the built-in step types",
		Long: `List the built-in step types with the data they read and write.

A source step reads nothing (input "-"); documents are JSON arrays of {md, keywords, url,
metadata}; embeddings are CSV files with the columns text, vector, url, keywords,
embedding_input_text, metadata. 'wurzel inspect STEPCLASS' shows a step's settings.`,
		Example: `  # The step types, one per line
  wurzel steps

  # As JSON, for scripts
  wurzel steps -o json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			all := steps.All()
			switch output {
			case "text", "":
				tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tINPUT\tOUTPUT\tDESCRIPTION")
				for _, t := range all {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, contractName(t.Input), contractName(t.Output), firstLine(t.Doc))
				}
				return tw.Flush()
			case "json":
				out := make([]stepJSON, 0, len(all))
				for _, t := range all {
					out = append(out, describeStep(t, "", false))
				}
				return writeJSON(c.OutOrStdout(), out)
			default:
				return invalidf("unknown output format %q: want text or json", output)
			}
		},
	}
	c.Flags().StringVarP(&output, flagOutput, "o", "text", "output format: text or json")
	return c
}

func newInspectCmd() *cobra.Command {
	var (
		output    string
		genEnv    bool
		envPrefix string
	)
	c := &cobra.Command{
		Use:   "inspect STEPCLASS",
		Short: "Show a step type's settings: variables, types, defaults",
		Long: `Show a built-in step type: what it reads and writes, and each setting with its
environment variable, type, default and whether it is required (required settings first).

STEPCLASS is a class name or a Python Wurzel path. --gen-env prints a .env template
instead: required variables to fill in, then the optional ones commented out with their
defaults. For all steps of a pipeline, use 'wurzel env'.`,
		Example: `  # The settings of the splitter
  wurzel inspect SimpleSplitterStep

  # As JSON, with a Python Wurzel path
  wurzel inspect wurzel.steps.splitter:SimpleSplitterStep -o json

  # Start a .env file for a step that runs under its own prefix
  wurzel inspect SimpleSplitterStep --gen-env --env-prefix SMALL > small.env`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeStepClasses,
		RunE: func(c *cobra.Command, args []string) error {
			t, err := runtime.Resolve(args[0])
			if err != nil {
				return err
			}
			prefix := envPrefix
			if prefix == "" {
				prefix = strings.ToUpper(t.Name)
			}
			w := c.OutOrStdout()
			if genEnv {
				if output != "text" && output != "" {
					return invalidf("--%s writes a .env file; it cannot be combined with -o %s", flagGenEnv, output)
				}
				var vars []envVar
				for _, l := range settings.Leaves(t.Settings) {
					vars = append(vars, leafVar(l, prefix, "", nil))
				}
				return writeEnvTemplate(w, fmt.Sprintf("Env for %s (%s)", t.Name, pythonPath(t)), vars)
			}
			d := describeStep(t, prefix, true)
			switch output {
			case "text", "":
				return writeInspect(w, d)
			case "json":
				return writeJSON(w, d)
			default:
				return invalidf("unknown output format %q: want text or json", output)
			}
		},
	}
	f := c.Flags()
	f.StringVarP(&output, flagOutput, "o", "text", "output format: text or json")
	f.BoolVar(&genEnv, flagGenEnv, false, "print a .env template (required variables first)")
	f.StringVar(&envPrefix, flagEnvPrefix, "", "prefix to show the variables under (default: the upper-cased class name)")
	return c
}

// describeStep builds the JSON view of a step type; with settings, required ones first.
func describeStep(t *steps.Type, prefix string, withSettings bool) stepJSON {
	d := stepJSON{Name: t.Name, PythonPath: pythonPath(t), Version: t.Version, Doc: t.Doc, Output: string(t.Output)}
	if !t.IsSource() {
		in := string(t.Input)
		d.Input = &in
	}
	if !withSettings {
		return d
	}
	d.EnvPrefix = prefix
	d.Settings = []settingJSON{}
	for _, l := range settings.RequiredFirst(settings.Leaves(t.Settings)) {
		f := l.Field
		d.Settings = append(d.Settings, settingJSON{
			Name: l.Path, Env: l.Var(prefix), Type: f.TypeName(), Required: f.Required,
			Default: settings.DisplayDefault(f), Secret: f.IsSecret(), Doc: f.Doc,
			Enum: f.Enum, Min: f.Min, Max: f.Max,
		})
	}
	return d
}

func writeInspect(w io.Writer, d stepJSON) error {
	in := "- (a source step)"
	if d.Input != nil {
		in = *d.Input
	}
	fmt.Fprintf(w, "%s\n", d.Name)
	if d.Doc != "" {
		fmt.Fprintf(w, "  %s\n", d.Doc)
	}
	fmt.Fprintf(w, "\nPython path: %s\nInput:       %s\nOutput:      %s\nEnv prefix:  %s\n", orDash(d.PythonPath), in, d.Output, d.EnvPrefix)
	if len(d.Settings) == 0 {
		fmt.Fprintln(w, "\nNo settings.")
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tTYPE\tREQUIRED\tDEFAULT\tDESCRIPTION")
	for _, s := range d.Settings {
		def := s.Default
		if s.Required {
			def = "-"
		} else if def == "" {
			def = `""`
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Env, s.Type, yesNo(s.Required), def, withConstraints(s.Doc, s.Enum, s.Min, s.Max))
	}
	return tw.Flush()
}

// envVar is one line of a .env template.
type envVar struct {
	Name     string // the variable
	Comment  string // what it is: "FOLDER_PATH (path): folder of markdown files"
	Value    string // the default to show
	Required bool
}

// leafVar describes one setting for a .env template. value is the pipeline's value for it
// (nil: none); where names the step ("" for one step).
func leafVar(l settings.Leaf, prefix, where string, value *string) envVar {
	f := l.Field
	v := envVar{Name: l.Var(prefix), Required: f.Required && value == nil}
	if value != nil {
		v.Value = *value
	} else if !f.IsSecret() && !f.Required {
		v.Value = f.Default
	}
	typ := f.TypeName()
	if c := constraints(f.Enum, f.Min, f.Max); c != "" {
		typ += ", " + c
	}
	v.Comment = l.Path + " (" + typ + ")"
	if f.Doc != "" {
		v.Comment += ": " + f.Doc
	}
	if where != "" {
		v.Comment = where + " " + v.Comment
	}
	return v
}

// writeEnvTemplate writes a .env template: the required variables to fill in, then the
// optional ones commented out with their defaults, each after a comment saying what it is.
func writeEnvTemplate(w io.Writer, title string, vars []envVar) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", title)
	b.WriteString("# Required\n")
	for _, v := range vars {
		if v.Required {
			fmt.Fprintf(&b, "# %s\n%s\n", v.Comment, settings.FormatEnvLine(v.Name, v.Value))
		}
	}
	b.WriteString("\n# Optional (defaults shown; uncomment to change)\n")
	for _, v := range vars {
		if !v.Required {
			fmt.Fprintf(&b, "# %s\n# %s\n", v.Comment, strings.ReplaceAll(settings.FormatEnvLine(v.Name, v.Value), "\n", "\n# "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func constraints(enum []string, lo, hi *float64) string {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	var parts []string
	if len(enum) > 0 {
		parts = append(parts, "one of "+strings.Join(enum, ", "))
	}
	switch {
	case lo != nil && hi != nil:
		parts = append(parts, num(*lo)+".."+num(*hi))
	case lo != nil:
		parts = append(parts, ">= "+num(*lo))
	case hi != nil:
		parts = append(parts, "<= "+num(*hi))
	}
	return strings.Join(parts, ", ")
}

func withConstraints(doc string, enum []string, lo, hi *float64) string {
	c := constraints(enum, lo, hi)
	switch {
	case c == "":
		return orDash(doc)
	case doc == "":
		return "(" + c + ")"
	}
	return doc + " (" + c + ")"
}

// pythonPath is the Python Wurzel path of a step type: wurzel.steps.splitter:SimpleSplitterStep.
func pythonPath(t *steps.Type) string {
	if t.Module == "" {
		return ""
	}
	return t.Module + ":" + t.Name
}

func contractName(c steps.Contract) string {
	if c == steps.None {
		return "-"
	}
	return string(c)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
