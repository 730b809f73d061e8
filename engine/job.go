package engine

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/values"
)

// SetExpr is one --set style flag, in command-line order.
type SetExpr struct {
	Kind values.SetKind
	Expr string
}

// Job is one `wurzel render`: a pipeline, its values layers, and the backends to render.
type Job struct {
	Pipeline *pipeline.Pipeline
	// Source is the pipeline file's content.
	Source  []byte
	Library *Library
	// Backends are the packs to render.
	Backends []string
	// ValueFiles are -f files, lowest first; Sets the --set flags in order.
	ValueFiles []string
	Sets       []SetExpr
	// PipelineName selects the entry of Python Wurzel values files (--pipeline-name);
	// empty means the pipeline's metadata.name.
	PipelineName string
	Version      string
	Image        string
}

// Result is a finished render, held in memory.
type Result struct {
	Files  []File
	Stack  *values.Stack
	Values values.Values
	// Report lists the pipeline features the chosen backends emulate or drop.
	Report []Finding
}

// Stack builds the values layers, lowest first: every pack's defaults and the global
// defaults, spec.backendConfig, each -f file (Python Wurzel layouts moved to the native
// one), each --set.
func (j *Job) Stack() (*values.Stack, error) {
	s := &values.Stack{}
	for _, p := range j.Library.Packs {
		s.Add(p.Defaults...)
	}
	s.Add(j.Library.Globals...)
	if bc := j.Pipeline.Spec.BackendConfig; len(bc) > 0 {
		l, err := j.backendConfig(bc)
		if err != nil {
			return nil, err
		}
		s.Add(l)
	}
	name, explicit := j.PipelineName, j.PipelineName != ""
	if !explicit {
		name = j.Pipeline.Metadata.Name
	}
	for _, f := range j.ValueFiles {
		l, err := values.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := l.NormalizePython(name, explicit); err != nil {
			return nil, err
		}
		s.Add(l)
	}
	for _, set := range j.Sets {
		l, err := values.ParseSet(set.Kind, set.Expr)
		if err != nil {
			return nil, err
		}
		s.Add(l)
	}
	return s, nil
}

// backendConfig turns spec.backendConfig into a layer. Its keys may be backend names
// (github-actions) or values keys (githubActions).
func (j *Job) backendConfig(bc map[string]any) (*values.Layer, error) {
	rename := map[string]string{}
	for _, p := range j.Library.Packs {
		rename[p.Name] = p.Meta.ValuesKey
	}
	out := map[string]any{}
	lines := map[string]int{}
	for k, v := range bc {
		key := k
		if vk, ok := rename[k]; ok {
			key = vk
		}
		if _, dup := out[key]; dup {
			return nil, &values.Error{Pos: values.Position{File: j.Pipeline.File, Line: j.Pipeline.Spec.BackendConfigLines[k]},
				Msg: fmt.Sprintf("spec.backendConfig sets %s twice (as %s and as its backend name)", key, k)}
		}
		out[key] = v
	}
	for dotted, line := range j.Pipeline.Spec.BackendConfigLines {
		head, rest, _ := strings.Cut(dotted, ".")
		if vk, ok := rename[head]; ok {
			head = vk
		}
		if rest != "" {
			head += "." + rest
		}
		lines[head] = line
	}
	return values.FromMap(values.BackendConfig, j.Pipeline.File+" (spec.backendConfig)", out, lines), nil
}

// Schema is what values keys exist: every pack's defaults and open keys.
func (j *Job) Schema() *values.Schema {
	var layers []values.Values
	var open []string
	for _, p := range j.Library.Packs {
		for _, d := range p.Defaults {
			layers = append(layers, d.Values)
		}
		open = append(open, p.Meta.OpenKeys...)
	}
	for _, g := range j.Library.Globals {
		layers = append(layers, g.Values)
	}
	open = append(open, "global.env")
	return &values.Schema{Defaults: values.Merge(layers...), Open: open}
}

// Values builds the stack, merges it and checks the user's keys.
func (j *Job) Values() (*values.Stack, values.Values, error) {
	s, err := j.Stack()
	if err != nil {
		return nil, nil, err
	}
	merged, err := s.Merge()
	if err != nil {
		return nil, nil, err
	}
	var user []*values.Layer
	for _, l := range s.Layers {
		if l.Kind != values.PackDefault {
			user = append(user, l)
		}
	}
	if err := j.Schema().Check(user...); err != nil {
		return nil, nil, err
	}
	return s, merged, nil
}

// CheckNames checks the pipeline's names against a pack's rules.
func CheckNames(p *Pack, pl *pipeline.Pipeline) error {
	var probs []pipeline.Problem
	r := p.Meta.Names
	if r.MaxPipeline > 0 && len(pl.Metadata.Name) > r.MaxPipeline {
		probs = append(probs, pipeline.Problem{Msg: fmt.Sprintf("metadata.name %q is longer than %d characters, the limit of %s", pl.Metadata.Name, r.MaxPipeline, p.Name)})
	}
	var re *regexp.Regexp
	if r.Step != "" {
		re = regexp.MustCompile(r.Step) // checked when the pack loaded
	}
	for _, s := range pl.Spec.Steps {
		if r.MaxStep > 0 && len(s.ID) > r.MaxStep {
			probs = append(probs, pipeline.Problem{Line: s.Line, Step: s.Name, Msg: fmt.Sprintf("its ID %q is longer than %d characters, the limit of %s", s.ID, r.MaxStep, p.Name)})
		}
		if re != nil && !re.MatchString(s.Name) && !re.MatchString(s.ID) {
			probs = append(probs, pipeline.Problem{Line: s.Line, Step: s.Name, Msg: fmt.Sprintf("the name is not valid for %s (%s)", p.Name, r.Step)})
		}
	}
	if len(probs) > 0 {
		return &pipeline.Error{File: pl.File, Problems: probs}
	}
	return nil
}

// Run renders every selected backend in memory, concurrently. Nothing is written.
func (j *Job) Run(ctx context.Context) (*Result, error) {
	var packs []*Pack
	for _, name := range j.Backends {
		p, ok := j.Library.Pack(name)
		if !ok {
			return nil, &Error{Layer: "--backend", Msg: fmt.Sprintf("unknown backend %q; available: %s", name, strings.Join(j.Library.Names(), ", "))}
		}
		if err := CheckNames(p, j.Pipeline); err != nil {
			return nil, err
		}
		if err := CheckSchedule(p, j.Pipeline); err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	stack, merged, err := j.Values()
	if err != nil {
		return nil, err
	}
	if err := CheckText(j.Pipeline, merged); err != nil {
		return nil, err
	}
	for _, p := range packs {
		if err := CheckMarkers(p, j.Pipeline, merged); err != nil {
			return nil, err
		}
	}
	results := make([][]File, len(packs))
	errs := make([]error, len(packs))
	var wg sync.WaitGroup
	for i, p := range packs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := NewData(p, Input{Pipeline: j.Pipeline, Source: j.Source, Values: values.Values(values.Copy(map[string]any(merged)).(map[string]any)), Version: j.Version, Image: j.Image})
			results[i], errs[i] = Render(ctx, p, data)
		}()
	}
	wg.Wait()
	var files []File
	var report []Finding
	owner := map[string]string{}
	for i, p := range packs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for _, f := range results[i] {
			if prev, dup := owner[f.Path]; dup {
				return nil, &OutputError{Pack: p.Name, Path: f.Path, Err: fmt.Errorf("also written by backend %s", prev)}
			}
			owner[f.Path] = p.Name
			files = append(files, f)
		}
		report = append(report, Report(p, j.Pipeline)...)
	}
	sort.Slice(files, func(a, b int) bool { return files[a].Path < files[b].Path })
	return &Result{Files: files, Stack: stack, Values: merged, Report: report}, nil
}
