package local

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/suggest"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
)

// run is one execution of a pipeline.
type run struct {
	p     *pipeline.Pipeline
	opts  Options
	nodes []*node // topological order
	// environ is opts.Environ with WURZEL_RUN_ID set.
	environ []string
	// dataAbs is the absolute data folder, kept out of source hashes.
	dataAbs string
	state   *state
	rep     Reporter
}

// node is one step of the pipeline.
type node struct {
	step     *pipeline.Step
	index    int
	deps     []*node // every step it depends on
	users    []*node // every step that depends on it
	children []*node // the selected steps that depend on it
	selected bool
	forced   bool
	// waiting counts the selected dependencies that have not finished.
	waiting int
	// output is the step's output folder; digest its content once the step is done or
	// cached (for an unselected step: as found before the run).
	output string
	digest string
	fp     fingerprint
	// vals are a built-in step's settings, read during preflight.
	vals settings.Values
	res  StepResult
}

// plan builds the run: nodes, selection, forced steps.
func plan(p *pipeline.Pipeline, opts Options) (*run, error) {
	r := &run{p: p, opts: opts}
	abs, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", opts.DataDir, err)
	}
	r.dataAbs = abs
	r.environ = append(slices.Clip(opts.Environ), runtime.EnvRunID+"="+opts.RunID)

	byName := make(map[string]*node, len(p.Spec.Steps))
	for i, s := range p.Spec.Steps {
		n := &node{step: s, index: i, output: filepath.Join(opts.DataDir, s.Name)}
		n.res = StepResult{Name: s.Name, Output: n.output}
		if s.Type != nil {
			n.res.Class = s.Type.Name
		}
		byName[s.Name] = n
		r.nodes = append(r.nodes, n)
	}
	for _, n := range r.nodes {
		for _, name := range n.step.DependsOn {
			d := byName[name]
			n.deps = append(n.deps, d)
			d.users = append(d.users, n)
		}
	}

	names := make([]string, len(r.nodes))
	for i, n := range r.nodes {
		names[i] = n.step.Name
	}
	var problems []string
	lookup := func(flag string, list []string) []*node {
		var out []*node
		for _, name := range list {
			n, ok := byName[name]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s %s: the pipeline has no step %q%s; its steps are %s",
					flag, name, name, suggest.Hint(name, names), strings.Join(names, ", ")))
				continue
			}
			out = append(out, n)
		}
		return out
	}
	only := lookup("--only", opts.Only)
	from := lookup("--from", opts.From)
	until := lookup("--until", opts.Until)
	forced := lookup("--force", opts.ForceSteps)
	if len(opts.Only) > 0 && len(opts.From)+len(opts.Until) > 0 {
		problems = append(problems, "--only runs exactly the steps it names; it cannot be combined with --from or --until")
	}
	if len(problems) > 0 {
		return nil, &InvalidError{Err: errors.New(strings.Join(problems, "\n"))}
	}

	switch {
	case len(opts.Only) > 0:
		for _, n := range only {
			n.selected = true
		}
	case len(from)+len(until) > 0:
		down := r.closure(from, func(n *node) []*node { return n.users })
		up := r.closure(until, func(n *node) []*node { return n.deps })
		for _, n := range r.nodes {
			n.selected = (len(from) == 0 || down[n]) && (len(until) == 0 || up[n])
		}
	default:
		for _, n := range r.nodes {
			n.selected = true
		}
	}
	if r.count() == 0 {
		return nil, invalidf("--from %s and --until %s select no step: no step of --until depends on a step of --from",
			strings.Join(opts.From, ","), strings.Join(opts.Until, ","))
	}
	for _, n := range forced {
		if !n.selected {
			return nil, invalidf("--force %s: step %s is not selected by --only, --from or --until", n.step.Name, n.step.Name)
		}
		n.forced = true
	}
	for _, n := range r.nodes {
		if opts.Force && n.selected {
			n.forced = true
		}
		if !n.selected {
			continue
		}
		for _, d := range n.deps {
			if d.selected {
				n.waiting++
				d.children = append(d.children, n)
			}
		}
	}
	return r, nil
}

// closure returns the nodes reachable from start through next, start included.
func (r *run) closure(start []*node, next func(*node) []*node) map[*node]bool {
	seen := map[*node]bool{}
	stack := slices.Clone(start)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, next(n)...)
	}
	return seen
}

// count is the number of selected steps.
func (r *run) count() int {
	c := 0
	for _, n := range r.nodes {
		if n.selected {
			c++
		}
	}
	return c
}

// names returns the names of every step of the pipeline.
func (r *run) names() []string {
	out := make([]string, len(r.nodes))
	for i, n := range r.nodes {
		out[i] = n.step.Name
	}
	return out
}

func (r *run) info() *RunInfo {
	in := &RunInfo{RunID: r.opts.RunID, Pipeline: r.p.Metadata.Name, Jobs: r.opts.Jobs, DataDir: r.opts.DataDir}
	for _, n := range r.nodes {
		if n.selected {
			in.Steps = append(in.Steps, n.step.Name)
		}
	}
	return in
}

// preflight checks, before anything runs, what would make a selected step fail for
// certain: settings that do not parse, secrets that are not set, inputs that are missing.
// It reports every problem at once.
func (r *run) preflight() error {
	if fi, err := os.Stat(r.opts.DataDir); err == nil && !fi.IsDir() {
		return invalidf("data folder %s exists and is not a folder; give another one with --data-dir", r.opts.DataDir)
	}
	var problems []string
	for _, n := range r.nodes {
		if !n.selected {
			continue
		}
		s := n.step
		var settingsErr *settings.Error
		if s.Type != nil {
			vals, err := settings.FromEnv(r.environ, s.EnvPrefix, s.Type.Settings, settings.Options{
				Defaults: s.Settings, DefaultsSource: r.p.File + " setting",
			})
			if err != nil {
				errors.As(err, &settingsErr)
				problems = append(problems, fmt.Sprintf("step %s: %v", s.Name, err))
			}
			n.vals = vals
		}
		for _, key := range s.SettingNames() {
			ref, ok := s.Secrets[key]
			if !ok {
				continue
			}
			v := s.EnvPrefix + "__" + key
			if lookupEnv(r.environ, v) != "" || reported(settingsErr, v) {
				continue
			}
			problems = append(problems, fmt.Sprintf("step %s: setting %s comes from secret %s/%s on orchestrators; set %s in the environment or in an --env-file",
				s.Name, key, ref.Name, ref.Key, v))
		}
		for _, d := range n.deps {
			if d.selected {
				continue
			}
			fi, err := os.Stat(d.output)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				problems = append(problems, fmt.Sprintf("step %s reads the output of step %s, which is not selected and has not run: %s does not exist; run %s first (wurzel run --until %s) or select it too",
					s.Name, d.step.Name, d.output, d.step.Name, d.step.Name))
			case err != nil:
				problems = append(problems, fmt.Sprintf("step %s: input %s: %v", s.Name, d.output, err))
			case !fi.IsDir():
				problems = append(problems, fmt.Sprintf("step %s: input %s is not a folder", s.Name, d.output))
			}
		}
	}
	if len(problems) > 0 {
		return &InvalidError{Err: errors.New(strings.Join(problems, "\n"))}
	}
	// The outputs of unselected steps are inputs as they are now.
	for _, n := range r.nodes {
		if n.selected {
			continue
		}
		for _, c := range n.users {
			if !c.selected {
				continue
			}
			d, err := treeDigest(n.output, nil)
			if err != nil {
				return fmt.Errorf("hashing input %s of step %s: %w", n.output, c.step.Name, err)
			}
			n.digest = d
			break
		}
	}
	return nil
}

// reported reports whether a settings error already names the variable v.
func reported(err *settings.Error, v string) bool {
	if err == nil {
		return false
	}
	for _, p := range err.Problems {
		if strings.HasSuffix(p.Source, " "+v) {
			return true
		}
	}
	return false
}
