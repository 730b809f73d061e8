package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newGraphCmd) }

func newGraphCmd() *cobra.Command {
	var pipelinePath, format string
	c := &cobra.Command{
		Use:   "graph",
		Short: "Print the pipeline's DAG as a Mermaid or Graphviz diagram",
		Long: `Print the pipeline's DAG as text a person can look at: a Mermaid flowchart (rendered by
GitHub and GitLab Markdown inside a mermaid code block) or Graphviz dot. Each node shows
the step, its class (or "command" for your own programs) and how many settings it has.`,
		Example: `  # Paste into a Markdown file inside a mermaid code block
  wurzel graph -p pipeline.yaml

  # Render a picture with Graphviz
  wurzel graph --format dot | dot -Tpng -o pipeline.png`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			p, _, err := loadPipeline(pipelinePath, c.ErrOrStderr())
			if err != nil {
				return err
			}
			switch format {
			case "mermaid":
				fmt.Fprint(c.OutOrStdout(), p.Mermaid())
			case "dot":
				fmt.Fprint(c.OutOrStdout(), p.Dot())
			default:
				return invalidf("unknown format %q: want mermaid or dot", format)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&pipelinePath, flagPipeline, "p", "pipeline.yaml", "pipeline file")
	c.Flags().StringVar(&format, "format", "mermaid", "mermaid or dot")
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"mermaid", "dot"}, cobra.ShellCompDirectiveNoFileComp))
	return c
}
