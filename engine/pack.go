package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/values"
)

// Limits on override directories, which are user input.
const (
	maxTemplateFile = 1 << 20 // bytes per file
	maxPackFiles    = 500     // files per override directory
)

// Meta is a pack's pack.yaml.
type Meta struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// ValuesKey is the top-level values key the pack reads: argo, githubActions, ….
	ValuesKey string `yaml:"valuesKey"`
	// Outputs are the files the pack writes.
	Outputs []Output `yaml:"outputs"`
	// OpenKeys are dotted value paths (path.Match patterns) under which any key is accepted.
	OpenKeys []string `yaml:"openKeys"`
	// Names constrains pipeline and step names for the target.
	Names NameRules `yaml:"names"`
	// DataDir is the dotted value path of the folder where steps exchange data.
	DataDir string `yaml:"dataDir"`
	// Capabilities says, per pipeline feature, how the target carries it.
	Capabilities map[string]Capability `yaml:"capabilities"`
	// Schedule describes what schedules the target accepts.
	Schedule ScheduleRules `yaml:"schedule"`
	// TargetName names the target system in messages: "Argo Workflows".
	TargetName string `yaml:"target"`
	// ExpressionMarkers are the target's template-language openers ({{, ${{, {%): values
	// and pipeline text holding one are rejected unless listed in <valuesKey>.allowExpressions.
	ExpressionMarkers []string `yaml:"expressionMarkers"`
}

// Target names the target system for messages.
func (m Meta) Target() string {
	if m.TargetName != "" {
		return m.TargetName
	}
	return m.Name
}

// Output is one file a pack writes.
type Output struct {
	// Template is the template file, relative to the pack: workflow.yaml.tmpl.
	Template string `yaml:"template"`
	// Path is where the output goes, relative to -o; it is itself a template
	// (.github/workflows/{{ .Pipeline.Name }}.yml).
	Path string `yaml:"path"`
	// Format is checked after rendering: yaml (one or more documents), python, shell, text.
	Format string `yaml:"format"`
	// Mode is the file mode, 0644 when empty.
	Mode string `yaml:"mode"`
}

// NameRules are the target's constraints on names.
type NameRules struct {
	// Step is a regular expression every step ID must match on this target.
	Step string `yaml:"step"`
	// MaxStep and MaxPipeline bound the lengths of step IDs and the pipeline name.
	MaxStep     int `yaml:"maxStep"`
	MaxPipeline int `yaml:"maxPipeline"`
}

// Capability is how a target carries one pipeline feature.
type Capability struct {
	// Support is native, emulated or none.
	Support string `yaml:"support"`
	// How explains an emulation, or why the target cannot express the feature.
	How string `yaml:"how"`
}

// ScheduleRules are the target's limits on cron schedules.
type ScheduleRules struct {
	// MinInterval is the shortest interval between runs the target allows (Go duration).
	MinInterval string `yaml:"minInterval"`
	// Timezone says whether the target honours spec.timezone.
	Timezone bool `yaml:"timezone"`
}

// Source is one file of a pack after resolving override layers.
type Source struct {
	// Path is relative to the templates root: argo/workflow.yaml.tmpl.
	Path string
	// Layer names where the file came from: "embedded" or an override directory.
	Layer string
	Data  []byte
}

// Pack is a resolved template pack.
type Pack struct {
	Name string
	Meta Meta
	// Sources are the pack's files and the shared partials, sorted by path.
	Sources []Source
	// Defaults are the pack's values.yaml layers: the embedded one, then each override's.
	Defaults []*values.Layer
	// Origin is "embedded" or the override directory that added the pack.
	Origin string

	tmpl *parsed // parsed templates, built once
}

// String names the pack, for error wrapping.
func (p *Pack) String() string { return p.Name }

// commonDir holds partials shared by every pack.
const commonDir = "_common"

// EmbeddedLayer names the embedded templates in errors and provenance.
const EmbeddedLayer = "embedded"

// Layer is one root of templates: the embedded packs or an override directory.
type Layer struct {
	Name string // "embedded" or the directory as given
	FS   fs.FS
}

// DirLayer opens an override directory. Only regular files inside it are read: symlinks
// (to anything), devices and FIFOs are refused, and files are size-capped.
func DirLayer(dir string) (Layer, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return Layer{}, fmt.Errorf("templates directory: %w", err)
	}
	if !fi.IsDir() {
		return Layer{}, &Error{Layer: dir, Msg: "not a directory"}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Layer{}, fmt.Errorf("templates directory: %w", err)
	}
	return Layer{Name: dir, FS: root.FS()}, nil
}

// Error is a problem with a pack (its files or pack.yaml).
type Error struct {
	Layer, Path string
	Msg         string
}

func (e *Error) Error() string {
	switch {
	case e.Path != "" && e.Layer != "" && e.Layer != EmbeddedLayer:
		return fmt.Sprintf("%s: %s (from %s)", e.Path, e.Msg, e.Layer)
	case e.Path != "":
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.Layer, e.Msg)
	}
}

// Resolve walks the layers, highest priority first, and keeps for every path the file of
// the first layer that has it. Directories named _* at the top (shared partials) are kept
// under their own path. The result is sorted by path.
func Resolve(layers ...Layer) ([]Source, error) {
	seen := map[string]bool{}
	var out []Source
	for _, l := range layers {
		count := 0
		err := fs.WalkDir(l.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p == "." {
				return nil
			}
			if strings.HasPrefix(path.Base(p), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				return &Error{Layer: l.Name, Path: p, Msg: "not a regular file (symlinks, devices and pipes are not read)"}
			}
			if seen[p] {
				return nil
			}
			count++
			if count > maxPackFiles {
				return &Error{Layer: l.Name, Msg: fmt.Sprintf("more than %d files", maxPackFiles)}
			}
			data, err := readCapped(l.FS, p)
			if err != nil {
				return &Error{Layer: l.Name, Path: p, Msg: err.Error()}
			}
			seen[p] = true
			out = append(out, Source{Path: p, Layer: l.Name, Data: data})
			return nil
		})
		if err != nil {
			var pe *Error
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, fmt.Errorf("reading templates from %s: %w", l.Name, err)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func readCapped(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTemplateFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTemplateFile {
		return nil, fmt.Errorf("larger than %d bytes", maxTemplateFile)
	}
	return data, nil
}

var packNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Library is every pack available, plus the global values all packs share.
type Library struct {
	// Packs are sorted by name.
	Packs []*Pack
	// Globals are the layers of _common/values.yaml: embedded first, then each override's.
	Globals []*values.Layer
}

// Pack returns the pack called name.
func (l *Library) Pack(name string) (*Pack, bool) { return Find(l.Packs, name) }

// Names returns the names of all packs, sorted.
func (l *Library) Names() []string {
	out := make([]string, len(l.Packs))
	for i, p := range l.Packs {
		out[i] = p.Name
	}
	return out
}

// Select resolves --backend (or, without it, the pipeline's spec.backend) to pack names:
// "all" means every pack; names are trimmed, checked and kept once, in the order given.
func (l *Library) Select(flag, spec []string) ([]string, error) {
	chosen := flag
	if len(chosen) == 0 {
		chosen = spec
	}
	if len(chosen) == 0 {
		return nil, fmt.Errorf("no backend: set spec.backend in the pipeline or pass --backend (one of %s, or all)", strings.Join(l.Names(), ", "))
	}
	var out []string
	seen := map[string]bool{}
	for _, b := range chosen {
		b = strings.TrimSpace(b)
		names := []string{b}
		if b == "all" {
			names = l.Names()
		}
		for _, n := range names {
			if _, ok := l.Pack(n); !ok {
				return nil, fmt.Errorf("unknown backend %q; available: %s (or all)", n, strings.Join(l.Names(), ", "))
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// Load resolves the embedded packs and the override directories. Overrides are given
// lowest priority first (command-line order): a later directory wins over an earlier one,
// and every directory wins over the embedded files. A directory DIR/<name>/ with a
// pack.yaml adds a pack.
func Load(embedded fs.FS, overrides ...Layer) (*Library, error) {
	packs, err := loadPacks(embedded, overrides)
	if err != nil {
		return nil, err
	}
	lib := &Library{Packs: packs}
	for _, v := range layerFiles(commonDir, "values.yaml", embedded, overrides) {
		l, err := parseDefaults(v)
		if err != nil {
			return nil, err
		}
		lib.Globals = append(lib.Globals, l)
	}
	return lib, nil
}

func loadPacks(embedded fs.FS, overrides []Layer) ([]*Pack, error) {
	layers := make([]Layer, 0, len(overrides)+1)
	for i := len(overrides) - 1; i >= 0; i-- {
		layers = append(layers, overrides[i])
	}
	layers = append(layers, Layer{Name: EmbeddedLayer, FS: embedded})
	sources, err := Resolve(layers...)
	if err != nil {
		return nil, err
	}
	byPack := map[string][]Source{}
	var common []Source
	for _, s := range sources {
		dir, rest, ok := strings.Cut(s.Path, "/")
		if !ok {
			continue // top-level files (templates.go, README) are not pack files
		}
		if dir == commonDir {
			common = append(common, s)
			continue
		}
		if strings.HasPrefix(dir, "_") {
			continue
		}
		_ = rest
		byPack[dir] = append(byPack[dir], s)
	}
	names := make([]string, 0, len(byPack))
	for n := range byPack {
		names = append(names, n)
	}
	sort.Strings(names)
	var packs []*Pack
	for _, name := range names {
		p, err := buildPack(name, byPack[name], common, embedded, overrides)
		if err != nil {
			return nil, err
		}
		if p != nil {
			packs = append(packs, p)
		}
	}
	return packs, nil
}

// buildPack assembles one pack. A directory without a pack.yaml in any layer is not a pack
// (it may be an override for a pack that does not exist: that is an error).
func buildPack(name string, srcs, common []Source, embedded fs.FS, overrides []Layer) (*Pack, error) {
	if !packNameRE.MatchString(name) {
		return nil, &Error{Layer: srcs[0].Layer, Path: name, Msg: "pack directory names must be lowercase letters, digits and '-'"}
	}
	p := &Pack{Name: name, Origin: EmbeddedLayer}
	// pack.yaml and values.yaml merge across layers (embedded first); templates override.
	metaLayers, valueLayers := layerFiles(name, "pack.yaml", embedded, overrides), layerFiles(name, "values.yaml", embedded, overrides)
	if len(metaLayers) == 0 {
		return nil, &Error{Layer: srcs[0].Layer, Path: name + "/", Msg: "no pack.yaml here or in the embedded packs: to add a backend, add " + name + "/pack.yaml; to override a backend, use the name of an existing one (see 'wurzel backends')"}
	}
	if metaLayers[0].Layer != EmbeddedLayer {
		p.Origin = metaLayers[0].Layer
	}
	for _, m := range metaLayers {
		if err := decodeMeta(&p.Meta, m); err != nil {
			return nil, err
		}
	}
	if p.Meta.Name == "" {
		p.Meta.Name = name
	}
	if p.Meta.Name != name {
		return nil, &Error{Layer: metaLayers[0].Layer, Path: name + "/pack.yaml", Msg: fmt.Sprintf("name %q differs from its directory %q", p.Meta.Name, name)}
	}
	if p.Meta.ValuesKey == "" {
		p.Meta.ValuesKey = name
	}
	if p.Meta.ValuesKey == "global" {
		return nil, &Error{Layer: metaLayers[0].Layer, Path: name + "/pack.yaml", Msg: `valuesKey "global" is the values of every pack: choose the pack's own key`}
	}
	for _, v := range valueLayers {
		l, err := parseDefaults(v)
		if err != nil {
			return nil, err
		}
		p.Defaults = append(p.Defaults, l)
	}
	p.Sources = append(append([]Source{}, common...), srcs...)
	sort.Slice(p.Sources, func(i, j int) bool { return p.Sources[i].Path < p.Sources[j].Path })
	if err := p.checkOutputs(); err != nil {
		return nil, err
	}
	return p, nil
}

// layerFiles returns name/file from every layer that has it, embedded first.
func layerFiles(name, file string, embedded fs.FS, overrides []Layer) []Source {
	var out []Source
	p := name + "/" + file
	if data, err := readCapped(embedded, p); err == nil {
		out = append(out, Source{Path: p, Layer: EmbeddedLayer, Data: data})
	}
	for _, o := range overrides {
		if data, err := readCapped(o.FS, p); err == nil {
			out = append(out, Source{Path: p, Layer: o.Name, Data: data})
		}
	}
	return out
}

// decodeMeta decodes a pack.yaml strictly; fields it sets replace those set before.
func decodeMeta(m *Meta, s Source) error {
	where := s.Path
	if s.Layer != EmbeddedLayer {
		where = s.Layer + ":" + s.Path
	}
	if _, err := yamlx.Parse(s.Data, where, yamlx.DefaultLimits); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(s.Data))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil && !errors.Is(err, io.EOF) {
		return &Error{Layer: s.Layer, Path: s.Path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	return nil
}

func (p *Pack) checkOutputs() error {
	if len(p.Meta.Outputs) == 0 {
		return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: "outputs is empty: list the templates the pack renders"}
	}
	listed := map[string]bool{}
	for _, o := range p.Meta.Outputs {
		if listed[o.Template] {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output template %q is listed twice: a template renders one file", o.Template)}
		}
		listed[o.Template] = true
		if o.Path == "" {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output %s: path is empty: give the file's path in the output directory", o.Template)}
		}
		if _, ok := p.source(o.Template); !ok {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output template %q does not exist in %s/", o.Template, p.Name)}
		}
		switch o.Format {
		case "yaml", "python", "shell", "text":
		default:
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("output %s: format %q must be yaml, python, shell or text", o.Template, o.Format)}
		}
	}
	if err := p.checkCapabilities(); err != nil {
		return err
	}
	if p.Meta.Names.Step != "" {
		if _, err := regexp.Compile(p.Meta.Names.Step); err != nil {
			return &Error{Layer: p.Origin, Path: p.Name + "/pack.yaml", Msg: fmt.Sprintf("names.step: %v", err)}
		}
	}
	return nil
}

// source returns the pack's file at a path relative to the pack.
func (p *Pack) source(rel string) (Source, bool) {
	full := p.Name + "/" + rel
	for _, s := range p.Sources {
		if s.Path == full {
			return s, true
		}
	}
	return Source{}, false
}

// Find returns the pack called name.
func Find(packs []*Pack, name string) (*Pack, bool) {
	for _, p := range packs {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// parseDefaults reads a values.yaml of a pack; embedded ones are named by their path alone,
// overrides by directory and path.
func parseDefaults(v Source) (*values.Layer, error) {
	name := v.Path
	if v.Layer != EmbeddedLayer {
		name = path.Join(v.Layer, v.Path)
	}
	return values.Parse(v.Data, name, values.PackDefault)
}
