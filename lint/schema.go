package lint

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wurzel-dev/wurzel/schemas"
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
	v, err := jsonValue(doc)
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
	for _, leaf := range leaves(ve, v) {
		p, line := locate(doc, pointAt(leaf))
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

// pointAt returns where an error points: the location of its value, or for an unknown
// property, that property.
func pointAt(e *jsonschema.ValidationError) []string {
	if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ap.Properties) > 0 {
		return append(slices.Clone(e.InstanceLocation), ap.Properties[0])
	}
	return e.InstanceLocation
}

// leaves returns the innermost errors of a validation error tree. Of the branches of a
// failed oneOf or anyOf, those that reject every property of the object are left out
// (unless all do): they describe another shape, not the one the author meant.
func leaves(e *jsonschema.ValidationError, root any) []*jsonschema.ValidationError {
	return leavesOf(e, root, map[*jsonschema.ValidationError][]*jsonschema.ValidationError{})
}

// leavesOf is leaves with a memo, so that nested oneOf branches are walked once.
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

// jsonValue converts a YAML node into what encoding/json would decode from the same JSON
// (numbers as json.Number), for schema validation.
func jsonValue(n *yaml.Node) (any, error) {
	n = resolve(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return jsonValue(n.Content[0])
	case yaml.MappingNode:
		pairs := mapping(n)
		m := make(map[string]any, len(pairs))
		for _, kv := range pairs {
			v, err := jsonValue(kv[1])
			if err != nil {
				return nil, err
			}
			m[kv[0].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := jsonValue(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
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
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}
