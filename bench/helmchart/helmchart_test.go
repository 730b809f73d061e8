package helmchart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/bench/gen"
)

// TestWrite writes the chart of a generated pipeline: the chart's files, the pipeline, and
// values that hold every step. With helm on the PATH, the chart must render.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	src := gen.Pipeline(gen.Options{Steps: 30, Shape: gen.DAG, Seed: 1, Schedule: "0 3 * * *"})
	if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(dir, "chart")
	if err := Write(chart, filepath.Join(dir, "pipeline.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"Chart.yaml", "values.yaml", "pipeline.yaml", "templates/_helpers.tpl", "templates/argo-workflow.yaml"} {
		if _, err := os.Stat(filepath.Join(chart, f)); err != nil {
			t.Errorf("chart has no %s: %v", f, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(chart, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Pipeline struct {
			Steps []struct{ Name string } `yaml:"steps"`
		} `yaml:"pipeline"`
	}
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Pipeline.Steps) != 30 {
		t.Fatalf("values hold %d steps, want 30", len(v.Pipeline.Steps))
	}
	helm, err := exec.LookPath("helm")
	if err != nil {
		t.Skip("no helm on the PATH")
	}
	out, err := exec.Command(helm, "template", "x", chart).CombinedOutput()
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, out)
	}
	for _, want := range []string{"kind: CronWorkflow", "jobs:", "stages:", "kind: CronJob", "KubernetesPodOperator", v.Pipeline.Steps[29].Name} {
		if !strings.Contains(string(out), want) {
			t.Errorf("helm template output has no %q", want)
		}
	}
}
