package pipeline

import (
	"fmt"
	"strings"
)

// Mermaid returns the pipeline's DAG as a Mermaid flowchart: each node shows the step name,
// its class (or "command") and how many settings it has.
func (p *Pipeline) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, s := range p.Spec.Steps {
		ids[s.Name] = fmt.Sprintf("s%d", i)
		fmt.Fprintf(&b, "  %s[\"%s\"]\n", ids[s.Name], mermaidText(s.Name+"<br/>"+nodeDetail(s, "<br/>")))
	}
	for _, s := range p.Spec.Steps {
		for _, d := range s.DependsOn {
			fmt.Fprintf(&b, "  %s --> %s\n", ids[d], ids[s.Name])
		}
	}
	return b.String()
}

// Dot returns the pipeline's DAG in Graphviz dot.
func (p *Pipeline) Dot() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n  rankdir=LR;\n  node [shape=box];\n", dotQuote(p.Metadata.Name))
	for _, s := range p.Spec.Steps {
		fmt.Fprintf(&b, "  %s [label=%s];\n", dotQuote(s.Name), dotQuote(s.Name+"\n"+nodeDetail(s, "\n")))
	}
	for _, s := range p.Spec.Steps {
		for _, d := range s.DependsOn {
			fmt.Fprintf(&b, "  %s -> %s;\n", dotQuote(d), dotQuote(s.Name))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func nodeDetail(s *Step, sep string) string {
	kind := "command"
	if s.Type != nil {
		kind = s.Type.Name
	}
	n := len(s.Settings) + len(s.Secrets)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	return fmt.Sprintf("%s%s%d setting%s", kind, sep, n, plural)
}

// mermaidText escapes a label for a quoted Mermaid node: quotes and angle brackets other
// than the <br/> we insert become entities.
func mermaidText(s string) string {
	s = strings.ReplaceAll(s, "<br/>", "\x00")
	s = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
	return strings.ReplaceAll(s, "\x00", "<br/>")
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
