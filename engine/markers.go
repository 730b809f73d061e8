package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/escape"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/values"
)

// allowKey is the values key, under a pack's own key, that lists the places where the user
// really means an expression of the target's template language.
const allowKey = "allowExpressions"

// noValue is what text/template prints for a missing value.
const noValue = "<no value>"

// CheckMarkers rejects values and pipeline text holding the target's expression syntax
// (pack.yaml expressionMarkers: Argo's {{, GitHub's ${{, Jinja's {{ {% {#), which the target
// would evaluate instead of taking literally. A place listed in <valuesKey>.allowExpressions
// (a values path such as container.env.GREETING, or steps.<name>.settings.<FIELD>,
// steps.<name>.command) is let through: the explicit opt-in for a real expression.
//
// Text holding "<no value>" is refused too, for every pack: it is what text/template prints
// for a missing value, so Render refuses any output that holds it. So is a NUL byte, which
// the encoders cannot write.
func CheckMarkers(p *Pack, pl *pipeline.Pipeline, v values.Values) error {
	markers := p.Meta.ExpressionMarkers
	allowed := map[string]bool{}
	if own, ok := v[p.Meta.ValuesKey].(map[string]any); ok {
		if list, ok := own[allowKey].([]any); ok {
			for _, a := range list {
				if s, ok := a.(string); ok {
					allowed[s] = true
				}
			}
		}
	}
	var probs []string
	report := func(where, allowAs, text string) {
		if strings.Contains(text, noValue) {
			probs = append(probs, fmt.Sprintf("%s holds %q, which is how a template prints a missing value, so wurzel refuses it in rendered files; remove it", where, noValue))
			return
		}
		if strings.IndexByte(text, 0) >= 0 {
			probs = append(probs, fmt.Sprintf("%s holds a NUL byte, which no command line, environment or rendered file can carry; remove it", where))
			return
		}
		m := escape.FindMarker(text, markers)
		if m == "" || allowed[allowAs] {
			return
		}
		probs = append(probs, fmt.Sprintf("%s holds %q, which %s evaluates as an expression; remove it, or if you mean an expression add %q to %s.%s",
			where, m, p.Meta.Target(), allowAs, p.Meta.ValuesKey, allowKey))
	}
	for _, key := range []string{"global", p.Meta.ValuesKey} {
		sub, ok := v[key].(map[string]any)
		if !ok {
			continue
		}
		walkStrings(sub, values.Path{key}, func(path values.Path, s string) {
			rel := path[1:]
			if key == "global" {
				rel = path
			}
			if len(path) > 1 && path[0] == p.Meta.ValuesKey && path[1] == allowKey {
				return
			}
			report(path.String(), dotted(rel), s)
		})
	}
	report("metadata.name", "metadata.name", pl.Metadata.Name)
	stepMarkers := append(markers[:len(markers):len(markers)], noValue, "\x00")
	for _, s := range pl.Spec.Steps {
		if !stepHasMarker(s, stepMarkers) {
			continue // the common case: no need to name every place of the step
		}
		base := "steps." + s.Name
		for _, k := range sortedNames(s.Settings) {
			report(fmt.Sprintf("%s:%d: step %q: setting %s", pl.File, s.Line, s.Name, k), base+".settings."+k, s.Settings[k])
		}
		for i, a := range s.Command {
			report(fmt.Sprintf("%s:%d: step %q: command[%d]", pl.File, s.Line, s.Name, i), base+".command", a)
		}
		report(fmt.Sprintf("%s:%d: step %q: image", pl.File, s.Line, s.Name), base+".image", s.Image)
	}
	for _, k := range sortedNames(pl.Metadata.Labels) {
		report(fmt.Sprintf("metadata.labels key %q", k), "metadata.labels", k)
		report("metadata.labels."+k, "metadata.labels", pl.Metadata.Labels[k])
	}
	for _, k := range sortedNames(pl.Metadata.Annotations) {
		report(fmt.Sprintf("metadata.annotations key %q", k), "metadata.annotations", k)
		report("metadata.annotations."+k, "metadata.annotations", pl.Metadata.Annotations[k])
	}
	if len(probs) == 0 {
		return nil
	}
	return &values.ListError{Errs: toErrs(p.Name, probs)}
}

// stepHasMarker reports whether any text of the step that CheckMarkers reads holds one of
// the markers.
func stepHasMarker(s *pipeline.Step, markers []string) bool {
	for _, v := range s.Settings {
		if escape.FindMarker(v, markers) != "" {
			return true
		}
	}
	for _, a := range s.Command {
		if escape.FindMarker(a, markers) != "" {
			return true
		}
	}
	return escape.FindMarker(s.Image, markers) != ""
}

func toErrs(pack string, probs []string) []error {
	out := make([]error, len(probs))
	for i, m := range probs {
		out[i] = &values.Error{Msg: pack + ": " + m}
	}
	return out
}

func dotted(p values.Path) string { return strings.Join(p, ".") }

// walkStrings calls fn for every string in a tree (map keys included), in sorted order.
func walkStrings(v any, p values.Path, fn func(values.Path, string)) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			child := append(append(values.Path{}, p...), k)
			fn(child, k)
			walkStrings(t[k], child, fn)
		}
	case []any:
		for _, x := range t {
			walkStrings(x, p, fn)
		}
	case string:
		fn(p, t)
	}
}
