package local

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/settings"
)

// fingerprint computes what n's output is made from (see the package comment). The
// outputs of the steps n depends on have their digests by now.
func (r *run) fingerprint(n *node) (fingerprint, error) {
	s := n.step
	var fp fingerprint
	skip := []string{r.dataAbs}

	// code
	if s.Type != nil {
		fp.Code = digestLines([]string{"type " + s.Type.Name, "version " + s.Type.Version})
	} else {
		argv, _ := json.Marshal(s.Command)
		lines := []string{"command " + string(argv)}
		paths := slices.Clone(s.Deps)
		for _, a := range s.Command[1:] {
			switch {
			case localPath(a):
				paths = append(paths, a)
			case strings.ContainsAny(a, scriptSeparators):
				paths = append(paths, scriptPaths(a)...)
			}
		}
		if localPath(s.Command[0]) && strings.ContainsRune(s.Command[0], '/') {
			paths = append(paths, s.Command[0]) // ./step.sh; a bare name is looked up in PATH
		}
		var err error
		if lines, err = appendSources(lines, "file", paths, skip); err != nil {
			return fp, err
		}
		fp.Code = digestLines(lines)
	}

	// settings: the pipeline's values and the variables under the prefix, never stored
	lines := []string{"prefix " + s.EnvPrefix}
	for k, v := range s.Settings {
		lines = append(lines, "default "+k+"="+v)
	}
	for k, ref := range s.Secrets {
		lines = append(lines, "secret "+k+"="+ref.Name+"/"+ref.Key)
	}
	env := r.stepEnv(s.EnvPrefix)
	for k, v := range env {
		lines = append(lines, "env "+k+"="+v)
	}
	fp.Settings = digestLines(lines)

	// inputs, in the order the step reads them
	lines = lines[:0]
	for i, d := range n.deps {
		lines = append(lines, fmt.Sprintf("input %d %s %s", i, d.step.Name, d.digest))
	}
	fp.Inputs = digestLines(lines)

	// sources: what path settings name
	var paths []string
	if s.Type != nil {
		for _, l := range settings.Leaves(s.Type.Settings) {
			paths = append(paths, pathValues(n.vals, l)...)
		}
	} else {
		for _, k := range s.SettingNames() {
			v, ok := env[s.EnvPrefix+"__"+k]
			if !ok {
				v = s.Settings[k]
			}
			if localPath(v) {
				paths = append(paths, v)
			}
		}
	}
	var err error
	if lines, err = appendSources(lines[:0], "path", paths, skip); err != nil {
		return fp, err
	}
	fp.Sources = digestLines(lines)
	return fp, nil
}

// appendSources adds a line with the content digest of every path (once each). Paths in
// the data folder (skip[0]) are left out: they are outputs of steps, which reach a step
// through dependsOn; hashing a step's own output would change its fingerprint every run.
func appendSources(lines []string, kind string, paths []string, skip []string) ([]string, error) {
	sort.Strings(paths)
	paths = slices.Compact(paths)
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil && within(abs, skip[0]) {
			continue
		}
		d, err := sourceDigest(p, skip)
		if err != nil {
			return nil, fmt.Errorf("hashing %s: %w", p, err)
		}
		lines = append(lines, kind+" "+p+" "+d)
	}
	return lines, nil
}

// stepEnv returns the variables that configure a step: PREFIX and PREFIX__* in any case
// (the settings package reads or rejects them all) and ALLOW_EXTRA_SETTINGS; the last of
// a name wins, as in the environment.
func (r *run) stepEnv(prefix string) map[string]string {
	up := strings.ToUpper(prefix)
	out := map[string]string{}
	for _, kv := range r.environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if len(k) >= len(up) && strings.EqualFold(k[:len(up)], up) && (len(k) == len(up) || strings.HasPrefix(k[len(up):], "__")) ||
			k == settings.AllowExtraVar {
			out[k] = v
		}
	}
	return out
}

// pathValues returns the paths a built-in step's leaf setting holds: a path, or the
// elements of a list or map of paths.
func pathValues(vals settings.Values, l settings.Leaf) []string {
	f := l.Field
	isPath := f.Kind == settings.Path || ((f.Kind == settings.List || f.Kind == settings.Map) && f.Elem == settings.Path)
	if !isPath {
		return nil
	}
	parts := strings.Split(l.Path, "__")
	for _, p := range parts[:len(parts)-1] {
		vals = vals.Struct(p)
	}
	var out []string
	switch v := vals[parts[len(parts)-1]].(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	case map[string]any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// localPath reports whether s names an existing file or folder below the working
// directory: a custom step's argument or setting that is worth hashing.
func localPath(s string) bool {
	if s == "" || strings.HasPrefix(s, "-") || !filepath.IsLocal(s) || strings.ContainsAny(s, "\n\x00") {
		return false
	}
	_, err := os.Stat(s)
	return err == nil
}

// within reports whether the absolute path p is dir or below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// scriptSeparators split an inline script (sh -c '...', python -c '...') into words.
const scriptSeparators = " \t\n;|&<>()`'\"=,"

// scriptPaths returns the words of an inline script that name files or folders below the
// working directory, with globs expanded: cat docs/*.md names docs/a.md and docs/b.md.
// Words with variables are left out; "." is the whole folder (find . -name '*.md').
func scriptPaths(script string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(script, func(r rune) bool { return strings.ContainsRune(scriptSeparators, r) }) {
		w = strings.TrimSuffix(w, "/")
		if w == "" || strings.ContainsAny(w, "$~{}") {
			continue
		}
		if strings.ContainsAny(w, "*?[") {
			if !filepath.IsLocal(w) {
				continue
			}
			matches, _ := filepath.Glob(w)
			out = append(out, matches...)
			continue
		}
		if localPath(w) {
			out = append(out, w)
		}
	}
	return out
}
