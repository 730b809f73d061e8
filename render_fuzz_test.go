package wurzel_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
	"github.com/wurzel-dev/wurzel/values"
)

// FuzzRender renders a fuzzed pipeline with a fuzzed values file and one fuzzed --set-string
// for every backend. Whatever the input, the render either fails with an error about the
// input (never an internal one, never a panic) or gives the same bytes twice.
func FuzzRender(f *testing.F) {
	lib, err := engine.Load(templates.FS)
	if err != nil {
		f.Fatal(err)
	}
	demo, err := os.ReadFile("examples/pipelinedemo/pipeline.yaml")
	if err != nil {
		f.Fatal(err)
	}
	demoValues, err := os.ReadFile("examples/pipelinedemo/values.yaml")
	if err != nil {
		f.Fatal(err)
	}
	diamond, err := os.ReadFile("testdata/pipelines/diamond/pipeline.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo, demoValues, "argo.namespace=prod")
	f.Add(demo, []byte("githubActions:\n  runsOn: [self-hosted, 'x${{ github.token }}']\n"), "gitlab.image=alpine'; rm -rf /")
	f.Add(diamond, []byte("cronjob:\n  schedule: '0 3 * * *'\n"), "airflow.dagId=x\"\"\"+__import__('os')")
	f.Add(diamond, []byte("argo: {nodeSelector: {a: '{{workflow.name}}'}}\n"), "dvc.dataDir=../../etc")
	f.Fuzz(func(t *testing.T, pipe, vals []byte, set string) {
		p, err := pipeline.Parse(pipe, "pipeline.yaml")
		if err != nil {
			return
		}
		dir := t.TempDir()
		vf := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(vf, vals, 0o600); err != nil {
			t.Fatal(err)
		}
		job := &engine.Job{
			Pipeline: p, Source: pipe, Library: lib, Backends: lib.Names(),
			ValueFiles: []string{vf}, Sets: []engine.SetExpr{{Kind: values.SetString, Expr: set}},
			Version: "dev", Image: "ghcr.io/wurzel-dev/wurzel:latest",
		}
		first, err := job.Run(context.Background())
		if err != nil {
			if !inputError(err) {
				t.Fatalf("error is not about the input: %T %v", err, err)
			}
			return
		}
		second, err := job.Run(context.Background())
		if err != nil {
			t.Fatalf("second render failed: %v", err)
		}
		if len(first.Files) != len(second.Files) {
			t.Fatalf("%d files, then %d", len(first.Files), len(second.Files))
		}
		for i := range first.Files {
			if first.Files[i].Path != second.Files[i].Path || !bytes.Equal(first.Files[i].Body, second.Files[i].Body) {
				t.Fatalf("%s differs between two renders", first.Files[i].Path)
			}
		}
	})
}

// inputError reports whether err is one `wurzel render` exits 2 for (invalid input) and
// not a template that emitted a broken file.
func inputError(err error) bool {
	if engine.IsBrokenOutput(err) {
		return false
	}
	return pipeline.IsInvalid(err) || values.IsInvalid(err) || engine.IsInvalid(err)
}
