package values

import (
	"fmt"
	"sort"
	"strings"
)

// pythonDvcKeys are the fields of Python Wurzel's DvcConfig.
var pythonDvcKeys = map[string]bool{"dataDir": true, "encapsulateEnv": true}

// NormalizePython rewrites a values file written for Python Wurzel to the native layout:
// workflows.<pipeline>.… becomes argo.… (the native argo keys are Python's WorkflowConfig
// keys) and dvc.<pipeline>.… becomes dvc.…. The entry is the one named pipeline; when
// explicit is false (the name is the pipeline's metadata.name, not --pipeline-name) and the
// file has a single entry of another name, that entry is used, as Python Wurzel does. The
// legacy schedule key becomes schedules. Positions move with their keys. It reports whether
// the layer was in the Python layout.
func (l *Layer) NormalizePython(pipeline string, explicit bool) (bool, error) {
	changed := false
	if wf, ok := asMap(l.Values["workflows"]); ok {
		if _, native := l.Values["argo"]; native {
			return false, &Error{Pos: l.Pos(Path{"argo"}), Msg: "file has both workflows: (Python Wurzel layout) and argo:; use one"}
		}
		entry, err := l.pick(wf, "workflows", pipeline, explicit)
		if err != nil {
			return false, err
		}
		m, _ := asMap(wf[entry])
		m = Copy(m).(map[string]any)
		if _, has := m["schedules"]; !has {
			if old, has := m["schedule"]; has {
				switch s := old.(type) {
				case string:
					m["schedules"] = []any{s}
				default:
					m["schedules"] = s
				}
				delete(m, "schedule")
				l.move(Path{"workflows", entry, "schedule"}, Path{"workflows", entry, "schedules"})
			}
		}
		delete(l.Values, "workflows")
		l.Values["argo"] = m
		l.move(Path{"workflows", entry}, Path{"argo"})
		l.dropUnder(Path{"workflows"})
		changed = true
	}
	if dvc, ok := asMap(l.Values["dvc"]); ok && isPythonDvc(dvc) {
		entry, err := l.pick(dvc, "dvc", pipeline, explicit)
		if err != nil {
			return false, err
		}
		m, _ := asMap(dvc[entry])
		l.Values["dvc"] = Copy(m)
		l.move(Path{"dvc", entry}, Path{"dvc"})
		for k := range dvc {
			if k != entry {
				l.dropUnder(Path{"dvc", k})
			}
		}
		changed = true
	}
	return changed, nil
}

// isPythonDvc recognises dvc: {<pipeline>: {dataDir, encapsulateEnv}}.
func isPythonDvc(dvc map[string]any) bool {
	if len(dvc) == 0 {
		return false
	}
	for _, v := range dvc {
		m, ok := asMap(v)
		if !ok {
			return false
		}
		for k := range m {
			if !pythonDvcKeys[k] {
				return false
			}
		}
	}
	return true
}

func (l *Layer) pick(entries map[string]any, key, pipeline string, explicit bool) (string, error) {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	if _, ok := entries[pipeline]; ok && pipeline != "" {
		if _, isMap := asMap(entries[pipeline]); !isMap {
			return "", &Error{Pos: l.Pos(Path{key, pipeline}), Msg: fmt.Sprintf("%s.%s must be a mapping", key, pipeline)}
		}
		return pipeline, nil
	}
	if explicit {
		return "", &Error{Pos: l.Pos(Path{key}), Msg: fmt.Sprintf("--pipeline-name %q is not in %s: (it has %s)", pipeline, key, strings.Join(names, ", "))}
	}
	if len(names) == 1 {
		if _, isMap := asMap(entries[names[0]]); isMap {
			return names[0], nil
		}
	}
	return "", &Error{Pos: l.Pos(Path{key}), Msg: fmt.Sprintf("%s: has entries %s and none is named %q (the pipeline's metadata.name); choose one with --pipeline-name", key, strings.Join(names, ", "), pipeline)}
}

// move re-keys positions under from to under to.
func (l *Layer) move(from, to Path) {
	prefix := from.key()
	moved := map[string]Position{}
	for k, pos := range l.Positions {
		if k == prefix || strings.HasPrefix(k, prefix+"\x1f") {
			rest := strings.TrimPrefix(k, prefix)
			moved[to.key()+rest] = pos
			delete(l.Positions, k)
		}
	}
	for k, pos := range moved {
		l.Positions[k] = pos
	}
}

func (l *Layer) dropUnder(p Path) {
	prefix := p.key()
	for k := range l.Positions {
		if k == prefix || strings.HasPrefix(k, prefix+"\x1f") {
			delete(l.Positions, k)
		}
	}
}
