package semdiff

import (
	"bytes"
	"path"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/secret"
)

// FileDiff is how one file differs from a fresh render.
type FileDiff struct {
	// Path is relative to the output directory, slash-separated.
	Path string
	// Backend is the pack that renders the file; empty for a file no longer rendered.
	Backend string
	// Drift is stale, edited, missing or extra (see engine.Compare).
	Drift engine.DriftKind
	// Format is the output's format (yaml, python, shell, text).
	Format string
	// Old and New are the generated-file headers of the file before and after (zero when
	// the file has none or does not exist).
	Old, New Header
	// HeaderOnly: nothing but the generated-file header differs (new inputs, same output).
	HeaderOnly bool
	// Cosmetic: the YAML means the same, but comments, quoting, order or layout differ.
	Cosmetic bool
	// Changes are the semantic changes of a YAML file.
	Changes []Change
	// Unified is a line diff (text outputs, or YAML that does not parse), with secret-looking
	// values masked.
	Unified string
	// Note explains a fallback: "the file on disk is not valid YAML (…): a line diff follows".
	Note string
	// Lines counts the lines of the file that exists, for missing and extra files.
	Lines int
}

// Files describes each drift semantically; rendered gives the backend and format of each
// rendered path, and files no longer rendered are judged by their name.
func Files(drift []engine.Drift, rendered []engine.File) []FileDiff {
	info := map[string]engine.File{}
	for _, f := range rendered {
		info[f.Path] = f
	}
	out := make([]FileDiff, 0, len(drift))
	for _, d := range drift {
		f, ok := info[d.Path]
		format := f.Format
		if !ok {
			format = formatOf(d.Path)
		}
		out = append(out, File(d, f.Pack, format))
	}
	return out
}

// formatOf guesses the format of a file that is no longer rendered from its name.
func formatOf(p string) string {
	switch path.Ext(p) {
	case ".yaml", ".yml":
		return "yaml"
	case ".py":
		return "python"
	}
	return "text"
}

// File describes one drift.
func File(d engine.Drift, backend, format string) FileDiff {
	fd := FileDiff{Path: d.Path, Backend: backend, Drift: d.Kind, Format: format}
	fd.Old, _ = ParseHeader(d.Got)
	fd.New, _ = ParseHeader(d.Want)
	switch d.Kind {
	case engine.Missing:
		fd.Lines = countLines(d.Want)
		return fd
	case engine.Extra:
		fd.Lines = countLines(d.Got)
		return fd
	}
	oldBody, newBody := StripHeader(d.Got), StripHeader(d.Want)
	if bytes.Equal(oldBody, newBody) {
		fd.HeaderOnly = true
		return fd
	}
	if format == "yaml" {
		changes, err := YAML(d.Got, d.Want)
		if err == nil {
			fd.Changes = changes
			fd.Cosmetic = len(changes) == 0
			return fd
		}
		fd.Note = "not comparable as YAML (" + err.Error() + "): a line diff follows"
	}
	fd.Unified = LineDiff(oldBody, newBody, fd.Old.Len, fd.New.Len)
	return fd
}

func countLines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// LineDiff is a unified diff (3 lines of context, no file names) of two texts, with every
// line passed through secret.MaskText. skipA and skipB are the lengths of headers stripped
// from the texts, so that line numbers count from the top of the files.
func LineDiff(a, b []byte, skipA, skipB int) string {
	la, lb := splitLines(a), splitLines(b)
	m := difflib.NewMatcher(la, lb)
	offA, offB := 0, 0
	if skipA > 0 {
		offA = 2
	}
	if skipB > 0 {
		offB = 2
	}
	var sb strings.Builder
	for _, g := range m.GetGroupedOpCodes(3) {
		first, last := g[0], g[len(g)-1]
		sb.WriteString("@@ -" + span(first.I1+offA, last.I2-first.I1) + " +" + span(first.J1+offB, last.J2-first.J1) + " @@\n")
		for _, c := range g {
			switch c.Tag {
			case 'e':
				writeLines(&sb, " ", la[c.I1:c.I2])
			case 'r', 'd':
				writeLines(&sb, "-", la[c.I1:c.I2])
				if c.Tag == 'r' {
					writeLines(&sb, "+", lb[c.J1:c.J2])
				}
			case 'i':
				writeLines(&sb, "+", lb[c.J1:c.J2])
			}
		}
	}
	return sb.String()
}

func span(start, n int) string {
	b := start + 1
	if n == 0 {
		b = start
	}
	if n == 1 {
		return strconv.Itoa(b)
	}
	return strconv.Itoa(b) + "," + strconv.Itoa(n)
}

func writeLines(sb *strings.Builder, prefix string, lines []string) {
	for _, l := range lines {
		sb.WriteString(prefix + secret.MaskText(l) + "\n")
	}
}

// splitLines splits text into lines without their line breaks.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
