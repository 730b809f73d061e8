package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/secret"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/semdiff"
	"github.com/wurzel-dev/wurzel/values"
)

// Config is what to lint: the same inputs as `wurzel render`.
type Config struct {
	// Pipeline is the pipeline file.
	Pipeline string
	// ValueFiles are -f files, lowest first; Sets the --set flags in order.
	ValueFiles []string
	Sets       []engine.SetExpr
	// TemplateDirs are --templates-dir directories, lowest priority first.
	TemplateDirs []string
	// Backends are the backends to render (names or "all"); empty means the pipeline's
	// spec.backend.
	Backends []string
	// PipelineName selects the entry of Python Wurzel values files.
	PipelineName string
	// Version and Image are the wurzel version and image written into the outputs.
	Version, Image string
	// Templates holds the embedded packs (templates.FS).
	Templates fs.FS
}

// BackendError is a --backend that names no pack, or a pipeline without backends.
type BackendError struct{ Msg string }

func (e *BackendError) Error() string { return e.Msg }

// Run lints the pipeline, the values and every selected backend's rendered files, and
// returns every finding. The error is for what stops linting altogether: an unknown
// backend (a *BackendError) or a cancelled context.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	l := &linter{cfg: cfg, report: &Report{Backends: []string{}}, secrets: map[string]bool{}}
	if err := l.run(ctx); err != nil {
		return nil, err
	}
	l.report.sort()
	return l.report, nil
}

type linter struct {
	cfg    Config
	report *Report
	// secrets holds fingerprints of the secrets found in the pipeline and values, so that
	// their copies in rendered files are not reported again.
	secrets map[string]bool
	// masks are the --set layer names with secret values masked, by their raw name.
	masks map[string]string
	// user are the values layers above the pack defaults, lowest first.
	user []*values.Layer
	// textRefused is set when the pipeline or global values hold text no file can carry.
	textRefused bool
}

func (l *linter) add(f Finding) {
	if m, ok := l.masks[f.File]; ok {
		f.File = m
	}
	l.report.Findings = append(l.report.Findings, f)
}

func (l *linter) run(ctx context.Context) error {
	p, src := l.pipeline()
	lib := l.library()
	if lib == nil {
		return nil
	}
	if p == nil {
		// Values can still be checked, without spec.backendConfig.
		empty := &pipeline.Pipeline{File: l.cfg.Pipeline}
		l.values(&engine.Job{Pipeline: empty, Library: lib, ValueFiles: l.cfg.ValueFiles, Sets: l.cfg.Sets, PipelineName: l.cfg.PipelineName})
		l.add(Finding{Severity: Info, Rule: RuleCoverage, File: l.cfg.Pipeline, Message: "nothing was rendered: fix the pipeline first", phase: phasePipeline})
		return nil
	}
	backends, err := lib.Select(l.cfg.Backends, p.Spec.Backends)
	if err != nil {
		return &BackendError{err.Error()}
	}
	job := &engine.Job{
		Pipeline: p, Source: src, Library: lib, Backends: backends,
		ValueFiles: l.cfg.ValueFiles, Sets: l.cfg.Sets, PipelineName: l.cfg.PipelineName,
		Version: l.cfg.Version, Image: l.cfg.Image,
	}
	merged := l.values(job)
	l.pipelineSecrets(p, src)
	if merged == nil {
		l.add(Finding{Severity: Info, Rule: RuleCoverage, File: l.cfg.Pipeline, Message: "nothing was rendered: fix the values first", phase: phaseValues})
		return nil
	}
	l.report.Backends = backends
	// What no backend can carry is said once, not once per backend, and rendering would
	// only report it again, as the templates' fault.
	textErr := engine.CheckText(p, merged)
	for _, f := range findingsOf(textErr, RuleExpressions, phasePipeline) {
		if f.File == "" {
			l.place(&f, p.File)
		}
		l.add(f)
	}
	if l.textRefused = textErr != nil; l.textRefused {
		l.add(Finding{Severity: Info, Rule: RuleCoverage, File: l.cfg.Pipeline, Message: "nothing was rendered: remove the text above that no file can carry first", phase: phaseValues})
	}
	var files []engine.File
	owner := map[string]string{}
	for _, name := range backends {
		if err := ctx.Err(); err != nil {
			return err
		}
		pack, _ := lib.Pack(name)
		rendered := l.render(ctx, job, pack, merged)
		for _, f := range rendered {
			if prev, dup := owner[f.Path]; dup {
				l.add(Finding{Severity: Error, Rule: RuleOutput, File: f.Path, Rendered: true, Backend: name,
					Message: "also written by backend " + prev + "; render them into different directories", phase: phaseRendered})
				continue
			}
			owner[f.Path] = name
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	warmSchemas(files)
	for _, f := range files {
		l.report.Files = append(l.report.Files, f.Path)
		l.file(f)
	}
	return ctx.Err()
}

// warmSchemas compiles the schemas the files need at the same time (compiling the Argo
// schema alone takes a quarter of a second); errors are reported when the files are checked.
func warmSchemas(files []engine.File) {
	need := map[string]bool{}
	for _, f := range files {
		if f.Format != "yaml" {
			continue
		}
		docs, _ := semdiff.ParseDocuments(f.Body)
		for _, d := range docs {
			if t, _ := targetOf(f.Path, d); t.schema != "" {
				need[t.schema] = true
			}
		}
	}
	var wg sync.WaitGroup
	for p := range need {
		wg.Go(func() { _, _ = compile(p) })
	}
	wg.Wait()
}

var warningRE = regexp.MustCompile(`^(.+?):(\d+): (.*)$`)

// pipeline loads the pipeline; its problems and warnings become findings.
func (l *linter) pipeline() (*pipeline.Pipeline, []byte) {
	p, err := pipeline.LoadFile(l.cfg.Pipeline)
	if err != nil {
		for _, f := range findingsOf(err, RulePipeline, phasePipeline) {
			if f.File == "" {
				f.File = l.cfg.Pipeline
			}
			l.add(f)
		}
		return nil, nil
	}
	src, err := os.ReadFile(l.cfg.Pipeline)
	if err != nil {
		l.add(Finding{Severity: Error, Rule: RulePipeline, File: l.cfg.Pipeline, Message: err.Error(), phase: phasePipeline})
		return nil, nil
	}
	for _, w := range p.Warnings {
		f := Finding{Severity: Warning, Rule: RulePipeline, File: l.cfg.Pipeline, Message: w, phase: phasePipeline}
		if m := warningRE.FindStringSubmatch(w); m != nil {
			f.File, f.Message = m[1], m[3]
			f.Line, _ = strconv.Atoi(m[2])
		}
		l.add(f)
	}
	return p, src
}

// library loads the embedded packs and the override directories.
func (l *linter) library() *engine.Library {
	var layers []engine.Layer
	for _, d := range l.cfg.TemplateDirs {
		layer, err := engine.DirLayer(d)
		if err != nil {
			l.add(Finding{Severity: Error, Rule: RulePack, File: d, Message: err.Error(), phase: phaseTemplates})
			return nil
		}
		layers = append(layers, layer)
	}
	lib, err := engine.Load(l.cfg.Templates, layers...)
	if err != nil {
		for _, f := range findingsOf(err, RulePack, phaseTemplates) {
			l.add(f)
		}
		return nil
	}
	return lib
}

// values reads every values layer, reporting every file that does not parse, every type
// conflict between layers and every unknown key, and returns the merged values (nil when
// they cannot be merged).
func (l *linter) values(job *engine.Job) values.Values {
	name, explicit := job.PipelineName, job.PipelineName != ""
	if !explicit {
		name = job.Pipeline.Metadata.Name
	}
	ok := true
	for _, f := range job.ValueFiles {
		layer, err := values.ReadFile(f)
		if err == nil {
			_, err = layer.NormalizePython(name, explicit)
		}
		if err != nil {
			ok = false
			for _, fd := range findingsOf(err, RuleValues, phaseValues) {
				if fd.File == "" {
					fd.File = f
				}
				l.add(fd)
			}
		}
	}
	l.masks = map[string]string{}
	for _, s := range job.Sets {
		layer, err := values.ParseSet(s.Kind, s.Expr)
		if err != nil {
			ok = false
			for _, fd := range findingsOf(err, RuleValues, phaseValues) {
				fd.File = "--" + string(s.Kind)
				fd.Message = secret.MaskText(fd.Message)
				l.add(fd)
			}
			continue
		}
		if masked := secret.MaskText(layer.Name); masked != layer.Name {
			l.masks[layer.Name] = masked
		}
	}
	if !ok {
		return nil
	}
	stack, err := job.Stack()
	if err != nil {
		l.addAll(findingsOf(err, RuleValues, phaseValues))
		return nil
	}
	merged, err := stack.Merge()
	if err != nil {
		l.addAll(findingsOf(err, RuleValues, phaseValues))
		return nil
	}
	var user []*values.Layer
	for _, layer := range stack.Layers {
		if layer.Kind != values.PackDefault {
			user = append(user, layer)
		}
	}
	if err := job.Schema().Check(user...); err != nil {
		l.addAll(findingsOf(err, RuleValues, phaseValues))
	}
	for _, layer := range user {
		l.valueSecrets(layer)
	}
	l.user = user
	return merged
}

func (l *linter) addAll(fs []Finding) {
	for _, f := range fs {
		l.add(f)
	}
}

// render renders one pack after the checks of the pipeline against it; every problem is a
// finding, and the files are returned when the render succeeded.
func (l *linter) render(ctx context.Context, job *engine.Job, p *engine.Pack, merged values.Values) []engine.File {
	for _, check := range []struct {
		rule string
		err  error
	}{
		{RuleNames, engine.CheckNames(p, job.Pipeline)},
		{RuleSchedule, engine.CheckSchedule(p, job.Pipeline)},
		{RuleExpressions, engine.CheckMarkers(p, job.Pipeline, merged)},
	} {
		for _, f := range findingsOf(check.err, check.rule, phasePipeline) {
			f.Backend = p.Name
			if f.File == "" {
				f.Message = strings.TrimPrefix(f.Message, p.Name+": ")
				l.place(&f, job.Pipeline.File)
			}
			l.add(f)
		}
	}
	if engine.Unwritable(p, job.Pipeline, merged) {
		// Reported above: a render would fail on it, or blame a template.
		if !l.textRefused {
			l.add(Finding{Severity: Info, Rule: RuleCoverage, File: job.Pipeline.File, Backend: p.Name,
				Message: "not rendered: remove the text above that no file can carry first", phase: phaseValues})
		}
		return nil
	}
	data := engine.NewData(p, engine.Input{
		Pipeline: job.Pipeline, Source: job.Source,
		Values:  values.Values(values.Copy(map[string]any(merged)).(map[string]any)),
		Version: job.Version, Image: job.Image,
	})
	files, err := engine.Render(ctx, p, data)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		for _, f := range findingsOf(err, RuleTemplate, phaseTemplates) {
			f.Backend = p.Name
			l.add(f)
		}
		return nil
	}
	for _, c := range engine.Report(p, job.Pipeline) {
		sev := Info
		l.add(Finding{Severity: sev, Rule: RuleCapability, File: job.Pipeline.File, Backend: p.Name,
			Message: strings.TrimPrefix(c.String(), p.Name+": "), phase: phasePipeline})
	}
	return files
}

// place finds where a message without a position points: "FILE:LINE: …" at its start, or
// a values path ("argo.container.env.X holds …") set by a values layer; else the pipeline.
func (l *linter) place(f *Finding, pipelineFile string) {
	if m := warningRE.FindStringSubmatch(f.Message); m != nil {
		f.File, f.Message = m[1], m[3]
		f.Line, _ = strconv.Atoi(m[2])
		return
	}
	f.File = pipelineFile
	key, _, ok := strings.Cut(f.Message, " ")
	if !ok {
		return
	}
	path, err := values.ParsePath(key)
	if err != nil {
		return
	}
	for i := len(l.user) - 1; i >= 0; i-- {
		if _, set := l.user[i].Values.Lookup(path); set {
			pos := l.user[i].Pos(path)
			f.File, f.Line, f.Column = pos.File, pos.Line, pos.Col
			return
		}
	}
}

var (
	// templateLocRE finds text/template's position: "template: FILE:LINE:COL: MESSAGE".
	templateLocRE = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?: (.*)$`)
	// outputLineRE finds the line an output error names.
	outputLineRE = regexp.MustCompile(`^line (\d+) (.*)$`)
)

// findingsOf turns the errors of the pipeline, values and engine packages into findings,
// one per problem, with their positions.
func findingsOf(err error, rule string, phase int) []Finding {
	if err == nil {
		return nil
	}
	var (
		le *values.ListError
		pe *pipeline.Error
		ve *values.Error
		ye *yamlx.Error
		te *engine.TemplateError
		oe *engine.OutputError
		ee *engine.Error
	)
	base := Finding{Severity: Error, Rule: rule, phase: phase}
	switch {
	case errors.As(err, &le):
		var out []Finding
		for _, e := range le.Errs {
			out = append(out, findingsOf(e, rule, phase)...)
		}
		return out
	case errors.As(err, &pe):
		var out []Finding
		for _, p := range pe.Problems {
			f := base
			f.File, f.Line, f.Column, f.Message = pe.File, p.Line, p.Col, p.Msg
			if p.Step != "" {
				f.Message = fmt.Sprintf("step %q: %s", p.Step, p.Msg)
			}
			out = append(out, f)
		}
		return out
	case errors.As(err, &ve):
		base.File, base.Line, base.Column, base.Message = ve.Pos.File, ve.Pos.Line, ve.Pos.Col, ve.Msg
	case errors.As(err, &te):
		return []Finding{templateFinding(te, base)}
	case errors.As(err, &oe):
		base.Rule, base.File, base.Rendered, base.Backend, base.phase = RuleOutput, oe.Path, true, oe.Pack, phaseRendered
		base.Message = oe.Err.Error()
		if errors.As(oe.Err, &ye) {
			base.Line, base.Column, base.Message = ye.Line, ye.Col, "not valid YAML (a template emits broken structure): "+ye.Msg
		} else if m := outputLineRE.FindStringSubmatch(base.Message); m != nil {
			base.Line, _ = strconv.Atoi(m[1])
			base.Message = m[2]
			if strings.Contains(base.Message, "<no value>") {
				base.Rule = RuleNoValue
			}
		}
	case errors.As(err, &ye):
		base.File, base.Line, base.Column, base.Message = ye.File, ye.Line, ye.Col, ye.Msg
	case errors.As(err, &ee):
		base.Rule = RulePack
		base.File = ee.Path
		if ee.Layer != "" && ee.Layer != engine.EmbeddedLayer {
			base.File = filepath.Join(ee.Layer, ee.Path)
		}
		if base.File == "" {
			base.File = ee.Layer
		}
		base.Message = ee.Msg
	default:
		base.Message = err.Error()
	}
	return []Finding{base}
}

// templateFinding places a template error at the template file and line, naming the
// override directory the file came from.
func templateFinding(te *engine.TemplateError, f Finding) Finding {
	msg := te.Err.Error()
	if i := strings.LastIndex(msg, "template: "); i >= 0 {
		msg = msg[i:]
	}
	m := templateLocRE.FindStringSubmatch(msg)
	if m == nil {
		f.File, f.Message = te.Layer, te.Error()
		return f
	}
	f.File = m[1]
	if te.Layer != "" && te.Layer != engine.EmbeddedLayer {
		f.File = filepath.Join(te.Layer, m[1])
	} else {
		f.File = "templates/" + m[1] + " (embedded)"
	}
	f.Line, _ = strconv.Atoi(m[2])
	f.Column, _ = strconv.Atoi(m[3])
	f.Message = m[4]
	for _, fn := range []string{"fail", "required"} {
		if j := strings.LastIndex(f.Message, "error calling "+fn+": "); j >= 0 {
			f.Message = f.Message[j+len("error calling "+fn+": "):]
		}
	}
	return f
}
