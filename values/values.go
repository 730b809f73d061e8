package values

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Values is a tree of values: map[string]any, []any, string, int64, float64, bool and nil.
type Values map[string]any

// Merge merges layers, lowest first: maps merge recursively, scalars and lists are replaced,
// and a null deletes the key. The result shares nothing with the inputs. Merge does not
// check types; Stack.Merge does.
func Merge(layers ...Values) Values {
	out := Values{}
	for _, l := range layers {
		mergeInto(out, l)
	}
	return out
}

func mergeInto(dst map[string]any, src map[string]any) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		if sm, ok := asMap(v); ok {
			if dm, ok := asMap(dst[k]); ok {
				merged := make(map[string]any, len(dm))
				for dk, dv := range dm {
					merged[dk] = dv
				}
				mergeInto(merged, sm)
				dst[k] = merged
				continue
			}
			m := map[string]any{}
			mergeInto(m, sm) // copies, and drops nulls inside new maps
			dst[k] = m
			continue
		}
		dst[k] = Copy(v)
	}
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case Values:
		return m, true
	}
	return nil, false
}

// Copy returns a deep copy of a value tree.
func Copy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = Copy(x)
		}
		return m
	case Values:
		return Values(Copy(map[string]any(t)).(map[string]any))
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = Copy(x)
		}
		return s
	}
	return v
}

// Lookup returns the value at path, and whether it exists.
func (v Values) Lookup(path []string) (any, bool) {
	var cur any = map[string]any(v)
	for _, p := range path {
		m, ok := asMap(cur)
		if !ok {
			return nil, false
		}
		cur, ok = m[p]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// Path is a key path into a values tree.
type Path []string

// String formats a path for people: argo.container.env.FOO, with segments that are not
// plain identifiers quoted: argo.annotations["sidecar.istio.io/inject"].
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		if plainKey(s) {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
			continue
		}
		b.WriteString("[" + strconv.Quote(s) + "]")
	}
	return b.String()
}

func plainKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

func (p Path) key() string { return strings.Join(p, "\x1f") }

func (p Path) child(k string) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, k)
}

// Leaves returns the paths of every leaf (scalar, list, null or empty map) of a tree, sorted.
func Leaves(v map[string]any) []Path {
	var out []Path
	var walk func(p Path, m map[string]any)
	walk = func(p Path, m map[string]any) {
		for k, x := range m {
			cp := p.child(k)
			if sub, ok := asMap(x); ok && len(sub) > 0 {
				walk(cp, sub)
				continue
			}
			out = append(out, cp)
		}
	}
	walk(nil, v)
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

// TypeName names the kind of a value for error messages.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any, Values:
		return "a mapping"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, int:
		return "an integer"
	case float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}
