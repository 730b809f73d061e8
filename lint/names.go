package lint

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/semdiff"
)

var (
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	labelValueRE     = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$`)
	labelNameRE      = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	configKeyRE      = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	githubJobIDRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	argoTemplateRE   = regexp.MustCompile(`^[a-zA-Z0-9][-a-zA-Z0-9]*$`)
)

// maxCronName is the longest name of a CronJob or CronWorkflow: the controllers append an
// 11-character suffix to name the Jobs and Workflows they create, which must stay within 63.
const maxCronName = 52

// gitlabReserved are top-level keys of .gitlab-ci.yml that cannot name a job.
var gitlabReserved = map[string]bool{
	"image": true, "services": true, "stages": true, "types": true, "before_script": true,
	"after_script": true, "variables": true, "cache": true, "include": true, "workflow": true,
	"default": true, "spec": true,
}

// nameFinding is a finding of the names rule at a path of a document.
type nameFinding struct {
	path semdiff.Path
	line int
	msg  string
}

// names checks the names a rendered document gives its target: Kubernetes object names and
// labels, Argo template names, GitHub job ids and GitLab job names.
func names(file string, doc *yaml.Node) []nameFinding {
	var out []nameFinding
	root := resolve(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	add := func(p semdiff.Path, line int, format string, args ...any) {
		out = append(out, nameFinding{p, line, fmt.Sprintf(format, args...)})
	}
	kind := scalarAt(root, "kind")
	if kind != "" && scalarAt(root, "apiVersion") != "" {
		out = append(out, objectNames(kind, semdiff.Path{}, root)...)
		// Objects inside objects: a CronJob's job template, a CronWorkflow's workflow metadata.
		for _, inner := range []semdiff.Path{{"spec", "jobTemplate"}, {"spec", "jobTemplate", "spec", "template"}, {"spec", "workflowMetadata"}} {
			if n := at(root, inner); n != nil {
				out = append(out, labelNames(inner.Key("metadata"), field(n, "metadata"))...)
				if inner[len(inner)-1] == "workflowMetadata" {
					out = append(out, labelNames(inner, n)...)
				}
			}
		}
		if strings.HasPrefix(scalarAt(root, "apiVersion"), "argoproj.io/") {
			spec := field(root, "spec")
			base := semdiff.Path{"spec"}
			if ws := field(spec, "workflowSpec"); ws != nil {
				spec, base = ws, base.Key("workflowSpec")
			}
			if ts := field(spec, "templates"); ts != nil && ts.Kind == yaml.SequenceNode {
				for i, t := range ts.Content {
					name := scalarAt(t, "name")
					if name != "" && (len(name) > 128 || !argoTemplateRE.MatchString(name)) {
						add(base.Key("templates").Index(i).Key("name"), field(t, "name").Line,
							"template name %q must be letters, digits and '-', starting with a letter or digit, at most 128 characters (Argo)", name)
					}
				}
			}
		}
	}
	switch {
	case strings.HasPrefix(file, ".github/workflows/"):
		for _, kv := range mapping(field(root, "jobs")) {
			if id := kv[0].Value; !githubJobIDRE.MatchString(id) {
				add(semdiff.Path{"jobs", id}, kv[0].Line, "job id %q must start with a letter or '_' and hold only letters, digits, '-' and '_' (GitHub Actions)", id)
			}
		}
	case strings.HasSuffix(file, ".gitlab-ci.yml"):
		for _, kv := range mapping(root) {
			name := kv[0].Value
			if len(name) > 255 {
				add(semdiff.Path{name}, kv[0].Line, "job name is longer than 255 characters (GitLab CI)")
			}
			if v := resolve(kv[1]); v.Kind == yaml.MappingNode && field(v, "script") != nil && gitlabReserved[name] {
				add(semdiff.Path{name}, kv[0].Line, "%q is a GitLab CI keyword and cannot name a job", name)
			}
		}
	}
	return out
}

// at returns the node at a path of mapping keys, or nil.
func at(n *yaml.Node, p semdiff.Path) *yaml.Node {
	for _, seg := range p {
		k, _ := seg.(string)
		n = field(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// objectNames checks a Kubernetes object's name and labels.
func objectNames(kind string, p semdiff.Path, obj *yaml.Node) []nameFinding {
	var out []nameFinding
	meta := field(obj, "metadata")
	if meta == nil {
		return nil
	}
	mp := p.Key("metadata")
	if n := field(meta, "name"); n != nil && n.Kind == yaml.ScalarNode {
		name := n.Value
		limit, re, rule := 253, dns1123Subdomain, "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'"
		if kind == "CronJob" || kind == "CronWorkflow" {
			limit = maxCronName
		}
		switch {
		case !re.MatchString(name):
			out = append(out, nameFinding{mp.Key("name"), n.Line, fmt.Sprintf("%s name %q must be %s", kind, name, rule)})
		case len(name) > limit:
			out = append(out, nameFinding{mp.Key("name"), n.Line, fmt.Sprintf("%s name %q is %d characters; the limit is %d", kind, name, len(name), limit)})
		}
	}
	if n := field(meta, "generateName"); n != nil && n.Kind == yaml.ScalarNode {
		prefix := strings.TrimSuffix(n.Value, "-")
		if !dns1123Subdomain.MatchString(prefix) {
			out = append(out, nameFinding{mp.Key("generateName"), n.Line, fmt.Sprintf("%s generateName %q must be a DNS-1123 subdomain prefix: lower-case letters, digits, '-' and '.'", kind, n.Value)})
		}
	}
	out = append(out, labelNames(mp, meta)...)
	if kind == "ConfigMap" {
		for _, section := range []string{"data", "binaryData"} {
			for _, kv := range mapping(field(obj, section)) {
				if k := kv[0].Value; !configKeyRE.MatchString(k) || len(k) > 253 {
					out = append(out, nameFinding{p.Key(section).Key(k), kv[0].Line, fmt.Sprintf("ConfigMap key %q may hold only letters, digits, '-', '_' and '.'", k)})
				}
			}
		}
	}
	return out
}

// labelNames checks the labels of a metadata mapping.
func labelNames(p semdiff.Path, meta *yaml.Node) []nameFinding {
	var out []nameFinding
	for _, kv := range mapping(field(meta, "labels")) {
		k, v := kv[0].Value, resolve(kv[1])
		prefix, name, hasPrefix := strings.Cut(k, "/")
		if !hasPrefix {
			name, prefix = prefix, ""
		}
		if !labelNameRE.MatchString(name) || len(name) > 63 || (hasPrefix && (!dns1123Subdomain.MatchString(prefix) || len(prefix) > 253)) {
			out = append(out, nameFinding{p.Key("labels").Key(k), kv[0].Line, fmt.Sprintf("label key %q is not a valid Kubernetes label name ([prefix/]name, name at most 63 letters, digits, '-', '_' and '.')", k)})
		}
		if v.Kind == yaml.ScalarNode && (!labelValueRE.MatchString(v.Value) || len(v.Value) > 63) {
			out = append(out, nameFinding{p.Key("labels").Key(k), v.Line, fmt.Sprintf("label value %q is not a valid Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)", v.Value)})
		}
	}
	return out
}
