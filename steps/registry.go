package steps

import (
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/settings"
)

// Contract names the data a step reads or writes.
type Contract string

// The data contracts shared with Python Wurzel.
const (
	None       Contract = ""           // a source step reads nothing
	Documents  Contract = "documents"  // JSON array of {md, keywords, url, metadata}
	Embeddings Contract = "embeddings" // CSV text,vector,url,keywords,embedding_input_text,metadata
)

// Type is a built-in step type.
type Type struct {
	// Name is the class name: SimpleSplitterStep.
	Name string
	// Module is the Python Wurzel module that holds the class of the same name:
	// wurzel.steps.splitter. Generated files written for Python Wurzel name it.
	Module string
	// Version changes whenever the step's output for the same input changes;
	// the LocalBackend's cache key includes it.
	Version string
	// Doc is one sentence for `wurzel steps`.
	Doc string
	// Input and Output are the contracts read and written.
	Input, Output Contract
	// Settings are the fields read from <PREFIX>__<FIELD>.
	Settings []settings.Field
	// New builds a runnable step from parsed settings. It is nil only in tests.
	New func(settings.Values) (Step, error)
}

// IsSource reports whether the step reads no input.
func (t *Type) IsSource() bool { return t.Input == None }

// Field returns the setting called name.
func (t *Type) Field(name string) (settings.Field, bool) {
	for _, f := range t.Settings {
		if f.Name == name {
			return f, true
		}
	}
	return settings.Field{}, false
}

var registry = map[string]*Type{}

// Register adds a step type. It panics on a duplicate name: registration happens in init.
func Register(t *Type) {
	if _, dup := registry[t.Name]; dup {
		panic("steps: duplicate step type " + t.Name)
	}
	registry[t.Name] = t
}

// Lookup finds a step type by class name or by Python path
// (wurzel.steps.splitter.SimpleSplitterStep or wurzel.steps.splitter:SimpleSplitterStep).
func Lookup(class string) (*Type, bool) {
	name := class
	if i := strings.LastIndexAny(class, ".:"); i >= 0 {
		name = class[i+1:]
	}
	t, ok := registry[name]
	return t, ok
}

// All returns every registered step type, sorted by name.
func All() []*Type {
	out := make([]*Type, 0, len(registry))
	for _, t := range registry {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of all registered step types, sorted.
func Names() []string {
	var out []string
	for _, t := range All() {
		out = append(out, t.Name)
	}
	return out
}
