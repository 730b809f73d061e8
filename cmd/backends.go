package cmd

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

func init() { subcommands = append(subcommands, newBackendsCmd, newTemplatesCmd) }

func newBackendsCmd() *cobra.Command {
	o := &valuesOptions{}
	var matrix bool
	var format string
	c := &cobra.Command{
		Use:   "backends",
		Short: "List the backends (template packs) wurzel can render",
		Long: `List the backends (template packs) wurzel can render. With --matrix, show for every
pipeline feature whether each backend supports it natively, emulates it, or cannot express
it (none); wurzel render reports the emulated and dropped features a pipeline uses.`,
		Example: `  wurzel backends
  # including your organisation's packs
  wurzel backends --templates-dir ./our-templates
  # what carries over to which backend, as a Markdown table
  wurzel backends --matrix --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := bindEnv(c, flagTemplatesDir); err != nil {
				return err
			}
			lib, err := o.library()
			if err != nil {
				return err
			}
			if matrix {
				return printMatrix(c.OutOrStdout(), lib, format)
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "BACKEND\tFROM\tDESCRIPTION")
			for _, p := range lib.Packs {
				fmt.Fprintf(w, "%s\t%s\t%s\n", p.Name, p.Origin, p.Meta.Description)
			}
			return w.Flush()
		},
	}
	c.Flags().StringArrayVar(&o.templateDirs, flagTemplatesDir, nil, "override directories to include (repeatable)")
	c.Flags().BoolVar(&matrix, "matrix", false, "print the capability matrix: feature × backend")
	c.Flags().StringVar(&format, "format", "text", "matrix format: text or markdown")
	return c
}

// printMatrix prints the capability matrix as aligned text or a Markdown table.
func printMatrix(w io.Writer, lib *engine.Library, format string) error {
	features, rows := engine.Matrix(lib.Packs)
	switch format {
	case "markdown":
		fmt.Fprint(w, engine.MatrixMarkdown(lib.Packs))
		return nil
	case "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprint(tw, "FEATURE")
		for _, p := range lib.Packs {
			fmt.Fprintf(tw, "\t%s", strings.ToUpper(p.Name))
		}
		fmt.Fprintln(tw)
		for _, f := range features {
			fmt.Fprint(tw, f)
			for _, s := range rows[f] {
				fmt.Fprintf(tw, "\t%s", s)
			}
			fmt.Fprintln(tw)
		}
		return tw.Flush()
	}
	return invalidf("unknown format %q: want text or markdown", format)
}

func newTemplatesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "templates",
		Short: "Work with template packs",
	}
	c.AddCommand(newTemplatesExportCmd())
	return c
}

func newTemplatesExportCmd() *cobra.Command {
	o := &valuesOptions{}
	var force bool
	c := &cobra.Command{
		Use:   "export BACKEND DIR",
		Short: "Write a backend's templates into DIR/<backend>/ as a starting point for overrides",
		Long: `Write a backend's template pack into DIR/<backend>/ as a starting point for your own.

Keep only the files you change: every file you leave out comes from the embedded pack,
so you pick up fixes in new wurzel versions. Then render with --templates-dir DIR.`,
		Example: `  # Start overriding the Argo templates
  wurzel templates export argo ./our-templates
  $EDITOR ./our-templates/argo/workflow.yaml.tmpl
  wurzel render --backend argo --templates-dir ./our-templates`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeBackendArg,
		RunE: func(c *cobra.Command, args []string) error {
			lib, err := o.library()
			if err != nil {
				return err
			}
			p, ok := lib.Pack(args[0])
			if !ok {
				return invalidf("unknown backend %q; available: %s", args[0], strings.Join(lib.Names(), ", "))
			}
			dir := args[1]
			for _, s := range p.Sources {
				if !strings.HasPrefix(s.Path, p.Name+"/") {
					continue // shared partials stay embedded
				}
				dst := filepath.Join(dir, filepath.FromSlash(s.Path))
				if _, err := os.Lstat(dst); err == nil && !force {
					return invalidf("%s exists; pass --force to overwrite", dst)
				}
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					return err
				}
				if err := atomicfile.WriteFile(dst, s.Data, fs.FileMode(0o644)); err != nil {
					return err
				}
				fmt.Fprintf(c.ErrOrStderr(), "wrote %s\n", dst)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	c.Flags().StringArrayVar(&o.templateDirs, flagTemplatesDir, nil, "export a pack as overridden by these directories (repeatable)")
	return c
}

func completeBackendArg(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return completeBackends(c, args, "")
	}
	return nil, cobra.ShellCompDirectiveFilterDirs
}
