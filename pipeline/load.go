package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must not depend on the machine

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/suggest"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// Problem is one thing wrong with a pipeline file.
type Problem struct {
	Line, Col int
	Step      string // the step concerned, if any
	Msg       string
}

// Error lists every problem found in a pipeline file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
			if p.Col > 0 {
				fmt.Fprintf(&b, ":%d", p.Col)
			}
		}
		b.WriteString(": ")
		if p.Step != "" {
			fmt.Fprintf(&b, "step %q: ", p.Step)
		}
		b.WriteString(p.Msg)
	}
	return b.String()
}

// IsInvalid reports whether err is a problem with a pipeline file's content (as opposed to
// an I/O failure).
func IsInvalid(err error) bool {
	var pe *Error
	var ye *yamlx.Error
	return errors.As(err, &pe) || errors.As(err, &ye)
}

// LoadFile reads and validates the pipeline at path. Files of the repository that custom
// steps' commands name become the steps' Deps.
func LoadFile(path string) (*Pipeline, error) {
	f, err := yamlx.OpenRegular(path)
	if errors.Is(err, yamlx.ErrNotRegular) {
		return nil, &yamlx.Error{File: path, Msg: "not a regular file"}
	}
	if err != nil {
		return nil, fmt.Errorf("reading pipeline: %w", err)
	}
	defer f.Close()
	p, err := Load(f, path)
	if err != nil {
		return nil, err
	}
	p.Dir = filepath.Dir(path)
	for _, s := range p.Spec.Steps {
		s.Deps = commandDeps(p.Dir, s.Command)
	}
	return p, nil
}

// commandDeps returns the arguments of a custom step's command that name regular files
// inside dir, as slash paths.
func commandDeps(dir string, argv []string) []string {
	var deps []string
	seen := map[string]bool{}
	for _, a := range argv {
		if a == "" || strings.HasPrefix(a, "-") || !filepath.IsLocal(a) {
			continue
		}
		rel := filepath.ToSlash(filepath.Clean(a))
		if seen[rel] {
			continue
		}
		if fi, err := os.Lstat(filepath.Join(dir, a)); err == nil && fi.Mode().IsRegular() {
			seen[rel] = true
			deps = append(deps, rel)
		}
	}
	sort.Strings(deps)
	return deps
}

// Load reads and validates a pipeline; name identifies it in errors (usually its path).
func Load(r io.Reader, name string) (*Pipeline, error) {
	data, err := yamlx.ReadAll(r, name, yamlx.DefaultLimits.MaxBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, name)
}

// Parse validates a pipeline held in memory.
func Parse(data []byte, name string) (*Pipeline, error) {
	root, err := yamlx.Parse(data, name, yamlx.DefaultLimits)
	if err != nil {
		return nil, err
	}
	l := &loader{file: name}
	p := l.pipeline(root)
	if len(l.probs) > 0 {
		sort.SliceStable(l.probs, func(i, j int) bool {
			a, b := l.probs[i], l.probs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, &Error{File: name, Problems: l.probs}
	}
	p.File = name
	p.Dir = "."
	return p, nil
}

type loader struct {
	file  string
	probs []Problem
	cur   string // the step being read, for problems
	warns []string
}

func (l *loader) errf(n *yaml.Node, format string, args ...any) {
	p := Problem{Step: l.cur, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Col = n.Line, n.Column
	}
	l.probs = append(l.probs, p)
}

// fields reads a mapping with the given known keys; unknown keys are problems with a hint.
func (l *loader) fields(n *yaml.Node, where string, known ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	n = yamlx.Resolve(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "%s must be a mapping, not %s", where, yamlx.KindName(n))
		return out
	}
	for _, kv := range yamlx.Mapping(n) {
		k := kv[0].Value
		if !contains(known, k) {
			l.errf(kv[0], "unknown key %q in %s%s", k, where, suggest.Hint(k, known))
			continue
		}
		out[k] = kv[1]
	}
	return out
}

// keyNode returns the key node for key in mapping n, for positions.
func keyLine(n *yaml.Node, key string) *yaml.Node {
	for _, kv := range yamlx.Mapping(n) {
		if kv[0].Value == key {
			return kv[0]
		}
	}
	return n
}

func (l *loader) str(n *yaml.Node, where string) (string, bool) {
	n = yamlx.Resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		l.errf(n, "%s must be a string, not %s", where, yamlx.KindName(n))
		return "", false
	}
	return n.Value, true
}

func (l *loader) strMap(n *yaml.Node, where string) map[string]string {
	out := map[string]string{}
	n = yamlx.Resolve(n)
	if n.Kind != yaml.MappingNode {
		l.errf(n, "%s must be a mapping of strings, not %s", where, yamlx.KindName(n))
		return out
	}
	for _, kv := range yamlx.Mapping(n) {
		v := yamlx.Resolve(kv[1])
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			l.errf(v, "%s.%s must be a string, not %s", where, kv[0].Value, yamlx.KindName(v))
			continue
		}
		out[kv[0].Value] = v.Value
	}
	return out
}

func (l *loader) strList(n *yaml.Node, where string) []string {
	n = yamlx.Resolve(n)
	if n.Kind != yaml.SequenceNode {
		l.errf(n, "%s must be a list of strings, not %s", where, yamlx.KindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		if s, ok := l.str(item, fmt.Sprintf("%s[%d]", where, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) pipeline(root *yaml.Node) *Pipeline {
	p := &Pipeline{}
	f := l.fields(root, "the pipeline", "apiVersion", "kind", "metadata", "spec")
	if n, ok := f["apiVersion"]; ok {
		if v, ok := l.str(n, "apiVersion"); ok && v != APIVersion {
			l.errf(n, "apiVersion %q is not supported; use %q", v, APIVersion)
		}
	} else {
		l.errf(root, "apiVersion is missing; add 'apiVersion: %s'", APIVersion)
	}
	if n, ok := f["kind"]; ok {
		if v, ok := l.str(n, "kind"); ok && v != Kind {
			l.errf(n, "kind %q is not supported; use %q", v, Kind)
		}
	} else {
		l.errf(root, "kind is missing; add 'kind: %s'", Kind)
	}
	p.APIVersion, p.Kind = APIVersion, Kind
	if n, ok := f["metadata"]; ok {
		p.Metadata = l.metadata(n)
	} else {
		l.errf(root, "metadata is missing; add 'metadata: {name: my-pipeline}'")
	}
	if n, ok := f["spec"]; ok {
		p.Spec = l.spec(n)
	} else {
		l.errf(root, "spec is missing; a pipeline needs spec.steps")
	}
	p.Warnings = l.warns
	return p
}

func (l *loader) metadata(n *yaml.Node) Metadata {
	var m Metadata
	f := l.fields(n, "metadata", "name", "labels", "annotations")
	if v, ok := f["name"]; ok {
		if name, ok := l.str(v, "metadata.name"); ok {
			if len(name) > MaxNameLen || !dnsLabelRE.MatchString(name) {
				hint := ""
				if id := ID(name); id != "" && len(id) <= MaxNameLen {
					hint = fmt.Sprintf(": try %q", id)
				}
				l.errf(v, "metadata.name %q must be a DNS-1123 label (at most %d lowercase letters, digits and '-', starting and ending with a letter or digit)%s", name, MaxNameLen, hint)
			}
			m.Name = name
		}
	} else {
		l.errf(n, "metadata.name is missing")
	}
	if v, ok := f["labels"]; ok {
		m.Labels = l.strMap(v, "metadata.labels")
	}
	if v, ok := f["annotations"]; ok {
		m.Annotations = l.strMap(v, "metadata.annotations")
	}
	return m
}

func (l *loader) spec(n *yaml.Node) Spec {
	var s Spec
	f := l.fields(n, "spec", "backend", "schedule", "timezone", "steps", "backendConfig", "middlewares")
	if v, ok := f["backend"]; ok {
		switch r := yamlx.Resolve(v); r.Kind {
		case yaml.SequenceNode:
			s.Backends = l.strList(r, "spec.backend")
		default:
			if b, ok := l.str(r, "spec.backend"); ok {
				s.Backends = []string{b}
			}
		}
		for _, b := range s.Backends {
			if b == "" {
				l.errf(v, "spec.backend must not be empty")
			}
		}
	}
	if v, ok := f["schedule"]; ok && yamlx.Resolve(v).ShortTag() != "!!null" {
		if sched, ok := l.str(v, "spec.schedule"); ok {
			s.Schedule = strings.TrimSpace(sched)
			if err := CheckSchedule(s.Schedule); err != nil {
				l.errf(v, "spec.schedule: %v", err)
			}
		}
	}
	if v, ok := f["timezone"]; ok {
		if tz, ok := l.str(v, "spec.timezone"); ok {
			if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
				l.errf(v, "spec.timezone %q is not an IANA time zone such as \"Europe/Berlin\" or \"UTC\"", tz)
			}
			s.Timezone = tz
		}
	}
	if s.Timezone != "" && s.Schedule == "" {
		l.errf(keyLine(n, "timezone"), "spec.timezone is set but spec.schedule is not")
	}
	if v, ok := f["backendConfig"]; ok {
		r := yamlx.Resolve(v)
		if r.Kind != yaml.MappingNode {
			l.errf(r, "spec.backendConfig must be a mapping of backend values, not %s", yamlx.KindName(r))
		} else if val, err := yamlx.Value(l.file, r); err != nil {
			l.errf(r, "spec.backendConfig: %v", err)
		} else {
			s.BackendConfig = val.(map[string]any)
			s.BackendConfigLines = map[string]int{}
			lines(r, "", s.BackendConfigLines)
		}
	}
	if v, ok := f["middlewares"]; ok {
		r := yamlx.Resolve(v)
		if r.Kind != yaml.SequenceNode {
			l.errf(r, "spec.middlewares must be a list, not %s", yamlx.KindName(r))
		} else if len(r.Content) > 0 {
			l.warns = append(l.warns, fmt.Sprintf("%s:%d: spec.middlewares: wurzel does not run Python Wurzel middlewares; they are ignored", l.file, keyLine(n, "middlewares").Line))
		}
	}
	if v, ok := f["steps"]; ok {
		s.Steps = l.steps(v)
	} else {
		l.errf(n, "spec.steps is missing; a pipeline needs at least one step")
	}
	return s
}

// lines records the line of every key of a mapping tree under dotted paths.
func lines(n *yaml.Node, prefix string, out map[string]int) {
	for _, kv := range yamlx.Mapping(n) {
		key := kv[0].Value
		if prefix != "" {
			key = prefix + "." + key
		}
		out[key] = kv[0].Line
		if v := yamlx.Resolve(kv[1]); v.Kind == yaml.MappingNode {
			lines(v, key, out)
		}
	}
}

// CheckSchedule validates a cron expression: five fields or a @descriptor, and one that fires.
func CheckSchedule(expr string) error {
	if expr == "" {
		return errors.New("empty schedule")
	}
	if strings.HasPrefix(expr, "CRON_TZ=") || strings.HasPrefix(expr, "TZ=") {
		return errors.New("time zone prefixes are not portable; set spec.timezone instead")
	}
	if strings.HasPrefix(expr, "@every") {
		return errors.New("@every is not a cron schedule; write the interval as five cron fields")
	}
	sched, err := cron.ParseStandard(expr)
	if err != nil {
		return fmt.Errorf("%q is not a cron expression (five fields: minute hour day-of-month month day-of-week, or @hourly/@daily/@weekly/@monthly/@yearly): %v", expr, err)
	}
	// A schedule that never fires (0 0 30 2 *) gives the zero time.
	ref := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if sched.Next(ref).IsZero() {
		return fmt.Errorf("%q never fires", expr)
	}
	return nil
}

type rawStep struct {
	step           *Step
	node           *yaml.Node
	depNode        *yaml.Node
	explicitPrefix string
	settings       *yaml.Node
}

func (l *loader) steps(n *yaml.Node) []*Step {
	seq := yamlx.Resolve(n)
	if seq.Kind != yaml.SequenceNode {
		l.errf(seq, "spec.steps must be a list of steps, not %s", yamlx.KindName(seq))
		return nil
	}
	if len(seq.Content) == 0 {
		l.errf(seq, "spec.steps is empty; a pipeline needs at least one step")
		return nil
	}
	var raws []*rawStep
	byName := map[string]*rawStep{}
	byID := map[string]string{}
	for i, item := range seq.Content {
		r := l.step(item, i)
		if r == nil {
			continue
		}
		name := r.step.Name
		if name != "" {
			if prev, dup := byName[name]; dup {
				l.cur = name
				l.errf(r.node, "duplicate step name (first declared at line %d)", prev.node.Line)
				l.cur = ""
				continue
			}
			if other, dup := byID[r.step.ID]; dup {
				l.cur = name
				l.errf(r.node, "step names %q and %q both become the ID %q on orchestrators; rename one", other, name, r.step.ID)
				l.cur = ""
				continue
			}
			byName[name] = r
			byID[r.step.ID] = name
		}
		raws = append(raws, r)
	}
	// Class counts decide the env prefix rule.
	classCount := map[string]int{}
	for _, r := range raws {
		if r.step.Type != nil {
			classCount[r.step.Type.Name]++
		}
	}
	prefixes := map[string]string{}
	for _, r := range raws {
		s := r.step
		l.cur = s.Name
		className := ""
		if s.Type != nil {
			className = s.Type.Name
		}
		s.EnvPrefix = EnvPrefixFor(s.Name, className, classCount[className], r.explicitPrefix)
		if other, dup := prefixes[s.EnvPrefix]; dup && s.Name != "" {
			l.errf(r.node, "env prefix %s is also used by step %q; set envPrefix on one of them", s.EnvPrefix, other)
		}
		prefixes[s.EnvPrefix] = s.Name
		for i, d := range s.DependsOn {
			switch {
			case d == s.Name:
				l.errf(r.depNode, "depends on itself")
			case byName[d] == nil:
				names := make([]string, 0, len(byName))
				for n := range byName {
					names = append(names, n)
				}
				l.errf(r.depNode, "dependsOn[%d]: unknown step %q%s", i, d, suggest.Hint(d, names))
			case contains(s.DependsOn[:i], d):
				l.errf(r.depNode, "dependsOn lists %q twice", d)
			}
		}
		if s.Type != nil && s.Type.IsSource() && len(s.DependsOn) > 0 {
			l.errf(r.depNode, "%s reads no input, so it cannot depend on other steps", s.Type.Name)
		}
		if s.Type != nil && !s.Type.IsSource() && len(s.DependsOn) == 0 {
			l.errf(r.node, "%s needs input: add dependsOn with the step(s) whose %s it reads", s.Type.Name, s.Type.Input)
		}
		for _, d := range s.DependsOn {
			if dep := byName[d]; dep != nil && s.Type != nil && dep.step.Type != nil && dep.step.Type.Output != s.Type.Input {
				l.errf(r.depNode, "%s reads %s but step %q (%s) writes %s", s.Type.Name, s.Type.Input, d, dep.step.Type.Name, dep.step.Type.Output)
			}
		}
		l.settings(r)
	}
	l.cur = ""
	if len(l.probs) > 0 {
		return nil
	}
	return l.order(raws)
}

var stepKeys = []string{"name", "class", "command", "dependsOn", "settings", "envPrefix", "retries", "timeout", "image"}

func (l *loader) step(n *yaml.Node, index int) *rawStep {
	s := &Step{Line: n.Line}
	r := &rawStep{step: s, node: n, depNode: n}
	if m := yamlx.Resolve(n); m.Kind == yaml.MappingNode {
		for _, kv := range yamlx.Mapping(m) { // name problems in the step by its name
			if kv[0].Value == "name" && yamlx.Resolve(kv[1]).Kind == yaml.ScalarNode {
				l.cur = yamlx.Resolve(kv[1]).Value
			}
		}
	}
	f := l.fields(n, fmt.Sprintf("spec.steps[%d]", index), stepKeys...)
	if v, ok := f["name"]; ok {
		if name, ok := l.str(v, "name"); ok {
			s.Name = name
			s.ID = ID(name)
			l.cur = name
			switch {
			case len(name) > MaxNameLen:
				l.errf(v, "name is longer than %d characters", MaxNameLen)
			case !stepNameRE.MatchString(name) || strings.HasSuffix(name, "."):
				l.errf(v, "name %q may hold only letters, digits, '-', '_' and '.', starting with a letter or digit (it names a folder and orchestrator jobs)", name)
			}
		}
	} else {
		l.errf(n, "spec.steps[%d] has no name", index)
	}
	defer func() { l.cur = "" }()
	class, hasClass := f["class"]
	command, hasCommand := f["command"]
	switch {
	case hasClass && hasCommand:
		l.errf(command, "set either class (a built-in step) or command (your own program), not both")
	case hasClass:
		if c, ok := l.str(class, "class"); ok {
			s.Class = c
			if t, ok := steps.Lookup(c); ok {
				s.Type = t
			} else {
				l.errf(class, "unknown step class %q%s; built-in classes are %s; run your own code with command: [...]",
					c, suggest.Hint(ClassName(c), steps.Names()), strings.Join(steps.Names(), ", "))
			}
		}
	case hasCommand:
		argv := l.strList(command, "command")
		if len(argv) == 0 {
			l.errf(command, "command must name a program: command: [python3, my_step.py]")
		}
		for _, a := range argv {
			if strings.ContainsRune(a, 0) {
				l.errf(command, "command arguments cannot contain NUL bytes")
			}
		}
		s.Command = argv
	default:
		l.errf(n, "a step needs class (a built-in step) or command (your own program)")
	}
	if v, ok := f["dependsOn"]; ok {
		r.depNode = v
		if yamlx.Resolve(v).Kind == yaml.ScalarNode && yamlx.Resolve(v).ShortTag() == "!!str" {
			s.DependsOn = []string{yamlx.Resolve(v).Value} // a single name is accepted
		} else {
			s.DependsOn = l.strList(v, "dependsOn")
		}
	}
	if v, ok := f["envPrefix"]; ok {
		if p, ok := l.str(v, "envPrefix"); ok {
			if !envPrefixRE.MatchString(p) {
				l.errf(v, "envPrefix %q must be upper-case letters, digits and '_', not starting with a digit", p)
			}
			r.explicitPrefix = p
		}
	}
	if v, ok := f["retries"]; ok {
		rv := yamlx.Resolve(v)
		n, err := strconv.Atoi(rv.Value)
		if rv.ShortTag() != "!!int" || err != nil || n < 0 || n > 100 {
			l.errf(v, "retries must be a whole number from 0 to 100, not %q", rv.Value)
		}
		s.Retries, s.HasRetries = n, true
	}
	if v, ok := f["timeout"]; ok {
		if t, ok := l.str(v, "timeout"); ok {
			d, err := time.ParseDuration(t)
			if err != nil || d <= 0 {
				l.errf(v, "timeout %q must be a positive duration such as \"30s\", \"10m\" or \"2h\"", t)
			}
			s.Timeout = d
		}
	}
	if v, ok := f["image"]; ok {
		if img, ok := l.str(v, "image"); ok {
			if img == "" || strings.ContainsAny(img, " \t\n\"'$`{}") {
				l.errf(v, "image %q is not a container image reference", img)
			}
			s.Image = img
		}
	}
	r.settings = f["settings"]
	return r
}

// pythonSecretRE matches Python Wurzel's secret placeholders: ${secret:provider:ref}.
var pythonSecretRE = regexp.MustCompile(`^\$\{secret:([^:}]+):([^}]+)\}$`)

// secretNameRE and secretKeyRE are Kubernetes' rules for Secret names and data keys.
var (
	secretNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	secretKeyRE  = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
)

func (l *loader) settings(r *rawStep) {
	s := r.step
	s.Settings = map[string]string{}
	if r.settings == nil {
		return
	}
	m := yamlx.Resolve(r.settings)
	if m.Kind != yaml.MappingNode {
		l.errf(m, "settings must be a mapping of FIELD: value, not %s", yamlx.KindName(m))
		return
	}
	var known []string
	if s.Type != nil {
		for _, f := range s.Type.Settings {
			known = append(known, f.Name)
		}
	}
	for _, kv := range yamlx.Mapping(m) {
		key, v := kv[0].Value, yamlx.Resolve(kv[1])
		var field settings.Field
		if s.Type != nil {
			fl, ok := s.Type.Field(key)
			if !ok {
				l.errf(kv[0], "%s has no setting %q%s; its settings are %s", s.Type.Name, key, suggest.Hint(key, known), strings.Join(known, ", "))
				continue
			}
			field = fl
		} else if !envFieldRE.MatchString(key) {
			l.errf(kv[0], "setting %q must be a valid environment variable name (letters, digits and '_')", key)
			continue
		} else if len(key) > MaxSettingLen {
			l.errf(kv[0], "setting %.20q… is %d characters long; setting names are environment variable names of at most %d characters", key, len(key), MaxSettingLen)
			continue
		}
		if ref, ok := l.secretRef(v, key); ok {
			if s.Secrets == nil {
				s.Secrets = map[string]SecretRef{}
			}
			s.Secrets[key] = ref
			continue
		}
		if field.IsSecret() {
			l.errf(v, "setting %s is a secret: reference it with {secretRef: {name: SECRET, key: KEY}} or set %s__%s at run time; literal secrets are never written into rendered files", key, s.EnvPrefix, key)
			continue
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.ShortTag() == "!!null" {
				l.errf(v, "setting %s is null; remove it to use the step's default", key)
				continue
			}
			if strings.ContainsRune(v.Value, 0) {
				l.errf(v, "setting %s contains a NUL byte", key)
				continue
			}
			if m := pythonSecretRE.FindStringSubmatch(v.Value); m != nil {
				l.warns = append(l.warns, fmt.Sprintf("%s:%d: step %q: setting %s uses a %s secret placeholder, which wurzel passes on as text; reference Kubernetes secrets with secretRef", l.file, v.Line, s.Name, key, m[1]))
			}
			s.Settings[key] = v.Value
		default:
			val, err := yamlx.Value(l.file, v)
			if err != nil {
				l.errf(v, "setting %s: %v", key, err)
				continue
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(val); err != nil {
				l.errf(v, "setting %s: %v", key, err)
				continue
			}
			s.Settings[key] = strings.TrimSuffix(buf.String(), "\n")
		}
	}
}

// secretRef recognises {secretRef: {name, key}} and ${secret:k8s:name/key}.
func (l *loader) secretRef(v *yaml.Node, key string) (SecretRef, bool) {
	if v.Kind == yaml.ScalarNode {
		m := pythonSecretRE.FindStringSubmatch(v.Value)
		if m == nil || m[1] != "k8s" {
			return SecretRef{}, false
		}
		name, k, ok := strings.Cut(m[2], "/")
		if !ok {
			l.errf(v, "setting %s: secret placeholder %q must be ${secret:k8s:NAME/KEY}", key, v.Value)
			return SecretRef{}, true
		}
		return l.checkRef(v, key, SecretRef{Name: name, Key: k}), true
	}
	if v.Kind != yaml.MappingNode {
		return SecretRef{}, false
	}
	pairs := yamlx.Mapping(v)
	if len(pairs) != 1 || pairs[0][0].Value != "secretRef" {
		return SecretRef{}, false
	}
	f := l.fields(pairs[0][1], "settings."+key+".secretRef", "name", "key")
	var ref SecretRef
	if n, ok := f["name"]; ok {
		ref.Name, _ = l.str(n, "secretRef.name")
	}
	if n, ok := f["key"]; ok {
		ref.Key, _ = l.str(n, "secretRef.key")
	}
	return l.checkRef(v, key, ref), true
}

func (l *loader) checkRef(n *yaml.Node, key string, ref SecretRef) SecretRef {
	if !secretNameRE.MatchString(ref.Name) || len(ref.Name) > 253 {
		l.errf(n, "setting %s: secret name %q must be a Kubernetes Secret name (lowercase letters, digits, '-' and '.')", key, ref.Name)
	}
	if !secretKeyRE.MatchString(ref.Key) {
		l.errf(n, "setting %s: secret key %q may hold only letters, digits, '-', '_' and '.'", key, ref.Key)
	}
	return ref
}

// order sorts steps topologically; ties keep file order. A cycle is reported with its path.
func (l *loader) order(raws []*rawStep) []*Step {
	index := map[string]int{}
	for i, r := range raws {
		index[r.step.Name] = i
	}
	indeg := make([]int, len(raws))
	dependents := make([][]int, len(raws))
	for i, r := range raws {
		for _, d := range r.step.DependsOn {
			j := index[d]
			indeg[i]++
			dependents[j] = append(dependents[j], i)
		}
	}
	// Kahn's algorithm with a min-heap on file position keeps the order stable.
	ready := &intHeap{}
	for i, d := range indeg {
		if d == 0 {
			ready.push(i)
		}
	}
	out := make([]*Step, 0, len(raws))
	for ready.len() > 0 {
		i := ready.pop()
		out = append(out, raws[i].step)
		for _, j := range dependents[i] {
			indeg[j]--
			if indeg[j] == 0 {
				ready.push(j)
			}
		}
	}
	if len(out) < len(raws) {
		cycle := findCycle(raws, index, indeg)
		first := raws[index[cycle[0]]]
		l.errf(first.depNode, "dependency cycle: %s", strings.Join(cycle, " → "))
		return nil
	}
	return out
}

// findCycle returns one cycle among the steps left with incoming edges, as a path that
// starts and ends with the same step.
func findCycle(raws []*rawStep, index map[string]int, indeg []int) []string {
	state := make([]int, len(raws)) // 0 new, 1 on stack, 2 done
	var stack []string
	var cycle []string
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = 1
		stack = append(stack, raws[i].step.Name)
		for _, d := range raws[i].step.DependsOn {
			j := index[d]
			if state[j] == 1 {
				start := 0
				for k, n := range stack {
					if n == d {
						start = k
					}
				}
				cycle = append(append([]string{}, stack[start:]...), d)
				return true
			}
			if state[j] == 0 && visit(j) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = 2
		return false
	}
	for i := range raws {
		if indeg[i] > 0 && state[i] == 0 && visit(i) {
			break
		}
	}
	// Report in dependency direction: a → b means b depends on a.
	for i, j := 0, len(cycle)-1; i < j; i, j = i+1, j-1 {
		cycle[i], cycle[j] = cycle[j], cycle[i]
	}
	return cycle
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// intHeap is a small min-heap of ints.
type intHeap struct{ a []int }

func (h *intHeap) len() int { return len(h.a) }
func (h *intHeap) push(x int) {
	h.a = append(h.a, x)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if h.a[p] <= h.a[i] {
			break
		}
		h.a[p], h.a[i] = h.a[i], h.a[p]
		i = p
	}
}
func (h *intHeap) pop() int {
	top := h.a[0]
	last := len(h.a) - 1
	h.a[0] = h.a[last]
	h.a = h.a[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h.a) && h.a[l] < h.a[m] {
			m = l
		}
		if r < len(h.a) && h.a[r] < h.a[m] {
			m = r
		}
		if m == i {
			break
		}
		h.a[m], h.a[i] = h.a[i], h.a[m]
		i = m
	}
	return top
}
