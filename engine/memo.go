package engine

import (
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/wurzel-dev/wurzel/third_party/template"
)

// Packs check and format the same values for every step ({{ include "argo.securityContext"
// ... }} in a range over 10,000 steps gives the same text 10,000 times); a render remembers
// what an include gave and gives it again without executing the template, when that is sure
// to give the same text:
//
//   - its argument is keyed by value: strings, numbers, booleans, nil, the template data and
//     a step's data, and lists and maps of those; the values tree and the maps reachable
//     from it are keyed by identity and a version that every change to one of them bumps;
//   - the call changed nothing it did not create itself (set, unset and merge on a map from
//     outside the call make it, and every call it is nested in, impure);
//   - template functions read no clock, environment or randomness (see funcMap), and an
//     include sees only its argument.
//
// A result is kept from the second call with the same key on (most includes of a step's
// own data are called once), within memo budgets; a call nested deeper than a cached one
// may be is executed, so that the depth cap fails as before.
type memo struct {
	frames    []memoFrame
	version   uint64                      // bumped by every change to a reachable map
	reachable map[unsafe.Pointer]struct{} // maps reachable from the template data's values
	root      *Data
	entries   map[string]memoEntry
	seen      map[string]struct{}
	kept      int // bytes of entries and seen keys
	key       strings.Builder
}

type memoFrame struct {
	// created holds the maps made during this call. Its keys keep them alive, so that no
	// map made later can take one of their addresses.
	created map[unsafe.Pointer]struct{}
	impure  bool
	deepest int // include depth reached in this call
}

type memoEntry struct {
	out   string
	depth int // include levels the call went below itself
}

// Budgets of one render's memo.
const (
	memoMaxBytes    = 64 << 20 // results and keys kept
	memoMaxKeyNodes = 256      // values looked at to key one argument
	memoMaxResult   = 1 << 20  // a longer result is not kept
)

// memoize turns the memo on; tests compare renders with and without it.
var memoize = true

// newMemo returns the memo of a render of root, or nil when memoize is off.
func newMemo(root Data) *memo {
	if !memoize {
		return nil
	}
	return &memo{root: &root, entries: map[string]memoEntry{}, seen: map[string]struct{}{}, frames: []memoFrame{{}}}
}

// call runs an include of name with data: exec executes it. depth is the include depth of
// the call (1 for an include made by an output's template).
func (m *memo) call(name string, data any, depth int, exec func() (string, error)) (string, error) {
	key, keyable := "", false
	if m != nil {
		m.key.Reset()
		m.key.WriteString(name)
		m.key.WriteByte(0)
		nodes := 0
		if m.keyOf(data, &nodes) {
			key, keyable = m.key.String(), true
			if e, ok := m.entries[key]; ok && depth+e.depth <= maxIncludeDepth {
				m.noteDepth(depth + e.depth)
				return e.out, nil
			}
		}
		m.frames = append(m.frames, memoFrame{deepest: depth})
	}
	out, err := exec()
	if m == nil {
		return out, err
	}
	f := m.frames[len(m.frames)-1]
	m.frames = m.frames[:len(m.frames)-1]
	m.noteDepth(f.deepest)
	if err != nil || f.impure || !keyable || m.kept > memoMaxBytes || len(out) > memoMaxResult {
		return out, err
	}
	if _, again := m.seen[key]; again {
		m.entries[key] = memoEntry{out: out, depth: f.deepest - depth}
		m.kept += len(out) + len(key)
	} else {
		m.seen[key] = struct{}{}
		m.kept += len(key)
	}
	return out, nil
}

// noteDepth records the include depth reached in the calls under way.
func (m *memo) noteDepth(d int) {
	for i := range m.frames {
		if d > m.frames[i].deepest {
			m.frames[i].deepest = d
		}
	}
}

func mapPointer(v map[string]any) unsafe.Pointer { return reflect.ValueOf(v).UnsafePointer() }

// keyOf writes the key of v to m.key; false when v cannot be keyed.
func (m *memo) keyOf(v any, nodes *int) bool {
	if *nodes++; *nodes > memoMaxKeyNodes {
		return false
	}
	b := &m.key
	switch t := v.(type) {
	case nil:
		b.WriteString("n")
	case string:
		b.WriteString("s")
		b.WriteString(strconv.Itoa(len(t)))
		b.WriteByte(':')
		b.WriteString(t)
	case bool:
		if t {
			b.WriteString("T")
		} else {
			b.WriteString("F")
		}
	case int:
		b.WriteString("i")
		b.WriteString(strconv.Itoa(t))
		b.WriteByte(';')
	case int64:
		b.WriteString("I")
		b.WriteString(strconv.FormatInt(t, 10))
		b.WriteByte(';')
	case float64:
		b.WriteString("f")
		b.WriteString(strconv.FormatFloat(t, 'g', -1, 64))
		b.WriteByte(';')
	case []any:
		b.WriteString("[")
		for _, x := range t {
			if !m.keyOf(x, nodes) {
				return false
			}
		}
		b.WriteString("]")
	case []string:
		b.WriteString("S[")
		for _, x := range t {
			if !m.keyOf(x, nodes) {
				return false
			}
		}
		b.WriteString("]")
	case map[string]any:
		if t == nil {
			b.WriteString("m0")
			break
		}
		if m.isReachable(t) {
			b.WriteString("m@")
			b.WriteString(strconv.FormatUint(uint64(uintptr(mapPointer(t))), 16))
			b.WriteByte('#')
			b.WriteString(strconv.FormatUint(m.version, 10))
			break
		}
		b.WriteString("{")
		for _, k := range sortedKeys(t) {
			if !m.keyOf(k, nodes) || !m.keyOf(t[k], nodes) {
				return false
			}
		}
		b.WriteString("}")
	case Data:
		if !sameData(*m.root, t) {
			return false
		}
		b.WriteString("D#")
		b.WriteString(strconv.FormatUint(m.version, 10))
	case StepData:
		// A step's data is built once per render, and templates cannot change it (sortAlpha
		// sorts a copy).
		b.WriteString("P")
		b.WriteString(strconv.Itoa(len(t.Name)))
		b.WriteByte(':')
		b.WriteString(t.Name)
	case InputData:
		b.WriteString("In")
		for _, s := range [...]string{t.Name, t.ID, t.Dir} {
			if !m.keyOf(s, nodes) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// sameData reports whether two Data are the render's one: the same values tree and steps.
func sameData(a, b Data) bool {
	return mapPointer(a.Values) == mapPointer(b.Values) && len(a.Pipeline.Steps) == len(b.Pipeline.Steps) &&
		(len(a.Pipeline.Steps) == 0 || &a.Pipeline.Steps[0] == &b.Pipeline.Steps[0])
}

// isReachable reports whether a map is part of the template data's values.
func (m *memo) isReachable(t map[string]any) bool {
	if m.reachable == nil {
		m.reachable = map[unsafe.Pointer]struct{}{}
		m.addReachable(map[string]any(m.root.Values))
	}
	_, ok := m.reachable[mapPointer(t)]
	return ok
}

// addReachable adds the maps of a value to the reachable set.
func (m *memo) addReachable(v any) {
	switch t := v.(type) {
	case map[string]any:
		if t == nil {
			return
		}
		p := mapPointer(t)
		if _, ok := m.reachable[p]; ok {
			return
		}
		m.reachable[p] = struct{}{}
		for _, x := range t {
			m.addReachable(x)
		}
	case []any:
		for _, x := range t {
			m.addReachable(x)
		}
	}
}

// created records maps made by a template function in the current call.
func (m *memo) created(v any, deep bool) {
	if m == nil {
		return
	}
	f := &m.frames[len(m.frames)-1]
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if t == nil {
				return
			}
			if f.created == nil {
				f.created = map[unsafe.Pointer]struct{}{}
			}
			f.created[mapPointer(t)] = struct{}{}
			if deep {
				for _, x := range t {
					walk(x)
				}
			}
		case []any:
			if deep {
				for _, x := range t {
					walk(x)
				}
			}
		}
	}
	walk(v)
}

// changing is told before a template function changes the map t (and, with deep, the
// maps under it): it bumps the version if the values tree changes, and makes impure every
// call under way that did not create the map.
func (m *memo) changing(t map[string]any, deep bool) {
	if m == nil || t == nil {
		return
	}
	maps := []map[string]any{t}
	if deep {
		maps = nestedMaps(t, maps[:0])
	}
	lowest := len(m.frames) // the outermost call that created one of the maps
	for _, x := range maps {
		if m.isReachable(x) {
			m.version++
			lowest = 0
			continue
		}
		creator := -1
		for i := len(m.frames) - 1; i >= 0; i-- {
			if _, ok := m.frames[i].created[mapPointer(x)]; ok {
				creator = i
				break
			}
		}
		lowest = min(lowest, creator+1)
	}
	for i := max(lowest, 0); i < len(m.frames); i++ {
		m.frames[i].impure = true
	}
}

// changed is told after a template function stored v in map t: maps stored in the values
// tree become part of it.
func (m *memo) changed(t map[string]any) {
	if m != nil && t != nil && m.isReachable(t) {
		for _, x := range t {
			m.addReachable(x)
		}
	}
}

// nestedMaps appends t and every map under it.
func nestedMaps(v any, out []map[string]any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		if t != nil {
			out = append(out, t)
			for _, x := range t {
				out = nestedMaps(x, out)
			}
		}
	case []any:
		for _, x := range t {
			out = nestedMaps(x, out)
		}
	}
	return out
}

// memoFuncs wraps the template functions that make or change maps, so that the memo knows.
func memoFuncs(m *memo, all template.FuncMap, f template.FuncMap) {
	set := all["set"].(func(map[string]any, string, any) map[string]any)
	f["set"] = func(d map[string]any, key string, value any) map[string]any {
		m.changing(d, false)
		r := set(d, key, value)
		m.changed(d)
		return r
	}
	unset := all["unset"].(func(map[string]any, string) map[string]any)
	f["unset"] = func(d map[string]any, key string) map[string]any {
		m.changing(d, false)
		return unset(d, key)
	}
	for _, name := range []string{"merge", "mergeOverwrite"} {
		merge := all[name].(func(map[string]any, ...map[string]any) any)
		f[name] = func(dst map[string]any, srcs ...map[string]any) any {
			m.changing(dst, true)
			r := merge(dst, srcs...)
			m.changed(dst)
			return r
		}
	}
	for _, name := range []string{"mustMerge", "mustMergeOverwrite"} {
		merge := all[name].(func(map[string]any, ...map[string]any) (any, error))
		f[name] = func(dst map[string]any, srcs ...map[string]any) (any, error) {
			m.changing(dst, true)
			r, err := merge(dst, srcs...)
			m.changed(dst)
			return r, err
		}
	}
	dict := all["dict"].(func(...any) map[string]any)
	f["dict"] = func(v ...any) map[string]any { r := dict(v...); m.created(r, false); return r }
	for _, name := range []string{"pick", "omit"} {
		fn := all[name].(func(map[string]any, ...string) map[string]any)
		f[name] = func(d map[string]any, keys ...string) map[string]any {
			r := fn(d, keys...)
			m.created(r, false)
			return r
		}
	}
	deepCopy := all["deepCopy"].(func(any) any)
	f["deepCopy"] = func(v any) any { r := deepCopy(v); m.created(r, true); return r }
	mustDeepCopy := all["mustDeepCopy"].(func(any) (any, error))
	f["mustDeepCopy"] = func(v any) (any, error) { r, err := mustDeepCopy(v); m.created(r, true); return r, err }
	fromJSON := all["fromJson"].(func(string) any)
	f["fromJson"] = func(s string) any { r := fromJSON(s); m.created(r, true); return r }
	mustFromJSON := all["mustFromJson"].(func(string) (any, error))
	f["mustFromJson"] = func(s string) (any, error) { r, err := mustFromJSON(s); m.created(r, true); return r, err }
}
