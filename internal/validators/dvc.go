package validators

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wurzel-dev/wurzel/schemas"
	"github.com/wurzel-dev/wurzel/third_party/jsonschema"
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
	v, err := schemas.JSONValue(docs[0])
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
	for _, leaf := range schemas.Leaves(ve, v) {
		out = append(out, Finding{
			Tool:    tool,
			File:    file,
			Line:    lineOf(docs[0], schemas.PointAt(leaf)),
			Message: fmt.Sprintf("at /%s: %s", strings.Join(leaf.InstanceLocation, "/"), leaf.ErrorKind.LocalizedString(p)),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out, nil
}
