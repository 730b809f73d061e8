package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/wurzel-dev/wurzel/bench/gen"
)

// againstBaseline renders the example and generated pipelines with another wurzel binary
// (an earlier checkout) and with this one, alternately, and compares times and outputs:
// how a change to the render path is measured.
func againstBaseline(c *config) error {
	if c.baseline == "" {
		return nil
	}
	fmt.Fprintf(c.out, "## Against a baseline\n\n"+
		"`wurzel render --backend all -o DIR` by the baseline binary (`%s`) and by this checkout's, alternately, on the "+
		"example and on generated DAGs. Ratios are medians of the per-run ratios (their range in brackets); above 1.00× "+
		"this checkout is faster. \"Same output\" compares the two output folders byte for byte.\n\n", c.baselineLabel())
	t := table{head: []string{"pipeline", "steps", "baseline", "wurzel", "baseline ÷ wurzel", "CPU: baseline ÷ wurzel", "baseline RSS", "wurzel RSS", "same output"}}
	type target struct {
		name, dir string
		steps     int
		args      []string
	}
	var targets []target
	example := filepath.Join(c.repo, "examples", "pipelinedemo")
	if _, err := os.Stat(filepath.Join(example, "pipeline.yaml")); err == nil {
		dir := filepath.Join(c.work, "baseline", "example")
		if err := copyFiles(example, dir, "pipeline.yaml", "values.yaml"); err != nil {
			return err
		}
		targets = append(targets, target{"examples/pipelinedemo", dir, 3, []string{"-f", "values.yaml"}})
	}
	for _, n := range c.sizes {
		dir, err := c.writePipeline("baseline", gen.Options{Steps: n, Shape: gen.DAG, Seed: 1, Schedule: benchSchedule})
		if err != nil {
			return err
		}
		targets = append(targets, target{"generated dag", dir, n, nil})
	}
	for _, tg := range targets {
		progress("baseline %s/%d", tg.name, tg.steps)
		args := append([]string{"render", "-p", "pipeline.yaml", "--backend", "all"}, tg.args...)
		base := proc{dir: tg.dir, name: c.baseline, args: append(append([]string{}, args...), "-o", "out-baseline")}
		ours := proc{dir: tg.dir, name: c.wurzel, args: append(append([]string{}, args...), "-o", "out-wurzel")}
		var bs, ws samples
		for range c.runsFor(tg.steps) {
			for _, m := range []struct {
				p  proc
				ss *samples
			}{{base, &bs}, {ours, &ws}} {
				s, err := m.p.run()
				if err != nil {
					return err
				}
				*m.ss = append(*m.ss, s)
			}
		}
		same, err := sameTree(filepath.Join(tg.dir, "out-baseline"), filepath.Join(tg.dir, "out-wurzel"))
		if err != nil {
			return err
		}
		t.add(tg.name, fmt.Sprint(tg.steps), ms(bs.wall()), ms(ws.wall()), ratioRange(bs, ws),
			times(cpuRatioMedian(bs, ws)), mb(bs.rss()), mb(ws.rss()), same)
	}
	t.print(c.out)
	return nil
}

// baselineLabel names the baseline: -baseline-name, or its version.
func (c *config) baselineLabel() string {
	if c.baselineName != "" {
		return c.baselineName
	}
	var b bytes.Buffer
	if _, err := (proc{name: c.baseline, args: []string{"version"}, stdout: &b}).run(); err != nil {
		return c.baseline
	}
	return firstLine(b.String())
}

// ratioRange is the median of the per-run ratios a[i]/b[i] of wall times, with their range.
func ratioRange(a, b samples) string {
	lo, hi := 0.0, 0.0
	for i := range min(len(a), len(b)) {
		if b[i].wall == 0 {
			continue
		}
		r := float64(a[i].wall) / float64(b[i].wall)
		if lo == 0 || r < lo {
			lo = r
		}
		hi = max(hi, r)
	}
	return fmt.Sprintf("%s (%.2f–%.2f)", times(ratioMedian(a, b)), lo, hi)
}

// cpuRatioMedian is ratioMedian of CPU times.
func cpuRatioMedian(a, b samples) float64 {
	var ac, bc samples
	for i := range min(len(a), len(b)) {
		ac = append(ac, sample{wall: a[i].cpu})
		bc = append(bc, sample{wall: b[i].cpu})
	}
	return ratioMedian(ac, bc)
}

// sameTree says whether two folders hold the same files with the same bytes: "yes", or
// the first difference.
func sameTree(a, b string) (string, error) {
	files := func(root string) (map[string][]byte, error) {
		m := map[string][]byte{}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			rel, _ := filepath.Rel(root, path)
			m[rel] = data
			return err
		})
		return m, err
	}
	fa, err := files(a)
	if err != nil {
		return "", err
	}
	fb, err := files(b)
	if err != nil {
		return "", err
	}
	names := map[string]bool{}
	for name := range fa {
		names[name] = true
	}
	for name := range fb {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	for _, name := range sorted {
		da, inA := fa[name]
		db, inB := fb[name]
		switch {
		case !inB:
			return "no: only the baseline writes " + name, nil
		case !inA:
			return "no: only this checkout writes " + name, nil
		case !bytes.Equal(da, db):
			return "no: " + name + " differs", nil
		}
	}
	return "yes", nil
}
