package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wurzel-dev/wurzel/pipeline"
)

// Features are the pipeline features every pack.yaml declares its support for.
var Features = []struct{ Name, Doc string }{
	{"dag", "steps run after the steps they depend on"},
	{"parallel", "independent steps run at the same time"},
	{"artifacts", "a step's output folder reaches the steps that depend on it"},
	{"schedule", "spec.schedule runs the pipeline on a cron schedule"},
	{"timezone", "spec.timezone is the schedule's time zone"},
	{"retries", "a step's retries: re-runs it when it fails"},
	{"timeout", "a step's timeout: stops it when it runs too long"},
	{"secrets", "secret settings are references into the target's secret store"},
	{"image", "a step's image: runs it in its own container image"},
	{"resources", "CPU and memory requests and limits from values"},
	{"concurrency", "runs of the pipeline do not overlap"},
	{"cache", "a step whose inputs did not change is skipped"},
}

// Support levels in pack.yaml.
const (
	Native    = "native"
	Emulated  = "emulated"
	NoSupport = "none"
)

// Finding is something the chosen target does not carry as the pipeline says.
type Finding struct {
	Backend string
	Feature string
	Support string // emulated or none
	How     string
	// Why names what in the pipeline uses the feature.
	Why string
}

func (f Finding) String() string {
	verb := "emulated"
	if f.Support == NoSupport {
		verb = "dropped"
	}
	return fmt.Sprintf("%s: %s %s (%s): %s", f.Backend, f.Feature, verb, f.Why, f.How)
}

// used returns the features the pipeline relies on, each with what uses it.
func used(pl *pipeline.Pipeline) map[string]string {
	u := map[string]string{}
	names := func(pred func(*pipeline.Step) bool) string {
		var out []string
		for _, s := range pl.Spec.Steps {
			if pred(s) {
				out = append(out, s.Name)
			}
		}
		if len(out) == 0 {
			return ""
		}
		if len(out) > 3 {
			out = append(out[:3], "…")
		}
		return "steps " + strings.Join(out, ", ")
	}
	if w := names(func(s *pipeline.Step) bool { return len(s.DependsOn) > 0 }); w != "" {
		u["dag"] = w
		u["artifacts"] = w
	}
	depthCount := map[int]int{}
	for _, d := range pl.Depth() {
		depthCount[d]++
		if depthCount[d] == 2 {
			u["parallel"] = "independent steps"
		}
	}
	if pl.Spec.Schedule != "" {
		u["schedule"] = "spec.schedule " + pl.Spec.Schedule
	}
	if pl.Spec.Timezone != "" {
		u["timezone"] = "spec.timezone " + pl.Spec.Timezone
	}
	if w := names(func(s *pipeline.Step) bool { return s.Retries > 0 }); w != "" {
		u["retries"] = w
	}
	if w := names(func(s *pipeline.Step) bool { return s.Timeout > 0 }); w != "" {
		u["timeout"] = w
	}
	if w := names(func(s *pipeline.Step) bool { return len(s.Secrets) > 0 }); w != "" {
		u["secrets"] = w
	}
	if w := names(func(s *pipeline.Step) bool { return s.Image != "" }); w != "" {
		u["image"] = w
	}
	return u
}

// Report lists the features the pipeline uses that the pack emulates or cannot express.
func Report(p *Pack, pl *pipeline.Pipeline) []Finding {
	var out []Finding
	u := used(pl)
	for _, f := range Features {
		why, ok := u[f.Name]
		if !ok {
			continue
		}
		c, declared := p.Meta.Capabilities[f.Name]
		if !declared {
			out = append(out, Finding{Backend: p.Name, Feature: f.Name, Support: NoSupport, Why: why, How: "the pack does not declare it"})
			continue
		}
		if c.Support == Emulated || c.Support == NoSupport {
			out = append(out, Finding{Backend: p.Name, Feature: f.Name, Support: c.Support, Why: why, How: c.How})
		}
	}
	return out
}

// CheckSchedule checks the pipeline's schedule against a pack's schedule rules: the
// shortest interval between two runs, and whether a time zone can be honoured.
func CheckSchedule(p *Pack, pl *pipeline.Pipeline) error {
	if pl.Spec.Schedule == "" || p.Meta.Schedule.MinInterval == "" {
		return nil
	}
	min, err := time.ParseDuration(p.Meta.Schedule.MinInterval)
	if err != nil {
		return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("schedule.minInterval: %v", err)}
	}
	if s, err := cron.ParseStandard(pl.Spec.Schedule); err == nil && minuteFloor(s) >= min {
		return nil // no two runs are closer than the minute field allows: no need to walk a year
	}
	if gap := ShortestInterval(pl.Spec.Schedule); gap > 0 && gap < min {
		return &pipeline.Error{File: pl.File, Problems: []pipeline.Problem{{Msg: fmt.Sprintf(
			"spec.schedule %q runs every %s at times, more often than %s allows (at most every %s)", pl.Spec.Schedule, gap, p.Name, min)}}}
	}
	return nil
}

// ShortestInterval returns the shortest time between two consecutive runs of a schedule
// over a year (0 if the schedule does not parse).
func ShortestInterval(expr string) time.Duration {
	s, err := cron.ParseStandard(expr)
	if err != nil {
		return 0
	}
	floor := minuteFloor(s)
	t := s.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	end := t.AddDate(1, 0, 0)
	shortest := time.Duration(0)
	for i := 0; i < 600000 && t.Before(end); i++ {
		next := s.Next(t)
		if next.IsZero() {
			break
		}
		if gap := next.Sub(t); shortest == 0 || gap < shortest {
			shortest = gap
		}
		if shortest == floor {
			break // no two runs can be closer: the year need not be walked to its end
		}
		t = next
	}
	return shortest
}

// minuteFloor is a lower bound of the time between two runs of a schedule: the smallest
// distance between two minutes of its minute field, going round the hour (an hour when it
// names one minute). 0 when unknown.
func minuteFloor(s cron.Schedule) time.Duration {
	spec, ok := s.(*cron.SpecSchedule)
	if !ok || spec.Second != 1 { // runs at second 0 only, as five-field schedules do
		return 0
	}
	first, prev, gap := -1, -1, 60
	for m := 0; m < 60; m++ {
		if spec.Minute&(1<<uint(m)) == 0 {
			continue
		}
		if first < 0 {
			first = m
		} else if m-prev < gap {
			gap = m - prev
		}
		prev = m
	}
	if first < 0 {
		return 0
	}
	if round := 60 - prev + first; round < gap {
		gap = round
	}
	return time.Duration(gap) * time.Minute
}

// Matrix returns, per feature, each pack's support level, for `wurzel backends --matrix`.
func Matrix(packs []*Pack) (features []string, rows map[string][]string) {
	rows = map[string][]string{}
	for _, f := range Features {
		features = append(features, f.Name)
		for _, p := range packs {
			support := "?"
			if c, ok := p.Meta.Capabilities[f.Name]; ok {
				support = c.Support
			}
			rows[f.Name] = append(rows[f.Name], support)
		}
	}
	return features, rows
}

// checkCapabilities validates a pack's capability declarations.
func (p *Pack) checkCapabilities() error {
	known := map[string]bool{}
	for _, f := range Features {
		known[f.Name] = true
	}
	var names []string
	for name := range p.Meta.Capabilities {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := p.Meta.Capabilities[name]
		if !known[name] {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("capabilities: unknown feature %q", name)}
		}
		switch c.Support {
		case Native, Emulated, NoSupport:
		default:
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("capabilities.%s: support %q must be native, emulated or none", name, c.Support)}
		}
		if c.Support != Native && c.How == "" {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("capabilities.%s: say how it is %s", name, c.Support)}
		}
	}
	return nil
}

// MatrixMarkdown renders the capability matrix as a Markdown table (the README's backend
// table is this output).
func MatrixMarkdown(packs []*Pack) string {
	features, rows := Matrix(packs)
	docs := map[string]string{}
	for _, f := range Features {
		docs[f.Name] = f.Doc
	}
	var b strings.Builder
	b.WriteString("| feature |")
	for _, p := range packs {
		fmt.Fprintf(&b, " %s |", p.Name)
	}
	b.WriteString("\n|---|")
	for range packs {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, f := range features {
		fmt.Fprintf(&b, "| **%s**: %s |", f, docs[f])
		for _, s := range rows[f] {
			fmt.Fprintf(&b, " %s |", s)
		}
		b.WriteString("\n")
	}
	return b.String()
}
