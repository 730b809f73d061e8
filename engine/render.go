package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/third_party/template"
)

// Caps on one rendered file: 16 MiB, plus 16 KiB for every step of the pipeline (an
// honest render takes 1 to 5 KiB per step), so that big pipelines render and a template
// that runs away stops early. The parse-back allows a YAML node per 4 bytes, which no
// honest output nears; aliases that multiply nodes hit it first.
const (
	maxOutput        = 16 << 20
	maxOutputPerStep = 16 << 10
	bytesPerNode     = 4
)

// outputLimit is the size cap of one rendered file of a pipeline of n steps.
func outputLimit(steps int) int {
	return maxOutput + steps*maxOutputPerStep
}

// File is one rendered output.
type File struct {
	// Path is relative to the output directory, slash-separated.
	Path   string
	Body   []byte
	Mode   fs.FileMode
	Format string
	// Pack is the backend that rendered the file.
	Pack string
}

// TemplateError is a template that does not parse or execute.
type TemplateError struct {
	Pack  string
	Layer string
	Err   error
}

// Error shows the innermost frame of text/template's message (includes nest them), and
// for fail and required just the template author's message with its position.
func (e *TemplateError) Error() string {
	msg, loc := innermost(e.Err.Error())
	for _, fn := range []string{"fail", "required"} {
		marker := "error calling " + fn + ": "
		if j := strings.LastIndex(msg, marker); j >= 0 && loc != "" {
			return fmt.Sprintf("render %s (%s): %s (%s)", e.Pack, e.Layer, msg[j+len(marker):], loc)
		}
	}
	return fmt.Sprintf("render %s (%s): %s", e.Pack, e.Layer, msg)
}

// innermost returns the last "template: FILE:LINE:COL: …" frame of a text/template error,
// and its FILE:LINE:COL.
func innermost(msg string) (frame, loc string) {
	i := strings.LastIndex(msg, "template: ")
	if i < 0 {
		return msg, ""
	}
	frame = msg[i:]
	rest := strings.TrimPrefix(frame, "template: ")
	if k := strings.Index(rest, ": "); k > 0 {
		loc = rest[:k]
	}
	return frame, loc
}

// templateError wraps err, naming the layer of the file where it happened.
func (p *Pack) templateError(err error) *TemplateError {
	_, loc := innermost(err.Error())
	file := loc
	if k := strings.Index(loc, ":"); k > 0 {
		file = loc[:k]
	}
	return &TemplateError{Pack: p.Name, Layer: p.layerOf(file), Err: err}
}

func (e *TemplateError) Unwrap() error { return e.Err }

// OutputError is a rendered file that cannot be written: its path is refused or taken, or
// (Broken) its content is not what its format promises.
type OutputError struct {
	Pack, Path string
	Err        error
	Broken     bool // a template emitted a file that fails its format check
}

func (e *OutputError) Error() string {
	p := e.Path
	if !utf8.ValidString(p) || strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsPrint(r) }) {
		p = strconv.Quote(p) // the message must not carry line breaks or terminal escapes
	}
	return fmt.Sprintf("render %s: output %s: %v", e.Pack, p, e.Err)
}

func (e *OutputError) Unwrap() error { return e.Err }

// IsInvalid reports whether err comes from a pack's content or a render (as opposed to I/O).
func IsInvalid(err error) bool {
	var te *TemplateError
	var oe *OutputError
	var pe *Error
	return errors.As(err, &te) || errors.As(err, &oe) || errors.As(err, &pe)
}

// IsBrokenOutput reports whether err is a rendered file that failed its format check: a
// template, not the pipeline or the values, is at fault.
func IsBrokenOutput(err error) bool {
	var oe *OutputError
	return errors.As(err, &oe) && oe.Broken
}

type parsed struct {
	once sync.Once
	base *template.Template
	err  error
}

// templates parses the pack's templates once; renders clone the result.
func (p *Pack) templates() (*template.Template, error) {
	if p.tmpl == nil {
		p.tmpl = &parsed{}
	}
	p.tmpl.once.Do(func() {
		var root *template.Template
		root = template.New(p.Name).Option("missingkey=error")
		root.Funcs(funcMap(func() *template.Template { return root }))
		defined := definer{}
		for _, s := range p.Sources {
			if !strings.HasSuffix(s.Path, ".tmpl") && !strings.HasSuffix(s.Path, ".tpl") {
				continue
			}
			if err := defined.parse(root, s); err != nil {
				p.tmpl.err = &TemplateError{Pack: p.Name, Layer: s.Layer, Err: err}
				return
			}
		}
		for _, o := range p.Meta.Outputs {
			src := Source{Path: pathTemplate(o), Layer: p.Origin, Data: []byte(o.Path)}
			if err := defined.parse(root, src); err != nil {
				p.tmpl.err = &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output %s: path: %v", o.Template, err)}
				return
			}
		}
		p.tmpl.base = root
	})
	return p.tmpl.base, p.tmpl.err
}

// layerOf returns the layer a template file came from.
func (p *Pack) layerOf(name string) string {
	for _, s := range p.Sources {
		if s.Path == name {
			return s.Layer
		}
	}
	return p.Origin
}

// Parse parses the pack's templates now, so that a render can start executing at once;
// renders parse them on their first use otherwise. It is safe for concurrent use.
func (p *Pack) Parse() error {
	_, err := p.templates()
	return err
}

// Render executes every output of the pack against data, in memory. Outputs are returned
// sorted by path, each with the generated-file header, and each checked against its format
// (YAML outputs are parsed back strictly). Nothing is written.
func Render(ctx context.Context, p *Pack, data Data) ([]File, error) {
	return renderPack(ctx, p, data, true)
}

// Execute is Render without the checks of the outputs (no scan for "<no value>", no
// parse-back): the cost of executing the templates alone, for benchmarks.
func Execute(ctx context.Context, p *Pack, data Data) ([]File, error) {
	return renderPack(ctx, p, data, false)
}

func renderPack(ctx context.Context, p *Pack, data Data, check bool) ([]File, error) {
	base, err := p.templates()
	if err != nil {
		return nil, err
	}
	t, err := base.Clone()
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Name, err)
	}
	timeout, heap := renderBounds(len(data.Pipeline.Steps))
	g := &guard{heap: heap, memo: newMemo(data)}
	t.Funcs(guardedFuncMap(func() *template.Template { return t }, g)) // include with this render's own depth
	header := headerFor(p, data)
	limit := outputLimit(len(data.Pipeline.Steps))
	var files []File
	seen := map[string]string{}
	for _, o := range p.Meta.Outputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := p.Name + "/" + o.Template
		out, err := p.outputPath(ctx, g, t, o, data)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[out]; dup {
			return nil, &OutputError{Pack: p.Name, Path: out, Err: fmt.Errorf("written by both %s and %s", prev, o.Template)}
		}
		seen[out] = o.Template
		var buf bytes.Buffer
		w := &limitedWriter{w: &buf, n: limit, max: limit, g: g}
		if err := boundedRun(ctx, g, name, timeout, func() error { return t.ExecuteTemplate(w, name, data) }); err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, p.templateError(err)
		}
		body := buf.Bytes()
		if i := bytes.Index(body, []byte("<no value>")); check && i >= 0 {
			line := strings.Count(header, "\n") + bytes.Count(body[:i], []byte("\n")) + 1
			return nil, &OutputError{Pack: p.Name, Path: out, Broken: true, Err: fmt.Errorf("line %d prints <no value>: a template reads a missing key (use index, dig or hasKey with a default)", line)}
		}
		if len(body) > 0 && body[len(body)-1] != '\n' {
			body = append(body, '\n') // every output ends with a newline
		}
		body = append([]byte(header), body...)
		if check {
			if err := checkFormat(out, o.Format, body, len(header)+limit); err != nil {
				return nil, &OutputError{Pack: p.Name, Path: out, Broken: true, Err: err}
			}
		}
		mode := fs.FileMode(0o644)
		if o.Mode != "" {
			m, err := strconv.ParseUint(o.Mode, 8, 32)
			if err != nil || m&^0o777 != 0 {
				return nil, &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output %s: mode %q is not an octal permission like 0644", o.Template, o.Mode)}
			}
			mode = fs.FileMode(m)
		}
		files = append(files, File{Path: out, Body: body, Mode: mode, Format: o.Format, Pack: p.Name})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// outputPath renders an output's path template and checks it stays inside the output dir.
func (p *Pack) outputPath(ctx context.Context, g *guard, t *template.Template, o Output, data Data) (string, error) {
	var b strings.Builder
	w := &limitedWriter{w: &b, n: maxPathBytes, max: maxPathBytes, g: g, tooLong: func(int) error { return errPathTooLong }}
	timeout, _ := renderBounds(len(data.Pipeline.Steps))
	err := boundedRun(ctx, g, "path of "+o.Template, timeout, func() error { return t.ExecuteTemplate(w, pathTemplate(o), data) })
	out, msg := b.String(), ""
	switch {
	case errors.Is(err, errPathTooLong):
		out, msg = cut(out, 80), fmt.Sprintf("output paths must not be longer than %d bytes", maxPathBytes)
	case err != nil && ctx.Err() != nil:
		return "", err
	case err != nil:
		return "", &TemplateError{Pack: p.Name, Layer: p.Origin, Err: err}
	default:
		msg = badOutputPath(out)
	}
	if msg != "" {
		return "", &OutputError{Pack: p.Name, Path: out, Err: fmt.Errorf("%s (the path is %s in %s/pack.yaml)", msg, o.Path, p.Name)}
	}
	return out, nil
}

// pathTemplate names the template of an output's path, parsed with the pack's files.
func pathTemplate(o Output) string { return pathSource + o.Template }

// maxPathBytes bounds a rendered output path (Linux's PATH_MAX).
const maxPathBytes = 4096

var errPathTooLong = errors.New("output path too long")

// cut returns the first n bytes of s or fewer, whole runes, and "…" when it cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// badOutputPath says what is wrong with a rendered output path, or "".
func badOutputPath(out string) string {
	if out == "" || !filepath.IsLocal(filepath.FromSlash(out)) || strings.Contains(out, "\\") || path.Clean(out) != out {
		return "output paths must be relative, clean and inside the output directory"
	}
	for _, r := range out {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == utf8.RuneError {
			return "output paths must not hold control characters, line breaks or bytes that are not UTF-8"
		}
	}
	for _, elem := range strings.Split(out, "/") {
		if len(elem) > 255 {
			return "output paths must not have a file or folder name longer than 255 bytes"
		}
	}
	return ""
}

// headerFor is the generated-file header: who generated the file, from what, and a hash of
// the inputs (pipeline, the pack's values and templates, the version) for drift checks.
func headerFor(p *Pack, d Data) string {
	h := sha256.New()
	fmt.Fprintf(h, "wurzel %s\x00", d.Wurzel.Version)
	fmt.Fprintf(h, "%s\x00", d.Pipeline.Source)
	scoped := map[string]any{"global": d.Values["global"], p.Meta.ValuesKey: d.Values[p.Meta.ValuesKey]}
	vj, _ := json.Marshal(scoped) // map keys are sorted
	h.Write(vj)
	for _, s := range p.Sources {
		fmt.Fprintf(h, "\x00%s\x00", s.Path)
		h.Write(s.Data)
	}
	return fmt.Sprintf("# Code generated by wurzel %s from %s — DO NOT EDIT.\n# wurzel-inputs: sha256:%s\n",
		d.Wurzel.Version, d.Pipeline.File, hex.EncodeToString(h.Sum(nil)))
}

// checkFormat checks a rendered file against its declared format; limit is its size cap.
func checkFormat(name, format string, body []byte, limit int) error {
	switch format {
	case "yaml":
		docs, err := yamlx.ParseStream(body, name, yamlx.Limits{MaxBytes: int64(limit), MaxDepth: 100, MaxNodes: limit / bytesPerNode})
		if err != nil {
			return fmt.Errorf("not valid YAML (a template emits broken structure): %w", err)
		}
		if len(docs) == 0 {
			return errors.New("renders no YAML document")
		}
	case "python", "shell", "text":
		if bytes.IndexByte(body, 0) >= 0 {
			return errors.New("contains a NUL byte")
		}
	}
	return nil
}

// limitedWriter writes at most max bytes to w (n of them are left); past them, it writes
// what fits and fails with tooLong(max), or with the message of an output too large when
// tooLong is nil.
type limitedWriter struct {
	w       interface{ Write([]byte) (int, error) }
	n, max  int
	g       *guard // stops the writes of an abandoned render
	tooLong func(max int) error
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	if err := l.g.err(); err != nil {
		return 0, err
	}
	if len(b) > l.n {
		_, _ = l.w.Write(b[:l.n]) // what fits, for the message
		l.n = 0
		if l.tooLong != nil {
			return 0, l.tooLong(l.max)
		}
		return 0, fmt.Errorf("output is larger than %d bytes (16 MiB and 16 KiB per step): does a template repeat a big value for every step?", l.max)
	}
	l.n -= len(b)
	return l.w.Write(b)
}
