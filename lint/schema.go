package lint

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wurzel-dev/wurzel/schemas"
	"github.com/wurzel-dev/wurzel/third_party/jsonschema"
)

// compiled holds each vendored schema, compiled once per process.
var compiled sync.Map // schema path → func() (*jsonschema.Schema, error)

func compile(p string) (*jsonschema.Schema, error) {
	f, _ := compiled.LoadOrStore(p, sync.OnceValues(func() (*jsonschema.Schema, error) {
		c := jsonschema.NewCompiler()
		c.UseLoader(jsonschema.SchemeURLLoader{"file": fixedLoader{}})
		s, err := c.Compile(schemaBase + p)
		if err != nil {
			return nil, fmt.Errorf("compiling schema %s: %w", p, err)
		}
		return s, nil
	}))
	return f.(func() (*jsonschema.Schema, error))()
}

// schemaBase is the URL the vendored schemas are compiled under; it names no real place,
// so nothing can be fetched.
const schemaBase = "file:///wurzel/schemas/"

// fixedLoader reads the vendored schemas from schemas.FS and applies fixups.
type fixedLoader struct{}

func (fixedLoader) Load(url string) (any, error) {
	p, ok := strings.CutPrefix(url, schemaBase)
	if !ok {
		return nil, fmt.Errorf("schema %s is not vendored in schemas/", url)
	}
	f, err := schemas.FS.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	if fix, ok := fixups[p]; ok {
		fix(doc)
	}
	return doc, nil
}

// fixups correct what the vendored schemas know less about than the targets themselves.
// The GitHub workflow schema is a 2022 snapshot: it lists the runner labels of its day (so
// ubuntu-24.04 or a larger runner's label fails) and predates on.schedule[].timezone, both
// of which actionlint and GitHub accept.
var fixups = map[string]func(doc any){
	schemas.GitHubWorkflow: func(doc any) {
		if runsOn, ok := dig(doc, "definitions", "normalJob", "properties", "runs-on", "oneOf").([]any); ok && len(runsOn) > 0 {
			if first, ok := runsOn[0].(map[string]any); ok && first["enum"] != nil {
				delete(first, "enum") // any runner label
			}
		}
		if on, ok := dig(doc, "properties", "on", "oneOf").([]any); ok {
			for _, branch := range on {
				if props, ok := dig(branch, "properties", "schedule", "items", "properties").(map[string]any); ok {
					props["timezone"] = map[string]any{"type": "string"}
				}
			}
		}
	},
}

// dig returns the value at a path of keys in decoded JSON, or nil.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// argoKinds are the kinds the vendored Argo schema describes.
var argoKinds = map[string]bool{"Workflow": true, "CronWorkflow": true, "WorkflowTemplate": true, "ClusterWorkflowTemplate": true}

// target is the schema a document is checked against.
type target struct {
	schema string // path in schemas.FS; "" when none applies
	name   string // for messages: "the dvc.yaml schema"
}

// targetOf chooses the schema of one document of a rendered file: by file name for CI
// configurations and dvc.yaml, by apiVersion and kind for Kubernetes and Argo resources.
func targetOf(file string, doc *yaml.Node) (target, string) {
	base := path.Base(file)
	switch {
	case base == "dvc.yaml":
		return target{schemas.DVC, "dvc.yaml"}, ""
	case base == ".gitlab-ci.yml" || strings.HasSuffix(base, ".gitlab-ci.yml"):
		return target{schemas.GitLabCI, "GitLab CI"}, ""
	case strings.HasPrefix(file, ".github/workflows/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return target{schemas.GitHubWorkflow, "GitHub workflow"}, ""
	}
	api, kindName := scalarAt(doc, "apiVersion"), scalarAt(doc, "kind")
	if api == "" || kindName == "" {
		return target{}, "no embedded schema matches this file (not dvc.yaml, a CI configuration, or a resource with apiVersion and kind); it was checked as YAML only"
	}
	if strings.HasPrefix(api, "argoproj.io/") {
		if argoKinds[kindName] {
			return target{schemas.Argo, "Argo " + kindName}, ""
		}
		return target{}, fmt.Sprintf("no embedded schema for Argo %s; it was checked as YAML only", kindName)
	}
	group, version, ok := strings.Cut(api, "/")
	if !ok {
		group, version = "", api
	}
	name := strings.ToLower(kindName)
	if group != "" {
		name += "-" + strings.Split(group, ".")[0]
	}
	p := schemas.KubernetesDir + "/" + name + "-" + version + ".json"
	if _, err := fs.Stat(schemas.FS, p); err != nil {
		return target{}, fmt.Sprintf("no embedded schema for %s %s; it was checked as YAML only (kubeconform with the full Kubernetes schemas checks it)", api, kindName)
	}
	return target{p, "Kubernetes " + kindName}, ""
}

// schemaFindings validates one document against its target's schema.
func schemaFindings(file string, doc *yaml.Node, t target) ([]Finding, error) {
	sch, err := compile(t.schema)
	if err != nil {
		return nil, err
	}
	v, err := schemas.JSONValue(doc)
	if err != nil {
		return []Finding{{Severity: Error, Rule: RuleSchema, Message: err.Error()}}, nil
	}
	err = sch.Validate(v)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validating %s: %w", file, err)
	}
	pr := message.NewPrinter(language.English)
	var out []Finding
	seen := map[string]bool{}
	for _, leaf := range schemas.Leaves(ve, v) {
		p, line := locate(doc, schemas.PointAt(leaf))
		msg := leaf.ErrorKind.LocalizedString(pr)
		key := p.Pointer() + "\x00" + msg
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, Finding{
			Severity: Error, Rule: RuleSchema, Line: line, Path: p.String(), Pointer: p.Pointer(),
			Message: fmt.Sprintf("%s (%s schema)", msg, t.name),
		})
	}
	return out, nil
}
