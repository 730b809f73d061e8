package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/bench/gen"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
)

// Compare runs with benchstat:
//
//	go test -run '^$' -bench . -count 6 ./engine | tee new.txt && benchstat old.txt new.txt

// benchJob is a render of a generated pipeline for every embedded backend.
func benchJob(b *testing.B, n int, shape gen.Shape) *Job {
	b.Helper()
	src := gen.Pipeline(gen.Options{Steps: n, Shape: shape, Seed: 1, Schedule: "0 3 * * *"})
	p, err := pipeline.Parse(src, "pipeline.yaml")
	if err != nil {
		b.Fatal(err)
	}
	lib, err := Load(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	return &Job{Pipeline: p, Source: src, Library: lib, Backends: lib.Names(), Version: "dev", Image: "ghcr.io/wurzel-dev/wurzel:latest"}
}

var benchSizes = []int{10, 100, 1000, 10000}

// BenchmarkJobRun renders every backend in memory (values, checks, templates, parse-back):
// `wurzel render --backend all` without reading the pipeline or writing files. The packs'
// templates are parsed by the first iteration and reused, as in one process.
func BenchmarkJobRun(b *testing.B) {
	for _, shape := range gen.Shapes {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/%d", shape, n), func(b *testing.B) {
				job := benchJob(b, n, shape)
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					if _, err := job.Run(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				cpu.report(b)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
			})
		}
	}
}

// BenchmarkLoad loads the embedded packs and parses every template: the fixed cost of a
// render process before any template runs.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		lib, err := Load(templates.FS)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range lib.Packs {
			if err := p.Parse(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRender renders one pack of a 1,000-step DAG: template execution, header and
// parse-back.
func BenchmarkRender(b *testing.B) {
	job := benchJob(b, 1000, gen.DAG)
	_, merged, err := job.Values()
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range job.Library.Packs {
		b.Run(p.Name, func(b *testing.B) {
			data := NewData(p, Input{Pipeline: job.Pipeline, Source: job.Source, Values: merged, Version: job.Version, Image: job.Image})
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if _, err := Render(context.Background(), p, data); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkParseBack is the strict YAML parse of each YAML output of a 1,000-step DAG.
func BenchmarkParseBack(b *testing.B) {
	job := benchJob(b, 1000, gen.DAG)
	res, err := job.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Format != "yaml" {
			continue
		}
		b.Run(f.Pack, func(b *testing.B) {
			b.SetBytes(int64(len(f.Body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := yamlx.ParseStream(f.Body, f.Path, yamlx.Limits{MaxBytes: 1 << 30, MaxDepth: 100, MaxNodes: 1 << 30}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewData builds the template data of one pack for a 10,000-step DAG.
func BenchmarkNewData(b *testing.B) {
	job := benchJob(b, 10000, gen.DAG)
	_, merged, err := job.Values()
	if err != nil {
		b.Fatal(err)
	}
	p, _ := job.Library.Pack("argo")
	b.ReportAllocs()
	for b.Loop() {
		NewData(p, Input{Pipeline: job.Pipeline, Source: job.Source, Values: merged, Version: job.Version, Image: job.Image})
	}
}

// BenchmarkValues builds, merges and checks the values layers of a job.
func BenchmarkValues(b *testing.B) {
	job := benchJob(b, 10, gen.Chain)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := job.Values(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChecks runs the name, schedule and expression checks of every pack on a
// 10,000-step DAG.
func BenchmarkChecks(b *testing.B) {
	job := benchJob(b, 10000, gen.DAG)
	_, merged, err := job.Values()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckText(job.Pipeline, merged); err != nil {
			b.Fatal(err)
		}
		for _, p := range job.Library.Packs {
			if err := CheckNames(p, job.Pipeline); err != nil {
				b.Fatal(err)
			}
			if err := CheckSchedule(p, job.Pipeline); err != nil {
				b.Fatal(err)
			}
			if err := CheckMarkers(p, job.Pipeline, merged); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// cpuClock measures the CPU time of the process (every goroutine, the garbage collector
// included), which a loaded machine disturbs less than wall time.
type cpuClock struct{ start time.Duration }

func startCPU() cpuClock { return cpuClock{processCPU()} }

// report adds cpu-ns/op, the process's CPU time per iteration.
func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64((processCPU()-c.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// BenchmarkShortestInterval walks a year of runs of a schedule; BenchmarkCheckSchedule is
// the check of a pack with a minimum interval (5m), which walks only when it must.
func BenchmarkShortestInterval(b *testing.B) {
	for _, expr := range benchSchedules {
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				ShortestInterval(expr)
			}
		})
	}
}

func BenchmarkCheckSchedule(b *testing.B) {
	job := benchJob(b, 10, gen.Chain)
	p, ok := job.Library.Pack("github-actions")
	if !ok {
		b.Fatal("no github-actions pack")
	}
	for _, expr := range benchSchedules {
		b.Run(expr, func(b *testing.B) {
			job.Pipeline.Spec.Schedule = expr
			for b.Loop() {
				_ = CheckSchedule(p, job.Pipeline)
			}
		})
	}
}

var benchSchedules = []string{"* * * * *", "*/5 * * * *", "0 3 * * *", "0 * * * *", "0 */2 * * *"}

// BenchmarkWrite writes the render of a 100-step DAG (7 files) atomically, synced.
func BenchmarkWrite(b *testing.B) {
	job := benchJob(b, 100, gen.DAG)
	res, err := job.Run(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Write(dir, res.Files); err != nil {
			b.Fatal(err)
		}
	}
}
