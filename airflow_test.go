package wurzel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
)

// airflowHostile are strings that would break a Python literal, a shell word, Jinja's view of
// the text or a naive line-based template if any of them reached the DAG file unencoded. None
// holds a Jinja opener: those are refused (TestAirflowRefusesJinja).
var airflowHostile = []string{
	`it's "quoted" """ ''' \ \\ # not a comment`,
	"two\nlines\n",
	"crlf\r\nand\rcr",
	`"); import os; os.system("id") #`,
	"$(id) `id` ${HOME} ; rm -rf / && echo $'x'",
	"\u2028 \u2029 \u0085 \ufeff \x7f \x01 \t",
	`\N{BULLET} \x41 \u0041 \'`,
	"} }} %} #} { {'a': 1}",
	"ends in a template file.sh",
	"report.json",
	"--help",
	"=x",
	"ümlaut 🌱",
}

// airflowCase is one render of the hostile pipeline: hostile is "" for the benign render.
type airflowCase struct {
	operator, version string
}

// airflowPipeline returns a pipeline with s in every string a user can set: settings, a custom
// step's command, an annotation.
func airflowPipeline(s string) map[string]any {
	return map[string]any{
		"apiVersion": "wurzel.dev/v1alpha1",
		"kind":       "Pipeline",
		"metadata": map[string]any{
			"name":        "hostile",
			"labels":      map[string]any{"team": "search"},
			"annotations": map[string]any{"note": jinjaSafe(s)},
		},
		"spec": map[string]any{
			"schedule": "0 4 * * *",
			"timezone": "Europe/Berlin",
			"steps": []any{
				map[string]any{"name": "source", "class": "ManualMarkdownStep", "settings": map[string]any{"FOLDER_PATH": s}},
				map[string]any{
					"name": "custom", "command": []any{s, s, "--flag", s}, "dependsOn": []any{"source"},
					"retries": 2, "timeout": "5m",
					"settings": map[string]any{
						"NOTE":      s,
						"OTHER":     "x" + s,
						"API_TOKEN": map[string]any{"secretRef": map[string]any{"name": "tok", "key": "token"}},
					},
				},
			},
		},
	}
}

// airflowValues returns values with s in every settable string that takes any text.
func airflowValues(c airflowCase, s string) map[string]any {
	return map[string]any{
		"global": map[string]any{"env": map[string]any{"GLOBAL_VAR": s}},
		"airflow": map[string]any{
			"operator":       c.operator,
			"airflowVersion": c.version,
			"description":    s,
			"owner":          s,
			"tags":           []any{s},
			"dataDir":        "/data/" + s,
			"env":            map[string]any{"A": s, "B": "b" + s},
			"kubernetes": map[string]any{
				"annotations":        map[string]any{"x": jinjaSafe(s)},
				"podSecurityContext": map[string]any{"seccompProfileType": "Localhost", "seccompLocalhostProfile": s},
				"mountSecrets": []any{map[string]any{
					"from": "tls", "to": "/etc/tls",
					"mappings": []any{map[string]any{"key": s, "value": strings.ReplaceAll(s, "/", "_")}},
				}},
			},
			"bash": map[string]any{
				"wurzel":           "/opt/" + s,
				"workingDirectory": "/srv/" + strings.TrimSuffix(jinjaSafe(s), ".sh"),
			},
		},
	}
}

// jinjaSafe is s without what airflow.jinjaText refuses (a carriage return, a final line break).
func jinjaSafe(s string) string {
	return strings.TrimRight(strings.ReplaceAll(s, "\r", ""), "\n")
}

// airflowRender renders the pipeline and values for the airflow pack only. It returns the DAG
// file, the template data (the steps' argv), or the render's error.
func airflowRender(t *testing.T, pl, vals map[string]any) ([]byte, engine.Data, error) {
	t.Helper()
	f, data, err := airflowRenderFile(t, pl, vals)
	return f.Body, data, err
}

func airflowRenderFile(t *testing.T, pl, vals map[string]any) (engine.File, engine.Data, error) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, v any) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plPath, valPath := write("pipeline.yaml", pl), write("values.yaml", vals)
	p, err := pipeline.LoadFile(plPath)
	if err != nil {
		return engine.File{}, engine.Data{}, err
	}
	lib := embeddedLibrary(t)
	job := &engine.Job{Pipeline: p, Library: lib, Backends: []string{"airflow"}, ValueFiles: []string{valPath},
		Version: goldenVersion, Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	res, err := job.Run(context.Background())
	if err != nil {
		return engine.File{}, engine.Data{}, err
	}
	if len(res.Files) != 1 {
		t.Fatalf("got %d files, want 1", len(res.Files))
	}
	pack, _ := lib.Pack("airflow")
	data := engine.NewData(pack, engine.Input{Pipeline: p, Values: res.Values, Version: goldenVersion, Image: job.Image})
	return res.Files[0], data, nil
}

// pyDAG is what airflowInspect reads from a DAG file.
type pyDAG struct {
	// Error is Python's syntax error, if the file does not parse.
	Error string   `json:"error"`
	Shape []string `json:"shape"`
	// Assign holds the module's top-level assignments (ENV, POD, WORKDIR, …) as values.
	Assign map[string]any `json:"assign"`
	DAG    map[string]any `json:"dag"`
	// Tasks are the operator calls by task_id.
	Tasks map[string]map[string]any `json:"tasks"`
	// Unknown lists keyword arguments the operators and DAG do not take.
	Unknown []string `json:"unknown"`
	// Jinja lists templated strings Jinja would not give back unchanged (nil: jinja2 missing).
	Jinja []string `json:"jinja"`
}

// airflowInspect parses a DAG file with Python's ast module: its shape (node types and
// identifiers, not constant values) and the values of its assignments and calls.
const airflowInspect = `
import ast, json, sys

KPO = {"kubernetes_conn_id", "namespace", "image", "name", "random_name_suffix", "cmds", "arguments",
    "ports", "volume_mounts", "volumes", "env_vars", "env_from", "secrets", "in_cluster", "cluster_context",
    "labels", "reattach_on_restart", "startup_timeout_seconds", "get_logs", "image_pull_policy", "annotations",
    "container_resources", "affinity", "config_file", "node_selector", "image_pull_secrets",
    "service_account_name", "security_context", "container_security_context", "on_finish_action"}
BASH = {"bash_command", "env", "append_env", "output_encoding", "skip_on_exit_code", "cwd"}
BASE = {"task_id", "retries", "retry_delay", "execution_timeout", "pool", "owner"}
DAG = {"dag_id", "description", "schedule", "start_date", "catchup", "max_active_runs", "dagrun_timeout",
    "default_args", "tags", "doc_md"}

def shape(tree):
    out = []
    for n in ast.walk(tree):
        s = type(n).__name__
        if isinstance(n, ast.Constant):
            s += ":" + type(n.value).__name__
        elif isinstance(n, ast.Name):
            s += ":" + n.id
        elif isinstance(n, ast.Attribute):
            s += ":" + n.attr
        elif isinstance(n, ast.keyword):
            s += ":" + str(n.arg)
        elif isinstance(n, ast.alias):
            s += ":" + n.name + ":" + str(n.asname)
        elif isinstance(n, ast.ImportFrom):
            s += ":" + str(n.module)
        out.append(s)
    return out

def value(n):
    if isinstance(n, ast.Constant):
        return n.value
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "literal" and len(n.args) == 1:
        return {"literal": value(n.args[0])}
    if isinstance(n, (ast.List, ast.Tuple)):
        return [value(e) for e in n.elts]
    if isinstance(n, ast.Dict):
        return {("**" if k is None else value(k)): value(v) for k, v in zip(n.keys, n.values)}
    if isinstance(n, ast.Name):
        return {"name": n.id}
    if isinstance(n, ast.Starred):
        return {"starred": value(n.value)}
    if isinstance(n, ast.Call):
        return {"call": ast.unparse(n.func), "args": [value(a) for a in n.args],
                "kwargs": {(k.arg or "**"): value(k.value) for k in n.keywords}}
    return {"expr": ast.unparse(n)}

def plain(v):
    return v["literal"] if isinstance(v, dict) and "literal" in v else v

def inspect(path):
    try:
        tree = ast.parse(open(path, encoding="utf-8").read())
    except SyntaxError as e:
        return {"error": f"line {e.lineno}: {e.msg}"}
    out = {"shape": shape(tree), "assign": {}, "dag": {}, "tasks": {}, "unknown": [], "jinja": []}
    templated = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out["assign"][node.targets[0].id] = value(node.value)
        if isinstance(node, ast.With):
            call = node.items[0].context_expr
            out["dag"] = value(call)["kwargs"]
            out["unknown"] += ["DAG." + k for k in out["dag"] if k not in DAG]
            for st in node.body:
                if isinstance(st, ast.Assign) and isinstance(st.value, ast.Call):
                    v = value(st.value)
                    kw = v["kwargs"]
                    allowed = BASE | (KPO if v["call"] == "KubernetesPodOperator" else BASH)
                    out["unknown"] += [v["call"] + "." + k for k in kw if k not in allowed and k != "**"]
                    out["tasks"][kw["task_id"]] = v
                    if "bash_command" in kw:
                        templated.append(kw["bash_command"])
                    if isinstance(kw.get("image"), str):
                        templated.append(kw["image"])
    pod = out["assign"].get("POD")
    if pod:
        out["unknown"] += ["POD." + k for k in pod["kwargs"] if k not in KPO]
        for field in ("annotations", "labels", "node_selector"):
            templated += [x for x in pod["kwargs"].get(field, {}).values() if isinstance(x, str)]
    if isinstance(out["assign"].get("WORKDIR"), str):
        templated.append(out["assign"]["WORKDIR"])
    out["jinja"] = None if jinja is None else [s for s in templated if jinja.from_string(s).render() != s]
    return out

try:
    import jinja2.sandbox
    jinja = jinja2.sandbox.SandboxedEnvironment(cache_size=0)  # Airflow's default environment
except ImportError:
    jinja = None
print(json.dumps([inspect(p) for p in sys.argv[1:]]))
`

func inspectDAG(t *testing.T, body []byte) pyDAG {
	t.Helper()
	d := inspectDAGs(t, [][]byte{body})[0]
	if d.Error != "" {
		t.Fatalf("the DAG file does not parse: %s\n%s", d.Error, body)
	}
	return d
}

// inspectDAGs runs airflowInspect once over several DAG files.
func inspectDAGs(t *testing.T, bodies [][]byte) []pyDAG {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for i, b := range bodies {
		f := filepath.Join(dir, fmt.Sprintf("dag%d.py", i))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command("python3", append([]string{"-c", airflowInspect}, files...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python3 cannot read a DAG file: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var d []pyDAG
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func requirePython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("WURZEL_REQUIRE_VALIDATORS") != "" {
			t.Fatal("python3 is required (WURZEL_REQUIRE_VALIDATORS is set)")
		}
		t.Skip("no python3")
	}
}

// unliteral strips literal() from a value read by airflowInspect, and reports whether it was there.
func unliteral(v any) (any, bool) {
	if m, ok := v.(map[string]any); ok {
		if x, ok := m["literal"]; ok && len(m) == 1 {
			return x, true
		}
	}
	return v, false
}

func strs(t *testing.T, what string, v any) []string {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is %#v, not a list", what, v)
	}
	out := make([]string, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			t.Fatalf("%s[%d] is %#v, not a string", what, i, x)
		}
		out[i] = s
	}
	return out
}

// bashArgv runs a bash_command with printf in front of it and returns the words bash sees.
func bashArgv(t *testing.T, cmd string) []string {
	t.Helper()
	out, err := exec.Command("bash", "-c", `printf '%s\0' `+cmd).Output()
	if err != nil {
		t.Fatalf("bash -c %q: %v", cmd, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

// TestAirflowHostileValues renders the airflow pack with a hostile string in every settable
// field, for both operators and both Airflow versions, and checks meaning, not just "no crash":
// the Python AST has the benign render's shape (only constant values differ); every argv the
// tasks run is the one wurzel built, word for word (the KubernetesPodOperator's arguments as
// literals; the BashOperator's command as bash splits it); environment values and DAG fields
// read back as given; and every templated string Airflow renders is one Jinja leaves unchanged.
func TestAirflowHostileValues(t *testing.T) {
	requirePython(t)
	hasBash := exec.Command("bash", "-c", "true").Run() == nil
	for _, c := range []airflowCase{{"kubernetes", "2"}, {"kubernetes", "3"}, {"bash", "2"}, {"bash", "3"}} {
		t.Run(c.operator+"-"+c.version, func(t *testing.T) {
			bodies := make([][]byte, len(airflowHostile)+1)
			datas := make([]engine.Data, len(airflowHostile)+1)
			var err error
			bodies[0], _, err = airflowRender(t, airflowPipeline("benign"), airflowValues(c, "benign"))
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range airflowHostile {
				bodies[i+1], datas[i+1], err = airflowRender(t, airflowPipeline(s), airflowValues(c, s))
				if err != nil {
					t.Fatalf("hostile[%d] %q: %v", i, s, err)
				}
			}
			dags := inspectDAGs(t, bodies)
			benign := dags[0]
			if len(benign.Unknown) > 0 {
				t.Errorf("keyword arguments the operators and DAG do not take: %v", benign.Unknown)
			}
			if benign.Jinja == nil {
				t.Log("jinja2 is not installed: templated strings are not rendered to compare")
			}
			if benign.Error != "" {
				t.Fatalf("the benign DAG file does not parse: %s\n%s", benign.Error, bodies[0])
			}
			for i, s := range airflowHostile {
				d := dags[i+1]
				if d.Error != "" {
					t.Errorf("hostile[%d] %q breaks the DAG file: %s\n%s", i, s, d.Error, bodies[i+1])
					continue
				}
				if !reflect.DeepEqual(d.Shape, benign.Shape) {
					t.Errorf("hostile[%d] %q changes the structure of the DAG file:\n%s", i, s, bodies[i+1])
					continue
				}
				if len(d.Jinja) > 0 {
					t.Errorf("hostile[%d] %q: Jinja would change these templated strings: %q", i, s, d.Jinja)
				}
				checkAirflowMeaning(t, fmt.Sprintf("hostile[%d]", i), c, s, d, datas[i+1], hasBash)
			}
		})
	}
}

func checkAirflowMeaning(t *testing.T, name string, c airflowCase, s string, d pyDAG, data engine.Data, hasBash bool) {
	t.Helper()
	if got := d.DAG["description"]; got != s {
		t.Errorf("%s: description reads back as %q", name, got)
	}
	if got := strs(t, "tags", d.DAG["tags"]); !reflect.DeepEqual(got, []string{s, "team=search"}) {
		t.Errorf("%s: tags read back as %q", name, got)
	}
	if got := d.DAG["default_args"].(map[string]any)["owner"]; got != s {
		t.Errorf("%s: owner reads back as %q", name, got)
	}
	env, ok := d.Assign["ENV"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no ENV dict", name)
	}
	wantEnv := map[string]string{"WURZEL_RUN_ID": "{{ run_id }}", "A": s, "B": "b" + s, "GLOBAL_VAR": s}
	for k, want := range wantEnv {
		v, lit := unliteral(env[k])
		if sv, ok := v.(string); ok && c.operator == "kubernetes" {
			v = advK8sExpand(sv) // Kubernetes expands $(NAME) in a pod's env values
		}
		if v != want {
			t.Errorf("%s: ENV[%s] reads back as %#v, want %q", name, k, env[k], want)
		}
		if lit != (k != "WURZEL_RUN_ID") {
			t.Errorf("%s: ENV[%s] is %#v: values are literal(), WURZEL_RUN_ID is the one template", name, k, env[k])
		}
	}
	for _, step := range data.Pipeline.Steps {
		task, ok := d.Tasks[step.ID]
		if !ok {
			t.Fatalf("%s: no task %s", name, step.ID)
		}
		kw := task["kwargs"].(map[string]any)
		switch c.operator {
		case "kubernetes":
			args, lit := unliteral(kw["arguments"])
			if !lit {
				t.Errorf("%s: task %s: arguments are not literal(): %#v", name, step.ID, kw["arguments"])
			}
			got := strs(t, "arguments", args)
			for i := range got {
				got[i] = advK8sExpand(got[i]) // and in its args
			}
			if !reflect.DeepEqual(got, step.Argv[1:]) {
				t.Errorf("%s: task %s runs\n%q\nwant\n%q", name, step.ID, got, step.Argv[1:])
			}
			if got := strs(t, "cmds", kw["cmds"]); !reflect.DeepEqual(got, step.Argv[:1]) {
				t.Errorf("%s: task %s: cmds %q", name, step.ID, got)
			}
		case "bash":
			cmd, ok := kw["bash_command"].(string)
			if !ok {
				t.Fatalf("%s: task %s: bash_command is %#v", name, step.ID, kw["bash_command"])
			}
			if strings.HasSuffix(cmd, ".sh") || strings.HasSuffix(cmd, ".bash") {
				t.Errorf("%s: task %s: bash_command ends like a script file Airflow would load: %q", name, step.ID, cmd)
			}
			if hasBash {
				want := append([]string{"/opt/" + s}, step.Argv[1:]...)
				if got := bashArgv(t, cmd); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: task %s: bash runs\n%q\nwant\n%q", name, step.ID, got, want)
				}
			}
		}
	}
}

// TestAirflowRefusesJinja: a Jinja opener in a value or a pipeline string is refused, naming
// the place, unless airflow.allowExpressions lists it.
func TestAirflowRefusesJinja(t *testing.T) {
	c := airflowCase{"kubernetes", "2"}
	for _, marker := range []string{"{{ ds }}", "{% if 1 %}", "{# x #}"} {
		vals := airflowValues(c, "benign")
		vals["airflow"].(map[string]any)["env"] = map[string]any{"A": marker}
		_, _, err := airflowRender(t, airflowPipeline("benign"), vals)
		want := fmt.Sprintf(`airflow: airflow.env.A holds %q, which Apache Airflow evaluates as an expression; remove it, or if you mean an expression add "env.A" to airflow.allowExpressions`, marker[:2])
		if err == nil || err.Error() != want {
			t.Errorf("env value %q: got %v\nwant %s", marker, err, want)
		}
		_, _, err = airflowRender(t, airflowPipeline(marker), airflowValues(c, "benign"))
		if err == nil || !strings.Contains(err.Error(), "which Apache Airflow evaluates as an expression") {
			t.Errorf("setting %q: got %v, want it refused", marker, err)
		}
	}
}

// TestAirflowAllowedExpression: a place listed in airflow.allowExpressions reaches Airflow as a
// template (not in literal()), and only that place.
func TestAirflowAllowedExpression(t *testing.T) {
	requirePython(t)
	c := airflowCase{"kubernetes", "2"}
	pl := airflowPipeline("benign")
	pl["spec"].(map[string]any)["steps"].([]any)[1].(map[string]any)["settings"].(map[string]any)["NOTE"] = "{{ ds }}"
	vals := airflowValues(c, "benign")
	a := vals["airflow"].(map[string]any)
	a["env"] = map[string]any{"A": "{{ ds }}", "B": "plain"}
	a["allowExpressions"] = []any{"env.A", "steps.custom.settings.NOTE"}
	body, _, err := airflowRender(t, pl, vals)
	if err != nil {
		t.Fatal(err)
	}
	d := inspectDAG(t, body)
	env := d.Assign["ENV"].(map[string]any)
	if env["A"] != "{{ ds }}" {
		t.Errorf("ENV[A] = %#v, want the template itself", env["A"])
	}
	if _, lit := unliteral(env["B"]); !lit {
		t.Errorf("ENV[B] = %#v, want literal()", env["B"])
	}
	args := d.Tasks["custom"]["kwargs"].(map[string]any)["arguments"].([]any)
	var templates, literals int
	for _, a := range args {
		if _, lit := unliteral(a); lit {
			literals++
		} else if a == "NOTE={{ ds }}" {
			templates++
		} else {
			t.Errorf("argument %#v is neither literal() nor the allowed template", a)
		}
	}
	if templates != 1 || literals != len(args)-1 {
		t.Errorf("arguments %#v: want the allowed template once and every other word in literal()", args)
	}
}

// TestAirflowRejects: values and pipelines the airflow pack cannot carry fail with a message
// that names the key and the fix.
func TestAirflowRejects(t *testing.T) {
	k8s, bash := airflowCase{"kubernetes", "2"}, airflowCase{"bash", "2"}
	tests := []struct {
		name string
		c    airflowCase
		edit func(pl, vals map[string]any)
		want string
	}{
		{"relative dataDir", k8s, func(_, v map[string]any) { af(v)["dataDir"] = "data" },
			`the data folder is "data" (airflow.dataDir, else global.dataDir): the kubernetes operator mounts the data volume there, so it must be an absolute path inside the container, such as /usr/app`},
		{"operator", k8s, func(_, v map[string]any) { af(v)["operator"] = "docker" },
			`airflow.operator is "docker": want one of kubernetes, bash`},
		{"version", k8s, func(_, v map[string]any) { af(v)["airflowVersion"] = 1 },
			`airflow.airflowVersion is "1": want one of 2, 3`},
		{"start date", k8s, func(_, v map[string]any) { af(v)["startDate"] = "2023-02-29" },
			`airflow.startDate is "2023-02-29", which is not a date from 1970 on`},
		{"start date format", k8s, func(_, v map[string]any) { af(v)["startDate"] = "1/2/2024" },
			`airflow.startDate is "1/2/2024": want a date such as "2024-01-01" (YYYY-MM-DD, in quotes)`},
		{"dag id", k8s, func(_, v map[string]any) { af(v)["dagId"] = "a b" },
			`airflow.dagId "a b" is not an Airflow dag_id: at most 250 letters, digits, '_', '.' and '-'`},
		{"max active runs", k8s, func(_, v map[string]any) { af(v)["maxActiveRuns"] = 0 },
			`airflow.maxActiveRuns is 0: want 1 or more (1 keeps runs apart)`},
		{"retries", k8s, func(_, v map[string]any) { af(v)["retries"] = "two" },
			`airflow.retries is "two": want a whole number, or "" for not set`},
		{"annotation line break", k8s, func(_, v map[string]any) { kube(v)["annotations"] = map[string]any{"x": "a\n"} },
			`annotations (metadata.annotations, airflow.kubernetes.annotations).x holds a carriage return or ends with a line break, which Airflow's Jinja would change: remove it`},
		{"label value", k8s, func(_, v map[string]any) { kube(v)["labels"] = map[string]any{"x": "a b"} },
			`labels (metadata.labels, airflow.kubernetes.labels).x is "a b", which is not a Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`},
		{"claim", k8s, func(_, v map[string]any) { kube(v)["dataVolume"] = map[string]any{"claimName": ""} },
			`airflow.kubernetes.dataVolume.claimName is empty: name the PersistentVolumeClaim that carries output folders from step to step (mounted at airflow.dataDir in every pod)`},
		{"namespace", k8s, func(_, v map[string]any) { kube(v)["namespace"] = "Prod" },
			`airflow.kubernetes.namespace "Prod" is not a Kubernetes namespace name: use lowercase letters, digits and '-'`},
		{"quantity", k8s, func(_, v map[string]any) { kube(v)["resources"] = map[string]any{"cpu_limit": "lots"} },
			`airflow.kubernetes.resources.cpu_limit is "lots": want a Kubernetes quantity such as 100m, 512Mi or 2`},
		{"env name", k8s, func(_, v map[string]any) { af(v)["env"] = map[string]any{"1X": "y"} },
			`airflow.env.1X: "1X" is not an environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)`},
		{"run id", k8s, func(_, v map[string]any) { af(v)["env"] = map[string]any{"WURZEL_RUN_ID": "x"} },
			`airflow.env.WURZEL_RUN_ID: the DAG sets WURZEL_RUN_ID itself (the Airflow run's run_id); remove it`},
		{"env over a secret", k8s, func(_, v map[string]any) { af(v)["env"] = map[string]any{"CUSTOM__API_TOKEN": "y"} },
			`CUSTOM__API_TOKEN is set in global.env or airflow.env, but step custom reads it from secret tok: remove it from the values`},
		{"lower-case secret", k8s, func(p, _ map[string]any) {
			steps(p)[1].(map[string]any)["settings"] = map[string]any{"token": map[string]any{"secretRef": map[string]any{"name": "tok", "key": "token"}}}
		}, `step custom: setting token reads secret tok, but the KubernetesPodOperator's Secret upper-cases variable names, so the step would not see CUSTOM__token: name the setting in upper case`},
		{"image with bash", bash, func(p, _ map[string]any) { steps(p)[1].(map[string]any)["image"] = "python:3.12" },
			`step custom sets image: python:3.12, but the bash operator runs steps on the Airflow worker, not in an image: set airflow.operator to kubernetes, or remove the step's image`},
		{"secret source unknown", bash, func(_, v map[string]any) {
			bashV(v)["secretSources"] = map[string]any{"NOPE": map[string]any{"variable": "x"}}
		}, `airflow.bash.secretSources.NOPE: no setting of the pipeline reads a secret called NOPE (secretRef name and key, upper-cased, joined by _); the pipeline's are: TOK_TOKEN`},
		{"secret source both", bash, func(_, v map[string]any) {
			bashV(v)["secretSources"] = map[string]any{"TOK_TOKEN": map[string]any{"variable": "x", "connection": "y"}}
		}, `airflow.bash.secretSources.TOK_TOKEN must name exactly one of variable and connection`},
		{"secret source name", bash, func(_, v map[string]any) {
			bashV(v)["secretSources"] = map[string]any{"TOK_TOKEN": map[string]any{"variable": "x' }}"}}
		}, `airflow.bash.secretSources.TOK_TOKEN: "x' }}" is not an Airflow Variable name wurzel can reference: letters, digits, '_', '.' and '-'`},
		{"connection field", bash, func(_, v map[string]any) {
			bashV(v)["secretSources"] = map[string]any{"TOK_TOKEN": map[string]any{"connection": "db", "field": "uri"}}
		}, `airflow.bash.secretSources.TOK_TOKEN.field is "uri": want one of password, login, host, schema, port, extra`},
		{"working directory", bash, func(_, v map[string]any) { bashV(v)["workingDirectory"] = "repo" },
			`airflow.bash.workingDirectory is "repo": want an absolute folder on the workers (not ending in .sh or .bash)`},
		{"working directory line break", bash, func(_, v map[string]any) { bashV(v)["workingDirectory"] = "/srv/x\n" },
			`airflow.bash.workingDirectory holds a carriage return or ends with a line break, which Airflow's Jinja would change: remove it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, vals := airflowPipeline("benign"), airflowValues(tt.c, "benign")
			tt.edit(pl, vals)
			_, _, err := airflowRender(t, pl, vals)
			if err == nil {
				t.Fatalf("rendered; want the error %s", tt.want)
			}
			if msg := templateMessage(err); msg != tt.want {
				t.Errorf("got  %s\nwant %s", msg, tt.want)
			}
		})
	}
}

// templateMessage is a render error without its "render airflow (embedded): " prefix and the
// template position at the end.
func templateMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "render airflow (embedded): ")
	if i := strings.LastIndex(msg, " (airflow/"); i >= 0 && strings.HasSuffix(msg, ")") {
		msg = msg[:i]
	}
	return msg
}

func af(v map[string]any) map[string]any    { return v["airflow"].(map[string]any) }
func kube(v map[string]any) map[string]any  { return af(v)["kubernetes"].(map[string]any) }
func bashV(v map[string]any) map[string]any { return af(v)["bash"].(map[string]any) }
func steps(p map[string]any) []any          { return p["spec"].(map[string]any)["steps"].([]any) }

// TestAirflowModuleName: the DAG file's name is an importable module name (a pipeline name's
// '-' becomes '_'); the dag_id keeps the pipeline's name.
func TestAirflowModuleName(t *testing.T) {
	pl := airflowPipeline("benign")
	pl["metadata"].(map[string]any)["name"] = "nightly-ingest-v2"
	f, _, err := airflowRenderFile(t, pl, airflowValues(airflowCase{"kubernetes", "2"}, "benign"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "airflow/dags/nightly_ingest_v2.py"; f.Path != want {
		t.Errorf("the DAG file is %s, want %s", f.Path, want)
	}
	if !bytes.Contains(f.Body, []byte(`dag_id="nightly-ingest-v2",`)) {
		t.Errorf("the dag_id is not the pipeline's name:\n%s", f.Body)
	}
}
