package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wurzel-dev/wurzel/bench/gen"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// runtimeBench runs ManualMarkdown → SimpleSplitter → DropDuplication over generated corpora
// with the LocalBackend, and the tokenizer and the splitter alone in this process.
func runtimeBench(c *config) error {
	fmt.Fprintf(c.out, "## Runtime\n\n"+
		"`wurzel run --force` of ManualMarkdownStep → SimpleSplitterStep → DropDuplicationStep (the LocalBackend, default settings: "+
		"splitter TOKEN_COUNT_MAX 1024, NUM_THREADS 4, jobs = cores) over generated markdown corpora (files of about 20 kB; "+
		"headings, paragraphs, lists, code, tables, links, some German, CJK and emoji; one file in twenty repeats an earlier one). "+
		"Step times come from `--log-format json`. The largest input is the biggest folder a step reads "+
		"(for the splitter, the JSON that ManualMarkdownStep wrote). "+
		"Tokenizer and splitter alone: one thread in this process over the same text, warm (the tokenizer caches word counts); "+
		"the splitter's floor is the tokenizer's throughput.\n\n")
	t := table{head: []string{"corpus", "files", "wall", "MB/s", "markdown", "splitter", "dedup", "peak RSS", "largest input", "RSS ÷ input", "tokenizer alone", "splitter alone (1 thread)", "splitter ÷ tokenizer"}}
	for _, size := range c.corpusMB {
		dir := filepath.Join(c.work, "runtime", fmt.Sprintf("corpus-%dMB", size))
		progress("runtime: corpus of %d MB", size)
		files, total, err := gen.Corpus(filepath.Join(dir, "docs"), gen.CorpusOptions{Bytes: int64(size) << 20, Seed: int64(size)})
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(gen.CorpusPipeline), 0o644); err != nil {
			return err
		}
		runs := c.runs
		if size >= 100 && runs > 3 {
			runs = 3
		}
		var ss samples
		stepTimes := map[string]samples{}
		for i := range runs {
			progress("runtime: corpus of %d MB, run %d of %d", size, i+1, runs)
			var log bytes.Buffer
			s, err := proc{dir: dir, name: c.wurzel, args: []string{"run", "--force", "--log-format", "json"}, stderr: &log}.run()
			if err != nil {
				return err
			}
			ss = append(ss, s)
			for name, d := range stepDurations(log.Bytes()) {
				stepTimes[name] = append(stepTimes[name], sample{wall: d})
			}
		}
		largest := int64(0)
		for _, step := range []string{"markdown", "splitter"} { // what splitter and dedup read
			if _, n := dirSize(filepath.Join(dir, "data", step)); n > largest {
				largest = n
			}
		}
		tok, split, err := splitterFloor(filepath.Join(dir, "data", "markdown"), runs)
		if err != nil {
			return err
		}
		mbps := func(d time.Duration) string { return fmt.Sprintf("%.1f MB/s", float64(total)/(1<<20)/d.Seconds()) }
		t.add(mb(total), fmt.Sprint(files), ms(ss.wall()), mbps(ss.wall()),
			ms(stepTimes["markdown"].wall()), ms(stepTimes["splitter"].wall()), ms(stepTimes["dedup"].wall()),
			mb(ss.rss()), mb(largest), times(float64(ss.rss())/float64(largest)),
			mbps(tok.wall()), mbps(split.wall()), times(float64(split.wall())/float64(tok.wall())))
	}
	t.print(c.out)
	return nil
}

// stepDurations reads the step_end events of a JSON run log.
func stepDurations(log []byte) map[string]time.Duration {
	out := map[string]time.Duration{}
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			Event      string  `json:"event"`
			Step       string  `json:"step"`
			DurationMS float64 `json:"duration_ms"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Event == "step_end" {
			out[e.Step] = time.Duration(e.DurationMS * float64(time.Millisecond))
		}
	}
	return out
}

// splitterFloor times the tokenizer counting the text of the documents ManualMarkdownStep
// wrote, and SimpleSplitterStep splitting them, both on one thread and warm.
func splitterFloor(dir string, runs int) (tok, split samples, err error) {
	var docs []steps.Document
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		ds, err := steps.ReadDocuments(bufio.NewReader(f))
		docs = append(docs, ds...)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	tk, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		return nil, nil, err
	}
	count := func() error {
		for _, d := range docs {
			tk.Count(d.MD)
		}
		return nil
	}
	_ = count() // warm, as the splitter is after its first documents
	for range runs {
		s, _ := timeFunc(count)
		tok = append(tok, s)
	}
	typ, ok := steps.Lookup("SimpleSplitterStep")
	if !ok {
		return nil, nil, fmt.Errorf("no SimpleSplitterStep")
	}
	v, err := settings.FromEnv([]string{"SIMPLESPLITTERSTEP__NUM_THREADS=1"}, "SIMPLESPLITTERSTEP", typ.Settings, settings.Options{})
	if err != nil {
		return nil, nil, err
	}
	step, err := typ.New(v)
	if err != nil {
		return nil, nil, err
	}
	run := func() error {
		_, err := step.Run(context.Background(), steps.Data{Documents: docs})
		return err
	}
	for range runs {
		s, err := timeFunc(run)
		if err != nil {
			return nil, nil, err
		}
		split = append(split, s)
	}
	return tok, split, nil
}

// localBench measures the LocalBackend's own cost: a pipeline of no-op custom steps run
// forced, against starting the same processes with the same parallelism, and a re-run in
// which every step is cached.
func localBench(c *config) error {
	n := c.localSteps
	fmt.Fprintf(c.out, "## LocalBackend overhead\n\n"+
		"`wurzel run` of %d custom steps that run true(1) (`--jobs` = cores). Baseline: the benchmark starting true(1) %d times itself, "+
		"as many at once as wurzel would (one at a time for the chain). Overhead per step: (wurzel − baseline) ÷ steps — "+
		"settings, fingerprints, atomic output folders, the journal and the state file. Cache hit: the same run again, nothing changed, "+
		"every step found cached (fingerprints and output hashes checked).\n\n", n, n)
	t := table{head: []string{"shape", "steps", "baseline: start true(1)", "wurzel run --force", "overhead per step", "cache-hit re-run", "per step", "peak RSS"}}
	jobs := runtime.NumCPU() // local.Options.Jobs defaults to it
	for _, shape := range []gen.Shape{gen.DAG, gen.Chain} {
		progress("local %s/%d", shape, n)
		dir, err := c.writePipeline("local", gen.Options{Steps: n, Shape: shape, Seed: 1, NoOp: true})
		if err != nil {
			return err
		}
		par := jobs
		if shape == gen.Chain {
			par = 1
		}
		var base, forced, cached samples
		for range c.runs {
			s, err := timeFunc(func() error { return startTrue(n, par) })
			if err != nil {
				return err
			}
			base = append(base, s)
			if s, err = (proc{dir: dir, name: c.wurzel, args: []string{"run", "--force", "--log-format", "json"}}).run(); err != nil {
				return err
			}
			forced = append(forced, s)
			if s, err = (proc{dir: dir, name: c.wurzel, args: []string{"run", "--log-format", "json"}}).run(); err != nil {
				return err
			}
			cached = append(cached, s)
		}
		over := (forced.wall() - base.wall()) / time.Duration(n)
		t.add(string(shape), fmt.Sprint(n), ms(base.wall()), ms(forced.wall()), ms(over), ms(cached.wall()),
			ms(cached.wall()/time.Duration(n)), mb(max(forced.rss(), cached.rss())))
	}
	t.print(c.out)
	return nil
}

// startTrue runs true(1) n times, par at a time.
func startTrue(n, par int) error {
	work := make(chan struct{}, n)
	for range n {
		work <- struct{}{}
	}
	close(work)
	var wg sync.WaitGroup
	errs := make([]error, par)
	for i := range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				if err := exec.Command("true").Run(); err != nil && errs[i] == nil {
					errs[i] = err
				}
			}
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
