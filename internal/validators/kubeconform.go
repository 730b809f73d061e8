package validators

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/schemas"
)

// kindTemplate is kubeconform's file name pattern inside a schema directory.
const kindTemplate = "{{ .ResourceKind }}{{ .KindSuffix }}.json"

// Kubeconform validates Kubernetes manifests with kubeconform -strict against
// the vendored strict schemas (schemas/kubernetes), falling back to the full
// set .ci/install-validators.sh generates from the same source for kinds not
// vendored. A kind with no schema is a finding: nothing is downloaded.
func Kubeconform(files ...string) ([]Finding, error) {
	const tool = "kubeconform"
	vendored, err := vendoredKubernetesSchemas()
	if err != nil {
		return nil, err
	}
	args := []string{"-strict", "-output", "json", "-schema-location", filepath.Join(vendored, kindTemplate)}
	full := filepath.Join(ToolsDir(), "k8s-schemas", schemas.KubernetesVersion+"-strict")
	if _, err := os.Stat(filepath.Join(full, "_definitions.json")); err == nil {
		args = append(args, "-schema-location", filepath.Join(full, kindTemplate))
	}
	res, err := run("", nil, tool, append(args, files...)...)
	if err != nil {
		return nil, err
	}
	if res.code != 0 && res.code != 1 {
		return nil, res.unexpected(tool)
	}
	var report struct {
		Resources []struct {
			Filename string `json:"filename"`
			Kind     string `json:"kind"`
			Name     string `json:"name"`
			Status   string `json:"status"`
			Msg      string `json:"msg"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &report); err != nil {
		return nil, fmt.Errorf("reading kubeconform output: %w", err)
	}
	var out []Finding
	docs := map[string][]*yaml.Node{}
	for _, r := range report.Resources {
		if r.Status == "statusValid" || r.Status == "statusEmpty" {
			continue
		}
		if _, ok := docs[r.Filename]; !ok {
			docs[r.Filename] = readDocuments(r.Filename)
		}
		doc := findResource(docs[r.Filename], r.Kind, r.Name)
		what := fmt.Sprintf("%s %q", r.Kind, r.Name)
		errs := schemaErrors(r.Msg)
		if len(errs) == 0 {
			out = append(out, Finding{Tool: tool, File: r.Filename, Line: lineOf(doc, nil), Message: what + ": " + r.Msg})
			continue
		}
		for _, e := range errs {
			out = append(out, Finding{
				Tool:    tool,
				File:    r.Filename,
				Line:    lineOf(doc, e.tokens()),
				Message: fmt.Sprintf("%s: at %s: %s", what, e.pointer, e.msg),
			})
		}
	}
	if res.code == 1 && len(out) == 0 {
		return nil, res.unexpected(tool)
	}
	return out, nil
}

type schemaError struct{ pointer, msg string }

var additionalRE = regexp.MustCompile(`^additional properties '([^']+)'`)

// tokens returns where the error points: its location, or for an unknown
// property, that property.
func (e schemaError) tokens() []string {
	toks := splitPointer(e.pointer)
	if m := additionalRE.FindStringSubmatch(e.msg); m != nil {
		toks = append(toks, m[1])
	}
	return toks
}

// atRE finds the "- at '/pointer': message" items of a jsonschema error text,
// which kubeconform flattens onto one line.
var atRE = regexp.MustCompile(`- at '([^']*)': `)

// schemaErrors splits kubeconform's message into its innermost errors,
// leaving out the "validation failed" summaries of their parents.
func schemaErrors(msg string) []schemaError {
	idx := atRE.FindAllStringSubmatchIndex(msg, -1)
	var out []schemaError
	for i, m := range idx {
		end := len(msg)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		text := strings.TrimSpace(msg[m[1]:end])
		if text == "validation failed" || strings.HasSuffix(text, "failed, none matched") {
			continue
		}
		p := msg[m[2]:m[3]]
		if p == "" {
			p = "/"
		}
		out = append(out, schemaError{pointer: p, msg: text})
	}
	return out
}

func readDocuments(file string) []*yaml.Node {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	docs, _ := parseDocuments(data)
	return docs
}

// findResource returns the document of the given kind and name.
func findResource(docs []*yaml.Node, kind, name string) *yaml.Node {
	for _, d := range docs {
		var meta struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
		}
		if d.Decode(&meta) == nil && meta.Kind == kind && meta.Metadata.Name == name {
			return d
		}
	}
	return nil
}

// vendoredKubernetesSchemas writes the embedded Kubernetes schemas to a
// directory kubeconform can read, named after their content so that it is
// written once per machine and never goes stale.
var vendoredKubernetesSchemas = sync.OnceValues(func() (string, error) {
	sub, err := fs.Sub(schemas.FS, schemas.KubernetesDir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	files := map[string][]byte{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		files[p] = b
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), "wurzel-k8s-schemas-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(dir, "_definitions.json")); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "wurzel-k8s-schemas-")
	if err != nil {
		return "", err
	}
	for p, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, p), b, 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, "_definitions.json")); serr == nil {
			return dir, nil // written meanwhile by another test process
		}
		return "", fmt.Errorf("writing Kubernetes schemas for kubeconform: %w", err)
	}
	return dir, nil
})
