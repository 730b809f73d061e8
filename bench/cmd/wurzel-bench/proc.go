package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/wurzel-dev/wurzel/cmd"
)

// sample is one measured run of a process or a function.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system
	rss  int64         // peak resident set, bytes (processes only)
}

// proc describes a process to run.
type proc struct {
	dir    string
	env    []string // added to the environment
	stdout io.Writer
	stderr io.Writer // besides the copy kept for error messages
	name   string
	args   []string
}

// launcher is the measure binary (bench/cmd/measure) every process is started through, so
// that its peak RSS is its own and not this program's; empty: start processes directly.
var launcher string

// run runs the process and measures it; a failure is an error naming the command and
// its stderr.
func (p proc) run() (sample, error) {
	name, args := p.name, p.args
	var statsFile string
	if launcher != "" {
		f, err := os.CreateTemp("", "wurzel-bench-stats-")
		if err != nil {
			return sample{}, err
		}
		statsFile = f.Name()
		f.Close()
		defer os.Remove(statsFile)
		name, args = launcher, append([]string{statsFile, p.name}, p.args...)
	}
	c := exec.Command(name, args...)
	c.Dir = p.dir
	c.Env = append(os.Environ(), p.env...)
	c.Stdout = p.stdout
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if p.stderr != nil {
		c.Stderr = io.MultiWriter(&stderr, p.stderr)
	}
	start := time.Now()
	err := c.Run()
	wall := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return sample{}, fmt.Errorf("%s %s (in %s): %v\n%s", p.name, strings.Join(p.args, " "), p.dir, err, msg)
	}
	if statsFile != "" {
		var st struct {
			WallNS   int64 `json:"wall_ns"`
			CPUNS    int64 `json:"cpu_ns"`
			MaxRSSKB int64 `json:"max_rss_kb"`
		}
		data, err := os.ReadFile(statsFile)
		if err == nil {
			err = json.Unmarshal(data, &st)
		}
		if err != nil {
			return sample{}, fmt.Errorf("reading the measurements of %s: %w", p.name, err)
		}
		return sample{wall: time.Duration(st.WallNS), cpu: time.Duration(st.CPUNS), rss: st.MaxRSSKB * 1024}, nil
	}
	s := sample{wall: wall, cpu: c.ProcessState.UserTime() + c.ProcessState.SystemTime()}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return s, nil
}

// timeFunc measures a function in this process: wall and process CPU time.
func timeFunc(f func() error) (sample, error) {
	cpu0 := processCPU()
	start := time.Now()
	err := f()
	return sample{wall: time.Since(start), cpu: processCPU() - cpu0}, err
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// samples are the runs of one measurement.
type samples []sample

func (ss samples) median(get func(sample) float64) float64 {
	if len(ss) == 0 {
		return 0
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = get(s)
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (ss samples) wall() time.Duration {
	return time.Duration(ss.median(func(s sample) float64 { return float64(s.wall) }))
}
func (ss samples) cpu() time.Duration {
	return time.Duration(ss.median(func(s sample) float64 { return float64(s.cpu) }))
}
func (ss samples) rss() int64 {
	return int64(ss.median(func(s sample) float64 { return float64(s.rss) }))
}

// ratioMedian is the median of the per-run ratios a[i]/b[i] of two alternated measurements.
func ratioMedian(a, b samples) float64 {
	var r samples
	for i := range a {
		if i < len(b) && b[i].wall > 0 {
			r = append(r, sample{wall: time.Duration(float64(a[i].wall) / float64(b[i].wall) * 1e6)})
		}
	}
	return r.median(func(s sample) float64 { return float64(s.wall) }) / 1e6
}

// allocStats is what an in-process CLI run allocated.
type allocStats struct {
	Mallocs    uint64 `json:"mallocs"`
	TotalAlloc uint64 `json:"total_alloc"`
}

// inProcessCLI runs wurzel's command line in this process (the same code as the wurzel
// binary) and writes what it allocated to the file $WURZEL_BENCH_STATS, and a CPU profile
// of it to $WURZEL_BENCH_CPUPROFILE (for go tool pprof):
//
//	WURZEL_BENCH_CPUPROFILE=cpu.out wurzel-bench cli render -p pipeline.yaml --backend all -o out
func inProcessCLI(args []string) int {
	os.Args = append([]string{"wurzel"}, args...)
	if path := os.Getenv("WURZEL_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				fatal(err)
			}
		}()
	}
	code := cmd.Main()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if path := os.Getenv("WURZEL_BENCH_STATS"); path != "" {
		data, _ := json.Marshal(allocStats{Mallocs: m.Mallocs, TotalAlloc: m.TotalAlloc})
		_ = os.WriteFile(path, data, 0o644)
	}
	return code
}

// allocs runs the wurzel command line in a child of this program and returns what it
// allocated.
func (c *config) allocs(dir string, args ...string) (allocStats, error) {
	self, err := os.Executable()
	if err != nil {
		return allocStats{}, err
	}
	stats := filepath.Join(c.work, "alloc-stats.json")
	_ = os.Remove(stats)
	p := proc{dir: dir, env: []string{"WURZEL_BENCH_STATS=" + stats}, name: self, args: append([]string{"cli"}, args...)}
	if _, err := p.run(); err != nil {
		return allocStats{}, err
	}
	data, err := os.ReadFile(stats)
	if err != nil {
		return allocStats{}, err
	}
	var a allocStats
	return a, json.Unmarshal(data, &a)
}

// dirSize is the total size of the regular files under dir.
func dirSize(dir string) (files int, size int64) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				files++
				size += fi.Size()
			}
		}
		return nil
	})
	return files, size
}

// table prints a Markdown table.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print(w io.Writer) {
	widths := make([]int, len(t.head))
	for i, h := range t.head {
		widths[i] = len([]rune(h))
	}
	for _, r := range t.rows {
		for i, c := range r {
			if n := len([]rune(c)); i < len(widths) && n > widths[i] {
				widths[i] = n
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString("|")
		for i := range widths {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			pad := widths[i] - len([]rune(c))
			if i == 0 {
				fmt.Fprintf(&b, " %s%s |", c, strings.Repeat(" ", pad))
			} else {
				fmt.Fprintf(&b, " %s%s |", strings.Repeat(" ", pad), c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(t.head)
	seps := make([]string, len(widths))
	for i, n := range widths {
		if i == 0 {
			seps[i] = strings.Repeat("-", n)
		} else {
			seps[i] = strings.Repeat("-", n-1) + ":"
		}
	}
	var b strings.Builder
	b.WriteString("|")
	for _, s := range seps {
		fmt.Fprintf(&b, " %s |", s)
	}
	fmt.Fprintln(w, b.String())
	for _, r := range t.rows {
		line(r)
	}
	fmt.Fprintln(w)
}

// Formatting.

func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	}
}

func mb(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
}

func count(n uint64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	default:
		return fmt.Sprint(n)
	}
}

func times(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.2f×", x)
}
