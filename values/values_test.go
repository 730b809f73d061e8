package values

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	tests := []struct {
		name   string
		layers []Values
		want   Values
	}{
		{"map merges", []Values{{"a": map[string]any{"x": int64(1), "y": int64(2)}}, {"a": map[string]any{"y": int64(3), "z": int64(4)}}},
			Values{"a": map[string]any{"x": int64(1), "y": int64(3), "z": int64(4)}}},
		{"list replaces", []Values{{"l": []any{"a", "b"}}, {"l": []any{"c"}}}, Values{"l": []any{"c"}}},
		{"null deletes", []Values{{"a": map[string]any{"x": int64(1), "y": int64(2)}}, {"a": map[string]any{"x": nil}}}, Values{"a": map[string]any{"y": int64(2)}}},
		{"null deletes a whole map", []Values{{"a": map[string]any{"x": int64(1)}, "b": "keep"}, {"a": nil}}, Values{"b": "keep"}},
		{"null for a missing key", []Values{{"b": "keep"}, {"a": nil}}, Values{"b": "keep"}},
		{"scalar over map", []Values{{"a": map[string]any{"x": int64(1)}}, {"a": "flat"}}, Values{"a": "flat"}},
		{"map over scalar", []Values{{"a": "flat"}, {"a": map[string]any{"x": int64(1)}}}, Values{"a": map[string]any{"x": int64(1)}}},
		{"null inside a new map is dropped", []Values{{}, {"a": map[string]any{"x": nil, "y": true}}}, Values{"a": map[string]any{"y": true}}},
		{"later layer wins", []Values{{"a": "1"}, {"a": "2"}, {"a": "3"}}, Values{"a": "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Merge(tt.layers...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestMergeDoesNotMutateInputs(t *testing.T) {
	base := Values{"a": map[string]any{"x": int64(1), "l": []any{"p"}}}
	over := Values{"a": map[string]any{"x": nil, "y": int64(2)}}
	baseCopy, overCopy := Copy(base), Copy(over)
	out := Merge(base, over)
	out["a"].(map[string]any)["z"] = "changed"
	if !reflect.DeepEqual(base, baseCopy) || !reflect.DeepEqual(over, overCopy) {
		t.Errorf("inputs changed: base %#v, over %#v", base, over)
	}
	out2 := Merge(base)
	out2["a"].(map[string]any)["l"].([]any)[0] = "q"
	if base["a"].(map[string]any)["l"].([]any)[0] != "p" {
		t.Error("list shared between input and output")
	}
}

func layer(t *testing.T, name, yaml string, kind Kind) *Layer {
	t.Helper()
	l, err := Parse([]byte(yaml), name, kind)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestStackMergeReportsTypeChanges(t *testing.T) {
	var s Stack
	s.Add(layer(t, "argo/values.yaml", "argo:\n  retry:\n    limit: 4\n  env: {}\n  schedules: null\n", PackDefault))
	s.Add(layer(t, "prod.yaml", "argo:\n  retry: 3\n  env: [a]\n  schedules: ['0 4 * * *']\n", File))
	_, err := s.Merge()
	want := `prod.yaml:2:3: argo.retry is an integer here but a mapping in argo/values.yaml:2; a layer cannot change a value's type (set it to null first to replace it)
prod.yaml:3:3: argo.env is a list here but a mapping in argo/values.yaml:4; a layer cannot change a value's type (set it to null first to replace it)`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	if !IsInvalid(err) {
		t.Error("IsInvalid = false")
	}
}

func TestStackMergeNullThenReplace(t *testing.T) {
	var s Stack
	s.Add(layer(t, "d.yaml", "a: {x: 1}\n", PackDefault), layer(t, "p.yaml", "a: null\n", File))
	set, err := ParseSet(SetTyped, "a=flat")
	if err != nil {
		t.Fatal(err)
	}
	s.Add(set)
	got, err := s.Merge()
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != "flat" {
		t.Errorf("got %#v", got)
	}
}

func TestExplain(t *testing.T) {
	var s Stack
	s.Add(layer(t, "argo/values.yaml", "argo:\n  namespace: argo-workflows\n  container: {image: ''}\n", PackDefault))
	s.Add(FromMap(BackendConfig, "pipeline.yaml", map[string]any{"argo": map[string]any{"namespace": "team"}}, map[string]int{"argo": 20, "argo.namespace": 21}))
	s.Add(layer(t, "values.yaml", "argo:\n  namespace: staging\n", File))
	set, _ := ParseSet(SetString, "argo.namespace=prod")
	s.Add(set)
	got := s.Explain(Path{"argo", "namespace"})
	var where []string
	for _, c := range got {
		where = append(where, c.Pos.String()+"="+c.Value.(string))
	}
	want := []string{"argo/values.yaml:2=argo-workflows", "pipeline.yaml:21=team", "values.yaml:2=staging", "--set-string argo.namespace=prod=prod"}
	if !reflect.DeepEqual(where, want) {
		t.Errorf("got %q\nwant %q", where, want)
	}
	s.Add(layer(t, "null.yaml", "argo: null\n", File))
	last := s.Explain(Path{"argo", "namespace"})
	if c := last[len(last)-1]; !c.Deleted || c.Pos.String() != "null.yaml:1" {
		t.Errorf("delete not explained: %+v", c)
	}
}

func TestParseSet(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "patch.json")
	os.WriteFile(file, []byte("{\"a\": 1}\n"), 0o644)
	tests := []struct {
		kind SetKind
		expr string
		want Values
	}{
		{SetTyped, "argo.namespace=prod", Values{"argo": map[string]any{"namespace": "prod"}}},
		{SetTyped, "a.n=10", Values{"a": map[string]any{"n": int64(10)}}},
		{SetTyped, "a.n=010", Values{"a": map[string]any{"n": "010"}}},
		{SetTyped, "a.n=1.5", Values{"a": map[string]any{"n": "1.5"}}},
		{SetTyped, "a.b=true", Values{"a": map[string]any{"b": true}}},
		{SetTyped, "a.b=null", Values{"a": map[string]any{"b": nil}}},
		{SetTyped, "a.l={x,2,true}", Values{"a": map[string]any{"l": []any{"x", int64(2), true}}}},
		{SetTyped, "a.l={}", Values{"a": map[string]any{"l": []any{}}}},
		{SetTyped, "a.e={{workflow.name}}", Values{"a": map[string]any{"e": "{{workflow.name}}"}}},
		{SetTyped, "a.s=x,y=z", Values{"a": map[string]any{"s": "x,y=z"}}},
		{SetTyped, `a.kubernetes\.io/arch=arm64`, Values{"a": map[string]any{"kubernetes.io/arch": "arm64"}}},
		{SetString, "a.n=10", Values{"a": map[string]any{"n": "10"}}},
		{SetString, "a.n=", Values{"a": map[string]any{"n": ""}}},
		{SetFile, "a.patch=" + file, Values{"a": map[string]any{"patch": "{\"a\": 1}\n"}}},
		{SetJSON, `a={"b":[1,2.5,"x"],"c":null}`, Values{"a": map[string]any{"b": []any{int64(1), 2.5, "x"}, "c": nil}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.expr, func(t *testing.T) {
			l, err := ParseSet(tt.kind, tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(l.Values, tt.want) {
				t.Errorf("got %#v, want %#v", l.Values, tt.want)
			}
		})
	}
}

func TestParseSetErrors(t *testing.T) {
	tests := []struct {
		kind       SetKind
		expr, want string
	}{
		{SetTyped, "novalue", `--set: "novalue": want PATH=VALUE, for example argo.namespace=prod`},
		{SetTyped, "a..b=1", `--set: "a..b=1": empty key segment (two dots, or a dot at an end)`},
		{SetTyped, "=1", `--set: "=1": empty key`},
		{SetTyped, "a[0]=1", `--set: "a[0]=1": list indexes are not supported: lists are replaced whole; use key={a,b} or --set-json 'key=[...]'`},
		{SetJSON, `a={"x":1,"x":2}`, `--set-json: "a=…": invalid JSON: duplicate key "x"`},
		{SetJSON, `a=[1,`, `--set-json: "a=…": invalid JSON: unexpected EOF`},
		{SetJSON, "a=" + strings.Repeat("[", 66) + strings.Repeat("]", 66), `--set-json: "a=…": invalid JSON: nesting deeper than 64 levels`},
		{SetFile, "a=/nonexistent/file", `--set-file: "a=/nonexistent/file": open /nonexistent/file: no such file or directory`},
		{SetString, "a=\xff\xfe", `--set-string: "a=\xff\xfe": the value is not valid UTF-8 text`},
		{SetTyped, "a.\xc3=1", `--set: "a.\xc3=1": the key is not valid UTF-8 text`},
		{SetTyped, "a={x,\xff}", `--set: "a={x,\xff}": the value is not valid UTF-8 text`},
		{SetJSON, "a=[\"\xff\"]", `--set-json: "a=…": the value is not valid UTF-8 text`},
	}
	for _, tt := range tests {
		_, err := ParseSet(tt.kind, tt.expr)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseSet(%s, %q):\n got %v\nwant %s", tt.kind, tt.expr, err, tt.want)
		}
	}
}

func TestSchemaCheck(t *testing.T) {
	defaults := layer(t, "defaults", `global: {image: "", env: {}}
argo:
  namespace: argo-workflows
  annotations: {}
  podSpecPatch: null
  container:
    env: {}
    resources: {cpu_request: 100m}
  envFrom: []
`, PackDefault)
	sc := &Schema{Defaults: defaults.Values, Open: []string{"*.env", "argo.annotations", "argo.container.env"}}
	user := layer(t, "prod.yaml", `argo:
  namespce: prod
  annotations: {"sidecar.istio.io/inject": "false"}
  podSpecPatch: {anything: goes}
  container:
    env: {FOO: bar}
    resources: {cpu_reqest: 1}
  envFrom: [{kind: secret, name: x}]
global: {env: {A: b}}
argoo: {}
`, File)
	err := sc.Check(user)
	want := `prod.yaml:2:3: unknown key "namespce" in argo (did you mean "namespace"?)
prod.yaml:7:17: unknown key "cpu_reqest" in argo.container.resources (did you mean "cpu_request"?)
prod.yaml:10:1: unknown key "argoo" at the top level (did you mean "argo"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

func TestNormalizePython(t *testing.T) {
	in := `dvc:
  pipelinedemo:
    dataDir: ./data
    encapsulateEnv: false
workflows:
  pipelinedemo:
    name: wurzel-pipeline
    namespace: argo-workflows-gude
    schedule: "0 4 * * 1"
    container:
      image: ghcr.io/telekom/wurzel-test
`
	l := layer(t, "values.yaml", in, File)
	changed, err := l.NormalizePython("other-name", false)
	if err != nil || !changed {
		t.Fatalf("changed %v, err %v", changed, err)
	}
	want := Values{
		"dvc": map[string]any{"dataDir": "./data", "encapsulateEnv": false},
		"argo": map[string]any{"name": "wurzel-pipeline", "namespace": "argo-workflows-gude",
			"schedules": []any{"0 4 * * 1"}, "container": map[string]any{"image": "ghcr.io/telekom/wurzel-test"}},
	}
	if !reflect.DeepEqual(l.Values, want) {
		t.Errorf("got %#v\nwant %#v", l.Values, want)
	}
	for p, line := range map[string]int{"argo.namespace": 8, "argo.schedules": 9, "argo.container.image": 11, "dvc.dataDir": 3} {
		if got := l.Pos(splitDots(p)).Line; got != line {
			t.Errorf("%s: line %d, want %d", p, got, line)
		}
	}
}

func splitDots(s string) Path {
	p, _ := splitKey(s)
	return p
}

func TestNormalizePythonSelection(t *testing.T) {
	two := "workflows:\n  a: {name: x}\n  b: {name: y}\n"
	l := layer(t, "v.yaml", two, File)
	if _, err := l.NormalizePython("c", true); err == nil || err.Error() != `v.yaml:1:1: --pipeline-name "c" is not in workflows: (it has a, b)` {
		t.Errorf("explicit miss: %v", err)
	}
	l = layer(t, "v.yaml", two, File)
	if _, err := l.NormalizePython("c", false); err == nil || err.Error() != `v.yaml:1:1: workflows: has entries a, b and none is named "c" (the pipeline's metadata.name); choose one with --pipeline-name` {
		t.Errorf("ambiguous: %v", err)
	}
	l = layer(t, "v.yaml", two, File)
	if _, err := l.NormalizePython("b", true); err != nil || l.Values["argo"].(map[string]any)["name"] != "y" {
		t.Errorf("pick b: %v %#v", err, l.Values)
	}
	native := layer(t, "v.yaml", "dvc: {dataDir: ./x}\n", File)
	if changed, err := native.NormalizePython("p", false); changed || err != nil {
		t.Errorf("native dvc layout taken for Python: %v %v", changed, err)
	}
}

func TestParseSetNeverPrintsASecret(t *testing.T) {
	l, err := ParseSet(SetString, "argo.container.env.API_PASSWORD=hunter2-correct-horse")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(l.Name, "hunter2") {
		t.Errorf("layer name shows the secret: %s", l.Name)
	}
	_, err = ParseSet(SetJSON, `db.password={"broken`)
	if err == nil || strings.Contains(err.Error(), "broken") {
		t.Errorf("error shows the value: %v", err)
	}
}
