package engine

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/escape"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/values"
)

// Data is what a template sees.
type Data struct {
	Pipeline PipelineData
	// Values is the merged values tree (every pack's defaults, global, and the user's layers).
	Values  values.Values
	Backend BackendData
	Wurzel  WurzelData
}

// BackendData describes the pack being rendered.
type BackendData struct {
	Name      string
	ValuesKey string
}

// WurzelData describes the wurzel that renders.
type WurzelData struct {
	Version string
	// Image is the default container image: the wurzel image of this version, with no shell.
	Image string
	// ShellImage is the same image with a POSIX shell, for backends whose job runner needs
	// one (GitLab CI runs job scripts through sh inside the job's image).
	ShellImage string
}

// PipelineData is the pipeline as templates see it.
type PipelineData struct {
	Name        string
	Labels      map[string]string
	Annotations map[string]string
	Schedule    string
	Timezone    string
	// DataDir is where steps exchange data on this backend (the pack's dataDir value).
	DataDir string
	// File is the pipeline file's path as given (slash-separated), Source its content.
	File   string
	Source string
	// Steps are in topological order; Sinks and Sources name the ends of the DAG.
	Steps   []StepData
	Sinks   []string
	Sources []string
	// MaxDepth is the depth of the deepest step (0 when every step is a source).
	MaxDepth int
}

// StepData is one step as templates see it.
type StepData struct {
	Name string
	ID   string
	// Class is the built-in type name; PythonClass its Python Wurzel path. Empty for custom steps.
	Class       string
	PythonClass string
	Custom      bool
	// Command is a custom step's own argv.
	Command   []string
	EnvPrefix string
	// DependsOn names the steps read, in the order written; Needs are their IDs.
	DependsOn []string
	Needs     []string
	Inputs    []InputData
	OutputDir string
	// Depth is 0 for sources, else one more than the deepest dependency.
	Depth    int
	IsSource bool
	IsSink   bool
	// Settings are the pipeline's setting defaults, Secrets the settings that reference
	// secrets; both sorted by name.
	Settings []SettingData
	Secrets  []SecretData
	// Retries is the step's retries:, and HasRetries whether it set it at all (retries: 0
	// turns a backend's default retries off).
	Retries    int
	HasRetries bool
	// TimeoutSeconds is 0 when the step has no timeout.
	TimeoutSeconds int
	Image          string
	// Deps are repository files a custom step's command names.
	Deps []string
	// Argv runs the step with its settings as --default flags; ArgvNoDefaults runs it for
	// backends that deliver settings in the environment instead.
	Argv           []string
	ArgvNoDefaults []string
}

// InputData is one folder a step reads.
type InputData struct {
	Name string // the step that writes it
	ID   string
	Dir  string
}

// SettingData is one setting default.
type SettingData struct {
	Name  string // BATCH_SIZE
	Env   string // SIMPLESPLITTERSTEP__BATCH_SIZE
	Value string
}

// SecretData is one setting that references a secret.
type SecretData struct {
	Name string // API_KEY
	Env  string // EMBEDDINGSTEP__API_KEY
	// SecretName and SecretKey are the Kubernetes Secret and its key.
	SecretName, SecretKey string
	// CIName is the CI/CD secret or variable name other stores use: OPENAI_API_KEY for
	// secret "openai", key "api-key".
	CIName string
}

// Input is what NewData needs.
type Input struct {
	Pipeline *pipeline.Pipeline
	// Source is the pipeline file's content, for packs that ship the pipeline itself.
	Source  []byte
	Values  values.Values
	Version string
	Image   string
}

// NewData builds the template data for one pack.
func NewData(p *Pack, in Input) Data {
	dataDir := dataDirOf(p, in.Values)
	pl := in.Pipeline
	d := Data{
		Values:  in.Values,
		Backend: BackendData{Name: p.Name, ValuesKey: p.Meta.ValuesKey},
		Wurzel:  WurzelData{Version: in.Version, Image: in.Image, ShellImage: shellImage(in.Image)},
		Pipeline: PipelineData{
			Name:        pl.Metadata.Name,
			Labels:      pl.Metadata.Labels,
			Annotations: pl.Metadata.Annotations,
			Schedule:    pl.Spec.Schedule,
			Timezone:    pl.Spec.Timezone,
			DataDir:     dataDir,
			File:        displayPath(pl.File),
			Source:      string(in.Source),
		},
	}
	depth := pl.Depth()
	sinks := map[string]bool{}
	for _, s := range pl.Sinks() {
		sinks[s.Name] = true
		d.Pipeline.Sinks = append(d.Pipeline.Sinks, s.Name)
	}
	byName := make(map[string]*pipeline.Step, len(pl.Spec.Steps))
	for _, s := range pl.Spec.Steps {
		byName[s.Name] = s
	}
	for _, s := range pl.Spec.Steps {
		sd := stepData(byName, s, dataDir)
		sd.Depth = depth[s.Name]
		sd.IsSink = sinks[s.Name]
		if sd.Depth > d.Pipeline.MaxDepth {
			d.Pipeline.MaxDepth = sd.Depth
		}
		if sd.IsSource {
			d.Pipeline.Sources = append(d.Pipeline.Sources, s.Name)
		}
		d.Pipeline.Steps = append(d.Pipeline.Steps, sd)
	}
	return d
}

// stepData builds one step's data; byName finds the steps it depends on.
func stepData(byName map[string]*pipeline.Step, s *pipeline.Step, dataDir string) StepData {
	sd := StepData{
		Name:           s.Name,
		ID:             s.ID,
		Custom:         s.IsCustom(),
		Command:        s.Command,
		EnvPrefix:      s.EnvPrefix,
		DependsOn:      s.DependsOn,
		OutputDir:      s.OutputDir(dataDir),
		IsSource:       s.IsSource(),
		Retries:        s.Retries,
		HasRetries:     s.HasRetries,
		TimeoutSeconds: int(s.Timeout.Seconds()),
		Image:          s.Image,
		Deps:           s.Deps,
	}
	if s.Type != nil {
		sd.Class = s.Type.Name
		sd.PythonClass = s.Type.Module + ":" + s.Type.Name
	}
	for _, dep := range s.DependsOn {
		ds := byName[dep] // the pipeline checked that it exists
		sd.Needs = append(sd.Needs, ds.ID)
		sd.Inputs = append(sd.Inputs, InputData{Name: ds.Name, ID: ds.ID, Dir: ds.OutputDir(dataDir)})
	}
	for _, name := range sortedNames(s.Settings) {
		sd.Settings = append(sd.Settings, SettingData{Name: name, Env: s.EnvPrefix + "__" + name, Value: s.Settings[name]})
	}
	secretNames := make([]string, 0, len(s.Secrets))
	for name := range s.Secrets {
		secretNames = append(secretNames, name)
	}
	sort.Strings(secretNames)
	for _, name := range secretNames {
		ref := s.Secrets[name]
		sd.Secrets = append(sd.Secrets, SecretData{
			Name: name, Env: s.EnvPrefix + "__" + name,
			SecretName: ref.Name, SecretKey: ref.Key,
			CIName: escape.EnvName(ref.Name + "_" + ref.Key),
		})
	}
	sd.ArgvNoDefaults = argv(s, sd, false)
	sd.Argv = argv(s, sd, true)
	return sd
}

// argv builds the runtime entrypoint's command line (docs/design.md, "Runtime entrypoint").
func argv(s *pipeline.Step, sd StepData, defaults bool) []string {
	a := []string{"wurzel", "run"}
	if !sd.Custom {
		a = append(a, sd.Class)
	}
	a = append(a, "-o", sd.OutputDir)
	for _, in := range sd.Inputs {
		a = append(a, "-i", in.Dir)
	}
	if sd.Custom || s.EnvPrefix != strings.ToUpper(sd.Class) {
		a = append(a, "--env-prefix", s.EnvPrefix)
	}
	if defaults {
		for _, st := range sd.Settings {
			a = append(a, "--default", st.Name+"="+st.Value)
		}
	}
	if sd.Custom {
		a = append(append(a, "--"), s.Command...)
	}
	return a
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// dataDirOf reads the pack's dataDir value, then global.dataDir, then "data".
func dataDirOf(p *Pack, v values.Values) string {
	for _, key := range []string{p.Meta.DataDir, "global.dataDir"} {
		if key == "" {
			continue
		}
		if x, ok := v.Lookup(strings.Split(key, ".")); ok {
			if s, ok := x.(string); ok && s != "" {
				return path.Clean(s)
			}
		}
	}
	return "data"
}

// displayPath shows a pipeline path without machine-specific parts: relative paths as they
// are (slash-separated), absolute ones by their base name.
func displayPath(p string) string {
	p = strings.ReplaceAll(p, "\\", "/")
	switch {
	case p == "":
		p = "pipeline.yaml"
	case strings.HasPrefix(p, "/"):
		p = path.Base(p)
	default:
		p = path.Clean(p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return strconv.Quote(p) // a path must not break the comment line it is printed on
		}
	}
	return p
}

// shellImage names the shell variant of an image: its tag with "-shell" appended.
func shellImage(image string) string {
	if image == "" {
		return ""
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image + "-shell"
	}
	return image + ":latest-shell"
}
