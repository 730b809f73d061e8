package lint

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/secret"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/semdiff"
	"github.com/wurzel-dev/wurzel/values"
)

// The fixes the secret rule suggests.
const (
	secretFix = "keep it in the target's secret store and reference it: a step setting " +
		"{secretRef: {name: SECRET, key: KEY}} in the pipeline, or the backend's values for secrets " +
		"(argo.container.secretRef, githubActions.secretEnv, gitlab.secrets)"
	weakFix = "if it is a secret, keep it in the target's secret store and reference it instead " +
		"(a step setting {secretRef: {name: SECRET, key: KEY}}); if it is not, this warning can be ignored"
	renderedFix = "a template writes it; render secrets as references to the target's secret store"
)

// secretFinding checks one string under key, and returns the finding (with Severity, Rule
// and Message set) and whether there is one. Strings whose secret was already reported in
// the pipeline or values are skipped when skipKnown is set.
func (l *linter) secretFinding(key, s string, fix string, skipKnown bool) (Finding, bool) {
	c := secret.Check(key, s)
	if t := secret.CheckText(s); t.Verdict > c.Verdict {
		c = t
	}
	if c.Verdict == secret.None {
		return Finding{}, false
	}
	if skipKnown && l.secrets[c.Fingerprint] {
		return Finding{}, false
	}
	if !skipKnown {
		l.secrets[c.Fingerprint] = true
	}
	f := Finding{Severity: Error, Rule: RuleSecret, Message: "holds " + c.What + ", a literal secret; " + fix}
	if c.Verdict == secret.Weak {
		f.Severity, f.Message = Warning, "holds "+c.What+"; "+weakFix
	}
	return f, true
}

// valueSecrets reports literal secrets in a values layer.
func (l *linter) valueSecrets(layer *values.Layer) {
	walkValues(layer.Values, nil, "", func(p values.Path, key, s string) {
		f, ok := l.secretFinding(key, s, secretFix, false)
		if !ok {
			return
		}
		pos := layer.Pos(p)
		f.File, f.Line, f.Column, f.Path, f.phase = pos.File, pos.Line, pos.Col, p.String(), phaseValues
		l.add(f)
	})
}

// walkValues calls fn for every string of a values tree with its path and the name it goes
// by (the key, or for {name: X, value: Y} items the name X).
func walkValues(v any, p values.Path, key string, fn func(values.Path, string, string)) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		name, _ := t["name"].(string)
		for _, k := range keys {
			child := k
			switch {
			case k == "value" && name != "":
				child = name
			case k == "value" && key != "":
				child = key
			}
			walkValues(t[k], append(append(values.Path{}, p...), k), child, fn)
		}
	case values.Values:
		walkValues(map[string]any(t), p, key, fn)
	case []any:
		for _, x := range t {
			walkValues(x, p, key, fn)
		}
	case string:
		fn(p, key, t)
	}
}

// pipelineSecrets reports literal secrets in the pipeline file (spec.backendConfig is a
// values layer and checked as one).
func (l *linter) pipelineSecrets(p *pipeline.Pipeline, src []byte) {
	root, err := yamlx.Parse(src, p.File, yamlx.DefaultLimits)
	if err != nil {
		return // the pipeline loaded, so this does not happen
	}
	walkStrings(root, nil, "", func(path semdiff.Path, key string, n *yaml.Node) {
		if len(path) >= 2 && path[0] == "spec" && path[1] == "backendConfig" {
			return
		}
		f, ok := l.secretFinding(key, n.Value, secretFix, false)
		if !ok {
			return
		}
		f.File, f.Line, f.Column, f.Path, f.phase = p.File, n.Line, n.Column, path.String(), phasePipeline
		l.add(f)
	})
}

// yamlSecrets reports literal secrets in a rendered YAML document that do not come from the
// pipeline or values (those are reported where they are written).
func (l *linter) yamlSecrets(base Finding, doc *yaml.Node) {
	walkStrings(doc, nil, "", func(path semdiff.Path, key string, n *yaml.Node) {
		f, ok := l.secretFinding(key, n.Value, renderedFix, true)
		if !ok {
			return
		}
		f.File, f.Rendered, f.Backend, f.phase = base.File, true, base.Backend, phaseRendered
		f.Line, f.Path, f.Pointer = n.Line, path.String(), path.Pointer()
		l.add(f)
	})
}

// textSecrets reports literal secrets line by line in a rendered text file (shell, text).
func (l *linter) textSecrets(base Finding, body []byte) {
	for i, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		f, ok := l.secretFinding("", line, renderedFix, true)
		if !ok {
			continue
		}
		f.File, f.Rendered, f.Backend, f.phase, f.Line = base.File, true, base.Backend, phaseRendered, i+1
		l.add(f)
	}
}
