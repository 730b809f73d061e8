//go:build unix

package wurzel_test

// The adversarial suite: every hostile string of testdata/adversarial/strings.json in every
// string a user can set (pipeline settings, custom command arguments, names, labels and
// annotations, images, and every string value each pack reads from its values.yaml), for
// every backend. Each case must either render to files that mean exactly what the benign
// render means with the string in place of a marker, or be refused as invalid input naming
// the place. "Means" is checked by the oracles of adversarial_oracle_test.go: the parsed
// structure, every shell command's argv and environment as sh and bash run it, Kubernetes'
// $(VAR) expansion, DVC's ${} interpolation, the Python AST of Airflow DAGs, a YAML 1.1
// reader's view of every YAML file, and the count of each target's expression markers.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/internal/escape"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/values"
)

// advMarker stands for the hostile string in the benign render of a case: every place the
// benign output shows it, the hostile output must show the hostile string.
const advMarker = "wzbenign"

// advNameMarker is the benign form of the step name field: its ID is advMarker and its env
// prefix the upper-case marker.
const advNameMarker = "Wzbenign"

// advString is one entry of testdata/adversarial/strings.json: text, or bytes in hex for
// strings that are not valid UTF-8.
type advString struct {
	Name string `json:"name"`
	S    string `json:"s"`
	Hex  string `json:"hex"`
}

func loadAdvStrings(t *testing.T) []advString {
	t.Helper()
	data, err := os.ReadFile("testdata/adversarial/strings.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []advString
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("testdata/adversarial/strings.json: %v", err)
	}
	for i := range out {
		if out[i].Hex != "" {
			b, err := hex.DecodeString(out[i].Hex)
			if err != nil {
				t.Fatalf("strings.json: %s: %v", out[i].Name, err)
			}
			out[i].S = string(b)
		}
		if strings.Contains(out[i].S, advMarker) {
			t.Fatalf("strings.json: %s holds the marker %q", out[i].Name, advMarker)
		}
	}
	return out
}

// advCase is one render: a pipeline and values as trees, plus --set-string flags (the only
// way values can carry bytes that are not UTF-8).
type advCase struct {
	Pipeline map[string]any
	Values   map[string]any
	Sets     []engine.SetExpr
}

// advField is one place a user can put a string.
type advField struct {
	// Name shows the place in failures: "pipeline steps.custom.settings.NOTE", "values argo.namespace".
	Name string
	// Needles: a refusal must name the place with one of them.
	Needles []string
	// Packs the field applies to; nil for every pack.
	Packs []string
	// Set puts v into the case.
	Set func(c *advCase, v string)
	// Forms are the shapes the value takes, each with the marker where the hostile string
	// goes ("wzbenign", "/wzbenign"): the first form whose benign render succeeds is used.
	Forms []string
	// Raw is true for pipeline fields written into the pipeline file as they are (bytes that
	// are not UTF-8 included); values fields of such strings go through --set-string.
	Raw bool
	// Path is the values path of a values field (for --set-string).
	Path values.Path
}

// advBasePipeline has every feature the packs render: two built-in steps, a custom step with
// a command, settings, a secret, retries, a timeout, labels, annotations, a schedule.
func advBasePipeline() map[string]any {
	return map[string]any{
		"apiVersion": "wurzel.dev/v1alpha1",
		"kind":       "Pipeline",
		"metadata": map[string]any{
			"name":        "adversarial",
			"labels":      map[string]any{"team": "search"},
			"annotations": map[string]any{"note": "benign"},
		},
		"spec": map[string]any{
			"schedule": "0 4 * * *",
			"timezone": "Europe/Berlin",
			"steps": []any{
				map[string]any{"name": "source", "class": "ManualMarkdownStep", "settings": map[string]any{"FOLDER_PATH": "./docs"}},
				map[string]any{"name": "split", "class": "SimpleSplitterStep", "dependsOn": []any{"source"}},
				map[string]any{
					"name": "custom", "command": []any{"python3", "job.py", "--flag", "arg"}, "dependsOn": []any{"split"},
					"retries": 2, "timeout": "5m",
					"settings": map[string]any{
						"NOTE":      "text",
						"API_TOKEN": map[string]any{"secretRef": map[string]any{"name": "tok", "key": "token"}},
					},
				},
			},
		},
	}
}

func advStep(c *advCase, i int) map[string]any {
	return c.Pipeline["spec"].(map[string]any)["steps"].([]any)[i].(map[string]any)
}

func advMeta(c *advCase) map[string]any { return c.Pipeline["metadata"].(map[string]any) }

// advPipelineFields are the places in pipeline.yaml.
func advPipelineFields() []advField {
	cmdArg := func(i int) func(c *advCase, v string) {
		return func(c *advCase, v string) { advStep(c, 2)["command"].([]any)[i] = v }
	}
	return []advField{
		{Name: "pipeline steps.source.settings.FOLDER_PATH", Needles: []string{"FOLDER_PATH"},
			Set: func(c *advCase, v string) { advStep(c, 0)["settings"].(map[string]any)["FOLDER_PATH"] = v }},
		{Name: "pipeline steps.custom.settings.NOTE", Needles: []string{"NOTE"},
			Set: func(c *advCase, v string) { advStep(c, 2)["settings"].(map[string]any)["NOTE"] = v }},
		{Name: "pipeline steps.custom.command[0]", Needles: []string{"command"}, Set: cmdArg(0)},
		{Name: "pipeline steps.custom.command[1]", Needles: []string{"command"}, Set: cmdArg(1)},
		{Name: "pipeline steps.custom.command[3]", Needles: []string{"command"}, Set: cmdArg(3)},
		{Name: "pipeline metadata.labels.team", Needles: []string{"label", "team"},
			Set: func(c *advCase, v string) { advMeta(c)["labels"].(map[string]any)["team"] = v }},
		{Name: "pipeline metadata.annotations.note", Needles: []string{"annotation", "note"},
			Set: func(c *advCase, v string) { advMeta(c)["annotations"].(map[string]any)["note"] = v }},
		{Name: "pipeline metadata.annotations key", Needles: []string{"annotation"},
			Set: func(c *advCase, v string) { advMeta(c)["annotations"] = map[string]any{v: "x"} }},
		{Name: "pipeline metadata.labels key", Needles: []string{"label"},
			Set: func(c *advCase, v string) { advMeta(c)["labels"] = map[string]any{v: "x"} }},
		{Name: "pipeline steps.custom.image", Needles: []string{"image"}, Forms: []string{"registry.example/" + advMarker + ":1"},
			Set: func(c *advCase, v string) { advStep(c, 2)["image"] = v }},
		// The benign name differs from its ID (wzbenign) and env prefix (WZBENIGN), so that
		// each place shows which of the three it holds.
		{Name: "pipeline steps.custom.name", Needles: []string{"name", "ID", "step"}, Forms: []string{advNameMarker},
			Set: func(c *advCase, v string) { advStep(c, 2)["name"] = v }},
		{Name: "pipeline steps.custom.envPrefix", Needles: []string{"envPrefix", "prefix"}, Forms: []string{"WZBENIGN"},
			Set: func(c *advCase, v string) { advStep(c, 2)["envPrefix"] = v }},
		// The only plain setting of its step: settings are ordered by name.
		{Name: "pipeline steps.custom.settings key", Needles: []string{"setting"}, Forms: []string{"WZBENIGN"},
			Set: func(c *advCase, v string) {
				st := advStep(c, 2)["settings"].(map[string]any)
				delete(st, "NOTE")
				st[v] = "x"
			}},
		{Name: "pipeline steps.custom.settings secretRef.name", Needles: []string{"secret"},
			Set: func(c *advCase, v string) {
				advStep(c, 2)["settings"].(map[string]any)["API_TOKEN"] = map[string]any{"secretRef": map[string]any{"name": v, "key": "token"}}
			}},
		{Name: "pipeline steps.custom.settings secretRef.key", Needles: []string{"secret"},
			Set: func(c *advCase, v string) {
				advStep(c, 2)["settings"].(map[string]any)["API_TOKEN"] = map[string]any{"secretRef": map[string]any{"name": "tok", "key": v}}
			}},
		{Name: "pipeline metadata.name", Needles: []string{"metadata.name"},
			Set: func(c *advCase, v string) { advMeta(c)["name"] = v }},
		{Name: "pipeline spec.schedule", Needles: []string{"schedule"}, Forms: []string{"0 4 * * *"},
			Set: func(c *advCase, v string) { c.Pipeline["spec"].(map[string]any)["schedule"] = v }},
		{Name: "pipeline spec.timezone", Needles: []string{"timezone", "time zone"}, Forms: []string{"Europe/Berlin"},
			Set: func(c *advCase, v string) { c.Pipeline["spec"].(map[string]any)["timezone"] = v }},
	}
}

// advListItems are sample items for the values that are lists of mappings, with the marker
// in every string a user would set; each string becomes a field of its own.
var advListItems = map[string]map[string]any{
	"argo.container.envFrom":          {"kind": "secret", "name": "wzbenign", "prefix": "wzbenign"},
	"argo.container.mountSecrets":     {"from": "wzbenign", "to": "/wzbenign", "mappings": []any{map[string]any{"key": "wzbenign", "value": "wzbenign"}}},
	"cronjob.container.envFrom":       {"kind": "secret", "name": "wzbenign", "prefix": "wzbenign"},
	"cronjob.container.mountSecrets":  {"from": "wzbenign", "to": "/wzbenign", "mappings": []any{map[string]any{"key": "wzbenign", "value": "wzbenign"}}},
	"cronjob.tolerations":             {"key": "wzbenign", "operator": "Equal", "value": "wzbenign", "effect": "NoSchedule"},
	"cronjob.imagePullSecrets":        {"name": "wzbenign"},
	"airflow.kubernetes.envFrom":      {"kind": "secret", "name": "wzbenign", "prefix": "wzbenign"},
	"airflow.kubernetes.mountSecrets": {"from": "wzbenign", "to": "/wzbenign", "mappings": []any{map[string]any{"key": "wzbenign", "value": "wzbenign"}}},
	"githubActions.setupSteps":        {"name": "wzbenign", "run": "wzbenign"},
	"githubActions.install.steps":     {"name": "wzbenign", "uses": "wzbenign", "with": map[string]any{"x": "wzbenign"}},
	"gitlab.rules.before":             {"if": "wzbenign", "when": "never"},
}

// advSkipValues are values paths that hold names of other places, not text that reaches a file.
var advSkipValues = map[string]string{
	"argo.allowExpressions":          "names values paths",
	"githubActions.allowExpressions": "names values paths",
	"gitlab.allowExpressions":        "names values paths",
	"airflow.allowExpressions":       "names values paths",
}

// advValuesFields walks the defaults of every pack (and global) and returns a field for every
// string, every list (as a list of one string, or of one sample mapping) and every open map
// (an entry with the string as value, and one with the string as key).
func advValuesFields(lib *engine.Library) []advField {
	var out []advField
	openOf := map[string][]string{}
	for _, p := range lib.Packs {
		openOf[p.Meta.ValuesKey] = p.Meta.OpenKeys
	}
	openOf["global"] = []string{"global.env"}
	packOf := map[string][]string{"global": nil}
	for _, p := range lib.Packs {
		packOf[p.Meta.ValuesKey] = []string{p.Name}
	}
	defaults := map[string]any{}
	for _, p := range lib.Packs {
		for _, d := range p.Defaults {
			for k, v := range d.Values {
				defaults[k] = v
			}
		}
	}
	for _, g := range lib.Globals {
		for k, v := range g.Values {
			defaults[k] = v
		}
	}
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, top := range keys {
		packs := packOf[top]
		open := openOf[top]
		var walk func(p values.Path, v any)
		walk = func(p values.Path, v any) {
			dotted := strings.Join(p, ".")
			if _, skip := advSkipValues[dotted]; skip {
				return
			}
			isOpen := slices.Contains(open, dotted)
			path := slices.Clone(p)
			switch t := v.(type) {
			case map[string]any:
				if isOpen {
					out = append(out,
						advField{Name: "values " + dotted + ".<value>", Needles: []string{dotted}, Packs: packs, Path: append(slices.Clone(path), "WZKEY"),
							Set: func(c *advCase, s string) { advSet(c.Values, path, map[string]any{"WZKEY": s}) }},
						advField{Name: "values " + dotted + ".<key>", Needles: []string{dotted}, Packs: packs, Forms: []string{"WZBENIGN"},
							Set: func(c *advCase, s string) { advSet(c.Values, path, map[string]any{s: "x"}) }})
					return
				}
				ks := make([]string, 0, len(t))
				for k := range t {
					ks = append(ks, k)
				}
				sort.Strings(ks)
				for _, k := range ks {
					walk(append(slices.Clone(path), k), t[k])
				}
			case []any:
				if item, ok := advListItems[dotted]; ok {
					for _, leaf := range advMarkerLeaves(item, nil) {
						out = append(out, advField{Name: "values " + dotted + "[0]." + strings.Join(leaf, "."), Needles: []string{dotted}, Packs: packs,
							Set: func(c *advCase, s string) { advSet(c.Values, path, []any{advWithLeaf(item, leaf, s)}) }})
					}
					return
				}
				out = append(out, advField{Name: "values " + dotted + "[0]", Needles: []string{dotted}, Packs: packs,
					Set: func(c *advCase, s string) { advSet(c.Values, path, []any{s}) }})
			case string:
				out = append(out, advField{Name: "values " + dotted, Needles: []string{dotted}, Packs: packs, Path: path,
					Set: func(c *advCase, s string) { advSet(c.Values, path, s) }})
			}
		}
		walk(values.Path{top}, defaults[top])
	}
	return out
}

// advMarkerLeaves lists the paths of a sample item's strings that hold the marker.
func advMarkerLeaves(v any, p []string) [][]string {
	var out [][]string
	switch t := v.(type) {
	case map[string]any:
		ks := make([]string, 0, len(t))
		for k := range t {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			out = append(out, advMarkerLeaves(t[k], append(slices.Clone(p), k))...)
		}
	case []any:
		for i, x := range t {
			out = append(out, advMarkerLeaves(x, append(slices.Clone(p), fmt.Sprint(i)))...)
		}
	case string:
		if strings.Contains(t, advMarker) {
			out = append(out, p)
		}
	}
	return out
}

// advWithLeaf returns a copy of item with the string at leaf replaced: its marker becomes s,
// and every other marker a fixed benign word.
func advWithLeaf(item any, leaf []string, s string) any {
	var walk func(v any, p []string) any
	walk = func(v any, p []string) any {
		switch t := v.(type) {
		case map[string]any:
			m := map[string]any{}
			for k, x := range t {
				m[k] = walk(x, append(slices.Clone(p), k))
			}
			return m
		case []any:
			l := make([]any, len(t))
			for i, x := range t {
				l[i] = walk(x, append(slices.Clone(p), fmt.Sprint(i)))
			}
			return l
		case string:
			if slices.Equal(p, leaf) {
				return strings.ReplaceAll(t, advMarker, s)
			}
			return strings.ReplaceAll(t, advMarker, "other")
		}
		return v
	}
	return walk(item, nil)
}

// advSet sets a values path in a nested map, creating maps on the way.
func advSet(root map[string]any, p values.Path, v any) {
	cur := root
	for _, k := range p[:len(p)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[p[len(p)-1]] = v
}

// advYAML writes a tree as YAML with every string double-quoted (yaml.v3's own escapes, not
// wurzel's), keys sorted. A string that is not valid UTF-8 is written as its raw bytes in
// double quotes, which a YAML reader must refuse.
func advYAML(v any) ([]byte, error) {
	var raws []string
	var node func(v any) *yaml.Node
	node = func(v any) *yaml.Node {
		switch t := v.(type) {
		case map[string]any:
			n := &yaml.Node{Kind: yaml.MappingNode}
			ks := make([]string, 0, len(t))
			for k := range t {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				n.Content = append(n.Content, node(k), node(t[k]))
			}
			return n
		case []any:
			n := &yaml.Node{Kind: yaml.SequenceNode}
			for _, x := range t {
				n.Content = append(n.Content, node(x))
			}
			return n
		case string:
			if !utf8.ValidString(t) {
				raws = append(raws, t)
				return &yaml.Node{Kind: yaml.ScalarNode, Value: fmt.Sprintf("WZRAW%dWZRAW", len(raws)-1), Style: yaml.DoubleQuotedStyle}
			}
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t, Style: yaml.DoubleQuotedStyle}
		default:
			var n yaml.Node
			if err := n.Encode(t); err != nil {
				panic(err)
			}
			return &n
		}
	}
	out, err := yaml.Marshal(node(v))
	if err != nil {
		return nil, err
	}
	for i, r := range raws {
		out = []byte(strings.Replace(string(out), fmt.Sprintf("WZRAW%dWZRAW", i), r, 1))
	}
	return out, nil
}

// advOutcome is the result of one render.
type advOutcome struct {
	Files []engine.File
	Data  engine.Data
	Err   error
}

// advRender renders one pack for a case, in dir.
func advRender(lib *engine.Library, dir, pack string, c *advCase) advOutcome {
	pl, err := advYAML(c.Pipeline)
	if err != nil {
		return advOutcome{Err: fmt.Errorf("test setup: %w", err)}
	}
	plPath := filepath.Join(dir, "pipeline.yaml")
	if err := os.WriteFile(plPath, pl, 0o644); err != nil {
		return advOutcome{Err: fmt.Errorf("test setup: %w", err)}
	}
	var files []string
	if len(c.Values) > 0 {
		vals, err := advYAML(c.Values)
		if err != nil {
			return advOutcome{Err: fmt.Errorf("test setup: %w", err)}
		}
		vp := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(vp, vals, 0o644); err != nil {
			return advOutcome{Err: fmt.Errorf("test setup: %w", err)}
		}
		files = append(files, vp)
	}
	p, err := pipeline.LoadFile(plPath)
	if err != nil {
		return advOutcome{Err: err}
	}
	job := &engine.Job{Pipeline: p, Source: pl, Library: lib, Backends: []string{pack}, ValueFiles: files, Sets: c.Sets,
		Version: goldenVersion, Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := job.Run(ctx)
	if err != nil {
		return advOutcome{Err: err}
	}
	pk, _ := lib.Pack(pack)
	data := engine.NewData(pk, engine.Input{Pipeline: p, Source: pl, Values: res.Values, Version: goldenVersion, Image: job.Image})
	return advOutcome{Files: res.Files, Data: data}
}

// advBaseCase is the benign case of every pack: the base pipeline and no values (the
// pipeline's schedule is all the Kubernetes CronJob needs).
func advBaseCase() *advCase {
	return &advCase{Pipeline: advBasePipeline(), Values: map[string]any{}}
}

// advCounters count what the suite ran, for its summary line.
type advCounters struct {
	cases, rendered, refused, skipped atomic.Int64
}

// advCore are the strings every field gets in the default run: one of each kind of trouble.
var advCore = []string{
	"quote-mix", "cmd-subst", "k8s-var-secret", "quote-breakout", "newline", "cr", "ls", "nel", "nul", "esc",
	"structure", "dash-rf", "empty", "yaml-yes", "yaml-0755", "yaml-<<", "yaml-=", "yaml-2001-12-14",
	"yaml-syntax : colon", "yaml-syntax #comment", "go-template", "gha-expr", "jinja-stmt", "dvc-params", "no-value",
	"gha-command", "gitlab-var", "python-breakout", "umlaut-emoji", "nonchar", "invalid-utf8", "long-10k", "long-lines",
}

// advFull runs every hostile string in every field (WURZEL_ADVERSARIAL=full; CI runs the
// default only: run the full matrix after changing an encoder or a pack). The default run gives every field the core strings plus a quarter of the
// others, in turn, so that each string still meets a quarter of the fields of every pack.
var advFull = os.Getenv("WURZEL_ADVERSARIAL") == "full"

// advSelect returns the strings a field is tried with.
func advSelect(fi int, strs []advString) []advString {
	if advFull {
		return strs
	}
	var out []advString
	for i, s := range strs {
		if (i+fi)%4 == 0 || slices.Contains(advCore, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// TestAdversarial runs the hostile strings in every field of every pack. Packs run in
// parallel, fields in parallel within a pack.
func TestAdversarial(t *testing.T) {
	requirePython(t)
	lib := embeddedLibrary(t)
	strs := loadAdvStrings(t)
	for _, name := range advCore {
		if !slices.ContainsFunc(strs, func(s advString) bool { return s.Name == name }) {
			t.Fatalf("advCore names %q, which strings.json does not have", name)
		}
	}
	fields := append(advPipelineFields(), advValuesFields(lib)...)
	var n advCounters
	start := time.Now()
	t.Cleanup(func() {
		t.Logf("adversarial corpus: %d strings, %d fields, %d cases (full: %v): %d rendered and checked, %d refused as invalid input, %d not applicable; %v",
			len(strs), len(fields), n.cases.Load(), advFull, n.rendered.Load(), n.refused.Load(), n.skipped.Load(), time.Since(start).Round(time.Millisecond))
	})
	// The packs run at once (t.Run from goroutines, not t.Parallel, which -parallel would cap
	// at GOMAXPROCS): most of a case's time is spent waiting for sh and python3.
	var packs sync.WaitGroup
	defer packs.Wait()
	for _, pack := range lib.Names() {
		packs.Add(1)
		go func() {
			defer packs.Done()
			t.Run(pack, func(t *testing.T) {
				type job struct {
					f  advField
					fi int
				}
				jobs := make(chan job)
				var wg sync.WaitGroup
				for w := 0; w < runtime.GOMAXPROCS(0); w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						o := newAdvOracle(t, lib, pack)
						defer o.close()
						dir := t.TempDir()
						for j := range jobs {
							advRunField(t, o, lib, dir, pack, j.f, advSelect(j.fi, strs), &n)
						}
					}()
				}
				for i, f := range fields {
					if f.Packs == nil || slices.Contains(f.Packs, pack) {
						jobs <- job{f, i}
					}
				}
				close(jobs)
				wg.Wait()
			})
		}()
	}
}

// advRunField renders the benign form of a field, then every hostile string in it. Failures
// are reported per field: the first few strings in full, then how many more.
func advRunField(t *testing.T, o *advOracle, lib *engine.Library, dir, pack string, f advField, strs []advString, n *advCounters) {
	var fails []string
	defer func() {
		if len(fails) == 0 {
			return
		}
		shown := fails
		if len(shown) > 3 {
			shown = shown[:3]
		}
		msg := fmt.Sprintf("%s: %d of %d hostile strings fail:\n\t%s", f.Name, len(fails), len(strs), strings.Join(shown, "\n\t"))
		if len(fails) > 3 {
			msg += fmt.Sprintf("\n\t… and %d more", len(fails)-3)
		}
		t.Error(msg)
	}()
	errorf := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	forms := f.Forms
	if len(forms) == 0 {
		forms = []string{advMarker, "/" + advMarker, advMarker + ".example.com"}
	}
	var form string
	var benign advOutcome
	var benignLeaves *advView
	for _, fm := range forms {
		c := advBaseCase()
		f.Set(c, fm)
		benign = advRender(lib, dir, pack, c)
		if benign.Err == nil {
			form = fm
			break
		}
	}
	if form == "" {
		// No benign form renders: the field is constrained (an enum, a number, a name). Every
		// hostile string must then be refused as input, or render to valid files. A benign
		// form that fails otherwise (a broken file, an internal error) is a failure itself:
		// it would leave the field with the weaker check.
		if !inputError(benign.Err) {
			errorf("the benign form %q does not render: %v", forms[len(forms)-1], benign.Err)
		}
		form = forms[0]
	} else {
		v, err := o.view(benign)
		if err != nil {
			t.Errorf("%s: benign form %q: %v", f.Name, form, err)
			return
		}
		if !strings.Contains(strings.ToLower(v.text), advMarker) {
			// The field does not reach this pack's files.
			n.skipped.Add(int64(len(strs)))
			return
		}
		benignLeaves = v
	}
	isValues := !strings.HasPrefix(f.Name, "pipeline ")
	for _, s := range strs {
		if isValues && s.S == "" {
			continue // "" means "not set" for every optional value (values.yaml says so)
		}
		n.cases.Add(1)
		c := advBaseCase()
		value := strings.ReplaceAll(strings.ReplaceAll(form, advMarker, s.S), strings.ToUpper(advMarker), s.S)
		if form == advNameMarker {
			value = s.S
		}
		if !utf8.ValidString(s.S) && !f.Raw && f.Path != nil && !strings.HasPrefix(f.Name, "pipeline ") {
			c.Sets = append(c.Sets, engine.SetExpr{Kind: values.SetString, Expr: advSetPath(f.Path) + "=" + value})
		} else {
			f.Set(c, value)
		}
		got := advRender(lib, dir, pack, c)
		if got.Err != nil {
			if strings.HasPrefix(got.Err.Error(), "test setup:") {
				n.skipped.Add(1)
				continue
			}
			n.refused.Add(1)
			needles := slices.Clone(f.Needles)
			switch {
			case !isValues:
				needles = append(needles, "pipeline.yaml:") // a position in the file names the place too
			case !utf8.ValidString(s.S):
				needles = append(needles, "values.yaml") // a file that is not text names no key
			}
			for _, nd := range f.Needles {
				if i := strings.LastIndex(nd, "."); isValues && strings.Count(nd, ".") >= 2 {
					needles = append(needles, nd[:i]+".") // a sibling key of the same setting
				}
			}
			if msg := advCheckRefusal(got.Err, needles); msg != "" {
				errorf("%s (%q): %s", s.Name, advShort(s.S), msg)
			}
			continue
		}
		n.rendered.Add(1)
		v, err := o.view(got)
		if err != nil {
			errorf("%s (%q): %v", s.Name, advShort(s.S), err)
			continue
		}
		if benignLeaves == nil {
			continue // constrained field: the files are valid (o.view checked them)
		}
		// A job or task shows its step's name apart only when it differs from its ID.
		optional := func(l advLeaf) bool {
			return f.Name == "pipeline steps.custom.name" && pipeline.ID(s.S) == s.S && l.Val == advNameMarker
		}
		if msg := o.compare(benignLeaves, v, advSubsFor(f, s.S), optional); msg != "" {
			errorf("%s (%q): %s", s.Name, advShort(s.S), msg)
		}
	}
}

// advSubsFor lists how the marker of a field's benign form may show in the hostile render:
// as the hostile string, and where wurzel derives names from it (a step's ID, env prefix and
// Python variable, a secret's CI variable, a DAG's module name) as those.
func advSubsFor(f advField, s string) []advSubst {
	upper := strings.ToUpper(advMarker)
	pairs := func(lower, up string) advSubst { return strings.NewReplacer(advMarker, lower, upper, up) }
	switch f.Name {
	case "pipeline steps.custom.name":
		id := pipeline.ID(s)
		prefix := pipeline.EnvPrefixFor(s, "", 1, "")
		return []advSubst{
			strings.NewReplacer(advNameMarker, s, advMarker, id, upper, prefix),
			strings.NewReplacer(advNameMarker, s, advMarker, strings.ReplaceAll(id, "-", "_"), upper, prefix),
		}
	case "pipeline steps.custom.settings secretRef.name":
		return []advSubst{strings.NewReplacer(upper+"_TOKEN", escape.EnvName(s+"_token"), advMarker, s)}
	case "pipeline steps.custom.settings secretRef.key":
		return []advSubst{strings.NewReplacer("TOK_"+upper, escape.EnvName("tok_"+s), advMarker, s)}
	case "pipeline metadata.name":
		return []advSubst{pairs(s, s), pairs(strings.ReplaceAll(s, "-", "_"), s)}
	}
	return []advSubst{pairs(s, s)}
}

// advSetPath writes a values path for --set, escaping dots in keys.
func advSetPath(p values.Path) string {
	parts := make([]string, len(p))
	for i, k := range p {
		parts[i] = strings.ReplaceAll(k, ".", `\.`)
	}
	return strings.Join(parts, ".")
}

// advCheckRefusal checks that a refusal is invalid input that names the place.
func advCheckRefusal(err error, needles []string) string {
	if !inputError(err) {
		return fmt.Sprintf("refused, but not as invalid input (exit 2): %T: %v", err, err)
	}
	msg := err.Error()
	for _, nd := range needles {
		if strings.Contains(msg, nd) {
			return ""
		}
	}
	return fmt.Sprintf("refused without naming the place (%s): %v", strings.Join(needles, " or "), err)
}

// advShort shortens a string for messages.
func advShort(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
