package validators

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/schemas"
)

// TestValidators proves that each validator accepts a valid file and catches
// the mistakes it is there for, with the whole message of every finding.
func TestValidators(t *testing.T) {
	tests := []struct {
		validator string
		files     []string
		want      []string
	}{
		{NameArgo, []string{"argo/valid-workflow.yaml"}, nil},
		{NameArgo, []string{"argo/valid-cronworkflow.yaml"}, nil},
		{NameArgo, []string{"argo/missing-dependency.yaml"}, []string{
			`argo/missing-dependency.yaml: in "demo-" (Workflow): templates.main sorting failed: invalid dependency extract (argo-validate)`,
		}},
		{NameArgo, []string{"argo/unknown-field.yaml"}, []string{
			`argo/unknown-field.yaml: in "demo-" (Workflow): strict decoding error: unknown field "spec.templates[0].containr" (argo-validate)`,
		}},
		{NameArgo, []string{"argo/bad-schedule.yaml"}, []string{
			`argo/bad-schedule.yaml: in "demo" (CronWorkflow): cron schedule 61 * * * * is malformed: end of range (61) above maximum (59): 61 (argo-validate)`,
		}},
		{NameArgo, []string{"argo/ref-workflow.yaml"}, []string{
			`argo/ref-workflow.yaml: in "demo-" (Workflow): couldn't find workflow template "shared-steps" in namespace "" (argo-validate)`,
		}},
		{NameArgo, []string{"argo/ref-workflow.yaml", "argo/ref-template.yaml"}, nil},
		{NameArgo, []string{"k8s/valid.yaml"}, []string{
			`k8s/valid.yaml: no Argo Workflows resource found (argo-validate)`,
		}},

		{NameActionlint, []string{"github/valid.yml"}, nil},
		{NameActionlint, []string{"github/unknown-needs.yml"}, []string{
			`github/unknown-needs.yml:5: job "train" needs job "extract" which does not exist in this workflow [job-needs] (actionlint)`,
		}},
		{NameActionlint, []string{"github/bad-cron-and-script.yml"}, []string{
			`github/bad-cron-and-script.yml:4: invalid CRON format "0 25 * * *" in schedule event: end of range (25) above maximum (23): 25 [events] (actionlint)`,
			`github/bad-cron-and-script.yml:9: shellcheck reported issue in this script: SC2045:error:1:10: Iterating over ls output is fragile. Use globs [shellcheck] (actionlint)`,
			`github/bad-cron-and-script.yml:9: shellcheck reported issue in this script: SC2086:info:1:30: Double quote to prevent globbing and word splitting [shellcheck] (actionlint)`,
		}},

		{NameKubeconform, []string{"k8s/valid.yaml"}, nil},
		{NameKubeconform, []string{"k8s/typo.yaml"}, []string{
			`k8s/typo.yaml:5: CronJob "demo": at /spec: missing property 'schedule' (kubeconform)`,
			`k8s/typo.yaml:15: CronJob "demo": at /spec/jobTemplate/spec/template/spec/containers/0/command: got string, want array (kubeconform)`,
			`k8s/typo.yaml:6: CronJob "demo": at /spec: additional properties 'schedul' not allowed (kubeconform)`,
		}},
		{NameKubeconform, []string{"k8s/unknown-kind.yaml"}, []string{
			`k8s/unknown-kind.yaml:1: ConfigMapp "demo": could not find schema for ConfigMapp (kubeconform)`,
		}},

		{NameGitLabCI, []string{"gitlab/valid.gitlab-ci.yml"}, nil},
		{NameGitLabCI, []string{"gitlab/unknown-stage.gitlab-ci.yml"}, []string{
			`gitlab/unknown-stage.gitlab-ci.yml:2: stage:deploy not found for train (gitlab-ci-local)`,
		}},
		{NameGitLabCI, []string{"gitlab/unknown-needs.gitlab-ci.yml"}, []string{
			`gitlab/unknown-needs.gitlab-ci.yml:2: needs: [extract] for train could not be found (gitlab-ci-local)`,
		}},
		{NameGitLabCI, []string{"gitlab/schema-errors.gitlab-ci.yml"}, []string{
			`gitlab/schema-errors.gitlab-ci.yml:4: 'artifact' property is not expected to be here at train [#/additionalProperties] (gitlab-ci-local)`,
			`gitlab/schema-errors.gitlab-ci.yml:6: property 'retry' must be <= 2 at train.retry [#/definitions/retry_max/maximum] (gitlab-ci-local)`,
		}},

		{NameDVC, []string{"dvc/valid.dvc.yaml"}, nil},
		{NameDVC, []string{"dvc/command-not-cmd.dvc.yaml"}, []string{
			`dvc/command-not-cmd.dvc.yaml:2: at /stages/extract: missing property 'cmd' (dvc-schema)`,
			`dvc/command-not-cmd.dvc.yaml:3: at /stages/extract: additional properties 'command' not allowed (dvc-schema)`,
		}},
		{NameDVC, []string{"dvc/bad-types.dvc.yaml"}, []string{
			`dvc/bad-types.dvc.yaml:4: at /stages/extract/deps: got string, want array (dvc-schema)`,
			`dvc/bad-types.dvc.yaml:5: at /stages/extract/always_changed: got string, want boolean (dvc-schema)`,
		}},
		{NameDVC, []string{"dvc/duplicate-key.dvc.yaml"}, []string{
			`dvc/duplicate-key.dvc.yaml: invalid YAML: line 5: mapping key "cmd" already defined at line 3 (dvc-schema)`,
		}},

		{NameAirflow, []string{"airflow/valid.py"}, nil},
		{NameAirflow, []string{"airflow/syntax-error.py"}, []string{
			`airflow/syntax-error.py:5: SyntaxError: '(' was never closed (py_compile)`,
		}},
		{NameAirflow, []string{"airflow/unknown-task.py"}, []string{
			`airflow/unknown-task.py:9: undefined name 'tran' (pyflakes3)`,
			`airflow/unknown-task.py:6: schedule '0 2 * *' is neither a 5-field cron expression nor a preset (airflow_ast_check.py)`,
			`airflow/unknown-task.py:8: duplicate task_id 'extract' (first on line 7) (airflow_ast_check.py)`,
			`airflow/unknown-task.py:9: dependency uses unknown task variable 'tran' (airflow_ast_check.py)`,
		}},
	}
	t.Chdir("testdata")
	for _, tt := range tests {
		t.Run(tt.validator+"/"+strings.Join(tt.files, "+"), func(t *testing.T) {
			Require(t, tt.validator)
			findings, err := Run(tt.validator, tt.files...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				got = append(got, f.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n got %s\nwant %s", lines(got), lines(tt.want))
			}
		})
	}
}

func lines(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return "\n\t" + strings.Join(s, "\n\t")
}

// TestCheckValidFixtures runs Check, the one-line form tests of rendered
// output use, on every valid fixture.
func TestCheckValidFixtures(t *testing.T) {
	t.Chdir("testdata")
	Check(t, NameArgo, "argo/valid-workflow.yaml", "argo/valid-cronworkflow.yaml")
	Check(t, NameActionlint, "github/valid.yml")
	Check(t, NameKubeconform, "k8s/valid.yaml")
	Check(t, NameGitLabCI, "gitlab/valid.gitlab-ci.yml")
	Check(t, NameDVC, "dvc/valid.dvc.yaml")
	Check(t, NameAirflow, "airflow/valid.py")
}

// fakeTB records what Require does instead of stopping the test.
type fakeTB struct {
	testing.TB
	skipped, fatal string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Skip(args ...any)                  { f.skipped = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.fatal = fmt.Sprintf(format, args...) }

func TestRequire(t *testing.T) {
	tools := t.TempDir()
	bin := filepath.Join(tools, "bin")
	t.Setenv(EnvTools, tools)
	t.Setenv("PATH", t.TempDir())
	missing := fmt.Sprintf("argo validator: argo-validate not found in %s or on PATH; install with .ci/install-validators.sh", bin)
	tests := []struct {
		name, validator, require string
		wantSkip, wantFatal      string
	}{
		{"missing tool skips", NameArgo, "", missing, ""},
		{"missing tool fails when required", NameArgo, "1", "", missing + " (WURZEL_REQUIRE_VALIDATORS=1 makes this an error)"},
		{"nothing to install", NameDVC, "1", "", ""},
		{"unknown validator", "argo-lint", "", "", `validators.Require: unknown validator "argo-lint" (known: actionlint, airflow, argo, dvc, gitlab-ci, kubeconform)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvRequire, tt.require)
			f := &fakeTB{}
			Require(f, tt.validator)
			if f.skipped != tt.wantSkip || f.fatal != tt.wantFatal {
				t.Errorf("got skip %q, fatal %q\nwant skip %q, fatal %q", f.skipped, f.fatal, tt.wantSkip, tt.wantFatal)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tools, path := t.TempDir(), t.TempDir()
	t.Setenv(EnvTools, tools)
	t.Setenv("PATH", path)
	write := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(tools, "bin", "both"))
	write(filepath.Join(path, "both"))
	write(filepath.Join(path, "onpath"))
	tests := []struct{ tool, want, wantErr string }{
		{"both", filepath.Join(tools, "bin", "both"), ""},
		{"onpath", filepath.Join(path, "onpath"), ""},
		{"nowhere", "", fmt.Sprintf("nowhere not found in %s or on PATH (install it with .ci/install-validators.sh)", filepath.Join(tools, "bin"))},
	}
	for _, tt := range tests {
		got, err := Lookup(tt.tool)
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %q", tt.tool, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestRunUnknown(t *testing.T) {
	_, err := Run("helm")
	want := `unknown validator "helm" (known: actionlint, airflow, argo, dvc, gitlab-ci, kubeconform)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestVendoredKubernetesSchemas checks that schemas/kubernetes still matches
// what .ci/schematool.py makes of the pinned Kubernetes spec: every vendored
// definition must equal the one in the full set .ci/install-validators.sh
// generates. A change to the tool or the version without running
// .ci/update-schemas.sh fails here.
func TestVendoredKubernetesSchemas(t *testing.T) {
	Require(t, NameKubeconform)
	full := filepath.Join(ToolsDir(), "k8s-schemas", schemas.KubernetesVersion+"-strict", "_definitions.json")
	b, err := os.ReadFile(full)
	if err != nil {
		t.Fatalf("reading the generated schemas (run .ci/install-validators.sh): %v", err)
	}
	var all struct{ Definitions map[string]json.RawMessage }
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	b, err = schemas.FS.ReadFile(schemas.KubernetesDir + "/_definitions.json")
	if err != nil {
		t.Fatal(err)
	}
	var vendored struct{ Definitions map[string]json.RawMessage }
	if err := json.Unmarshal(b, &vendored); err != nil {
		t.Fatal(err)
	}
	for name, def := range vendored.Definitions {
		var a, b any
		if err := json.Unmarshal(def, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(all.Definitions[name], &b); err != nil {
			t.Fatalf("%s: not in %s: %v", name, full, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs from %s: run .ci/update-schemas.sh", name, full)
		}
	}
}
