// Command wurzel-bench measures wurzel: render time at growing scale, against `helm
// template` of an equivalent chart, against another wurzel binary (-baseline), against the
// floor of executing templates and writing bytes, the runtime on generated markdown
// corpora, and the LocalBackend's own overhead.
// It prints Markdown tables; bench/run.sh builds everything and runs it.
//
//	wurzel-bench -wurzel BIN -helm BIN -repo DIR -work DIR [-runs N] [-sizes 10,100] [-only render,helm]
//
// Times are medians of -runs runs; ratios compare runs made alternately in the same loop,
// so that a change of the machine's load affects both sides.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type config struct {
	wurzel, helm string // binaries
	baseline     string // another wurzel binary to compare renders with (empty: none)
	baselineName string // what it is built from, for the table
	repo         string // the wurzel repository, for the example pipeline
	work         string // scratch folder
	runs         int
	sizes        []int
	corpusMB     []int
	localSteps   int
	only         map[string]bool
	out          io.Writer
}

var sections = []string{"machine", "render", "helm", "baseline", "floor", "runtime", "local"}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "cli" {
		os.Exit(inProcessCLI(os.Args[2:]))
	}
	c := config{out: os.Stdout}
	var sizes, corpus, only, results string
	flag.StringVar(&c.wurzel, "wurzel", "wurzel", "the wurzel binary to measure")
	flag.StringVar(&c.helm, "helm", "helm", "the helm binary to compare with (empty: skip the comparison)")
	flag.StringVar(&c.baseline, "baseline", "", "another wurzel binary (an earlier checkout) to compare renders with, alternately")
	flag.StringVar(&c.baselineName, "baseline-name", "", "what the baseline binary is built from (default: its version)")
	flag.StringVar(&c.repo, "repo", ".", "the wurzel repository (for examples/pipelinedemo)")
	flag.StringVar(&c.work, "work", "", "scratch folder (default: a new temporary folder)")
	flag.IntVar(&c.runs, "runs", 5, "runs per measurement; the tables show medians")
	flag.StringVar(&sizes, "sizes", "10,100,1000,10000", "pipeline sizes, in steps")
	flag.StringVar(&corpus, "corpus", "10,100", "runtime corpus sizes, in MB")
	flag.IntVar(&c.localSteps, "local-steps", 1000, "steps of the LocalBackend overhead pipeline")
	flag.StringVar(&only, "only", strings.Join(sections, ","), "sections to run: "+strings.Join(sections, ","))
	flag.StringVar(&results, "results", "", "also write the tables to this file")
	flag.StringVar(&launcher, "measure", "", "the measure binary (bench/cmd/measure) to start measured processes through; without it, peak RSS values include this program's own")
	flag.Parse()
	var err error
	if c.sizes, err = ints(sizes); err == nil {
		c.corpusMB, err = ints(corpus)
	}
	if err != nil || c.runs < 1 {
		fmt.Fprintf(os.Stderr, "wurzel-bench: bad flag: %v\n", err)
		os.Exit(2)
	}
	c.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		c.only[strings.TrimSpace(s)] = true
	}
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "wurzel-bench-"); err != nil {
			fatal(err)
		}
	}
	if c.wurzel, err = filepath.Abs(c.wurzel); err != nil {
		fatal(err)
	}
	if c.baseline != "" {
		if c.baseline, err = filepath.Abs(c.baseline); err != nil {
			fatal(err)
		}
	}
	var tables strings.Builder
	c.out = io.MultiWriter(os.Stdout, &tables)
	start := time.Now()
	steps := []struct {
		name string
		run  func(*config) error
	}{
		{"machine", machine}, {"render", renderScale}, {"helm", againstHelm}, {"baseline", againstBaseline}, {"floor", floor},
		{"runtime", runtimeBench}, {"local", localBench},
	}
	for _, s := range steps {
		if !c.only[s.name] {
			continue
		}
		if err := s.run(&c); err != nil {
			fatal(fmt.Errorf("%s: %w", s.name, err))
		}
	}
	fmt.Fprintf(c.out, "\nTotal benchmark time %s; load average at the end: %s.\n", time.Since(start).Round(time.Second), loadAvg())
	if results != "" {
		if err := os.WriteFile(results, []byte(tables.String()), 0o644); err != nil {
			fatal(err)
		}
	}
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "wurzel-bench: %v\n", err)
	os.Exit(1)
}

// progress tells the user what runs now, on stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wurzel-bench: "+format+"\n", args...)
}
