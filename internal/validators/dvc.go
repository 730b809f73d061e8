package validators

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wurzel-dev/wurzel/schemas"
)

var dvcSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return schemas.Compile(schemas.DVC)
})

// DVC validates dvc.yaml files against the vendored dvc.yaml JSON schema
// (schemas/dvc.schema.json; see schemas/README.md for what it cannot see).
// YAML errors, including duplicate keys, are findings too.
func DVC(files ...string) ([]Finding, error) {
	sch, err := dvcSchema()
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, f := range files {
		fs, err := validateYAML(sch, "dvc-schema", f)
		if err != nil {
			return out, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// validateYAML validates the single YAML document in file against sch.
func validateYAML(sch *jsonschema.Schema, tool, file string) ([]Finding, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	docs, err := parseDocuments(data)
	if err != nil {
		return []Finding{{Tool: tool, File: file, Message: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}, nil
	}
	if len(docs) != 1 {
		return []Finding{{Tool: tool, File: file, Message: fmt.Sprintf("want one YAML document, found %d", len(docs))}}, nil
	}
	v, err := jsonValue(docs[0])
	if err != nil {
		return []Finding{{Tool: tool, File: file, Message: err.Error()}}, nil
	}
	err = sch.Validate(v)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validating %s: %w", file, err)
	}
	var out []Finding
	p := message.NewPrinter(language.English)
	for _, leaf := range leaves(ve, v) {
		out = append(out, Finding{
			Tool:    tool,
			File:    file,
			Line:    lineOf(docs[0], pointAt(leaf)),
			Message: fmt.Sprintf("at /%s: %s", strings.Join(leaf.InstanceLocation, "/"), leaf.ErrorKind.LocalizedString(p)),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out, nil
}

// pointAt returns where an error points: the location of its value, or for
// an unknown property, that property.
func pointAt(e *jsonschema.ValidationError) []string {
	if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
		return append(slices.Clone(e.InstanceLocation), ap.Properties[0])
	}
	return e.InstanceLocation
}

// leaves returns the innermost errors of a validation error tree: the ones
// that say what is wrong rather than which schema keyword failed. Of the
// branches of a failed oneOf or anyOf, those that reject every property of
// the object are left out (unless all do): they describe something else, and
// their errors would only distract from the branch the author meant.
func leaves(e *jsonschema.ValidationError, root any) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	causes := e.Causes
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		if obj, ok := valueAt(root, e.InstanceLocation).(map[string]any); ok && len(obj) > 0 {
			var kept []*jsonschema.ValidationError
			for _, c := range causes {
				if !rejectsAll(c, e.InstanceLocation, len(obj)) {
					kept = append(kept, c)
				}
			}
			if len(kept) > 0 {
				causes = kept
			}
		}
	}
	var out []*jsonschema.ValidationError
	for _, c := range causes {
		out = append(out, leaves(c, root)...)
	}
	return out
}

// rejectsAll reports whether e holds an additionalProperties error at loc
// naming all n properties of the object there.
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
