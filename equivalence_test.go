package wurzel_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
)

// equivalencePipeline has what the example lacks: two sources of one class (per-step
// prefixes), a step with two inputs, a custom step whose setting holds shell syntax.
const equivalencePipeline = `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: equivalence
spec:
  steps:
    - name: guides
      class: ManualMarkdownStep
      settings: {FOLDER_PATH: ./guides}
    - name: notes
      class: ManualMarkdownStep
      settings: {FOLDER_PATH: notes}
    - name: chunks
      class: SimpleSplitterStep
      dependsOn: [guides, notes]
      settings: {TOKEN_COUNT_MAX: 64, TOKEN_COUNT_MIN: 8}
    - name: unique
      class: DropDuplicationStep
      dependsOn: [chunks]
    - name: stats
      command: [sh, scripts/stats.sh]
      dependsOn: [unique, notes]
      settings: {LABEL: "chunks of guides & notes, in $HOME's words"}
`

var equivalenceFiles = map[string]string{
	"guides/install.md": "---\nurl: https://example.com/install\nkeywords: install\n---\n# Install\n\nDownload the binary.\n\n## Linux\n\n" +
		strings.Repeat("Put it on your PATH and check that it runs. ", 20) + "\n\n## macOS\n\nThe same as on Linux.\n",
	"guides/deep/faq.md": "# FAQ\n\n| question | answer |\n|---|---|\n| why? | because |\n\n```sh\nwurzel run\n```\n",
	"notes/same.md":      "# Install\n\nDownload the binary.\n",
	"notes/other.md":     "# Other\n\nSomething else entirely.\n",
	"scripts/stats.sh": `set -eu
for d in $(echo "$WURZEL_INPUT_DIRS" | tr ':' ' '); do
  for f in "$d"/*; do printf '%s %s\n' "$(basename "$f")" "$(wc -c < "$f" | tr -d ' ')"; done
done > "$WURZEL_OUTPUT_DIR/sizes.txt"
printf '%s\n' "$STATS__LABEL" > "$WURZEL_OUTPUT_DIR/label.txt"
`,
}

// TestEquivalence runs pipelines three ways from fresh copies of their folder and
// compares every step's output folder byte for byte: the LocalBackend (wurzel run), the
// rendered dvc.yaml's stage commands run with sh in dependency order (as dvc repro does),
// and the rendered GitHub Actions workflow's run: scripts, job after job.
func TestEquivalence(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wurzel")
	}
	for _, tool := range []string{"sh", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	bin := filepath.Dir(wurzelBinary(t))
	env := []string{"PATH=" + bin + string(filepath.ListSeparator) + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LC_ALL=C"}

	example := filepath.Join("examples", "pipelinedemo")
	own := t.TempDir()
	for name, content := range equivalenceFiles {
		writeFile(t, filepath.Join(own, name), content)
	}
	writeFile(t, filepath.Join(own, "pipeline.yaml"), equivalencePipeline)
	cases := []struct {
		name, dir string
		values    []string
		steps     int
	}{
		{"example", example, []string{"values.yaml"}, 3},
		{"two sources and a custom step", own, nil, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dvc, gha, loc := copyDir(t, c.dir), copyDir(t, c.dir), copyDir(t, c.dir)
			for i, v := range c.values {
				c.values[i] = filepath.Join(c.dir, v)
			}

			render(t, dvc, "dvc", c.values, nil)
			for _, stage := range dvcStages(t, dvc) {
				shell(t, dvc, env, stage)
			}

			render(t, gha, "github-actions", c.values, []string{"githubActions.workingDirectory=."})
			for _, script := range workflowScripts(t, gha) {
				shell(t, gha, append(env, "WURZEL_RUN_ID=gha-1"), script)
			}

			run := exec.Command(filepath.Join(bin, "wurzel"), "run", "-p", filepath.Join(loc, "pipeline.yaml"), "--log-format", "text")
			run.Env = env
			if out, err := run.CombinedOutput(); err != nil {
				t.Fatalf("wurzel run: %v\n%s", err, out)
			}

			p, err := pipeline.LoadFile(filepath.Join(loc, "pipeline.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Spec.Steps) != c.steps {
				t.Fatalf("%d steps, want %d", len(p.Spec.Steps), c.steps)
			}
			for _, s := range p.Spec.Steps {
				want := tree(t, filepath.Join(loc, "data", s.Name))
				if len(want) == 0 {
					t.Errorf("step %s wrote nothing", s.Name)
				}
				for backend, dir := range map[string]string{"dvc": dvc, "github-actions": gha} {
					got := tree(t, filepath.Join(dir, "data", s.Name))
					if !maps.EqualFunc(got, want, bytes.Equal) {
						t.Errorf("step %s: %s wrote %v, the LocalBackend %v", s.Name, backend, describe(got), describe(want))
					}
				}
			}
		})
	}
}

// render renders one backend for the pipeline in dir into dir.
func render(t *testing.T, dir, backend string, valueFiles, sets []string) {
	t.Helper()
	path := filepath.Join(dir, "pipeline.yaml")
	p, err := pipeline.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := engine.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	job := &engine.Job{Pipeline: p, Source: src, Library: lib, Backends: []string{backend},
		ValueFiles: valueFiles, Version: "dev", Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	for _, s := range sets {
		job.Sets = append(job.Sets, engine.SetExpr{Kind: "set", Expr: s})
	}
	res, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Path)), string(f.Body))
	}
}

// dvcStages returns the stage commands of dir/dvc.yaml in an order dvc repro could run
// them: a stage comes after the stages whose outs it depends on.
func dvcStages(t *testing.T, dir string) []string {
	t.Helper()
	var file struct {
		Stages yaml.Node `yaml:"stages"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "dvc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	type stage struct {
		name       string
		Cmd        string `yaml:"cmd"`
		Deps, Outs []any
	}
	var stages []*stage
	for i := 0; i+1 < len(file.Stages.Content); i += 2 {
		s := &stage{name: file.Stages.Content[i].Value}
		if err := file.Stages.Content[i+1].Decode(s); err != nil {
			t.Fatal(err)
		}
		stages = append(stages, s)
	}
	producer := map[string]*stage{}
	for _, s := range stages {
		for _, o := range s.Outs {
			producer[pathOf(o)] = s
		}
	}
	var order []string
	done := map[*stage]bool{}
	var visit func(s *stage, depth int)
	visit = func(s *stage, depth int) {
		if done[s] || depth > len(stages) {
			return
		}
		for _, d := range s.Deps {
			if p := producer[pathOf(d)]; p != nil {
				visit(p, depth+1)
			}
		}
		done[s] = true
		order = append(order, s.Cmd)
	}
	for _, s := range stages {
		visit(s, 0)
	}
	return order
}

// pathOf is the path of a deps or outs entry: a string, or a map from the path to options.
func pathOf(entry any) string {
	if m, ok := entry.(map[string]any); ok {
		for k := range m {
			return k
		}
	}
	return fmt.Sprint(entry)
}

// workflowScripts returns the run: scripts of the rendered workflow that run wurzel, job
// after job in an order that respects needs:. Installing wurzel and moving artifacts is
// what GitHub does; here every job shares one folder.
func workflowScripts(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, ".github", "workflows", "*.yml"))
	if err != nil || len(files) != 1 {
		t.Fatalf("workflows %v (%v), want one", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		Needs any `yaml:"needs"`
		Steps []struct {
			Run              string `yaml:"run"`
			WorkingDirectory string `yaml:"working-directory"`
		} `yaml:"steps"`
	}
	var wf struct {
		Jobs map[string]job `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	var order, scripts []string
	done := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if done[name] {
			return
		}
		done[name] = true
		switch n := wf.Jobs[name].Needs.(type) {
		case string:
			visit(n)
		case []any:
			for _, d := range n {
				visit(fmt.Sprint(d))
			}
		}
		order = append(order, name)
	}
	for _, name := range slices.Sorted(maps.Keys(wf.Jobs)) {
		visit(name)
	}
	for _, name := range order {
		for _, s := range wf.Jobs[name].Steps {
			if !strings.Contains(s.Run, "wurzel run") {
				continue
			}
			if strings.Contains(s.Run, "${{") {
				t.Fatalf("job %s: a run: script uses a GitHub expression, which cannot run here:\n%s", name, s.Run)
			}
			if s.WorkingDirectory != "" && s.WorkingDirectory != "." {
				t.Fatalf("job %s: working-directory %q, want the rendered default .", name, s.WorkingDirectory)
			}
			scripts = append(scripts, s.Run)
		}
	}
	if len(scripts) == 0 {
		t.Fatal("no run: script runs wurzel")
	}
	return scripts
}

// shell runs a script with sh -c in dir.
func shell(t *testing.T, dir string, env []string, script string) {
	t.Helper()
	c := exec.Command("sh", "-c", script)
	c.Dir, c.Env = dir, env
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, out)
	}
}

// tree reads every file below root: slash path to content (none when root does not exist).
func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && p == root {
			return filepath.SkipAll
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// describe lists a tree's files with their sizes, for messages.
func describe(files map[string][]byte) string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		parts = append(parts, fmt.Sprintf("%s (%d bytes)", name, len(files[name])))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// copyDir copies the files of dir (not its data folder) into a new temp folder.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && rel == "data" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(dst, rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
