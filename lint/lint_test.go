package lint

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/templates"
)

// examplePipeline is the demo pipeline, written into test folders.
const examplePipeline = `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: demo
spec:
  backend: [dvc, argo, github-actions]
  steps:
    - name: source
      class: ManualMarkdownStep
      settings:
        FOLDER_PATH: ./docs
    - name: splitter
      class: SimpleSplitterStep
      dependsOn: [source]
`

// write creates files (slash paths) under dir.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lintDir lints the pipeline.yaml of a folder made of files, from inside it.
func lintDir(t *testing.T, files map[string]string, cfg Config) *Report {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, files)
	t.Chdir(dir)
	if cfg.Pipeline == "" {
		cfg.Pipeline = "pipeline.yaml"
	}
	cfg.Templates, cfg.Version, cfg.Image = templates.FS, "dev", "ghcr.io/wurzel-dev/wurzel:latest"
	r, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lines formats the findings of at least severity min, one per line.
func lines(r *Report, min Severity) []string {
	rank := map[Severity]int{Error: 0, Warning: 1, Info: 2}
	var out []string
	for _, f := range r.Findings {
		if rank[f.Severity] <= rank[min] {
			out = append(out, f.String())
		}
	}
	return out
}

func TestRun(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   Config
		want  []string
	}{
		{
			name:  "the example is clean",
			files: map[string]string{"pipeline.yaml": examplePipeline, "values.yaml": "argo: {namespace: wurzel}\n"},
			cfg:   Config{ValueFiles: []string{"values.yaml"}},
		},
		{
			name:  "an unknown values key, with the nearest key",
			files: map[string]string{"pipeline.yaml": examplePipeline, "values.yaml": "argo:\n  namespce: prod\nglobal:\n  dataDri: x\n"},
			cfg:   Config{ValueFiles: []string{"values.yaml"}},
			want: []string{
				`values.yaml:2:3: error: unknown key "namespce" in argo (did you mean "namespace"?) [values]`,
				`values.yaml:4:3: error: unknown key "dataDri" in global (did you mean "dataDir"?) [values]`,
			},
		},
		{
			name: "a literal secret in values, reported where it is written and not again in the outputs",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"values.yaml": "argo:\n  container:\n    env:\n      OPENAI_API_KEY: sk-proj-Abc123Def456Ghi789Jkl012Mno345\n"},
			cfg: Config{ValueFiles: []string{"values.yaml"}},
			want: []string{
				"values.yaml:4:7: error: argo.container.env.OPENAI_API_KEY: holds an OpenAI API key, a literal secret; " + secretFix + " [secret]",
			},
		},
		{
			name:  "a literal secret in --set is masked in the report",
			files: map[string]string{"pipeline.yaml": examplePipeline},
			cfg:   Config{Sets: []engine.SetExpr{{Kind: "set", Expr: "githubActions.env.DB_PASSWORD=s3cr3t-P@ssw0rd"}}},
			want: []string{
				"--set githubActions.env.DB_PASSWORD=***: error: githubActions.env.DB_PASSWORD: holds a random-looking literal under a secret-like name, a literal secret; " + secretFix + " [secret]",
			},
		},
		{
			name: "a literal secret in a custom step's settings",
			files: map[string]string{"pipeline.yaml": examplePipeline + `    - name: publish
      command: [python3, publish.py]
      dependsOn: [splitter]
      settings:
        API_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789
`},
			want: []string{
				"pipeline.yaml:19:20: error: spec.steps[2].settings.API_TOKEN: holds a GitHub token, a literal secret; " + secretFix + " [secret]",
			},
		},
		{
			name: "a weak literal under a secret-like name is a warning",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"values.yaml": "githubActions:\n  env:\n    ADMIN_PASSWORD: changeme\n"},
			cfg: Config{ValueFiles: []string{"values.yaml"}},
			want: []string{
				"values.yaml:3:5: warning: githubActions.env.ADMIN_PASSWORD: holds a literal under a secret-like name; " + weakFix + " [secret]",
			},
		},
		{
			name: "an override template that does not parse",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"ours/argo/_extra.tpl": "{{ define \"x\" }}\n{{ .Values.argo.namespace }\n{{ end }}\n"},
			cfg:  Config{TemplateDirs: []string{"ours"}},
			want: []string{`ours/argo/_extra.tpl:2: error: unexpected "}" in operand [argo template]`},
		},
		{
			name: "an override template that reads a missing key",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"ours/dvc/dvc.yaml.tmpl": "stages:\n  x:\n    cmd: {{ .Values.dvc.nope }}\n"},
			cfg: Config{TemplateDirs: []string{"ours"}},
			want: []string{
				`ours/dvc/dvc.yaml.tmpl:3:19: error: executing "dvc/dvc.yaml.tmpl" at <.Values.dvc.nope>: map has no entry for key "nope" [dvc template]`,
			},
		},
		{
			name: "an override template that prints <no value>",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"ours/dvc/dvc.yaml.tmpl": "stages:\n  x:\n    cmd: echo {{ (dict \"a\" nil).a }}\n"},
			cfg: Config{TemplateDirs: []string{"ours"}},
			want: []string{
				"dvc.yaml:5: error: prints <no value>: a template reads a missing key (use index, dig or hasKey with a default) [dvc no-value]",
			},
		},
		{
			name: "an override template whose output breaks the target's schema and references",
			files: map[string]string{"pipeline.yaml": examplePipeline,
				"ours/dvc/dvc.yaml.tmpl": "stages:\n  x:\n    command: echo\n    deps: a\n"},
			cfg: Config{TemplateDirs: []string{"ours"}},
			want: []string{
				"dvc.yaml:4: error: stages.x: missing property 'cmd' (dvc.yaml schema) [dvc schema]",
				"dvc.yaml:5: error: stages.x.command: additional properties 'command' not allowed (dvc.yaml schema) [dvc schema]",
				"dvc.yaml:6: error: stages.x.deps: got string, want array (dvc.yaml schema) [dvc schema]",
			},
		},
		{
			name: "expressions the target would evaluate, at the values line and the step",
			files: map[string]string{"pipeline.yaml": strings.Replace(examplePipeline, "./docs", "'{{workflow.name}}'", 1),
				"values.yaml": "argo:\n  container:\n    env:\n      GREETING: '{{workflow.name}}'\n"},
			cfg: Config{ValueFiles: []string{"values.yaml"}, Backends: []string{"argo"}},
			want: []string{
				`pipeline.yaml:8: error: step "source": setting FOLDER_PATH holds "{{", which Argo Workflows evaluates as an expression; remove it, or if you mean an expression add "steps.source.settings.FOLDER_PATH" to argo.allowExpressions [argo expressions]`,
				`values.yaml:4:7: error: argo.container.env.GREETING holds "{{", which Argo Workflows evaluates as an expression; remove it, or if you mean an expression add "container.env.GREETING" to argo.allowExpressions [argo expressions]`,
			},
		},
		{
			name: "text no backend can carry, said once and not blamed on the templates",
			files: map[string]string{"pipeline.yaml": strings.Replace(examplePipeline, "./docs", "'a <no value> b'", 1),
				"values.yaml": "global: {env: {X: \"\\0\"}}\nargo:\n  container:\n    env:\n      X: '<no value>'\n"},
			cfg: Config{ValueFiles: []string{"values.yaml"}, Backends: []string{"dvc", "argo", "github-actions"}},
			want: []string{
				`pipeline.yaml:8: error: step "source": setting FOLDER_PATH holds "<no value>", which is how a template prints a missing value, so wurzel refuses it in rendered files; remove it [expressions]`,
				`values.yaml:1:16: error: global.env.X holds a NUL byte, which no command line, environment or rendered file can carry; remove it [expressions]`,
				`values.yaml:5:7: error: argo.container.env.X holds "<no value>", which is how a template prints a missing value, so wurzel refuses it in rendered files; remove it [argo expressions]`,
			},
		},
		{
			name: "a pipeline with problems is reported and nothing is rendered",
			files: map[string]string{"pipeline.yaml": strings.Replace(examplePipeline, "dependsOn: [source]", "dependsOn: [sourc]", 1),
				"values.yaml": "argo: {namespce: x}\n"},
			cfg: Config{ValueFiles: []string{"values.yaml"}},
			want: []string{
				`pipeline.yaml:14:18: error: step "splitter": dependsOn[0]: unknown step "sourc" (did you mean "source"?) [pipeline]`,
				`values.yaml:1:8: error: unknown key "namespce" in argo (did you mean "namespace"?) [values]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lintDir(t, tt.files, tt.cfg)
			got := lines(r, Warning)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if r.Failed() != (len(tt.want) > 0 && strings.Contains(strings.Join(tt.want, ""), ": error: ")) {
				t.Errorf("Failed() = %v", r.Failed())
			}
		})
	}
}

func TestRunUnknownBackend(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"pipeline.yaml": examplePipeline})
	_, err := Run(context.Background(), Config{Pipeline: filepath.Join(dir, "pipeline.yaml"), Backends: []string{"argoo"}, Templates: templates.FS})
	want := `unknown backend "argoo"; available: airflow, argo, dvc, github-actions, gitlab-ci, k8s-cronjob (or all)`
	if be, ok := err.(*BackendError); !ok || be.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestWriteJSON(t *testing.T) {
	r := lintDir(t, map[string]string{"pipeline.yaml": examplePipeline, "values.yaml": "argo: {namespce: x}\n"}, Config{ValueFiles: []string{"values.yaml"}})
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		OK       bool
		Errors   int
		Backends []string
		Files    []string
		Findings []Finding
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Errors != 1 || len(got.Findings) != 1 || got.Findings[0].Line != 1 || got.Findings[0].Rule != RuleValues || len(got.Files) != 4 {
		t.Errorf("unexpected JSON:\n%s", b.String())
	}
}

// testCase is a testdata/pipelines/<name>/case.yaml (as render_test.go reads it).
type testCase struct {
	Pipeline     string   `yaml:"pipeline"`
	Values       []string `yaml:"values"`
	Set          []string `yaml:"set"`
	TemplatesDir []string `yaml:"templatesDir"`
	PipelineName string   `yaml:"pipelineName"`
	Backends     []string `yaml:"backends"`
}

// TestCases lints the example and the inputs of every golden case: none may have an error
// or a warning.
func TestCases(t *testing.T) {
	t.Chdir("..")
	dirs, err := os.ReadDir("testdata/pipelines")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]testCase{
		"examples/pipelinedemo": {Pipeline: "examples/pipelinedemo/pipeline.yaml", Values: []string{"examples/pipelinedemo/values.yaml"}},
	}
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join("testdata/pipelines", d.Name(), "case.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var c testCase
		if err := yaml.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		if len(c.Backends) == 0 {
			c.Backends = []string{"all"}
		}
		cases[d.Name()] = c
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := Config{
				Pipeline: c.Pipeline, ValueFiles: c.Values, TemplateDirs: c.TemplatesDir,
				Backends: c.Backends, PipelineName: c.PipelineName,
				Templates: templates.FS, Version: "dev", Image: "ghcr.io/wurzel-dev/wurzel:latest",
			}
			for _, s := range c.Set {
				cfg.Sets = append(cfg.Sets, engine.SetExpr{Kind: "set", Expr: s})
			}
			r, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines(r, Warning) {
				t.Error(l)
			}
			if len(r.Files) == 0 {
				t.Error("nothing was rendered")
			}
		})
	}
}

// TestUnwritableTextIsNotRendered: text no file can carry is reported once, and the
// renders it would break are skipped and said to be: all of them for the pipeline or the
// global values, the pack's own for its values.
func TestUnwritableTextIsNotRendered(t *testing.T) {
	for _, tt := range []struct {
		name, values string
		want         []string
		files        []string
	}{
		{"global", "global: {env: {X: \"a <no value>\"}}\n", []string{
			`values.yaml:1:16: error: global.env.X holds "<no value>", which is how a template prints a missing value, so wurzel refuses it in rendered files; remove it [expressions]`,
			`pipeline.yaml: info: nothing was rendered: remove the text above that no file can carry first [coverage]`,
		}, nil},
		{"one pack's own", "argo:\n  container:\n    env:\n      X: \"\\0\"\n", []string{
			`values.yaml:4:7: error: argo.container.env.X holds a NUL byte, which no command line, environment or rendered file can carry; remove it [argo expressions]`,
			`pipeline.yaml: info: not rendered: remove the text above that no file can carry first [argo coverage]`,
		}, []string{"dvc.yaml", "wurzel.env"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := lintDir(t, map[string]string{"pipeline.yaml": examplePipeline, "values.yaml": tt.values},
				Config{ValueFiles: []string{"values.yaml"}, Backends: []string{"dvc", "argo"}})
			var got []string
			for _, l := range lines(r, Info) {
				if strings.Contains(l, "expressions]") || strings.Contains(l, "coverage]") || strings.Contains(l, ": error: ") {
					got = append(got, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if strings.Join(r.Files, " ") != strings.Join(tt.files, " ") {
				t.Errorf("files checked: %v, want %v", r.Files, tt.files)
			}
		})
	}
}
