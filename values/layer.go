package values

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
)

// Kind says what a layer is.
type Kind int

// The kinds of layers, in merge order.
const (
	PackDefault Kind = iota
	BackendConfig
	File
	Set
)

func (k Kind) String() string {
	return [...]string{"pack default", "spec.backendConfig", "values file", "--set"}[k]
}

// Position is where a key was set.
type Position struct {
	File      string // file path, or the flag for --set ("--set a.b=c")
	Line, Col int    // 0 for flags
}

func (p Position) String() string {
	switch {
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return p.File
	}
}

// Layer is one source of values, with the position of every key it sets.
type Layer struct {
	Kind Kind
	// Name describes the layer for people: "argo/values.yaml", "prod.yaml", "--set a=b".
	Name   string
	Values Values
	// Positions maps Path.key() of every key the layer sets (inner and leaf) to where it is set.
	Positions map[string]Position
}

// Pos returns where the layer sets path, falling back to the nearest set ancestor.
func (l *Layer) Pos(p Path) Position {
	for i := len(p); i > 0; i-- {
		if pos, ok := l.Positions[p[:i].key()]; ok {
			return pos
		}
	}
	return Position{File: l.Name}
}

// Error is invalid values: a file's content, a --set expression or a conflict between layers.
type Error struct {
	Pos Position
	Msg string
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Pos.File, e.Pos.Line, e.Pos.Col, e.Msg)
	}
	if e.Pos.File != "" {
		return fmt.Sprintf("%s: %s", e.Pos.File, e.Msg)
	}
	return e.Msg
}

// IsInvalid reports whether err is about the content of values (as opposed to I/O).
func IsInvalid(err error) bool {
	var ve *Error
	var ye *yamlx.Error
	var le *ListError
	return errors.As(err, &ve) || errors.As(err, &ye) || errors.As(err, &le)
}

// ListError holds several value problems found at once.
type ListError struct{ Errs []error }

func (e *ListError) Error() string {
	s := ""
	for i, err := range e.Errs {
		if i > 0 {
			s += "\n"
		}
		s += err.Error()
	}
	return s
}

func (e *ListError) Unwrap() []error { return e.Errs }

// ReadFile reads a values file as a layer of kind File.
func ReadFile(path string) (*Layer, error) {
	f, err := yamlx.OpenRegular(path)
	if errors.Is(err, yamlx.ErrNotRegular) {
		return nil, &Error{Pos: Position{File: path}, Msg: "not a regular file"}
	}
	if err != nil {
		return nil, fmt.Errorf("reading values file: %w", err)
	}
	defer f.Close()
	data, err := yamlx.ReadAll(f, path, yamlx.DefaultLimits.MaxBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, File)
}

// Parse reads YAML values held in memory; name identifies them in errors.
func Parse(data []byte, name string, kind Kind) (*Layer, error) {
	root, err := yamlx.Parse(data, name, yamlx.DefaultLimits)
	if err != nil {
		return nil, err
	}
	v, err := yamlx.Value(name, root)
	if err != nil {
		return nil, err
	}
	l := &Layer{Kind: kind, Name: name, Values: Values(v.(map[string]any)), Positions: map[string]Position{}}
	positions(name, root, nil, l.Positions)
	return l, nil
}

// positions records where every key of a mapping tree is set.
func positions(file string, n *yaml.Node, p Path, out map[string]Position) {
	for _, kv := range yamlx.Mapping(n) {
		cp := p.child(kv[0].Value)
		out[cp.key()] = Position{File: file, Line: kv[0].Line, Col: kv[0].Column}
		if v := yamlx.Resolve(kv[1]); v.Kind == yaml.MappingNode {
			positions(file, v, cp, out)
		}
	}
}

// FromMap makes a layer from values without positions (spec.backendConfig uses its own lines).
func FromMap(kind Kind, name string, v map[string]any, lines map[string]int) *Layer {
	l := &Layer{Kind: kind, Name: name, Values: Values(Copy(v).(map[string]any)), Positions: map[string]Position{}}
	var walk func(p Path, m map[string]any, dotted string)
	walk = func(p Path, m map[string]any, dotted string) {
		for k, x := range m {
			cp := p.child(k)
			d := k
			if dotted != "" {
				d = dotted + "." + k
			}
			l.Positions[cp.key()] = Position{File: name, Line: lines[d]}
			if sub, ok := asMap(x); ok {
				walk(cp, sub, d)
			}
		}
	}
	walk(nil, l.Values, "")
	return l
}
