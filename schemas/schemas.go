// Package schemas holds the JSON schemas that rendered files are validated
// against, vendored from their upstream projects at pinned versions. README.md
// records each file's source, version, license and the changes made to it;
// .ci/update-schemas.sh regenerates them.
//
// The files are embedded so that validation works offline and needs nothing
// installed. FS is rooted at this directory: "dvc.schema.json",
// "kubernetes/v1.36.3-strict/cronjob-batch-v1.json" and so on.
package schemas

import (
	"embed"
	"fmt"
	"strings"

	"github.com/wurzel-dev/wurzel/third_party/jsonschema"
)

// FS holds every vendored schema, at the paths the constants below name.
//
//go:embed *.json all:kubernetes
var FS embed.FS

// Paths of the vendored schemas in FS.
const (
	// DVC is iterative's dvcyaml-schema for dvc.yaml (a DVC 2 era snapshot).
	DVC = "dvc.schema.json"
	// GitHubWorkflow is SchemaStore's schema for .github/workflows/*.yml.
	GitHubWorkflow = "github-workflow.schema.json"
	// GitLabCI is GitLab's ci.json for .gitlab-ci.yml.
	GitLabCI = "gitlab-ci.schema.json"
	// Argo is Argo Workflows' schema, pruned to Workflow, CronWorkflow,
	// WorkflowTemplate and ClusterWorkflowTemplate and made strict.
	Argo = "argo-workflows.schema.json"
	// KubernetesDir is a kubeconform schema directory for the Kubernetes
	// kinds the packs emit: <kind>[-<group>]-<version>.json files referring
	// to _definitions.json, strict (unknown fields are errors).
	KubernetesDir = "kubernetes/" + KubernetesVersion + "-strict"
	// KubernetesVersion is the Kubernetes release the schemas come from.
	KubernetesVersion = "v1.36.3"
)

// base is the URL under which the vendored files are compiled; it names no
// real location, so a reference that leaves FS cannot be fetched.
const base = "file:///wurzel/schemas/"

type fsLoader struct{}

func (fsLoader) Load(url string) (any, error) {
	p, ok := strings.CutPrefix(url, base)
	if !ok {
		return nil, fmt.Errorf("schema %s is not vendored in schemas/", url)
	}
	f, err := FS.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// Compile compiles the vendored schema at path (one of the paths above, or a
// kind file in KubernetesDir). References are resolved within FS only:
// nothing is fetched.
func Compile(path string) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{"file": fsLoader{}})
	s, err := c.Compile(base + path)
	if err != nil {
		return nil, fmt.Errorf("compiling schema %s: %w", path, err)
	}
	return s, nil
}
