package pipeline

import (
	"path"
	"sort"
	"time"

	"github.com/wurzel-dev/wurzel/steps"
)

// The apiVersion and kind a pipeline file declares; Python Wurzel manifests use the same.
const (
	APIVersion = "wurzel.dev/v1alpha1"
	Kind       = "Pipeline"
)

// Pipeline is a loaded, validated pipeline.
type Pipeline struct {
	APIVersion string
	Kind       string
	Metadata   Metadata
	Spec       Spec
	// File is the path the pipeline was loaded from, as given; Dir is its directory.
	File, Dir string
	// Warnings are problems that do not stop the pipeline (ignored Python Wurzel features).
	Warnings []string
}

// Metadata names the pipeline.
type Metadata struct {
	// Name is a DNS-1123 label; it names workflows, DAGs and generated files.
	Name        string
	Labels      map[string]string
	Annotations map[string]string
}

// Spec is what the pipeline does.
type Spec struct {
	// Backends are the default backends of `wurzel render`.
	Backends []string
	// Schedule is a cron expression (five fields or a @descriptor); empty when unscheduled.
	Schedule string
	// Timezone is an IANA time zone for Schedule; empty means UTC.
	Timezone string
	// Steps are in topological order: every step comes after the steps it depends on.
	Steps []*Step
	// BackendConfig holds per-backend values (spec.backendConfig), the lowest user layer.
	BackendConfig map[string]any
	// BackendConfigLines maps dotted keys of BackendConfig to their line in the file.
	BackendConfigLines map[string]int
}

// Step is one step of a pipeline.
type Step struct {
	// Name is unique in the pipeline and names the step's output folder.
	Name string
	// ID is Name as a DNS-1123 label, for orchestrators' task and job names.
	ID string
	// Class is the step class as written (a built-in name or a Python path); empty for a
	// custom step. Type is the built-in type it resolves to.
	Class string
	Type  *steps.Type
	// Command is the argv of a custom step; empty for a built-in step.
	Command []string
	// DependsOn lists the steps whose outputs this step reads, in the order written.
	DependsOn []string
	// EnvPrefix prefixes the step's settings: <EnvPrefix>__<FIELD>.
	EnvPrefix string
	// Settings are the defaults written in the pipeline, by field name. Lists and maps are
	// JSON text, scalars their YAML text.
	Settings map[string]string
	// Secrets are settings that reference a secret instead of holding a value.
	Secrets map[string]SecretRef
	// Retries is how many times a failed run is retried; HasRetries says whether the step
	// sets it (retries: 0 turns a backend's default retries off). Timeout bounds one attempt
	// (0: none).
	Retries    int
	HasRetries bool
	Timeout    time.Duration
	// Image overrides the container image for this step on container-based backends.
	Image string
	// Deps are files of the repository a custom step's command names (paths relative to
	// the pipeline's directory, slash-separated): a change to them re-runs the step.
	Deps []string
	// Line is where the step is declared.
	Line int
}

// SecretRef points at a secret held by the orchestrator: a Kubernetes Secret name and key,
// which other backends map to their own secret stores (see docs/design.md).
type SecretRef struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// IsCustom reports whether the step runs a command instead of a built-in type.
func (s *Step) IsCustom() bool { return s.Type == nil }

// IsSource reports whether the step reads no other step's output.
func (s *Step) IsSource() bool { return len(s.DependsOn) == 0 }

// OutputDir is the step's output folder under dataDir.
func (s *Step) OutputDir(dataDir string) string { return path.Join(dataDir, s.Name) }

// SettingNames returns the names of the step's settings and secrets, sorted.
func (s *Step) SettingNames() []string {
	names := make([]string, 0, len(s.Settings)+len(s.Secrets))
	for k := range s.Settings {
		names = append(names, k)
	}
	for k := range s.Secrets {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Step returns the step called name.
func (p *Pipeline) Step(name string) (*Step, bool) {
	for _, s := range p.Spec.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// Sinks returns the steps no other step depends on, in topological order.
func (p *Pipeline) Sinks() []*Step {
	used := map[string]bool{}
	for _, s := range p.Spec.Steps {
		for _, d := range s.DependsOn {
			used[d] = true
		}
	}
	var out []*Step
	for _, s := range p.Spec.Steps {
		if !used[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// Dependents returns the steps that depend on name, in topological order.
func (p *Pipeline) Dependents(name string) []*Step {
	var out []*Step
	for _, s := range p.Spec.Steps {
		for _, d := range s.DependsOn {
			if d == name {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// Depth returns each step's depth in the DAG: 0 for sources, else 1 + the deepest dependency.
func (p *Pipeline) Depth() map[string]int {
	depth := make(map[string]int, len(p.Spec.Steps))
	for _, s := range p.Spec.Steps { // topological order: dependencies are done
		d := 0
		for _, dep := range s.DependsOn {
			if depth[dep]+1 > d {
				d = depth[dep] + 1
			}
		}
		depth[s.Name] = d
	}
	return depth
}
