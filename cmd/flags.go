package cmd

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
	"github.com/wurzel-dev/wurzel/values"
)

// Flag names shared by several commands.
const (
	flagPipeline     = "pipeline"
	flagValues       = "values"
	flagBackend      = "backend"
	flagOutput       = "output"
	flagTemplatesDir = "templates-dir"
	flagPipelineName = "pipeline-name"
)

func init() {
	inputErrorChecks = append(inputErrorChecks, pipeline.IsInvalid, values.IsInvalid, engine.IsInvalid)
}

// setFlag is one of --set, --set-string, --set-file and --set-json. They share one list so
// that their command-line order is kept across flags.
type setFlag struct {
	kind values.SetKind
	list *[]engine.SetExpr
}

func (f setFlag) String() string { return "" }
func (f setFlag) Type() string   { return "path=value" }
func (f setFlag) Set(s string) error {
	*f.list = append(*f.list, engine.SetExpr{Kind: f.kind, Expr: s})
	return nil
}

// valuesOptions are the flags that build values: -f and the --set family.
type valuesOptions struct {
	files        []string
	sets         []engine.SetExpr
	templateDirs []string
	pipelineName string
}

func (o *valuesOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&o.files, flagValues, "f", nil, "values file, merged over the packs' defaults (repeatable; later files win)")
	fs.Var(setFlag{values.SetTyped, &o.sets}, "set", "set a value: path=value; true/false/null, integers and {a,b} lists are typed (repeatable, applied in order after -f)")
	fs.Var(setFlag{values.SetString, &o.sets}, "set-string", "set a value as text: path=value (repeatable)")
	fs.Var(setFlag{values.SetFile, &o.sets}, "set-file", "set a value to a file's content: path=FILE (repeatable)")
	fs.Var(setFlag{values.SetJSON, &o.sets}, "set-json", "set a value from JSON: path=JSON (repeatable)")
	fs.StringArrayVar(&o.templateDirs, flagTemplatesDir, nil, "directory whose <backend>/<file> override the embedded templates, or whose <name>/pack.yaml add a backend (repeatable; later wins)")
	fs.StringVar(&o.pipelineName, flagPipelineName, "", "entry of Python Wurzel values files (dvc.<name>, workflows.<name>) to use; default: the pipeline's metadata.name")
}

// library loads the embedded packs and the --templates-dir overrides.
func (o *valuesOptions) library() (*engine.Library, error) {
	var layers []engine.Layer
	for _, d := range o.templateDirs {
		l, err := engine.DirLayer(d)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	return engine.Load(templates.FS, layers...)
}

// loadPipeline loads and validates the pipeline and prints its warnings.
func loadPipeline(path string, stderr io.Writer) (*pipeline.Pipeline, []byte, error) {
	p, err := pipeline.LoadFile(path)
	if err != nil {
		if os.IsNotExist(err) || strings.Contains(err.Error(), "no such file") {
			return nil, nil, invalidf("%v (give the pipeline with -p FILE)", err)
		}
		return nil, nil, err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading pipeline: %w", err)
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(stderr, "wurzel: warning: %s\n", w)
	}
	return p, src, nil
}

// bindEnv lets WURZEL_<FLAG> variables (dashes as underscores) give defaults to the flags
// the user did not set. viper configures the command line only, never values files.
func bindEnv(c *cobra.Command, names ...string) error {
	v := viper.New()
	v.SetEnvPrefix("WURZEL")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	for _, n := range names {
		f := c.Flags().Lookup(n)
		if f == nil || f.Changed {
			continue
		}
		if err := v.BindEnv(n); err != nil {
			return err
		}
		if !v.IsSet(n) {
			continue
		}
		for _, item := range splitEnvList(f, v.GetString(n)) {
			if err := f.Value.Set(item); err != nil {
				return invalidf("WURZEL_%s: %v", strings.ToUpper(strings.ReplaceAll(n, "-", "_")), err)
			}
		}
	}
	return nil
}

// splitEnvList splits a variable for array flags (comma-separated); other flags take it whole.
func splitEnvList(f *pflag.Flag, s string) []string {
	if strings.HasSuffix(f.Value.Type(), "Array") {
		return strings.Split(s, ",")
	}
	return []string{s}
}
