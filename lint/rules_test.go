package lint

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/schemas"
	"github.com/wurzel-dev/wurzel/semdiff"
)

func doc(t *testing.T, src string) []*yaml.Node {
	t.Helper()
	docs, err := semdiff.ParseDocuments([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func format(fs []nameFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d %s: %s", f.line, f.path, f.msg))
	}
	return out
}

func TestPyScan(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"valid", "from airflow import DAG\nwith DAG(dag_id='a', tags=[\"x\"]) as dag:\n    t = {'a': (1, 2)}  # )]}\n", nil},
		{"triple quotes and prefixes", "doc = '''a\n' b ]\n'''\nx = rb\"\\\"(\" + f'{y}'\n", nil},
		{"line continuation", "x = 1 + \\\n    2\n", nil},
		{"unterminated string", "a = 'it's'\nb = 1\n", []string{"1: unterminated string literal (a template broke the quoting; use pyq to write Python strings)"}},
		{"unterminated triple", "a = \"\"\"x\n", []string{"1: unterminated triple-quoted string (a template broke the quoting; use pyq to write Python strings)"}},
		{"never closed", "t = BashOperator(\n    task_id='x',\n", []string{"1: '(' is never closed"}},
		{"mismatch", "a = [1,\n 2)\n", []string{"2: closing ')' does not match '[' opened on line 1"}},
		{"extra closing", "a = 1)\n", []string{"1: closing ')' without an opening bracket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := pyScan(tt.src)
			var got []string
			for _, p := range probs {
				got = append(got, fmt.Sprintf("%d: %s", p.line, p.msg))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPyKeyed(t *testing.T) {
	toks, _ := pyScan("env = {\"API_KEY\": \"v1\", 'N': 'v2'}\nop(token='v3', cmd=['--default', 'X=1'])\n")
	var got []string
	for _, kv := range pyKeyed(toks) {
		got = append(got, kv[0].text+"="+kv[1].text)
	}
	want := "=API_KEY API_KEY=v1 =N N=v2 token=v3 =--default =X=1"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"valid cronjob", "k8s/cronjob.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: a-b\n  labels: {app.kubernetes.io/name: a-b, team: x}\n", nil},
		{"cronjob name too long", "k8s/cronjob.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: " + strings.Repeat("a", 53) + "\n",
			[]string{"4 metadata.name: CronJob name \"" + strings.Repeat("a", 53) + "\" is 53 characters; the limit is 52"}},
		{"upper-case name", "x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: My_Map}\ndata: {\"a b\": x}\n",
			[]string{`3 metadata.name: ConfigMap name "My_Map" must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'`,
				`4 data["a b"]: ConfigMap key "a b" may hold only letters, digits, '-', '_' and '.'`}},
		{"label value", "x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    team: search team\n",
			[]string{"6 metadata.labels.team: label value \"search team\" is not a valid Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)"}},
		{"argo template name", "argo/workflow.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: a-}\nspec:\n  templates:\n    - name: run_step\n",
			[]string{`6 spec.templates[0].name: template name "run_step" must be letters, digits and '-', starting with a letter or digit, at most 128 characters (Argo)`}},
		{"github job id", ".github/workflows/a.yml", "on: push\njobs:\n  1st:\n    runs-on: x\n",
			[]string{`3 jobs.1st: job id "1st" must start with a letter or '_' and hold only letters, digits, '-' and '_' (GitHub Actions)`}},
		{"gitlab keyword as job", ".gitlab-ci.yml", "image:\n  script: [x]\n", []string{`1 image: "image" is a GitLab CI keyword and cannot name a job`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range doc(t, tt.src) {
				got = append(got, format(names(tt.file, d))...)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"github needs", ".github/workflows/a.yml", "jobs:\n  source: {runs-on: x}\n  split:\n    needs: [sourc]\n  dedup:\n    needs: split\n",
			[]string{`4 jobs.split.needs: needs job "sourc", which does not exist in this file (did you mean "source"?)`}},
		{"gitlab needs and stages", ".gitlab-ci.yml", "stages: [run]\na:\n  stage: run\n  script: [x]\nb:\n  stage: test\n  needs: [a, {job: c}, {pipeline: other}]\n  script: [x]\n",
			[]string{`6 b.stage: uses stage "test", which is not listed under stages:`, `7 b.needs[1]: needs job "c", which does not exist in this file`}},
		{"argo", "argo/workflow.yaml", `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: a}
spec:
  workflowSpec:
    entrypoint: mian
    templates:
      - name: main
        dag:
          tasks:
            - {name: source, template: run}
            - name: split
              template: runn
              depends: "source && (sourc.Failed || source)"
              arguments:
                artifacts:
                  - {name: x, from: "{{tasks.sorce.outputs.artifacts.x}}"}
      - name: run
`, []string{
			`6 spec.workflowSpec.entrypoint: entrypoint names template "mian", which does not exist in this file (did you mean "main"?)`,
			`13 spec.workflowSpec.templates[0].dag.tasks[1].template: uses template "runn", which does not exist in this file (did you mean "run"?)`,
			`14 spec.workflowSpec.templates[0].dag.tasks[1].depends: depends on task "sourc", which does not exist in this file (did you mean "source"?)`,
			`17 spec.workflowSpec.templates[0].dag.tasks[1].arguments.artifacts[0].from: refers to task "sorce", which does not exist in this file (did you mean "source"?)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range doc(t, tt.src) {
				got = append(got, format(refs(tt.file, d))...)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestSchemas(t *testing.T) {
	tests := []struct {
		name, file, src string
		schema          string
		want            []string
	}{
		{"dvc", "dvc.yaml", "stages:\n  a:\n    cmd: x\n    outs: [o]\n", schemas.DVC, nil},
		{"github fix-ups: any runner label, schedule time zone", ".github/workflows/a.yml",
			"on:\n  schedule:\n    - {cron: '0 1 * * *', timezone: Europe/Berlin}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps: [{run: x}]\n", schemas.GitHubWorkflow, nil},
		{"github typo", ".github/workflows/a.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    step: []\n", schemas.GitHubWorkflow,
			[]string{"5 jobs.a.step /jobs/a/step: additional properties 'step' not allowed (GitHub workflow schema)"}},
		{"github misspelt job key: a normal job with one error", ".github/workflows/a.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutez: 5\n    steps: [{run: x}]\n", schemas.GitHubWorkflow,
			[]string{"5 jobs.a.timeout-minutez /jobs/a/timeout-minutez: additional properties 'timeout-minutez' not allowed (GitHub workflow schema)"}},
		{"gitlab", ".gitlab-ci.yml", "a:\n  script: [x]\n  retry: 7\n", schemas.GitLabCI,
			[]string{"3 a.retry /a/retry: maximum: got 7, want 2 (GitLab CI schema)"}},
		{"argo kind chosen by kind", "argo/workflow.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: a-}\nspec:\n  entrypoint: m\n  templates:\n    - name: m\n      containr: {image: x}\n", schemas.Argo,
			[]string{"8 spec.templates[0].containr /spec/templates/0/containr: additional properties 'containr' not allowed (Argo Workflow schema)"}},
		{"kubernetes by apiVersion and kind", "k8s/x.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n  storageClas: x\n",
			schemas.KubernetesDir + "/persistentvolumeclaim-v1.json",
			[]string{"7 spec.storageClas /spec/storageClas: additional properties 'storageClas' not allowed (Kubernetes PersistentVolumeClaim schema)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, tt.src)[0]
			target, why := targetOf(tt.file, d)
			if target.schema != tt.schema {
				t.Fatalf("schema %q (%s), want %q", target.schema, why, tt.schema)
			}
			fs, err := schemaFindings(tt.file, d, target)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%d %s %s: %s", f.Line, f.Path, f.Pointer, f.Message))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestNoSchema(t *testing.T) {
	tests := map[string]string{
		"apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n":   "no embedded schema for v1 Secret; it was checked as YAML only (kubeconform with the full Kubernetes schemas checks it)",
		"apiVersion: argoproj.io/v1alpha1\nkind: EventSource\n": "no embedded schema for Argo EventSource; it was checked as YAML only",
		"a: 1\n": "no embedded schema matches this file (not dvc.yaml, a CI configuration, or a resource with apiVersion and kind); it was checked as YAML only",
	}
	for src, want := range tests {
		target, why := targetOf("x.yaml", doc(t, src)[0])
		if target.schema != "" || why != want {
			t.Errorf("%q: got %q %q, want %q", src, target.schema, why, want)
		}
	}
}
