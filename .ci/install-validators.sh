#!/usr/bin/env bash
# Install the real validators of every ecosystem wurzel renders for, at pinned
# versions, so that tests can run them offline on rendered files:
#
#   actionlint (+ shellcheck)   GitHub Actions workflows
#   argo-validate               Argo Workflows (tools/argo-validate: Argo's own validate package)
#   kubeconform (+ schemas)     Kubernetes manifests, strict schemas generated from k8s.io/kubernetes
#   gitlab-ci-local             .gitlab-ci.yml (GitLab's ci.json + its own semantic checks), needs Node >= 18
#   pyflakes3                   Airflow DAG files (with python3 -m py_compile and an AST check)
#
# dvc.yaml needs nothing installed: it is checked in Go against schemas/dvc.schema.json.
#
# Usage: .ci/install-validators.sh
# Installs into ${WURZEL_TOOLS:-$HOME/.cache/wurzel-tools}: binaries in bin/ (put it on PATH),
# npm packages in npm/, Kubernetes schemas in k8s-schemas/. Idempotent: a tool already
# installed at its pinned version is kept. apt packages are installed with sudo when not root.
set -euo pipefail

ACTIONLINT=v1.7.12
KUBECONFORM=v0.8.0
GITLAB_CI_LOCAL=4.65.1  # newest release that runs on Node 20 (later ones need Node 22)
K8S=v1.36.3             # k8s.io/kubernetes module: source of api/openapi-spec/swagger.json
APT_PACKAGES=(shellcheck pyflakes3)

root=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${WURZEL_TOOLS:-$HOME/.cache/wurzel-tools}
BIN=$TOOLS/bin
mkdir -p "$BIN" "$TOOLS/stamps"
t0=$SECONDS
say() { printf '[install-validators %3ds] %s\n' $((SECONDS - t0)) "$*"; }

# stamp NAME CONTENT: true when the stamp of NAME holds CONTENT (the install is current).
stamp_ok() { [ -f "$TOOLS/stamps/$1" ] && [ "$(cat "$TOOLS/stamps/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" > "$TOOLS/stamps/$1"; }

# gomod_version BINARY: the main module version a Go binary was built from, or nothing.
gomod_version() { [ -x "$1" ] && go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'; }

# 1. apt packages (skipped when their commands are already there).
missing=()
for p in "${APT_PACKAGES[@]}"; do command -v "$p" >/dev/null || missing+=("$p"); done
# jinja2 lets the Airflow tests render every templated field as Airflow would.
python3 -c 'import jinja2' 2>/dev/null || missing+=(python3-jinja2)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-validators: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  say "apt-get install ${missing[*]}"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. gitlab-ci-local from npm, in the background (network-bound; overlaps the Go builds).
npm_pid=
if ! stamp_ok gitlab-ci-local "$GITLAB_CI_LOCAL" || [ ! -x "$TOOLS/npm/node_modules/.bin/gitlab-ci-local" ]; then
  say "npm install gitlab-ci-local@$GITLAB_CI_LOCAL (background)"
  (
    mkdir -p "$TOOLS/npm" && cd "$TOOLS/npm" && echo '{"private":true}' > package.json &&
      npm install --no-audit --no-fund --ignore-scripts --loglevel=error "gitlab-ci-local@$GITLAB_CI_LOCAL" >/dev/null &&
      stamp_set gitlab-ci-local "$GITLAB_CI_LOCAL"
  ) &
  npm_pid=$!
fi
ln -sfn ../npm/node_modules/.bin/gitlab-ci-local "$BIN/gitlab-ci-local"

# argo-validate's ~500 modules download in the background while the other tools compile.
argo_src=$(cd "$root/tools/argo-validate" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)
download_pid=
if ! stamp_ok argo-validate "$argo_src" || [ ! -x "$BIN/argo-validate" ]; then
  (cd "$root/tools/argo-validate" && go mod download) &
  download_pid=$!
fi

# 3. Go tools, pinned (the binary records the version it was built from). All Go builds use
#    the default build flags, so that they share the compiled standard library and
#    `go vet` in tools/argo-validate reuses the build.
export GOBIN=$BIN
[ "$(gomod_version "$BIN/actionlint")" = "$ACTIONLINT" ] ||
  { say "go install actionlint@$ACTIONLINT"; go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT"; }
[ "$(gomod_version "$BIN/kubeconform")" = "$KUBECONFORM" ] ||
  { say "go install kubeconform@$KUBECONFORM"; go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM"; }

# 4. argo-validate: its own module under tools/, rebuilt when its sources change.
if [ -n "$download_pid" ]; then
  wait "$download_pid" || { echo "install-validators: downloading the modules of tools/argo-validate failed" >&2; exit 1; }
  say "go build tools/argo-validate (the first build compiles ~500 modules: 2 to 5 minutes on 2 cores)"
  (cd "$root/tools/argo-validate" && go build -mod=readonly -ldflags='-s -w' -o "$BIN/argo-validate" .)
  stamp_set argo-validate "$argo_src"
fi

# 5. Every Kubernetes kind as a strict kubeconform schema (schemas/ vendors only the kinds the packs emit).
k8s_flags=(--strict --compact)  # as schemas/kubernetes, so that tests can compare the two
k8s_stamp="$K8S ${k8s_flags[*]} $(sha256sum "$root/.ci/schematool.py" | cut -d' ' -f1)"
if ! stamp_ok k8s-schemas "$k8s_stamp" || [ ! -f "$TOOLS/k8s-schemas/$K8S-strict/cronjob-batch-v1.json" ]; then
  say "kubernetes $K8S schemas"
  tmp=$(mktemp -d)
  dir=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  rm -rf "$tmp" "$TOOLS/k8s-schemas/$K8S-strict"
  python3 "$root/.ci/schematool.py" k8s "$dir/api/openapi-spec/swagger.json" "$TOOLS/k8s-schemas/$K8S-strict" "${k8s_flags[@]}" >/dev/null
  stamp_set k8s-schemas "$k8s_stamp"
fi

if [ -n "$npm_pid" ]; then
  wait "$npm_pid" || { echo "install-validators: npm install gitlab-ci-local@$GITLAB_CI_LOCAL failed" >&2; exit 1; }
fi

# Every tool answers: a broken install fails here, not in the middle of the tests.
"$BIN/actionlint" -version >/dev/null
"$BIN/kubeconform" -v >/dev/null
"$BIN/argo-validate" --help 2>/dev/null || [ $? = 2 ]
"$BIN/gitlab-ci-local" --version >/dev/null
shellcheck --version >/dev/null
pyflakes3 --version >/dev/null
python3 -c 'import jinja2'
say "done: $BIN"
