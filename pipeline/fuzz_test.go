package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the pipeline loader, seeded with the example and the
// test pipelines. A load either fails with a pipeline error naming the file, or gives a
// pipeline whose steps are in topological order, with unique names, IDs and env prefixes.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/pipelines/*/pipeline.yaml")
	seeds = append(seeds, "../examples/pipelinedemo/pipeline.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("apiVersion: wurzel.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  steps:\n    - {name: a, class: ManualMarkdownStep, dependsOn: [b]}\n    - {name: b, class: ManualMarkdownStep, dependsOn: [a]}\n"))
	f.Add([]byte("apiVersion: wurzel.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  steps:\n    - {name: a, command: [sh, -c, 'echo $1']}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "pipeline.yaml")
		if err != nil {
			if !IsInvalid(err) {
				t.Fatalf("error is not a pipeline error: %T %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "pipeline.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		ids := map[string]string{}
		prefixes := map[string]string{}
		for _, s := range p.Spec.Steps {
			for _, d := range s.DependsOn {
				if !seen[d] {
					t.Fatalf("step %q comes before its dependency %q", s.Name, d)
				}
			}
			if seen[s.Name] {
				t.Fatalf("two steps are called %q", s.Name)
			}
			seen[s.Name] = true
			if o, dup := ids[s.ID]; dup {
				t.Fatalf("steps %q and %q have the same ID %q", o, s.Name, s.ID)
			}
			ids[s.ID] = s.Name
			if o, dup := prefixes[s.EnvPrefix]; dup {
				t.Fatalf("steps %q and %q have the same env prefix %q", o, s.Name, s.EnvPrefix)
			}
			prefixes[s.EnvPrefix] = s.Name
			if s.IsCustom() == (len(s.Command) == 0) {
				t.Fatalf("step %q: custom is %v with command %q", s.Name, s.IsCustom(), s.Command)
			}
		}
		if len(p.Sinks()) == 0 && len(p.Spec.Steps) > 0 {
			t.Fatal("a pipeline with steps has no sink")
		}
	})
}
