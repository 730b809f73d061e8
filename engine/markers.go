package engine

import (
	"fmt"
	"slices"
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

// CheckText rejects pipeline text and global values that no target can carry, whatever
// the backend: text holding "<no value>", which is what text/template prints for a missing
// value (so Render refuses any output that holds it), and NUL bytes, which the encoders
// cannot write. CheckMarkers does the same for a pack's own values.
func CheckText(pl *pipeline.Pipeline, v values.Values) error {
	var probs []string
	visitTexts(pl, v, []string{"global"}, []string{noValue, "\x00"}, func(_, where, _, text string) {
		if p := unwritable(where, text); p != "" {
			probs = append(probs, p)
		}
	})
	if len(probs) == 0 {
		return nil
	}
	return &values.ListError{Errs: toErrs("", probs)}
}

// Unwritable reports whether text a pack reads (the pipeline, global values and its own
// values) holds what CheckText and CheckMarkers refuse in every file: a render of the pack
// would fail on it, or print "<no value>" without a template reading a missing key.
func Unwritable(p *Pack, pl *pipeline.Pipeline, v values.Values) bool {
	found := false
	visitTexts(pl, v, []string{"global", p.Meta.ValuesKey}, []string{noValue, "\x00"}, func(_, _, _, text string) {
		found = found || cannotCarry(text)
	})
	return found
}

// CheckMarkers rejects values and pipeline text holding the target's expression syntax
// (pack.yaml expressionMarkers: Argo's {{, GitHub's ${{, Jinja's {{ {% {#), which the target
// would evaluate instead of taking literally. A place listed in <valuesKey>.allowExpressions
// (a values path such as container.env.GREETING, or steps.<name>.settings.<FIELD>,
// steps.<name>.command) is let through: the explicit opt-in for a real expression.
//
// The pack's own values are checked for what CheckText refuses, too; the pipeline and the
// global values are not: run CheckText once as well (Job.Run and lint do).
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
	visitTexts(pl, v, []string{"global", p.Meta.ValuesKey}, append(markers[:len(markers):len(markers)], noValue, "\x00"), func(key, where, allowAs, text string) {
		if key == p.Meta.ValuesKey {
			if prob := unwritable(where, text); prob != "" {
				probs = append(probs, prob)
				return
			}
		} else if cannotCarry(text) {
			return // CheckText's
		}
		m := escape.FindMarker(text, markers)
		if m == "" || allowed[allowAs] {
			return
		}
		probs = append(probs, fmt.Sprintf("%s holds %q, which %s evaluates as an expression; remove it, or if you mean an expression add %q to %s.%s",
			where, m, p.Meta.Target(), allowAs, p.Meta.ValuesKey, allowKey))
	})
	if len(probs) == 0 {
		return nil
	}
	return &values.ListError{Errs: toErrs(p.Name, probs)}
}

// cannotCarry reports whether no target can carry text: it holds "<no value>" or NUL.
func cannotCarry(text string) bool {
	return strings.Contains(text, noValue) || strings.IndexByte(text, 0) >= 0
}

// unwritable says what is wrong with text that no target can carry, or "".
func unwritable(where, text string) string {
	switch {
	case strings.Contains(text, noValue):
		return fmt.Sprintf("%s holds %q, which is how a template prints a missing value, so wurzel refuses it in rendered files; remove it", where, noValue)
	case strings.IndexByte(text, 0) >= 0:
		return fmt.Sprintf("%s holds a NUL byte, which no command line, environment or rendered file can carry; remove it", where)
	}
	return ""
}

// visitTexts calls fn for every text a render reads from the values under keys and from
// the pipeline: key is the values key it is under ("" for the pipeline), where names it in
// messages, allowAs is its allowExpressions place. Steps without any of the needles are
// skipped (the common case: their places need no names).
func visitTexts(pl *pipeline.Pipeline, v values.Values, keys, needles []string, fn func(key, where, allowAs, text string)) {
	for i, key := range keys {
		sub, ok := v[key].(map[string]any)
		if !ok || slices.Contains(keys[:i], key) {
			continue
		}
		walkStrings(sub, values.Path{key}, func(path values.Path, s string) {
			rel := path[1:]
			if key == "global" {
				rel = path
			}
			if len(path) > 1 && path[0] != "global" && path[1] == allowKey {
				return
			}
			fn(key, path.String(), dotted(rel), s)
		})
	}
	fn("", "metadata.name", "metadata.name", pl.Metadata.Name)
	for _, s := range pl.Spec.Steps {
		hit := false
		stepTexts(s, func(_ string, _ int, text string) { hit = hit || escape.FindMarker(text, needles) != "" })
		if !hit {
			continue
		}
		base := "steps." + s.Name
		stepTexts(s, func(setting string, word int, text string) {
			place := fmt.Sprintf("%s:%d: step %q: ", pl.File, s.Line, s.Name)
			switch {
			case setting != "":
				fn("", place+"setting "+setting, base+".settings."+setting, text)
			case word >= 0:
				fn("", fmt.Sprintf("%scommand[%d]", place, word), base+".command", text)
			default:
				fn("", place+"image", base+".image", text)
			}
		})
	}
	for _, k := range sortedNames(pl.Metadata.Labels) {
		fn("", fmt.Sprintf("metadata.labels key %q", k), "metadata.labels", k)
		fn("", "metadata.labels."+k, "metadata.labels", pl.Metadata.Labels[k])
	}
	for _, k := range sortedNames(pl.Metadata.Annotations) {
		fn("", fmt.Sprintf("metadata.annotations key %q", k), "metadata.annotations", k)
		fn("", "metadata.annotations."+k, "metadata.annotations", pl.Metadata.Annotations[k])
	}
}

// stepTexts calls fn for every text of a step that a render reads, in report order: its
// settings by name (setting is the name, word -1), its command words (word is the index)
// and its image (setting "", word -1).
func stepTexts(s *pipeline.Step, fn func(setting string, word int, text string)) {
	for _, k := range sortedNames(s.Settings) {
		fn(k, -1, s.Settings[k])
	}
	for i, a := range s.Command {
		fn("", i, a)
	}
	fn("", -1, s.Image)
}

// toErrs turns messages into errors, each prefixed with "PACK: " when pack is not empty.
func toErrs(pack string, probs []string) []error {
	out := make([]error, len(probs))
	for i, m := range probs {
		if pack != "" {
			m = pack + ": " + m
		}
		out[i] = &values.Error{Msg: m}
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
