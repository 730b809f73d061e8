package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/internal/secret"
	"github.com/wurzel-dev/wurzel/values"
)

func init() { subcommands = append(subcommands, newValuesCmd) }

func newValuesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "values",
		Short: "Inspect layered values",
	}
	c.AddCommand(newValuesExplainCmd())
	return c
}

type explainOptions struct {
	valuesOptions
	pipeline string
	output   string
	changed  bool
}

func newValuesExplainCmd() *cobra.Command {
	o := &explainOptions{}
	c := &cobra.Command{
		Use:   "explain [KEY]",
		Short: "Show each value's final setting and the layers that set it",
		Long: `Show the final value of each key (or of the keys under KEY) and where it came from: a
pack's values.yaml, the pipeline's spec.backendConfig, a -f file and line, or a --set flag;
with the values it overrode, lowest layer first. Values that look like secrets are masked.`,
		Example: `  # Where does the Argo namespace come from?
  wurzel values explain argo.namespace -f values.yaml -f prod.yaml

  # Everything your files and flags change, as JSON
  wurzel values explain --changed -f values.yaml --set argo.namespace=x -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := bindEnv(c, flagTemplatesDir); err != nil {
				return err
			}
			return o.run(c, args)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.pipeline, flagPipeline, "p", "pipeline.yaml", "pipeline file (its spec.backendConfig is a layer)")
	f.StringVarP(&o.output, "output", "o", "text", "text or json")
	f.BoolVar(&o.changed, "changed", false, "show only keys a layer above the pack defaults sets")
	o.addFlags(f)
	return c
}

// explained is one key's story.
type explained struct {
	Key     string  `json:"key"`
	Value   any     `json:"value,omitempty"`
	Deleted bool    `json:"deleted,omitempty"`
	SetBy   string  `json:"setBy"`
	History []layer `json:"overrides,omitempty"`
}

type layer struct {
	Source  string `json:"source"`
	Value   any    `json:"value,omitempty"`
	Deleted bool   `json:"deleted,omitempty"`
}

func (o *explainOptions) run(c *cobra.Command, args []string) error {
	ro := &renderOptions{valuesOptions: o.valuesOptions, pipeline: o.pipeline, backends: []string{"all"}}
	job, err := ro.job(c)
	if err != nil {
		return err
	}
	stack, merged, err := job.Values()
	if err != nil {
		return err
	}
	var prefix values.Path
	if len(args) == 1 {
		if prefix, err = values.ParsePath(args[0]); err != nil {
			return invalidf("key %q: %v", args[0], err)
		}
	}
	paths := leavesUnder(merged, prefix)
	if len(paths) == 0 && prefix != nil {
		paths = []values.Path{prefix} // deleted, or never set: say so
	}
	var out []explained
	for _, p := range paths {
		hist := stack.Explain(p)
		if len(hist) == 0 {
			return invalidf("no layer sets %s", p)
		}
		last := hist[len(hist)-1]
		if o.changed && last.Layer.Kind == values.PackDefault {
			continue
		}
		e := explained{Key: p.String(), SetBy: secret.MaskText(last.Pos.String()), Deleted: last.Deleted}
		if v, ok := merged.Lookup(p); ok {
			e.Value = mask(p, v)
		}
		for i := len(hist) - 2; i >= 0; i-- {
			h := hist[i]
			e.History = append(e.History, layer{Source: secret.MaskText(h.Pos.String()), Value: mask(p, h.Value), Deleted: h.Deleted})
		}
		out = append(out, e)
	}
	switch o.output {
	case "json":
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		if out == nil {
			out = []explained{}
		}
		return enc.Encode(out)
	case "text":
		printExplained(c.OutOrStdout(), out)
		return nil
	}
	return invalidf("unknown output format %q: want text or json", o.output)
}

func printExplained(w io.Writer, out []explained) {
	for i, e := range out {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if e.Deleted {
			fmt.Fprintf(w, "%s: (deleted)\n  deleted by  %s\n", e.Key, e.SetBy)
		} else {
			fmt.Fprintf(w, "%s: %s\n  set by      %s\n", e.Key, show(e.Value), e.SetBy)
		}
		for j, h := range e.History {
			label := "              "
			if j == 0 {
				label = "  overrides   "
			}
			if h.Deleted {
				fmt.Fprintf(w, "%s%s  (deleted)\n", label, h.Source)
			} else {
				fmt.Fprintf(w, "%s%s  %s\n", label, h.Source, show(h.Value))
			}
		}
	}
}

func show(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// leavesUnder lists the leaf keys of a tree under prefix.
func leavesUnder(v values.Values, prefix values.Path) []values.Path {
	sub, ok := v.Lookup(prefix)
	if !ok {
		return nil
	}
	m, isMap := sub.(map[string]any)
	if !isMap || len(m) == 0 {
		return []values.Path{prefix}
	}
	var out []values.Path
	for _, p := range values.Leaves(m) {
		out = append(out, append(append(values.Path{}, prefix...), p...))
	}
	return out
}

// mask hides values that look like secrets (internal/secret decides).
func mask(p values.Path, v any) any {
	key := ""
	if len(p) > 0 {
		key = p[len(p)-1]
	}
	return secret.Mask(key, v)
}
