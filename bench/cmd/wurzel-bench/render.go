package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wurzel-dev/wurzel/bench/gen"
	"github.com/wurzel-dev/wurzel/bench/helmchart"
	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
	"github.com/wurzel-dev/wurzel/values"
)

// benchSchedule is spec.schedule of every generated pipeline: the Kubernetes CronJob
// backend needs one, so that every backend renders.
const benchSchedule = "0 3 * * *"

// machine describes where the numbers come from.
func machine(c *config) error {
	model := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(data)); len(f) > 1 {
			mem = f[1] + " kB"
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	var wv strings.Builder
	_, _ = proc{name: c.wurzel, args: []string{"version"}, stdout: &wv}.run()
	hv := "not measured"
	if c.helm != "" {
		var b strings.Builder
		if _, err := (proc{name: c.helm, args: []string{"version", "--short"}, stdout: &b}).run(); err == nil {
			hv = strings.TrimSpace(b.String())
		}
	}
	fmt.Fprintf(c.out, "## Machine\n\n")
	t := table{head: []string{"", ""}}
	t.add("CPU", model)
	t.add("cores", fmt.Sprint(runtime.NumCPU()))
	t.add("memory", mem)
	t.add("kernel", strings.TrimSpace(string(kernel)))
	t.add("load average at the start (1, 5, 15 min)", loadAvg())
	t.add("wurzel", firstLine(wv.String()))
	var commit strings.Builder
	if _, err := (proc{dir: c.repo, name: "git", args: []string{"log", "-1", "--format=%h %cs %s"}, stdout: &commit}).run(); err == nil {
		t.add("checkout", firstLine(commit.String()))
	}
	t.add("helm", hv)
	t.add("Go (of the benchmark)", runtime.Version())
	t.add("runs per measurement", fmt.Sprint(c.runs))
	t.print(c.out)
	return nil
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// writePipeline writes a generated pipeline into its own folder and returns the folder.
func (c *config) writePipeline(section string, o gen.Options) (string, error) {
	dir := filepath.Join(c.work, section, fmt.Sprintf("%s-%d", o.Shape, o.Steps))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "pipeline.yaml"), gen.Pipeline(o), 0o644)
}

// runsFor is the number of runs of a size: fewer for the largest.
func (c *config) runsFor(steps int) int {
	if steps >= 10000 && c.runs > 3 {
		return 3
	}
	return c.runs
}

var renderArgs = []string{"render", "-p", "pipeline.yaml", "--backend", "all", "-o", "out"}

// renderScale renders generated pipelines of every shape and size for every backend.
func renderScale(c *config) error {
	fmt.Fprintf(c.out, "## Render scale\n\n`wurzel render --backend all -o out` of generated pipelines (%s), one process per render, process start included. "+
		"Per step: wall time divided by the steps; growth: the time per step against the size before (1.00× is linear). "+
		"Allocations are counted in one extra run of the same code in a child of the benchmark.\n\n", shapeList())
	t := table{head: []string{"shape", "steps", "output", "wall", "CPU", "per step", "growth", "allocs", "allocated", "peak RSS"}}
	for _, shape := range gen.Shapes {
		var prev float64
		for _, n := range c.sizes {
			dir, err := c.writePipeline("render", gen.Options{Steps: n, Shape: shape, Seed: 1, Schedule: benchSchedule})
			if err != nil {
				return err
			}
			progress("render %s/%d", shape, n)
			var ss samples
			for range c.runsFor(n) {
				s, err := proc{dir: dir, name: c.wurzel, args: renderArgs}.run()
				if err != nil {
					return err
				}
				ss = append(ss, s)
			}
			a, err := c.allocs(dir, renderArgs...)
			if err != nil {
				return err
			}
			files, size := dirSize(filepath.Join(dir, "out"))
			per := float64(ss.wall()) / float64(n)
			growth := "–"
			if prev > 0 {
				growth = times(per / prev)
			}
			prev = per
			t.add(string(shape), fmt.Sprint(n), fmt.Sprintf("%s in %d files", mb(size), files), ms(ss.wall()), ms(ss.cpu()),
				ms(time.Duration(per)), growth, count(a.Mallocs), mb(int64(a.TotalAlloc)), mb(ss.rss()))
		}
	}
	t.print(c.out)
	return nil
}

func shapeList() string {
	return "chain: each step reads the one before; fan: one source, every other step reads it, the last step reads them all; dag: each step reads 1–3 random steps among the 50 before it"
}

// againstHelm renders the example and generated pipelines with wurzel and the equivalent
// chart with `helm template`, alternately.
func againstHelm(c *config) error {
	if c.helm == "" {
		fmt.Fprintf(c.out, "## Against Helm\n\nSkipped: no helm binary.\n\n")
		return nil
	}
	fmt.Fprintf(c.out, "## Against Helm\n\n"+
		"The same pipeline rendered by `wurzel render --backend all -o DIR` and by `helm template x CHART --output-dir DIR` "+
		"of the chart bench/helmchart generates from it (the six files of wurzel's backends, with the same structure; Helm writes "+
		"the DVC settings file and the Airflow DAG inside ConfigMaps). Both write files and start a process per render; wurzel also "+
		"checks every value and output and syncs the files to disk. The columns \"stdout\" render to standard output instead "+
		"(`-o -`, plain `helm template`). Ratios are medians of the per-run ratios of runs made alternately.\n\n")
	t := table{head: []string{"pipeline", "steps", "wurzel output", "helm output", "wurzel", "helm", "helm ÷ wurzel", "stdout: wurzel", "stdout: helm", "stdout: helm ÷ wurzel", "wurzel RSS", "helm RSS"}}
	type target struct {
		name, dir string
		steps     int
		args      []string
	}
	var targets []target
	example := filepath.Join(c.repo, "examples", "pipelinedemo")
	if _, err := os.Stat(filepath.Join(example, "pipeline.yaml")); err == nil {
		dir := filepath.Join(c.work, "helm", "example")
		if err := copyFiles(example, dir, "pipeline.yaml", "values.yaml"); err != nil {
			return err
		}
		targets = append(targets, target{"examples/pipelinedemo", dir, 3,
			[]string{"-f", "values.yaml", "--set", "cronjob.schedule=" + benchSchedule}})
	}
	for _, n := range c.sizes {
		dir, err := c.writePipeline("helm", gen.Options{Steps: n, Shape: gen.DAG, Seed: 1, Schedule: benchSchedule})
		if err != nil {
			return err
		}
		targets = append(targets, target{"generated dag", dir, n, nil})
	}
	for _, tg := range targets {
		progress("helm %s/%d", tg.name, tg.steps)
		chart := filepath.Join(tg.dir, "chart")
		if err := helmchart.Write(chart, filepath.Join(tg.dir, "pipeline.yaml")); err != nil {
			return err
		}
		wArgs := append([]string{"render", "-p", "pipeline.yaml", "--backend", "all"}, tg.args...)
		w := proc{dir: tg.dir, name: c.wurzel, args: append(append([]string{}, wArgs...), "-o", "out-wurzel")}
		h := proc{dir: tg.dir, name: c.helm, args: []string{"template", "x", "chart", "--output-dir", "out-helm"}}
		wOut := proc{dir: tg.dir, name: c.wurzel, args: append(append([]string{}, wArgs...), "-o", "-")}
		hOut := proc{dir: tg.dir, name: c.helm, args: []string{"template", "x", "chart"}}
		var ws, hs, wos, hos samples
		for range c.runsFor(tg.steps) {
			for _, m := range []struct {
				p  proc
				ss *samples
			}{{w, &ws}, {h, &hs}, {wOut, &wos}, {hOut, &hos}} {
				s, err := m.p.run()
				if err != nil {
					return err
				}
				*m.ss = append(*m.ss, s)
			}
		}
		_, wSize := dirSize(filepath.Join(tg.dir, "out-wurzel"))
		_, hSize := dirSize(filepath.Join(tg.dir, "out-helm"))
		t.add(tg.name, fmt.Sprint(tg.steps), mb(wSize), mb(hSize), ms(ws.wall()), ms(hs.wall()), times(ratioMedian(hs, ws)),
			ms(wos.wall()), ms(hos.wall()), times(ratioMedian(hos, wos)), mb(ws.rss()), mb(hs.rss()))
	}
	t.print(c.out)
	return nil
}

func copyFiles(from, to string, names ...string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, n), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// floor splits a render into its parts, each measured in this process, and compares the
// CLI with the floor: executing the parsed templates and writing the bytes.
func floor(c *config) error {
	fmt.Fprintf(c.out, "## The floor\n\n"+
		"A render taken apart, each part measured on its own in one process (medians; the packs run concurrently where the CLI runs them so). "+
		"The floor is executing the parsed templates into memory plus writing the bytes (plain writes); "+
		"the CLI adds process start, reading the pipeline, parsing the templates, the values and the checks, NewData, the parse-back of every YAML output, "+
		"and atomic, synced writes.\n\n")
	t := table{head: []string{"part"}}
	var cols []map[string]string
	var rows []string
	for _, n := range c.sizes {
		t.head = append(t.head, fmt.Sprintf("%d steps", n))
		progress("floor dag/%d", n)
		col, order, err := c.floorOf(n)
		if err != nil {
			return err
		}
		cols = append(cols, col)
		rows = order
	}
	for _, r := range rows {
		cells := []string{r}
		for _, col := range cols {
			cells = append(cells, col[r])
		}
		t.add(cells...)
	}
	t.print(c.out)
	return nil
}

func (c *config) floorOf(n int) (map[string]string, []string, error) {
	dir, err := c.writePipeline("floor", gen.Options{Steps: n, Shape: gen.DAG, Seed: 1, Schedule: benchSchedule})
	if err != nil {
		return nil, nil, err
	}
	file := filepath.Join(dir, "pipeline.yaml")
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	runs := c.runsFor(n)
	measure := func(f func() error) (samples, error) {
		var ss samples
		for range runs {
			s, err := timeFunc(f)
			if err != nil {
				return nil, err
			}
			ss = append(ss, s)
		}
		return ss, nil
	}
	var (
		p     *pipeline.Pipeline
		lib   *engine.Library
		job   *engine.Job
		data  []engine.Data
		files []engine.File
	)
	start, err := measureProc(runs, proc{dir: dir, name: c.wurzel, args: []string{"version"}})
	if err != nil {
		return nil, nil, err
	}
	load, err := measure(func() error { p, err = pipeline.LoadFile(file); return err })
	if err != nil {
		return nil, nil, err
	}
	packs, err := measure(func() error { lib, err = engine.Load(templates.FS); return err })
	if err != nil {
		return nil, nil, err
	}
	// Parsing is done once per Library: load a fresh one per run.
	parse, err := measure(func() error {
		l, err := engine.Load(templates.FS)
		if err != nil {
			return err
		}
		return concurrently(l.Packs, func(_ int, pk *engine.Pack) error { return pk.Parse() })
	})
	if err != nil {
		return nil, nil, err
	}
	parse = subtract(parse, packs)
	job = &engine.Job{Pipeline: p, Source: src, Library: lib, Backends: lib.Names(), Version: "bench", Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	var merged map[string]any
	checks, err := measure(func() error {
		_, v, err := job.Values()
		if err != nil {
			return err
		}
		merged = v
		if err := engine.CheckText(p, v); err != nil {
			return err
		}
		for _, pk := range lib.Packs {
			if err := engine.CheckNames(pk, p); err != nil {
				return err
			}
			if err := engine.CheckSchedule(pk, p); err != nil {
				return err
			}
			if err := engine.CheckMarkers(pk, p, v); err != nil {
				return err
			}
			engine.Report(pk, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	newData, err := measure(func() error {
		data = make([]engine.Data, len(lib.Packs))
		return concurrently(lib.Packs, func(i int, pk *engine.Pack) error {
			v := values.Values(values.Copy(merged).(map[string]any)) // each pack its own, as Job.Run does
			data[i] = engine.NewData(pk, engine.Input{Pipeline: p, Source: src, Values: v, Version: job.Version, Image: job.Image})
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	exec, err := measure(func() error {
		out := make([][]engine.File, len(lib.Packs))
		err := concurrently(lib.Packs, func(i int, pk *engine.Pack) error {
			var err error
			out[i], err = engine.Execute(ctx, pk, data[i])
			return err
		})
		files = files[:0]
		for _, f := range out {
			files = append(files, f...)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	parseBack, err := measure(func() error {
		return concurrently(files, func(_ int, f engine.File) error {
			if f.Format != "yaml" {
				return nil
			}
			_, err := yamlx.ParseStream(f.Body, f.Path, yamlx.Limits{MaxBytes: 1 << 30, MaxDepth: 100, MaxNodes: 1 << 30})
			return err
		})
	})
	if err != nil {
		return nil, nil, err
	}
	out := filepath.Join(dir, "out")
	plain, err := measure(func() error {
		for _, f := range files {
			p := filepath.Join(out+"-plain", filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, f.Body, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	atomic, err := measure(func() error { _, err := engine.Write(out+"-atomic", files); return err })
	if err != nil {
		return nil, nil, err
	}
	inProc, err := measure(func() error {
		res, err := job.Run(ctx)
		if err != nil {
			return err
		}
		_, err = engine.Write(out+"-run", res.Files)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	cli, err := measureProc(runs, proc{dir: dir, name: c.wurzel, args: renderArgs})
	if err != nil {
		return nil, nil, err
	}
	floor := exec.wall() + plain.wall()
	col := map[string]string{}
	var order []string
	row := func(name, v string) { col[name] = v; order = append(order, name) }
	wallCPU := func(ss samples) string { return fmt.Sprintf("%s (CPU %s)", ms(ss.wall()), ms(ss.cpu())) }
	row("process start (`wurzel version`)", ms(start.wall()))
	row("read and parse the pipeline", wallCPU(load))
	row("load the packs (files, pack.yaml, values.yaml)", wallCPU(packs))
	row("parse the templates", wallCPU(parse))
	row("values: merge, schema; names, schedule, expression checks", wallCPU(checks))
	row("template data (NewData)", wallCPU(newData))
	row("**execute the templates**", wallCPU(exec))
	row("parse back the YAML outputs", wallCPU(parseBack))
	row("**write the bytes** (plain writes)", wallCPU(plain))
	row("write atomically and sync (engine.Write)", wallCPU(atomic))
	row("in-process render and write (Job.Run + Write, templates parsed)", wallCPU(inProc))
	row("CLI: `wurzel render --backend all` (process)", wallCPU(cli))
	row("**floor** (execute + write)", ms(floor))
	row("in-process ÷ floor", times(float64(inProc.wall())/float64(floor)))
	row("CLI ÷ floor", times(float64(cli.wall())/float64(floor)))
	return col, order, nil
}

func measureProc(runs int, p proc) (samples, error) {
	var ss samples
	for range runs {
		s, err := p.run()
		if err != nil {
			return nil, err
		}
		ss = append(ss, s)
	}
	return ss, nil
}

// subtract removes the median of b from every sample of a.
func subtract(a, b samples) samples {
	w, c := b.wall(), b.cpu()
	out := make(samples, len(a))
	for i, s := range a {
		out[i] = sample{wall: max(s.wall-w, 0), cpu: max(s.cpu-c, 0)}
	}
	return out
}

// concurrently calls f for every item, one goroutine each, and returns the first error.
func concurrently[T any](items []T, f func(int, T) error) error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i, it)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
