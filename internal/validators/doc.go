// Package validators runs the real validator of each ecosystem wurzel renders
// for on files and returns what it found, so that tests can prove rendered
// output is accepted by the tools its users run:
//
//	Argo         tools/argo-validate: Argo's own validation code, as `argo lint --offline`
//	Actionlint   actionlint, with shellcheck for `run:` scripts
//	Kubeconform  kubeconform -strict with the vendored Kubernetes schemas
//	GitLabCI     gitlab-ci-local --list: GitLab's ci.json plus stage and needs checks
//	DVC          the vendored dvc.yaml JSON schema, in Go (nothing to install)
//	Airflow      python3 -m py_compile, pyflakes3 and a structural check of the DAG
//
// The tools are installed by .ci/install-validators.sh into
// $WURZEL_TOOLS/bin (default $HOME/.cache/wurzel-tools/bin) and looked up
// there first, then on PATH. A test calls Require (or Check) first: when a tool
// is missing the test is skipped, or fails when WURZEL_REQUIRE_VALIDATORS=1
// (as in CI).
//
// Each function returns the findings of the tool, one per problem, and an
// error only when the tool could not be run or its output not understood.
package validators
