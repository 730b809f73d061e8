package semdiff

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
)

// Report is a whole comparison: what was compared and every file that differs.
type Report struct {
	// Against names what the render was compared with: "deploy/" or "origin/main:deploy/".
	Against string
	// Rendered is how many files the render produced.
	Rendered int
	Files    []FileDiff
}

// Equal reports whether nothing differs.
func (r *Report) Equal() bool { return len(r.Files) == 0 }

// Summary is one sentence about the whole comparison.
func (r *Report) Summary() string {
	if r.Equal() {
		return fmt.Sprintf("all %d rendered files match %s", r.Rendered, r.Against)
	}
	counts := map[engine.DriftKind]int{}
	headerOnly := 0
	for _, f := range r.Files {
		counts[f.Drift]++
		if f.HeaderOnly {
			headerOnly++
		}
	}
	var parts []string
	for _, k := range []engine.DriftKind{engine.Stale, engine.Edited, engine.Missing, engine.Extra} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	s := fmt.Sprintf("%d of %d rendered files differ from %s (%s)", len(r.Files)-counts[engine.Extra], r.Rendered, r.Against, strings.Join(parts, ", "))
	if counts[engine.Extra] == len(r.Files) {
		s = fmt.Sprintf("the %d rendered files match %s, but %s", r.Rendered, r.Against, strings.Join(parts, ", "))
	}
	if headerOnly > 0 {
		s += fmt.Sprintf("; %d only in the generated-file header", headerOnly)
	}
	return s
}

// groups orders the files by backend (files no longer rendered last), then by path.
func (r *Report) groups() [][]FileDiff {
	byBackend := map[string][]FileDiff{}
	var names []string
	for _, f := range r.Files {
		if _, ok := byBackend[f.Backend]; !ok {
			names = append(names, f.Backend)
		}
		byBackend[f.Backend] = append(byBackend[f.Backend], f)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "") != (names[j] == "") {
			return names[j] == ""
		}
		return names[i] < names[j]
	})
	out := make([][]FileDiff, 0, len(names))
	for _, n := range names {
		fs := byBackend[n]
		sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
		out = append(out, fs)
	}
	return out
}

// status describes a file's difference in a few words.
func (f *FileDiff) status() string {
	switch {
	case f.Drift == engine.Missing:
		return fmt.Sprintf("missing: a render adds it (%d lines)", f.Lines)
	case f.Drift == engine.Extra:
		return "extra: generated from the same pipeline, but no longer rendered; delete it"
	case f.HeaderOnly:
		return string(f.Drift) + ": " + f.headerChange()
	case f.Cosmetic:
		return string(f.Drift) + ": no semantic change (comments, quoting, key order or layout differ)"
	case f.Format == "yaml" && f.Note == "":
		n := len(f.Changes)
		if n == 1 {
			return string(f.Drift) + ": 1 change"
		}
		return fmt.Sprintf("%s: %d changes", f.Drift, n)
	}
	return string(f.Drift)
}

// headerChange says what changed in the header of a file whose content is the same.
func (f *FileDiff) headerChange() string {
	var what []string
	if f.Old.Version != f.New.Version {
		what = append(what, fmt.Sprintf("wurzel %s → %s", orNone(f.Old.Version), orNone(f.New.Version)))
	}
	if f.Old.Pipeline != f.New.Pipeline {
		what = append(what, fmt.Sprintf("pipeline %s → %s", orNone(f.Old.Pipeline), orNone(f.New.Pipeline)))
	}
	if f.Old.Inputs != f.New.Inputs {
		what = append(what, "inputs hash")
	}
	if len(what) == 0 {
		return "only the generated-file header was edited; the content is the same"
	}
	return "only the generated-file header changed (" + strings.Join(what, ", ") + "); the content is the same"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Line kinds, for colour.
const (
	lineAdd = iota
	lineDel
	lineChange
	lineHunk
	lineContext
)

type line struct {
	kind int
	text string
}

// changeLines formats one change: "~ path: old → new", "+ path: value", or a block.
func changeLines(c Change) []line {
	label := c.Path.String()
	if c.Doc != "" {
		label = "[" + c.Doc + "]"
		if len(c.Path) > 0 {
			label += " " + c.Path.String()
		}
	}
	var out []line
	indent := func(kind int, prefix string, lines []string) {
		for _, l := range lines {
			out = append(out, line{kind, prefix + l})
		}
	}
	switch c.Kind {
	case Reordered:
		out = append(out, line{lineChange, "~ " + label + ": the same items in another order"})
	case Moved:
		from := c.From.String()
		if c.Doc != "" {
			from = "[" + c.Doc + "] " + from
		}
		out = append(out, line{lineChange, "> " + from + " moved to " + c.Path.String()})
	case Added:
		if text, ok := oneLine(c.New, c.Key); ok {
			out = append(out, line{lineAdd, "+ " + label + ": " + text})
		} else {
			out = append(out, line{lineAdd, "+ " + label + ":"})
			indent(lineAdd, "+     ", block(c.New, c.Key))
		}
	case Removed:
		if text, ok := oneLine(c.Old, c.Key); ok {
			out = append(out, line{lineDel, "- " + label + ": " + text})
		} else {
			out = append(out, line{lineDel, "- " + label + ":"})
			indent(lineDel, "-     ", block(c.Old, c.Key))
		}
	case Changed:
		o, n := yamlx.Resolve(c.Old), yamlx.Resolve(c.New)
		ot, oOK := oneLine(o, c.Key)
		nt, nOK := oneLine(n, c.Key)
		switch {
		case oOK && nOK:
			out = append(out, line{lineChange, "~ " + label + ": " + ot + " → " + nt})
		case o.Kind == yaml.ScalarNode && n.Kind == yaml.ScalarNode:
			// Multi-line text (scripts): a line diff of the text.
			out = append(out, line{lineChange, "~ " + label + ": (text)"})
			ud := LineDiff([]byte(maskString(c.Key, o.Value)), []byte(maskString(c.Key, n.Value)), 0, 0)
			for _, l := range strings.Split(strings.TrimSuffix(ud, "\n"), "\n") {
				out = append(out, line{kindOf(l), "      " + l})
			}
		default:
			out = append(out, line{lineChange, "~ " + label + ":"})
			indent(lineDel, "-     ", block(o, c.Key))
			indent(lineAdd, "+     ", block(n, c.Key))
		}
	}
	return out
}

func kindOf(l string) int {
	switch {
	case strings.HasPrefix(l, "@@"):
		return lineHunk
	case strings.HasPrefix(l, "+"):
		return lineAdd
	case strings.HasPrefix(l, "-"):
		return lineDel
	}
	return lineContext
}

// bodyLines are the lines that show a file's difference (empty for header-only, cosmetic,
// missing and extra files).
func (f *FileDiff) bodyLines() []line {
	var out []line
	if f.Note != "" {
		out = append(out, line{lineContext, "(" + f.Note + ")"})
	}
	for _, c := range f.Changes {
		out = append(out, changeLines(c)...)
	}
	if f.Unified != "" {
		for _, l := range strings.Split(strings.TrimSuffix(f.Unified, "\n"), "\n") {
			out = append(out, line{kindOf(l), l})
		}
	}
	return out
}

// TextOptions configure WriteText.
type TextOptions struct {
	// Color writes ANSI colours (for a terminal).
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// WriteText writes the report for a terminal: per backend, each file's status and changes,
// then the summary.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	paint := func(code, s string) string {
		if !o.Color {
			return s
		}
		return code + s + ansiReset
	}
	colours := map[int]string{lineAdd: ansiGreen, lineDel: ansiRed, lineChange: ansiYellow, lineHunk: ansiCyan}
	var b strings.Builder
	for _, g := range r.groups() {
		name := g[0].Backend
		if name == "" {
			name = "no longer rendered"
		}
		b.WriteString(paint(ansiBold, name) + "\n")
		for _, f := range g {
			fmt.Fprintf(&b, "  %s: %s\n", paint(ansiBold, f.Path), f.status())
			for _, l := range f.bodyLines() {
				text := "    " + l.text
				if c, ok := colours[l.kind]; ok {
					text = "    " + paint(c, l.text)
				}
				b.WriteString(text + "\n")
			}
		}
	}
	if !r.Equal() {
		b.WriteString("\n")
	}
	b.WriteString("wurzel diff: " + r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownOptions configure WriteMarkdown.
type MarkdownOptions struct {
	// MaxBytes bounds the comment (GitHub refuses comments over 65536 characters); files
	// past the budget are listed without their changes. 0 means 60000.
	MaxBytes int
}

// WriteMarkdown writes the report as a pull-request comment: a summary, then one
// collapsible section per file with its changes in a diff code block.
func WriteMarkdown(w io.Writer, r *Report, o MarkdownOptions) error {
	budget := o.MaxBytes
	if budget <= 0 {
		budget = 60000
	}
	var b strings.Builder
	b.WriteString("### wurzel diff\n\n")
	if r.Equal() {
		b.WriteString("No change: " + mdText(r.Summary()) + ".\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(mdText(upperFirst(r.Summary())) + ".\n\n")
	var short []string
	for _, g := range r.groups() {
		for _, f := range g {
			where := "<code>" + html.EscapeString(f.Path) + "</code>"
			if f.Backend != "" {
				where += " · " + html.EscapeString(f.Backend)
			}
			body := f.bodyLines()
			if len(body) == 0 {
				short = append(short, "- "+where+" · "+html.EscapeString(f.status()))
				continue
			}
			texts := make([]string, len(body))
			for i, l := range body {
				texts[i] = l.text
			}
			fence := codeFence(texts)
			section := "<details><summary>" + where + " · " + html.EscapeString(f.status()) + "</summary>\n\n" +
				fence + "diff\n" + strings.Join(texts, "\n") + "\n" + fence + "\n\n</details>\n\n"
			if b.Len()+len(section) > budget {
				short = append(short, "- "+where+" · "+html.EscapeString(f.status())+" (changes left out: the comment would be too long; run wurzel diff locally)")
				continue
			}
			b.WriteString(section)
		}
	}
	if len(short) > 0 {
		b.WriteString(strings.Join(short, "\n") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// codeFence returns a backtick fence longer than any run of backticks in the lines.
func codeFence(lines []string) string {
	longest := 0
	for _, l := range lines {
		run := 0
		for _, r := range l {
			if r == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// mdText escapes text for Markdown outside code.
func mdText(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "|", "\\|")
	return r.Replace(s)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// jsonFile is one file of the JSON report.
type jsonFile struct {
	Path       string       `json:"path"`
	Backend    string       `json:"backend,omitempty"`
	Drift      string       `json:"drift"`
	HeaderOnly bool         `json:"headerOnly,omitempty"`
	Cosmetic   bool         `json:"cosmetic,omitempty"`
	Changes    []jsonChange `json:"changes,omitempty"`
	Diff       string       `json:"diff,omitempty"`
	Note       string       `json:"note,omitempty"`
}

type jsonChange struct {
	Kind    string `json:"kind"`
	Doc     string `json:"document,omitempty"`
	Path    string `json:"path"`
	Pointer string `json:"pointer"`
	From    string `json:"from,omitempty"`
	Line    int    `json:"line,omitempty"`
	Old     any    `json:"old,omitempty"`
	New     any    `json:"new,omitempty"`
}

// WriteJSON writes the report as one JSON object: equal, summary and files.
func WriteJSON(w io.Writer, r *Report) error {
	files := make([]jsonFile, 0, len(r.Files))
	for _, g := range r.groups() {
		for _, f := range g {
			jf := jsonFile{Path: f.Path, Backend: f.Backend, Drift: string(f.Drift), HeaderOnly: f.HeaderOnly, Cosmetic: f.Cosmetic, Diff: f.Unified, Note: f.Note}
			for _, c := range f.Changes {
				jc := jsonChange{Kind: string(c.Kind), Doc: c.Doc, Path: c.Path.String(), Pointer: c.Path.Pointer(), Line: c.Line()}
				if c.Kind == Moved {
					jc.From = c.From.String()
				}
				if c.Old != nil {
					jc.Old = plain(c.Old, c.Key)
				}
				if c.New != nil {
					jc.New = plain(c.New, c.Key)
				}
				jf.Changes = append(jf.Changes, jc)
			}
			files = append(files, jf)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Equal   bool       `json:"equal"`
		Summary string     `json:"summary"`
		Files   []jsonFile `json:"files"`
	}{r.Equal(), r.Summary(), files})
}
