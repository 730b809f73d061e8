package values

import (
	"fmt"
	"path"
	"sort"

	"github.com/wurzel-dev/wurzel/internal/suggest"
)

// Stack is an ordered list of layers, lowest first.
type Stack struct {
	Layers []*Layer
}

// Add appends layers on top.
func (s *Stack) Add(layers ...*Layer) { s.Layers = append(s.Layers, layers...) }

// Merge merges the layers with Merge's rules, and reports every change of type between
// layers (a mapping replaced by a scalar, a list by a mapping, …) with both positions.
func (s *Stack) Merge() (Values, error) {
	out := map[string]any{}
	origin := map[string]int{} // Path.key() → index of the layer that set it
	var errs []error
	for i, l := range s.Layers {
		var layerErrs []error
		s.mergeChecked(out, l.Values, nil, i, origin, &layerErrs)
		errs = append(errs, byLine(layerErrs)...)
	}
	if len(errs) > 0 {
		return nil, &ListError{Errs: errs}
	}
	return Values(out), nil
}

func (s *Stack) mergeChecked(dst, src map[string]any, p Path, layer int, origin map[string]int, errs *[]error) {
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, cp := src[k], p.child(k)
		old, exists := dst[k]
		if v == nil {
			delete(dst, k)
			origin[cp.key()] = layer
			continue
		}
		if exists && old != nil && shape(old) != shape(v) {
			prev := s.Layers[origin[cp.key()]]
			*errs = append(*errs, &Error{
				Pos: s.Layers[layer].Pos(cp),
				Msg: fmt.Sprintf("%s is %s here but %s in %s; a layer cannot change a value's type (set it to null first to replace it)",
					cp, TypeName(v), TypeName(old), prev.Pos(cp)),
			})
			continue
		}
		if sm, ok := asMap(v); ok {
			dm, ok := asMap(old)
			if !ok {
				dm = map[string]any{}
			} else {
				cp := make(map[string]any, len(dm))
				for dk, dv := range dm {
					cp[dk] = dv
				}
				dm = cp
			}
			s.mergeChecked(dm, sm, cp, layer, origin, errs)
			dst[k] = dm
			origin[cp.key()] = layer
			continue
		}
		dst[k] = Copy(v)
		origin[cp.key()] = layer
	}
}

// shape groups values whose replacement by each other is allowed: scalars with scalars.
func shape(v any) string {
	switch v.(type) {
	case map[string]any, Values:
		return "map"
	case []any:
		return "list"
	}
	return "scalar"
}

// Contribution is one layer's say on a key.
type Contribution struct {
	Layer *Layer
	Pos   Position
	// Value is what the layer set; Deleted means it set null here or on a parent.
	Value   any
	Deleted bool
}

// Explain returns every layer's contribution to path, lowest first. The last contribution
// that is not Deleted is the final value (if the key survives the merge).
func (s *Stack) Explain(p Path) []Contribution {
	var out []Contribution
	for _, l := range s.Layers {
		for i := 1; i <= len(p); i++ {
			v, ok := l.Values.Lookup(p[:i])
			if !ok {
				break
			}
			if v == nil {
				out = append(out, Contribution{Layer: l, Pos: l.Pos(p[:i]), Deleted: true})
				break
			}
			if i == len(p) {
				out = append(out, Contribution{Layer: l, Pos: l.Pos(p), Value: v})
			}
		}
	}
	return out
}

// Schema says which keys exist: the merged pack defaults, plus patterns of open keys under
// which any key is accepted (annotations, env, nodeSelector, …).
type Schema struct {
	Defaults Values
	// Open are path.Match patterns over dotted paths: "argo.annotations", "*.container.env".
	Open []string
}

func (sc *Schema) open(p Path) bool {
	dotted := ""
	for i, seg := range p {
		if i > 0 {
			dotted += "."
		}
		dotted += seg
	}
	for _, pat := range sc.Open {
		if ok, _ := path.Match(pat, dotted); ok {
			return true
		}
	}
	return false
}

// Check reports every key of the given layers that the schema does not know, with the
// nearest known key as a hint.
func (sc *Schema) Check(layers ...*Layer) error {
	var errs []error
	for _, l := range layers {
		var layerErrs []error
		sc.check(l, l.Values, sc.Defaults, nil, &layerErrs)
		errs = append(errs, byLine(layerErrs)...)
	}
	if len(errs) > 0 {
		return &ListError{Errs: errs}
	}
	return nil
}

func (sc *Schema) check(l *Layer, v, def map[string]any, p Path, errs *[]error) {
	if sc.open(p) && len(p) > 0 {
		return
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cp := p.child(k)
		d, known := def[k]
		if !known {
			if sc.open(cp) {
				continue
			}
			var names []string
			for n := range def {
				names = append(names, n)
			}
			where := "at the top level"
			if len(p) > 0 {
				where = "in " + p.String()
			}
			*errs = append(*errs, &Error{Pos: l.Pos(cp), Msg: fmt.Sprintf("unknown key %q %s%s", k, where, suggest.Hint(k, names))})
			continue
		}
		sub, isMap := asMap(v[k])
		dsub, defIsMap := asMap(d)
		if isMap && defIsMap {
			sc.check(l, sub, dsub, cp, errs)
		}
		// A null default accepts any shape; other shape changes are Merge's errors.
	}
}

// byLine sorts one layer's errors by position.
func byLine(errs []error) []error {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].(*Error), errs[j].(*Error)
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	return errs
}
