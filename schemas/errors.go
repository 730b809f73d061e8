package schemas

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/third_party/jsonschema"
	"github.com/wurzel-dev/wurzel/third_party/jsonschema/kind"
)

// This file turns a YAML document into the value a schema validates, and a failed
// validation into the few errors that say what is wrong: `wurzel lint` and the validators
// of the tests report the same findings for the same document.

// PointAt returns where an error points: the location of its value, or for an unknown
// property, that property.
func PointAt(e *jsonschema.ValidationError) []string {
	if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
		return append(slices.Clone(e.InstanceLocation), ap.Properties[0])
	}
	return e.InstanceLocation
}

// Leaves returns the innermost errors of a validation error tree. Of the branches of a
// failed oneOf or anyOf, those that reject every property of the object are left out
// (unless all do): they describe another shape, not the one the author meant.
func Leaves(e *jsonschema.ValidationError, root any) []*jsonschema.ValidationError {
	return leavesOf(e, root, map[*jsonschema.ValidationError][]*jsonschema.ValidationError{})
}

// leavesOf is Leaves with a memo, so that nested oneOf branches are walked once.
func leavesOf(e *jsonschema.ValidationError, root any, memo map[*jsonschema.ValidationError][]*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if ls, ok := memo[e]; ok {
		return ls
	}
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	causes := e.Causes
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		loc := e.InstanceLocation
		causes = keep(causes, func(c *jsonschema.ValidationError) bool { return !wrongType(c, loc) })
		if obj, ok := valueAt(root, loc).(map[string]any); ok && len(obj) > 0 {
			causes = keep(causes, func(c *jsonschema.ValidationError) bool { return !rejectsAll(c, loc, len(obj)) })
			causes = keep(causes, func(c *jsonschema.ValidationError) bool { return !discriminated(c, loc) })
		}
		causes = closest(causes, root, memo)
	}
	var out []*jsonschema.ValidationError
	for _, c := range causes {
		out = append(out, leavesOf(c, root, memo)...)
	}
	memo[e] = out
	return out
}

// keep returns the errors ok accepts, or all of them when it accepts none.
func keep(errs []*jsonschema.ValidationError, ok func(*jsonschema.ValidationError) bool) []*jsonschema.ValidationError {
	var kept []*jsonschema.ValidationError
	for _, e := range errs {
		if ok(e) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return errs
	}
	return kept
}

// closest keeps the branches of a failed oneOf or anyOf that come nearest to matching:
// those whose errors reach deepest into the document, and of those, the ones with the fewest
// errors (a job with a misspelt key is a normal job with one error, not a reusable-workflow
// call missing uses:).
func closest(branches []*jsonschema.ValidationError, root any, memo map[*jsonschema.ValidationError][]*jsonschema.ValidationError) []*jsonschema.ValidationError {
	type score struct{ depth, errs int }
	scores := make([]score, len(branches))
	best := score{-1, 0}
	for i, b := range branches {
		ls := leavesOf(b, root, memo)
		for _, l := range ls {
			scores[i].depth = max(scores[i].depth, len(l.InstanceLocation))
		}
		scores[i].errs = len(ls)
		if s := scores[i]; s.depth > best.depth || (s.depth == best.depth && s.errs < best.errs) {
			best = s
		}
	}
	var out []*jsonschema.ValidationError
	for i, b := range branches {
		if scores[i] == best {
			out = append(out, b)
		}
	}
	return out
}

// wrongType reports whether a branch fails because the value at loc has another type: the
// branch describes another shape (retry: 7 against the {max, when} form).
func wrongType(e *jsonschema.ValidationError, loc []string) bool {
	if _, ok := e.ErrorKind.(*kind.Type); ok && slices.Equal(e.InstanceLocation, loc) {
		return true
	}
	for _, c := range e.Causes {
		if slices.Equal(c.InstanceLocation, loc) && wrongType(c, loc) {
			return true
		}
	}
	return false
}

// discriminated reports whether a branch fails because a property of the object at loc has
// another constant value (kind: Workflow against the CronWorkflow branch): the branch
// describes another kind of object.
func discriminated(e *jsonschema.ValidationError, loc []string) bool {
	if len(e.InstanceLocation) == len(loc)+1 && slices.Equal(e.InstanceLocation[:len(loc)], loc) {
		switch e.ErrorKind.(type) {
		case *kind.Const, *kind.Enum:
			return true
		}
	}
	for _, c := range e.Causes {
		if discriminated(c, loc) {
			return true
		}
	}
	return false
}

// rejectsAll reports whether e holds an additionalProperties error at loc naming all n
// properties of the object there.
func rejectsAll(e *jsonschema.ValidationError, loc []string, n int) bool {
	if !slices.Equal(e.InstanceLocation, loc) {
		return false
	}
	if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) == n {
		return true
	}
	for _, c := range e.Causes {
		if rejectsAll(c, loc, n) {
			return true
		}
	}
	return false
}

// valueAt returns the value at the JSON pointer tokens in v, or nil.
func valueAt(v any, tokens []string) any {
	for _, t := range tokens {
		switch x := v.(type) {
		case map[string]any:
			v = x[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// JSONValue converts a YAML node into what encoding/json would decode from the same JSON
// (numbers as json.Number), for schema validation.
func JSONValue(n *yaml.Node) (any, error) { return yamlx.Convert(n, jsonScalar) }

func jsonScalar(n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return n.Value, nil
		}
		if n.ShortTag() == "!!int" {
			var i int64
			if err := n.Decode(&i); err == nil {
				return json.Number(strconv.FormatInt(i, 10)), nil
			}
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	default:
		return n.Value, nil
	}
}
