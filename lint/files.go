package lint

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/semdiff"
)

// file checks one rendered file: YAML against its target's schema, names and references,
// Python for structure, and every file for literal secrets.
func (l *linter) file(f engine.File) {
	base := Finding{File: f.Path, Rendered: true, Backend: f.Pack, phase: phaseRendered}
	at := func(sev Severity, rule string, p semdiff.Path, line int, msg string) {
		fd := base
		fd.Severity, fd.Rule, fd.Line, fd.Message = sev, rule, line, msg
		if len(p) > 0 {
			fd.Path, fd.Pointer = p.String(), p.Pointer()
		}
		l.add(fd)
	}
	switch f.Format {
	case "yaml":
		docs, err := semdiff.ParseDocuments(f.Body)
		if err != nil {
			at(Error, RuleOutput, nil, 0, "not valid YAML: "+err.Error())
			return
		}
		uncovered := ""
		for _, doc := range docs {
			if d := resolve(doc); d == nil || (d.Kind == yaml.ScalarNode && d.ShortTag() == "!!null") {
				continue
			}
			t, why := targetOf(f.Path, doc)
			if t.schema == "" {
				uncovered = why
			} else {
				fs, err := schemaFindings(f.Path, doc, t)
				if err != nil {
					at(Error, RuleSchema, nil, 0, fmt.Sprintf("cannot check against the %s schema: %v", t.name, err))
				}
				for _, fd := range fs {
					fd.File, fd.Rendered, fd.Backend, fd.phase = base.File, true, base.Backend, phaseRendered
					l.add(fd)
				}
			}
			for _, n := range names(f.Path, doc) {
				at(Error, RuleNames, n.path, n.line, n.msg)
			}
			for _, n := range refs(f.Path, doc) {
				at(Error, RuleRefs, n.path, n.line, n.msg)
			}
			l.yamlSecrets(base, doc)
		}
		if uncovered != "" {
			at(Info, RuleCoverage, nil, 0, uncovered)
		}
	case "python":
		toks, probs := pyScan(string(f.Body))
		for _, p := range probs {
			at(Error, RulePython, nil, p.line, p.msg)
		}
		at(Info, RuleCoverage, nil, 0, "checked for closed strings and balanced brackets only (Go has no Python parser); python3 -m py_compile and an Airflow DagBag import are the full check")
		for _, kv := range pyKeyed(toks) {
			fd, ok := l.secretFinding(kv[0].text, kv[1].text, renderedFix, true)
			if !ok {
				continue
			}
			fd.File, fd.Rendered, fd.Backend, fd.phase, fd.Line = base.File, true, base.Backend, phaseRendered, kv[1].line
			l.add(fd)
		}
	default:
		l.textSecrets(base, f.Body)
	}
}

// File checks one file as lint checks a rendered output of that name: YAML against the
// schema its name or kind selects, names, references and literal secrets; Python for
// structure. It is for files wurzel does not render, such as CI configurations written by
// hand (name them by where they live: .github/workflows/review.yml).
func File(name string, body []byte) []Finding {
	l := &linter{report: &Report{}, secrets: map[string]bool{}}
	format := "text"
	switch {
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		format = "yaml"
	case strings.HasSuffix(name, ".py"):
		format = "python"
	}
	l.file(engine.File{Path: name, Body: body, Format: format})
	l.report.sort()
	return l.report.Findings
}
