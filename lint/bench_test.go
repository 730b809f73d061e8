package lint

import (
	"context"
	"testing"

	"github.com/wurzel-dev/wurzel/templates"
)

// BenchmarkRunExample lints the example for every backend: the cost of `wurzel lint` (schemas
// are compiled once per process, in the first iteration).
func BenchmarkRunExample(b *testing.B) {
	b.Chdir("..")
	cfg := Config{
		Pipeline: "examples/pipelinedemo/pipeline.yaml", ValueFiles: []string{"examples/pipelinedemo/values.yaml"},
		Backends: []string{"all"}, Templates: templates.FS, Version: "dev",
	}
	for b.Loop() {
		if _, err := Run(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
