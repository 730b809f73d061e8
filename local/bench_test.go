package local

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
)

// benchSteps is the size of the benchmark pipelines.
const benchSteps = 1000

// benchPipeline writes a pipeline of n no-op steps: a chain (each step reads the one
// before) or ten layers (each step reads two steps of the layer before; one for "fake"). kind "fake" uses
// the in-process test step types, "true" custom steps running true(1). (Built-in steps
// name their output files after their history, ManualMarkdown-SimpleSplitter.json, so a
// chain of a thousand of them would need file names longer than file systems allow.)
func benchPipeline(b *testing.B, n int, shape, kind string) *pipeline.Pipeline {
	b.Helper()
	var y strings.Builder
	y.WriteString(header)
	for i := range n {
		var deps []int
		switch {
		case i == 0:
		case shape == "chain":
			deps = []int{i - 1}
		default:
			w := n / 10
			if i < w {
				deps = []int{0}
				break
			}
			prev := i/w*w - w
			deps = []int{prev + i%w}
			if kind != "fake" { // a built-in step writes a file per input file
				deps = append(deps, prev+(i+1)%w)
			}
		}
		fmt.Fprintf(&y, "    - name: s%04d\n", i)
		switch {
		case kind == "true":
			y.WriteString("      command: [\"true\"]\n")
		case i == 0:
			y.WriteString("      class: LclSourceStep\n")
		default:
			y.WriteString("      class: LclPassStep\n")
		}
		if len(deps) > 0 {
			var names []string
			for _, d := range deps {
				names = append(names, fmt.Sprintf("s%04d", d))
			}
			fmt.Fprintf(&y, "      dependsOn: [%s]\n", strings.Join(names, ", "))
		}
	}
	dir := b.TempDir()
	b.Chdir(dir)
	if err := os.WriteFile("pipeline.yaml", []byte(y.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	p, err := pipeline.LoadFile("pipeline.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// stubRuntime replaces package runtime with steps that only create their output folder,
// to measure the scheduler alone: planning, fingerprints, hashing, the state.
func stubRuntime(b *testing.B) {
	stub := func(_ context.Context, o runtime.Options) (runtime.Report, error) {
		return runtime.Report{}, os.MkdirAll(o.Output, 0o755)
	}
	runStep, runCommand = stub, stub
	b.Cleanup(func() { runStep, runCommand = runtime.RunStep, runtime.RunCommand })
}

// BenchmarkRun runs a 1,000-step pipeline of no-op steps, every step forced, two at a
// time. ns/step is the wall time per step: for "stub" the scheduler's own overhead, for
// "fake" plus package runtime's atomic output folders (temp folder, fsync, rename), for
// "true" plus starting a process per step.
func BenchmarkRun(b *testing.B) {
	for _, kind := range []string{"stub", "fake", "true"} {
		for _, shape := range []string{"chain", "layers"} {
			if kind == "fake" && shape == "chain" {
				continue
			}
			b.Run(kind+"/"+shape, func(b *testing.B) {
				k := kind
				if kind == "stub" {
					stubRuntime(b)
					k = "fake"
				}
				p := benchPipeline(b, benchSteps, shape, k)
				opts := Options{Environ: []string{"PATH=" + os.Getenv("PATH")}, Jobs: 2}
				if _, err := Run(context.Background(), p, opts); err != nil {
					b.Fatal(err)
				}
				opts.Force = true
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					if _, err := Run(context.Background(), p, opts); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*benchSteps), "ns/step")
			})
		}
	}
}

// BenchmarkCacheHit re-runs a 1,000-step pipeline in which nothing changed: every step
// is fingerprinted, its output hashed and found unchanged.
func BenchmarkCacheHit(b *testing.B) {
	for _, kind := range []string{"fake", "true"} {
		b.Run(kind, func(b *testing.B) {
			p := benchPipeline(b, benchSteps, "layers", kind)
			opts := Options{Environ: []string{"PATH=" + os.Getenv("PATH")}, Jobs: 2}
			if _, err := Run(context.Background(), p, opts); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				res, err := Run(context.Background(), p, opts)
				if err != nil {
					b.Fatal(err)
				}
				if n := res.Count(Cached); n != benchSteps {
					b.Fatalf("%d cached steps, want %d", n, benchSteps)
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*benchSteps), "ns/step")
		})
	}
}
