package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Severity ranks a finding. Only errors make `wurzel lint` fail.
type Severity string

// The severities, most severe first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rules name what a finding is about; they are stable, for filtering and for tools.
const (
	RulePipeline    = "pipeline"    // the pipeline file is invalid
	RuleValues      = "values"      // a values file or --set is invalid, or a key is unknown
	RulePack        = "pack"        // a template pack (pack.yaml, an override directory) is invalid
	RuleTemplate    = "template"    // a template does not parse or fails while rendering
	RuleOutput      = "output"      // a rendered file is not what its format promises
	RuleNoValue     = "no-value"    // a template printed <no value> (a missing key)
	RuleNames       = "names"       // a name is not legal on the target
	RuleSchedule    = "schedule"    // the schedule is not possible on the target
	RuleExpressions = "expressions" // a value holds an expression the target would evaluate
	RuleSchema      = "schema"      // a rendered file does not match its target's schema
	RuleRefs        = "refs"        // a rendered file refers to a job, task or template it lacks
	RuleSecret      = "secret"      // a literal that looks like a secret
	RulePython      = "python"      // an Airflow DAG is not well-formed Python
	RuleCapability  = "capability"  // the target emulates or drops a pipeline feature
	RuleCoverage    = "coverage"    // what lint could not check
)

// Finding is one problem, at a place.
type Finding struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	// File is the file concerned: the pipeline, a values file, a template, or a rendered
	// output (Rendered is then true, and the path is relative to the output directory).
	File     string `json:"file"`
	Rendered bool   `json:"rendered,omitempty"`
	Backend  string `json:"backend,omitempty"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	// Path is the dotted path of the key concerned (spec.templates[1].container), and
	// Pointer the same as a JSON pointer (/spec/templates/1/container) for rendered files.
	Path    string `json:"path,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Message string `json:"message"`

	phase int // orders findings: pipeline, values, templates, rendered files
}

// Phases, in report order.
const (
	phasePipeline = iota
	phaseValues
	phaseTemplates
	phaseRendered
)

// Location is file:line:column, as far as known.
func (f Finding) Location() string {
	s := f.File
	if f.Line > 0 {
		s += ":" + strconv.Itoa(f.Line)
		if f.Column > 0 {
			s += ":" + strconv.Itoa(f.Column)
		}
	}
	return s
}

// String formats a finding on one line: FILE:LINE: SEVERITY: PATH: MESSAGE [BACKEND RULE].
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Location())
	b.WriteString(": ")
	b.WriteString(string(f.Severity))
	b.WriteString(": ")
	if f.Path != "" {
		b.WriteString(f.Path + ": ")
	}
	b.WriteString(f.Message)
	b.WriteString(" [")
	if f.Backend != "" {
		b.WriteString(f.Backend + " ")
	}
	b.WriteString(f.Rule + "]")
	return b.String()
}

// rank orders severities, most severe first.
var rank = map[Severity]int{Error: 0, Warning: 1, Info: 2}

// Report is the outcome of a lint run.
type Report struct {
	Findings []Finding
	// Backends are the backends rendered; Files the rendered files checked.
	Backends []string
	Files    []string
}

// Count returns how many findings have severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Failed reports whether an error-severity finding exists.
func (r *Report) Failed() bool { return r.Count(Error) > 0 }

// sort orders the findings by phase, file, line, column, then message.
func (r *Report) sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		switch {
		case a.phase != b.phase:
			return a.phase < b.phase
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Severity != b.Severity:
			return rank[a.Severity] < rank[b.Severity]
		}
		return a.Message < b.Message
	})
}

// Summary is one line: how many findings of each severity, in how many files.
func (r *Report) Summary() string {
	plural := func(n int, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return fmt.Sprintf("%d %ss", n, word)
	}
	s := fmt.Sprintf("%s, %s, %s", plural(r.Count(Error), "error"), plural(r.Count(Warning), "warning"), plural(r.Count(Info), "note"))
	if len(r.Backends) > 0 {
		s += fmt.Sprintf(" (%s rendered for %s)", plural(len(r.Files), "file"), strings.Join(r.Backends, ", "))
	}
	return s
}

// WriteText writes one line per finding, then the summary.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.String() + "\n")
	}
	b.WriteString("wurzel lint: " + r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as one JSON object: the findings, the counts and the
// rendered files.
func (r *Report) WriteJSON(w io.Writer) error {
	findings := r.Findings
	if findings == nil {
		findings = []Finding{}
	}
	files := r.Files
	if files == nil {
		files = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		OK       bool      `json:"ok"`
		Errors   int       `json:"errors"`
		Warnings int       `json:"warnings"`
		Infos    int       `json:"infos"`
		Backends []string  `json:"backends"`
		Files    []string  `json:"files"`
		Findings []Finding `json:"findings"`
	}{!r.Failed(), r.Count(Error), r.Count(Warning), r.Count(Info), r.Backends, files, findings})
}
