package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/steps"
)

func names(ss []*Step) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestDiamondWithTwoStepsOfOneClass(t *testing.T) {
	in := header + `spec:
  backend: [dvc, argo]
  steps:
    - name: join
      command: [python3, join.py]
      dependsOn: [chunks-small, chunks-large]
    - name: chunks-large
      class: TstSplitStep
      dependsOn: [source]
      settings: {TOKEN_COUNT_MAX: 1024}
    - name: chunks-small
      class: wurzel.steps.splitter.TstSplitStep
      dependsOn: source
      settings:
        TOKEN_COUNT_MAX: 256
        DROP_BY_FIELDS: [md, url]
    - name: source
      class: wurzel.steps.manual_markdown:TstSourceStep
      settings: {FOLDER_PATH: ./docs}
`
	p, err := Parse([]byte(in), "pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(p.Spec.Steps), []string{"source", "chunks-large", "chunks-small", "join"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order: got %v, want %v", got, want)
	}
	if got, want := names(p.Sinks()), []string{"join"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sinks: got %v, want %v", got, want)
	}
	prefixes := map[string]string{}
	for _, s := range p.Spec.Steps {
		prefixes[s.Name] = s.EnvPrefix
	}
	want := map[string]string{
		"source":       "TSTSOURCESTEP", // its class occurs once: the Python Wurzel name
		"chunks-large": "CHUNKS_LARGE",  // two steps of one class: the step name
		"chunks-small": "CHUNKS_SMALL",
		"join":         "JOIN", // custom steps always use the step name
	}
	if !reflect.DeepEqual(prefixes, want) {
		t.Errorf("env prefixes: got %v, want %v", prefixes, want)
	}
	small, _ := p.Step("chunks-small")
	if got, want := small.Settings, map[string]string{"TOKEN_COUNT_MAX": "256", "DROP_BY_FIELDS": `["md","url"]`}; !reflect.DeepEqual(got, want) {
		t.Errorf("settings: got %v, want %v", got, want)
	}
	if got, want := small.OutputDir("data"), "data/chunks-small"; got != want {
		t.Errorf("output dir: got %q, want %q", got, want)
	}
	if small.Type.Name != "TstSplitStep" || small.ID != "chunks-small" {
		t.Errorf("type %s, id %s", small.Type.Name, small.ID)
	}
	if got, want := p.Spec.Backends, []string{"dvc", "argo"}; !reflect.DeepEqual(got, want) {
		t.Errorf("backends: got %v, want %v", got, want)
	}
	depth := p.Depth()
	if depth["source"] != 0 || depth["chunks-small"] != 1 || depth["join"] != 2 {
		t.Errorf("depth: %v", depth)
	}
}

func TestEveryFieldOfAStep(t *testing.T) {
	in := header + `  labels: {team: search}
spec:
  backend: argo
  schedule: "0 4 * * 1"
  timezone: Europe/Berlin
  backendConfig:
    argo: {namespace: search}
  steps:
    - name: Source_1
      class: TstSourceStep
      envPrefix: MY_SOURCE
      retries: 3
      timeout: 10m
      image: ghcr.io/acme/custom:1.0
      settings: {FOLDER_PATH: "./docs"}
    - name: embed
      class: TstEmbedStep
      dependsOn: [Source_1]
      settings:
        API: http://tei:8080/embed
        API_KEY: {secretRef: {name: openai, key: api-key}}
`
	p, err := Parse([]byte(in), "pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := p.Spec.Steps[0]
	if src.ID != "source-1" || src.EnvPrefix != "MY_SOURCE" || src.Retries != 3 || src.Timeout != 10*time.Minute || src.Image != "ghcr.io/acme/custom:1.0" {
		t.Errorf("source: %+v", src)
	}
	embed := p.Spec.Steps[1]
	if got, want := embed.Secrets, map[string]SecretRef{"API_KEY": {Name: "openai", Key: "api-key"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("secrets: got %v, want %v", got, want)
	}
	if got, want := embed.SettingNames(), []string{"API", "API_KEY"}; !reflect.DeepEqual(got, want) {
		t.Errorf("setting names: got %v, want %v", got, want)
	}
	if p.Spec.Schedule != "0 4 * * 1" || p.Spec.Timezone != "Europe/Berlin" || p.Metadata.Labels["team"] != "search" {
		t.Errorf("spec: %+v metadata: %+v", p.Spec, p.Metadata)
	}
	if got := p.Spec.BackendConfigLines["argo.namespace"]; got != 11 {
		t.Errorf("backendConfig line: got %d, want 11", got)
	}
}

func TestPythonManifest(t *testing.T) {
	// The shape of Python Wurzel's examples/pipeline/pipeline.yaml.
	in := `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: pipelinedemo
spec:
  backend: dvc
  schedule: null
  middlewares:
    - name: prometheus
      settings: {GATEWAY: "host:9091"}
  steps:
    - name: source
      class: wurzel.steps.manual_markdown.TstSourceStep
      settings:
        FOLDER_PATH: "${secret:vault:demo_folder_path}"
    - name: splitter
      class: wurzel.steps.splitter.TstSplitStep
      dependsOn: [source]
      settings:
        BATCH_SIZE: "100"
  backendConfig:
    dvc: {dataDir: ./data, encapsulateEnv: true}
`
	p, err := Parse([]byte(in), "pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 2 {
		t.Fatalf("warnings: %q", p.Warnings)
	}
	if want := "pipeline.yaml:8: spec.middlewares: wurzel does not run Python Wurzel middlewares; they are ignored"; p.Warnings[0] != want {
		t.Errorf("got %q\nwant %q", p.Warnings[0], want)
	}
	if got := p.Spec.Steps[0].Settings["FOLDER_PATH"]; got != "${secret:vault:demo_folder_path}" {
		t.Errorf("placeholder kept as text: got %q", got)
	}
}

func TestInvalid(t *testing.T) {
	classes := strings.Join(steps.Names(), ", ")
	tests := []struct {
		name, in, want string
	}{
		{"missing header", "spec:\n  steps: []\n", `p.yaml:1:1: apiVersion is missing; add 'apiVersion: wurzel.dev/v1alpha1'
p.yaml:1:1: kind is missing; add 'kind: Pipeline'
p.yaml:1:1: metadata is missing; add 'metadata: {name: my-pipeline}'
p.yaml:2:10: spec.steps is empty; a pipeline needs at least one step`},
		{"bad name", "apiVersion: wurzel.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: My_Pipeline}\nspec: {steps: [{name: a, command: [x]}]}\n",
			`p.yaml:3:18: metadata.name "My_Pipeline" must be a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit): try "my-pipeline"`},
		{"unknown keys", header + "spec:\n  stpes: []\n  steps:\n    - name: a\n      command: [x]\n      dependson: [b]\n",
			`p.yaml:6:3: unknown key "stpes" in spec (did you mean "steps"?)
p.yaml:10:7: step "a": unknown key "dependson" in spec.steps[0] (did you mean "dependsOn"?)`},
		{"duplicates and unknown deps", header + `spec:
  steps:
    - {name: a, command: [x]}
    - {name: a, command: [y]}
    - {name: b, command: [z], dependsOn: [a, c, b]}
    - {name: B, command: [z]}
`, `p.yaml:8:7: step "a": duplicate step name (first declared at line 7)
p.yaml:9:42: step "b": dependsOn[1]: unknown step "c"
p.yaml:9:42: step "b": depends on itself
p.yaml:10:7: step "B": step names "b" and "B" both become the ID "b" on orchestrators; rename one`},
		{"cycle", header + `spec:
  steps:
    - {name: a, command: [x], dependsOn: [c]}
    - {name: b, command: [x], dependsOn: [a]}
    - {name: c, command: [x], dependsOn: [b]}
    - {name: d, command: [x]}
`, `p.yaml:7:42: dependency cycle: a → b → c → a`},
		{"class problems", header + `spec:
  steps:
    - {name: a, class: TstSourceStpe}
    - {name: b, class: TstSplitStep}
    - {name: c, class: TstSourceStep, dependsOn: [b], command: [x]}
`, `p.yaml:7:24: step "a": unknown step class "TstSourceStpe" (did you mean "TstSourceStep"?); built-in classes are ` + classes + `; run your own code with command: [...]
p.yaml:8:7: step "b": TstSplitStep needs input: add dependsOn with the step(s) whose documents it reads
p.yaml:9:64: step "c": set either class (a built-in step) or command (your own program), not both`},
		{"settings problems", header + `spec:
  steps:
    - name: src
      class: TstSourceStep
      settings: {FOLDER_PTH: x}
    - name: emb
      class: TstEmbedStep
      dependsOn: [src]
      settings:
        API_KEY: sk-live-123
        API: ~
    - name: own
      command: [x]
      settings: {"bad-name": 1}
`, `p.yaml:9:18: step "src": TstSourceStep has no setting "FOLDER_PTH" (did you mean "FOLDER_PATH"?); its settings are FOLDER_PATH
p.yaml:14:18: step "emb": setting API_KEY is a secret: reference it with {secretRef: {name: SECRET, key: KEY}} or set TSTEMBEDSTEP__API_KEY at run time; literal secrets are never written into rendered files
p.yaml:15:14: step "emb": setting API is null; remove it to use the step's default
p.yaml:18:18: step "own": setting "bad-name" must be a valid environment variable name (letters, digits and '_')`},
		{"schedule problems", header + "spec:\n  schedule: \"0 0 30 2 *\"\n  timezone: Mars/Olympus\n  steps: [{name: a, command: [x]}]\n",
			`p.yaml:6:13: spec.schedule: "0 0 30 2 *" never fires
p.yaml:7:13: spec.timezone "Mars/Olympus" is not an IANA time zone such as "Europe/Berlin" or "UTC"`},
		{"bad cron", header + "spec:\n  schedule: \"61 * * * *\"\n  steps: [{name: a, command: [x]}]\n",
			`p.yaml:6:13: spec.schedule: "61 * * * *" is not a cron expression (five fields: minute hour day-of-month month day-of-week, or @hourly/@daily/@weekly/@monthly/@yearly): end of range (61) above maximum (59): 61`},
		{"contract mismatch", header + `spec:
  steps:
    - {name: src, class: TstSourceStep}
    - {name: emb, class: TstEmbedStep, dependsOn: [src]}
    - {name: split, class: TstSplitStep, dependsOn: [emb]}
`, `p.yaml:9:53: step "split": TstSplitStep reads documents but step "emb" (TstEmbedStep) writes embeddings`},
		{"step fields", header + `spec:
  steps:
    - {name: "../x", command: [], retries: -1, timeout: soon, envPrefix: lower, image: "a b"}
`, `p.yaml:7:14: step "../x": name "../x" may hold only letters, digits, '-', '_' and '.', starting with a letter or digit (it names a folder and orchestrator jobs)
p.yaml:7:31: step "../x": command must name a program: command: [python3, my_step.py]
p.yaml:7:44: step "../x": retries must be a whole number from 0 to 100, not "-1"
p.yaml:7:57: step "../x": timeout "soon" must be a positive duration such as "30s", "10m" or "2h"
p.yaml:7:74: step "../x": envPrefix "lower" must be upper-case letters, digits and '_', not starting with a digit
p.yaml:7:88: step "../x": image "a b" is not a container image reference`},
		{"prefix collision", header + `spec:
  steps:
    - {name: a, command: [x], envPrefix: SAME}
    - {name: b, command: [x], envPrefix: SAME}
`, `p.yaml:8:7: step "b": env prefix SAME is also used by step "a"; set envPrefix on one of them`},
		{"bad secret ref", header + `spec:
  steps:
    - {name: a, command: [x], settings: {T: {secretRef: {name: Bad_Name, key: "k/y"}}}}
`, `p.yaml:7:45: step "a": setting T: secret name "Bad_Name" must be a Kubernetes Secret name (lowercase letters, digits, '-' and '.')
p.yaml:7:45: step "a": setting T: secret key "k/y" may hold only letters, digits, '-', '_' and '.'`},
		{"yaml error", header + "spec:\n  steps: [\n", "p.yaml:6: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), "p.yaml")
			if err == nil {
				t.Fatalf("no error; want\n%s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			if !IsInvalid(err) {
				t.Errorf("IsInvalid(%T) = false", err)
			}
		})
	}
}

func TestLoadFileFindsCommandDeps(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "enrich.py"), []byte("print(1)\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib", "x.sh"), []byte("true\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(header+`spec:
  steps:
    - {name: a, command: [python3, enrich.py, --config, lib/x.sh, /etc/passwd, ../outside, missing.py]}
`), 0o644)
	p, err := LoadFile(filepath.Join(dir, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Spec.Steps[0].Deps, []string{"enrich.py", "lib/x.sh"}; !reflect.DeepEqual(got, want) {
		t.Errorf("deps: got %v, want %v", got, want)
	}
}

func TestNamingRule(t *testing.T) {
	tests := []struct {
		step, class string
		count       int
		explicit    string
		want        string
	}{
		{"source", "ManualMarkdownStep", 1, "", "MANUALMARKDOWNSTEP"},
		{"chunks-small", "SimpleSplitterStep", 2, "", "CHUNKS_SMALL"},
		{"chunks.v2", "SimpleSplitterStep", 2, "", "CHUNKS_V2"},
		{"2nd", "", 0, "", "_2ND"},
		{"a--b", "", 0, "", "A_B"},
		{"x.-_y-", "", 0, "", "X_Y"},
		{"x", "SimpleSplitterStep", 1, "MINE", "MINE"},
	}
	for _, tt := range tests {
		if got := EnvPrefixFor(tt.step, tt.class, tt.count, tt.explicit); got != tt.want {
			t.Errorf("EnvPrefixFor(%q, %q, %d, %q) = %q, want %q", tt.step, tt.class, tt.count, tt.explicit, got, tt.want)
		}
	}
	for in, want := range map[string]string{"Source_1": "source-1", "chunks--small": "chunks-small", "a.b.": "a-b", "x": "x"} {
		if got := ID(in); got != want {
			t.Errorf("ID(%q) = %q, want %q", in, got, want)
		}
	}
}
