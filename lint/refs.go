package lint

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/suggest"
	"github.com/wurzel-dev/wurzel/semdiff"
)

// refs checks what a schema cannot see: that the jobs, tasks and templates a rendered file
// refers to exist in it (GitHub and GitLab needs, GitLab stages, Argo's entrypoint, DAG task
// templates, depends and {{tasks.X…}} references).
func refs(file string, doc *yaml.Node) []nameFinding {
	root := resolve(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	switch {
	case strings.HasPrefix(file, ".github/workflows/"):
		return githubRefs(root)
	case strings.HasSuffix(file, ".gitlab-ci.yml"):
		return gitlabRefs(root)
	case strings.HasPrefix(scalarAt(root, "apiVersion"), "argoproj.io/"):
		return argoRefs(root)
	}
	return nil
}

func keysOf(m *yaml.Node) []string {
	var out []string
	for _, kv := range mapping(m) {
		out = append(out, kv[0].Value)
	}
	return out
}

// missing formats `job "x", which does not exist in this file` with the nearest name.
func missing(what, name string, known []string) string {
	return fmt.Sprintf("%s %q, which does not exist in this file%s", what, name, suggest.Hint(name, known))
}

// stringsOf returns a string or the strings of a list, with their nodes.
func stringsOf(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		return []*yaml.Node{n}
	case n.Kind == yaml.SequenceNode:
		var out []*yaml.Node
		for _, c := range n.Content {
			if c = resolve(c); c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

func githubRefs(root *yaml.Node) []nameFinding {
	jobs := field(root, "jobs")
	known := keysOf(jobs)
	have := map[string]bool{}
	for _, k := range known {
		have[k] = true
	}
	var out []nameFinding
	for _, kv := range mapping(jobs) {
		p := semdiff.Path{"jobs", kv[0].Value, "needs"}
		for _, n := range stringsOf(field(kv[1], "needs")) {
			if !have[n.Value] {
				out = append(out, nameFinding{p, n.Line, "needs " + missing("job", n.Value, known)})
			}
		}
	}
	return out
}

// gitlabDefaultStages are the stages of a .gitlab-ci.yml without stages:.
var gitlabDefaultStages = []string{".pre", "build", "test", "deploy", ".post"}

func gitlabRefs(root *yaml.Node) []nameFinding {
	stages := gitlabDefaultStages
	if s := field(root, "stages"); s != nil {
		stages = []string{".pre", ".post"}
		for _, n := range stringsOf(s) {
			stages = append(stages, n.Value)
		}
	}
	haveStage := map[string]bool{}
	for _, s := range stages {
		haveStage[s] = true
	}
	var jobs []string
	haveJob := map[string]bool{}
	for _, kv := range mapping(root) {
		name := kv[0].Value
		if v := resolve(kv[1]); v.Kind == yaml.MappingNode && !gitlabReserved[name] && !strings.HasPrefix(name, ".") {
			jobs = append(jobs, name)
			haveJob[name] = true
		}
	}
	var out []nameFinding
	for _, kv := range mapping(root) {
		name := kv[0].Value
		if !haveJob[name] {
			continue
		}
		job := resolve(kv[1])
		if s := field(job, "stage"); s != nil && s.Kind == yaml.ScalarNode && !haveStage[s.Value] && !strings.Contains(s.Value, "$") {
			out = append(out, nameFinding{semdiff.Path{name, "stage"}, s.Line, fmt.Sprintf("uses stage %q, which is not listed under stages:%s", s.Value, suggest.Hint(s.Value, stages))})
		}
		needs := resolve(field(job, "needs"))
		if needs == nil || needs.Kind != yaml.SequenceNode {
			continue
		}
		for i, n := range needs.Content {
			n = resolve(n)
			target, line := "", n.Line
			switch {
			case n.Kind == yaml.ScalarNode:
				target = n.Value
			case n.Kind == yaml.MappingNode && field(n, "pipeline") == nil && field(n, "project") == nil:
				if j := field(n, "job"); j != nil {
					target, line = j.Value, j.Line
				}
			}
			if target != "" && !haveJob[target] && !strings.Contains(target, "$") {
				out = append(out, nameFinding{semdiff.Path{name, "needs", i}, line, "needs " + missing("job", target, jobs)})
			}
		}
	}
	return out
}

var (
	// tasksRefRE finds {{tasks.NAME.…}} references of Argo DAG tasks.
	tasksRefRE = regexp.MustCompile(`\{\{\s*tasks\.([A-Za-z0-9][-A-Za-z0-9]*)\.`)
	// dependsNameRE finds the task names of a depends expression ("a && (b.Failed || c)").
	dependsNameRE = regexp.MustCompile(`[A-Za-z0-9][-A-Za-z0-9_]*(\.[A-Za-z]+)?`)
)

func argoRefs(root *yaml.Node) []nameFinding {
	spec := field(root, "spec")
	base := semdiff.Path{"spec"}
	if ws := field(spec, "workflowSpec"); ws != nil {
		spec, base = ws, base.Key("workflowSpec")
	}
	var templates []*yaml.Node
	if ts := field(spec, "templates"); ts != nil && ts.Kind == yaml.SequenceNode {
		templates = ts.Content
	}
	var known []string
	haveTemplate := map[string]bool{}
	for _, t := range templates {
		if n := scalarAt(t, "name"); n != "" {
			known = append(known, n)
			haveTemplate[n] = true
		}
	}
	var out []nameFinding
	if e := field(spec, "entrypoint"); e != nil && e.Kind == yaml.ScalarNode && !haveTemplate[e.Value] && field(spec, "workflowTemplateRef") == nil {
		out = append(out, nameFinding{base.Key("entrypoint"), e.Line, "entrypoint names " + missing("template", e.Value, known)})
	}
	for i, t := range templates {
		tasks := field(field(t, "dag"), "tasks")
		if tasks == nil || tasks.Kind != yaml.SequenceNode {
			continue
		}
		tp := base.Key("templates").Index(i).Key("dag").Key("tasks")
		var names []string
		haveTask := map[string]bool{}
		for _, task := range tasks.Content {
			if n := scalarAt(task, "name"); n != "" {
				names = append(names, n)
				haveTask[n] = true
			}
		}
		for j, task := range tasks.Content {
			p := tp.Index(j)
			if tn := field(task, "template"); tn != nil && tn.Kind == yaml.ScalarNode && !haveTemplate[tn.Value] && !strings.Contains(tn.Value, "{{") {
				out = append(out, nameFinding{p.Key("template"), tn.Line, "uses " + missing("template", tn.Value, known)})
			}
			if d := field(task, "depends"); d != nil && d.Kind == yaml.ScalarNode {
				for _, m := range dependsNameRE.FindAllString(d.Value, -1) {
					name, _, _ := strings.Cut(m, ".")
					if !haveTask[name] {
						out = append(out, nameFinding{p.Key("depends"), d.Line, "depends on " + missing("task", name, names)})
					}
				}
			}
			for _, d := range stringsOf(field(task, "dependencies")) {
				if !haveTask[d.Value] {
					out = append(out, nameFinding{p.Key("dependencies"), d.Line, "depends on " + missing("task", d.Value, names)})
				}
			}
			walkStrings(task, p, "", func(sp semdiff.Path, _ string, n *yaml.Node) {
				for _, m := range tasksRefRE.FindAllStringSubmatch(n.Value, -1) {
					if !haveTask[m[1]] {
						out = append(out, nameFinding{sp, n.Line, "refers to " + missing("task", m[1], names)})
					}
				}
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}
