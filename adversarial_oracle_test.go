//go:build unix

package wurzel_test

// The oracles of the adversarial suite. A render is turned into a view: every file parsed
// into a tree whose leaves are what the target reads, with every string that another
// interpreter re-reads replaced by what that interpreter makes of it:
//
//   - shell commands (DVC cmd, GitLab script, GitHub run:, Airflow bash_command) by what sh
//     or bash passes to a stub `wurzel` that records its argv and environment;
//   - the DVC env file by the environment sh has after sourcing it;
//   - Kubernetes container command, args and env values (Argo, the CronJob, Airflow's
//     KubernetesPodOperator) by Kubernetes' $(VAR) expansion;
//   - DVC strings by DVC's ${} unescaping;
//   - Airflow DAG files by Python's AST.
//
// Every YAML file is also read by PyYAML (a YAML 1.1 reader, as Kubernetes, GitLab and
// Python tools are), which must see the same scalars, of the same types, as yaml.v3. The
// hostile view must equal the benign view with the marker replaced by the hostile string,
// leaf for leaf, and hold as many expression markers of the target as the benign files.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
)

// advNode is a parsed file: a mapping (Keys and Items), a sequence (Items) or a scalar
// (Tag and Val).
type advNode struct {
	Kind  byte // 'm' mapping, 's' sequence, 'v' scalar
	Keys  []string
	Items []*advNode
	Tag   string
	Val   string
}

func advScalar(tag, val string) *advNode { return &advNode{Kind: 'v', Tag: tag, Val: val} }

func (n *advNode) get(key string) *advNode {
	if n == nil || n.Kind != 'm' {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Items[i]
		}
	}
	return nil
}

func (n *advNode) set(key string, v *advNode) {
	for i, k := range n.Keys {
		if k == key {
			n.Items[i] = v
			return
		}
	}
	n.Keys = append(n.Keys, key)
	n.Items = append(n.Items, v)
}

func (n *advNode) del(key string) {
	for i, k := range n.Keys {
		if k == key {
			n.Keys = append(n.Keys[:i], n.Keys[i+1:]...)
			n.Items = append(n.Items[:i], n.Items[i+1:]...)
			return
		}
	}
}

// advLeaf is one scalar of a view, at its path.
type advLeaf struct{ Path, Tag, Val string }

// advFileView is one file of a view.
type advFileView struct {
	Path    string
	Leaves  []advLeaf
	Markers map[string]int
}

// advView is a whole render seen through the oracles.
type advView struct {
	text  string
	files []advFileView
}

// advOracle turns renders into views. One per goroutine: it owns a Python process and a
// sandbox folder where commands run.
type advOracle struct {
	t       *testing.T
	pack    *engine.Pack
	py      *advPython
	sandbox string
	stub    string
	// runs caches commands by shell, script and environment: most hostile renders change no
	// command, so most commands were run before.
	runs    map[string]advRunResult
	dvcRuns map[string][]advRunResult
}

type advRunResult struct {
	calls  []advCall
	status int
}

func newAdvOracle(t *testing.T, lib *engine.Library, pack string) *advOracle {
	t.Helper()
	p, ok := lib.Pack(pack)
	if !ok {
		t.Fatalf("no pack %s", pack)
	}
	dir := t.TempDir()
	stub := filepath.Join(dir, "bin")
	if err := os.MkdirAll(stub, 0o755); err != nil {
		t.Fatal(err)
	}
	// The stub records every call on fd 3: its arguments, then its environment.
	script := "#!/bin/sh\n{ printf 'CALL\\0'; for a in \"$@\"; do printf 'ARG\\0%s\\0' \"$a\"; done; printf 'ENV\\0'; env -0; printf '\\0END\\0'; } >&3\n"
	// go (GitHub's install step) and sleep (retry loops) are recorded too, never run.
	for _, name := range []string{"wurzel", "go", "sleep"} {
		body := strings.Replace(script, "printf 'CALL\\0';", "printf 'CALL\\0ARG\\0"+name+"\\0';", 1)
		if name == "wurzel" {
			body = script
		}
		if err := os.WriteFile(filepath.Join(stub, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &advOracle{t: t, pack: p, py: startAdvPython(t), sandbox: filepath.Join(dir, "sandbox"), stub: stub, runs: map[string]advRunResult{}, dvcRuns: map[string][]advRunResult{}}
}

func (o *advOracle) close() { o.py.close() }

// view checks a render's files and returns what they mean.
func (o *advOracle) view(out advOutcome) (*advView, error) {
	if err := os.RemoveAll(o.sandbox); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.sandbox, 0o755); err != nil {
		return nil, err
	}
	for _, f := range out.Files {
		if o.pack.Name != "dvc" {
			break // only DVC's commands read the rendered files (its env file)
		}
		p := filepath.Join(o.sandbox, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Body, 0o644); err != nil {
			return nil, err
		}
	}
	v := &advView{files: make([]advFileView, len(out.Files))}
	var text strings.Builder
	// Env files first: DVC stages then run with them emptied, so that a stage's command is
	// seen apart from the settings (which the env file's own view holds).
	order := make([]int, 0, len(out.Files))
	for i, f := range out.Files {
		if f.Format == "shell" {
			order = append(order, i)
		}
	}
	for i, f := range out.Files {
		if f.Format != "shell" {
			order = append(order, i)
		}
	}
	for _, i := range order {
		f := out.Files[i]
		text.Write(f.Body)
		fv := advFileView{Path: f.Path, Markers: o.markers(f)}
		var root *advNode
		var err error
		switch f.Format {
		case "yaml":
			root, err = o.yamlView(f, fv.Markers)
		case "python":
			root, err = o.pythonView(f)
		case "shell":
			root, err = o.envFileView(f)
			if err == nil {
				err = os.WriteFile(filepath.Join(o.sandbox, filepath.FromSlash(f.Path)), nil, 0o644)
			}
		default:
			root = advScalar("text", string(f.Body))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		advFlatten(advCanonical(root), "", &fv.Leaves)
		v.files[i] = fv
	}
	v.text = text.String()
	return v, nil
}

// markers counts the target's expression markers in a file: the pack's own (Argo's {{,
// GitHub's ${{, Jinja's openers).
func (o *advOracle) markers(f engine.File) map[string]int {
	m := map[string]int{}
	for _, mk := range o.pack.Meta.ExpressionMarkers {
		m[mk] = strings.Count(string(f.Body), mk)
	}
	return m
}

// advDVCInterp is DVC's interpolation: ${ not preceded by a backslash.
var advDVCInterp = regexp.MustCompile(`(^|[^\\])\$\{`)

// yamlView parses a YAML file with yaml.v3, checks that PyYAML reads the same, and applies
// the pack's interpreters.
func (o *advOracle) yamlView(f engine.File, markers map[string]int) (*advNode, error) {
	dec := yaml.NewDecoder(bytes.NewReader(f.Body))
	docs := &advNode{Kind: 's'}
	var raw []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not valid YAML: %v", err)
		}
		raw = append(raw, &n)
		docs.Items = append(docs.Items, advFromYAML(&n))
	}
	py, err := o.py.call("yaml", f.Body)
	if err != nil {
		return nil, err
	}
	if msg := advSameAsPyYAML(raw, py, o.pack.Name == "github-actions"); msg != "" {
		return nil, fmt.Errorf("a YAML 1.1 reader (PyYAML) reads it differently: %s", msg)
	}
	switch o.pack.Name {
	case "argo", "k8s-cronjob":
		advWalk(docs, func(n *advNode) { advK8sContainer(n) })
		// The CronJob's ConfigMap carries pipeline.yaml: what it means is what it parses to.
		for _, doc := range docs.Items {
			if data := doc.get("data"); data != nil && doc.get("kind") != nil && doc.get("kind").Val == "ConfigMap" {
				for i, k := range data.Keys {
					if strings.HasSuffix(k, ".yaml") && data.Items[i].Kind == 'v' {
						var n yaml.Node
						if err := yaml.Unmarshal([]byte(data.Items[i].Val), &n); err != nil {
							return nil, fmt.Errorf("ConfigMap data %s: %v", k, err)
						}
						data.Items[i] = advFromYAML(&n)
					}
				}
			}
		}
	case "dvc":
		markers["${ (unescaped)"] = advDVCMarkers(docs) // in the YAML's strings: DVC never sees comments
		advWalk(docs, advDVCUnescape)
		if err := o.dvcStages(docs); err != nil {
			return nil, err
		}
	case "gitlab-ci":
		if err := o.gitlabJobs(docs); err != nil {
			return nil, err
		}
	case "github-actions":
		if err := o.githubJobs(docs); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func advFromYAML(n *yaml.Node) *advNode {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return advScalar("!!null", "")
		}
		return advFromYAML(n.Content[0])
	case yaml.AliasNode:
		return advFromYAML(n.Alias)
	case yaml.MappingNode:
		m := &advNode{Kind: 'm'}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m.Keys = append(m.Keys, n.Content[i].Value)
			m.Items = append(m.Items, advFromYAML(n.Content[i+1]))
		}
		return m
	case yaml.SequenceNode:
		s := &advNode{Kind: 's'}
		for _, c := range n.Content {
			s.Items = append(s.Items, advFromYAML(c))
		}
		return s
	}
	return advScalar(n.ShortTag(), n.Value)
}

// advWalk calls fn on every node, parents first.
func advWalk(n *advNode, fn func(*advNode)) {
	if n == nil {
		return
	}
	fn(n)
	for _, c := range n.Items {
		advWalk(c, fn)
	}
}

// advK8sContainer replaces a Kubernetes container's command, args and env values by what
// Kubernetes makes of them: $(NAME) expands (to a recognisable stand-in), $$ is $.
func advK8sContainer(n *advNode) {
	if n.Kind != 'm' || n.get("image") == nil || (n.get("command") == nil && n.get("args") == nil && n.get("env") == nil) {
		return
	}
	for _, k := range []string{"command", "args"} {
		if s := n.get(k); s != nil && s.Kind == 's' {
			for _, it := range s.Items {
				if it.Kind == 'v' && it.Tag == "!!str" {
					it.Val = advK8sExpand(it.Val)
				}
			}
		}
	}
	if env := n.get("env"); env != nil && env.Kind == 's' {
		for _, e := range env.Items {
			if v := e.get("value"); v != nil && v.Kind == 'v' && v.Tag == "!!str" {
				v.Val = advK8sExpand(v.Val)
			}
		}
	}
}

// advDVCUnescape applies DVC's unescaping (\${ becomes ${) to every string, keys included.
func advDVCUnescape(n *advNode) {
	if n.Kind == 'v' && n.Tag == "!!str" {
		n.Val = strings.ReplaceAll(n.Val, `\${`, "${")
	}
	for i, k := range n.Keys {
		n.Keys[i] = strings.ReplaceAll(k, `\${`, "${")
	}
}

// advDVCMarkers counts the ${ DVC would interpolate in the strings and keys of a file.
func advDVCMarkers(n *advNode) int {
	count := 0
	advWalk(n, func(n *advNode) {
		if n.Kind == 'v' {
			count += len(advDVCInterp.FindAllStringIndex(n.Val, -1))
		}
		for _, k := range n.Keys {
			count += len(advDVCInterp.FindAllStringIndex(k, -1))
		}
	})
	return count
}

// advCall is one call of the stub wurzel: its arguments and environment.
type advCall struct {
	Args []string
	Env  map[string]string
}

// advShellBase are variables of the environment every command starts with; the view keeps
// only those the rendered files set.
var advShellBase = map[string]bool{"PATH": true, "HOME": true, "PWD": true, "OLDPWD": true, "SHLVL": true, "_": true}

// run runs a script with a shell in the sandbox, with env added to a clean environment, and
// returns the stub's calls and the exit status.
func (o *advOracle) run(shell string, args []string, script string, env map[string]string) ([]advCall, int, error) {
	key := o.runKey(shell, args, script, env)
	if r, ok := o.runs[key]; ok {
		return r.calls, r.status, nil
	}
	calls, status, err := o.runNow(shell, args, script, env)
	if err == nil {
		o.runs[key] = advRunResult{calls, status}
	}
	return calls, status, err
}

func (o *advOracle) runKey(shell string, args []string, script string, env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(shell + "\x00" + strings.Join(args, "\x00") + "\x00\x00" + script + "\x00\x00")
	for _, k := range keys {
		b.WriteString(k + "=" + env[k] + "\x00")
	}
	return b.String()
}

func (o *advOracle) runNow(shell string, args []string, script string, env map[string]string) ([]advCall, int, error) {
	rec, err := os.CreateTemp("", "wurzel-adv-*")
	if err != nil {
		return nil, 0, err
	}
	defer os.Remove(rec.Name())
	defer rec.Close()
	// A command that hangs (a broken quote that starts a program reading stdin, say) is
	// killed with its process group: the test must not leave processes behind.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, append(args, "-c", script)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	cmd.Dir = o.sandbox
	cmd.Env = []string{"PATH=" + o.stub + ":/usr/bin:/bin", "HOME=" + o.sandbox}
	for k, v := range env {
		if strings.ContainsRune(k+v, 0) {
			return nil, 0, fmt.Errorf("environment variable %q holds a NUL byte", k)
		}
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// Stdout and stderr stay unset (the null device): a pipe that a hostile script's
	// background child kept open would make Wait give up (exec.ErrWaitDelay) when the
	// machine is busy, and nothing reads them.
	cmd.ExtraFiles = []*os.File{rec}
	status := 0
	err = cmd.Run()
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever the script left running in the background
	if ctx.Err() != nil {
		return nil, 0, fmt.Errorf("%s -c %q: still running after 30s (killed)", shell, advShort(script))
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return nil, 0, err
		}
		status = ee.ExitCode()
	}
	data, err := os.ReadFile(rec.Name())
	if err != nil {
		return nil, 0, err
	}
	var calls []advCall
	fields := strings.Split(string(data), "\x00")
	for i := 0; i < len(fields); i++ {
		switch fields[i] {
		case "CALL":
			calls = append(calls, advCall{Env: map[string]string{}})
		case "ARG":
			i++
			calls[len(calls)-1].Args = append(calls[len(calls)-1].Args, fields[i])
		case "ENV":
			for i++; i < len(fields) && fields[i] != "" && fields[i] != "END"; i++ {
				k, v, _ := strings.Cut(fields[i], "=")
				if !advShellBase[k] {
					calls[len(calls)-1].Env[k] = v
				}
			}
		}
	}
	return calls, status, nil
}

// advRunNode is a command's meaning: the stub's calls and the exit status.
func advRunNode(calls []advCall, status int) *advNode {
	n := &advNode{Kind: 'm'}
	n.set("exit", advScalar("status", strconv.Itoa(status)))
	cs := &advNode{Kind: 's'}
	for _, c := range calls {
		cn := &advNode{Kind: 'm'}
		argv := &advNode{Kind: 's'}
		for _, a := range c.Args {
			argv.Items = append(argv.Items, advScalar("arg", a))
		}
		cn.set("argv", argv)
		env := &advNode{Kind: 'm'}
		keys := make([]string, 0, len(c.Env))
		for k := range c.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			env.set(k, advScalar("env", c.Env[k]))
		}
		cn.set("env", env)
		cs.Items = append(cs.Items, cn)
	}
	n.set("calls", cs)
	return n
}

// dvcStages runs every stage's cmd with sh, in file order, in the sandbox that holds the
// env file (DVC runs cmd with the user's shell; dash is the strictest POSIX one here).
func (o *advOracle) dvcStages(docs *advNode) error {
	for _, doc := range docs.Items {
		stages := doc.get("stages")
		if stages == nil {
			continue
		}
		// The stages run one after the other in one sandbox (the first makes the run ID file
		// the others read), each in its own sh; the whole sequence is cached as one.
		var cmds []string
		for _, st := range stages.Items {
			if cmd := st.get("cmd"); cmd != nil && cmd.Kind == 'v' {
				cmds = append(cmds, cmd.Val)
			}
		}
		key := o.runKey("dvc", nil, strings.Join(cmds, "\x00"), nil)
		results, ok := o.dvcRuns[key]
		if !ok {
			for _, c := range cmds {
				calls, status, err := o.runNow("sh", nil, c, nil)
				if err != nil {
					return err
				}
				for _, c := range calls {
					delete(c.Env, "WURZEL_RUN_ID") // made from the date and the shell's pid
				}
				results = append(results, advRunResult{calls, status})
			}
			o.dvcRuns[key] = results
		}
		i := 0
		for _, st := range stages.Items {
			if cmd := st.get("cmd"); cmd != nil && cmd.Kind == 'v' {
				st.set("cmd", advRunNode(results[i].calls, results[i].status))
				i++
			}
		}
	}
	return nil
}

// envFileView is the environment sh has after sourcing the file.
func (o *advOracle) envFileView(f engine.File) (*advNode, error) {
	calls, status, err := o.runNow("sh", nil, ". ./"+advShQuote(f.Path)+" && wurzel", nil) // not cached: the file changes
	if err != nil {
		return nil, err
	}
	return advRunNode(calls, status), nil
}

func advShQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'" }

// gitlabJobs runs every job's script with sh: its variables in the environment (expand:
// false literally, expand: true through a stand-in of GitLab's expansion) and cd recorded
// instead of done.
func (o *advOracle) gitlabJobs(docs *advNode) error {
	for _, doc := range docs.Items {
		if doc.Kind != 'm' {
			continue
		}
		for _, job := range doc.Items {
			script := job.get("script")
			if script == nil || script.Kind != 's' {
				continue
			}
			env := map[string]string{}
			if vars := job.get("variables"); vars != nil {
				for i, k := range vars.Keys {
					v := vars.Items[i]
					switch v.Kind {
					case 'v':
						if strings.Contains(v.Val, "$") {
							env[k] = advGitLabExpand(v.Val)
						}
					case 'm':
						val := v.get("value")
						if val == nil {
							continue
						}
						// Literal variables are compared as they stand in the file; the script
						// sees the expanded ones (secret references, the run ID).
						if e := v.get("expand"); e == nil || e.Val != "false" {
							env[k] = advGitLabExpand(val.Val)
						}
					}
				}
			}
			var lines []string
			for _, l := range script.Items {
				lines = append(lines, l.Val)
			}
			prelude := "cd() { printf 'CALL\\0ARG\\0cd\\0' >&3; for a in \"$@\"; do printf 'ARG\\0%s\\0' \"$a\" >&3; done; }\n"
			calls, status, err := o.run("sh", []string{"-e"}, prelude+strings.Join(lines, "\n"), env)
			if err != nil {
				return err
			}
			job.set("script", advRunNode(calls, status))
		}
	}
	return nil
}

// advGitLabExpand stands in for GitLab's expansion of $NAME and ${NAME}: each becomes «NAME».
var advGitLabVar = regexp.MustCompile(`\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)`)

func advGitLabExpand(s string) string {
	return advGitLabVar.ReplaceAllStringFunc(s, func(m string) string {
		return "«" + strings.Trim(m, "${}") + "»"
	})
}

// advGitHubExpr stands in for GitHub's ${{ }} substitution.
var advGitHubExpr = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

func advGitHubSubst(s string) string {
	return advGitHubExpr.ReplaceAllStringFunc(s, func(m string) string {
		return "«" + strings.TrimSpace(m[3:len(m)-2]) + "»"
	})
}

// githubJobs runs every run: step with bash, as GitHub does (bash --noprofile --norc -eo
// pipefail), with the job's and the step's env after a stand-in of GitHub's ${{ }}
// substitution. The step's WURZEL_ARG_n variables carry words of the command and are read
// by the script: they are part of the run, not of the file's meaning.
func (o *advOracle) githubJobs(docs *advNode) error {
	for _, doc := range docs.Items {
		jobs := doc.get("jobs")
		if jobs == nil {
			continue
		}
		for _, job := range jobs.Items {
			steps := job.get("steps")
			if steps == nil {
				continue
			}
			// The job's env is compared as it stands in the file; the run sees the step's.
			for _, st := range steps.Items {
				run := st.get("run")
				if run == nil {
					continue
				}
				// Only the pack's own scripts run; steps from values (setupSteps,
				// install.steps) are the user's code, compared as text.
				name := st.get("name")
				if name == nil || !(name.Val == "Install wurzel" || strings.HasPrefix(name.Val, "Run ")) {
					continue
				}
				stepEnv := map[string]string{}
				if se := st.get("env"); se != nil {
					for i, k := range se.Keys {
						stepEnv[k] = advGitHubSubst(se.Items[i].Val)
					}
					for _, k := range slices.Clone(se.Keys) {
						if strings.HasPrefix(k, "WURZEL_ARG_") {
							se.del(k)
						}
					}
					if len(se.Keys) == 0 {
						st.del("env")
					}
				}
				calls, status, err := o.run("bash", []string{"--noprofile", "--norc", "-eo", "pipefail"}, advGitHubSubst(run.Val), stepEnv)
				if err != nil {
					return err
				}
				for _, c := range calls {
					for k := range c.Env {
						if strings.HasPrefix(k, "WURZEL_ARG_") {
							delete(c.Env, k)
						}
					}
				}
				st.set("run", advRunNode(calls, status))
			}
		}
	}
	return nil
}

// pythonView parses a DAG file with Python's ast module, and reads bash_command by what bash
// runs and, for the KubernetesPodOperator, arguments, cmds and ENV by Kubernetes' expansion.
func (o *advOracle) pythonView(f engine.File) (*advNode, error) {
	out, err := o.py.call("py", f.Body)
	if err != nil {
		return nil, err
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	if m, ok := tree.(map[string]any); ok && m["error"] != nil {
		return nil, fmt.Errorf("not valid Python: %v", m["error"])
	}
	root := advFromJSON(tree)
	var werr error
	var visit func(n *advNode, k8s bool)
	visit = func(n *advNode, k8s bool) {
		if n == nil || werr != nil {
			return
		}
		if n.Kind == 'v' && k8s && n.Tag == "str" {
			n.Val = advK8sExpand(n.Val)
			return
		}
		if n.Kind == 'm' {
			if t := n.get("_"); t != nil {
				switch t.Val {
				case "keyword":
					arg := n.get("arg")
					if arg != nil && arg.Val == "bash_command" {
						if c := n.get("value"); c != nil && c.get("_") != nil && c.get("_").Val == "Constant" {
							cmd := c.get("value").Val
							calls, status, err := o.run("bash", nil, "printf 'CALL\\0' >&3; set -- "+cmd+"\nfor a in \"$@\"; do printf 'ARG\\0%s\\0' \"$a\" >&3; done", nil)
							if err != nil {
								werr = err
								return
							}
							c.set("value", advRunNode(calls, status))
							return
						}
					}
					if arg != nil && (arg.Val == "arguments" || arg.Val == "cmds") {
						k8s = true
					}
				case "Assign":
					if tg := n.get("targets"); tg != nil && len(tg.Items) == 1 {
						if id := tg.Items[0].get("id"); id != nil && id.Val == "ENV" && o.airflowKubernetes(root) {
							k8s = true
						}
					}
				}
			}
		}
		for _, c := range n.Items {
			visit(c, k8s)
		}
	}
	visit(root, false)
	return root, werr
}

// airflowKubernetes reports whether a DAG's tasks are KubernetesPodOperators.
func (o *advOracle) airflowKubernetes(root *advNode) bool {
	found := false
	advWalk(root, func(n *advNode) {
		if n.Kind == 'm' && n.get("_") != nil && n.get("_").Val == "Name" && n.get("id") != nil && n.get("id").Val == "KubernetesPodOperator" {
			found = true
		}
	})
	return found
}

func advFromJSON(v any) *advNode {
	switch t := v.(type) {
	case map[string]any:
		n := &advNode{Kind: 'm'}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Keys = append(n.Keys, k)
			n.Items = append(n.Items, advFromJSON(t[k]))
		}
		return n
	case []any:
		n := &advNode{Kind: 's'}
		for _, x := range t {
			n.Items = append(n.Items, advFromJSON(x))
		}
		return n
	case string:
		return advScalar("str", t)
	case json.Number:
		return advScalar("num", t.String())
	case bool:
		return advScalar("bool", strconv.FormatBool(t))
	case nil:
		return advScalar("null", "")
	}
	return advScalar("?", fmt.Sprint(v))
}

// advCanonical makes order that carries no meaning disappear: a sequence of mappings that
// all have a distinct scalar "name" (Kubernetes env, volumes, GitHub steps) becomes a mapping
// by name, and a Python dict with constant string keys a mapping by key.
func advCanonical(n *advNode) *advNode {
	if n == nil {
		return nil
	}
	for i, c := range n.Items {
		n.Items[i] = advCanonical(c)
	}
	switch n.Kind {
	case 's':
		names := map[string]bool{}
		for _, it := range n.Items {
			nm := it.get("name")
			if nm == nil || nm.Kind != 'v' || names[nm.Val] {
				return n
			}
			names[nm.Val] = true
		}
		if len(n.Items) < 2 {
			return n
		}
		m := &advNode{Kind: 'm'}
		for _, it := range n.Items {
			m.Keys = append(m.Keys, "name="+it.get("name").Val)
			m.Items = append(m.Items, it)
		}
		return m
	case 'm':
		if t := n.get("_"); t != nil && t.Val == "Dict" {
			keys, vals := n.get("keys"), n.get("values")
			if keys == nil || vals == nil || len(keys.Items) != len(vals.Items) {
				return n
			}
			m := &advNode{Kind: 'm'}
			m.set("_", advScalar("str", "Dict"))
			for i, k := range keys.Items {
				kv := k.get("value")
				if k.get("_") == nil || k.get("_").Val != "Constant" || kv == nil || kv.Tag != "str" {
					return n
				}
				m.set("key="+kv.Val, vals.Items[i])
			}
			return m
		}
	}
	return n
}

// advFlatten lists a tree's scalars with their paths; mapping keys are sorted.
func advFlatten(n *advNode, path string, out *[]advLeaf) {
	switch n.Kind {
	case 'm':
		idx := make([]int, len(n.Keys))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return n.Keys[idx[a]] < n.Keys[idx[b]] })
		if len(idx) == 0 {
			*out = append(*out, advLeaf{Path: path, Tag: "{}"})
		}
		for _, i := range idx {
			advFlatten(n.Items[i], path+"/"+n.Keys[i], out)
		}
	case 's':
		if len(n.Items) == 0 {
			*out = append(*out, advLeaf{Path: path, Tag: "[]"})
		}
		for i, c := range n.Items {
			advFlatten(c, path+"["+strconv.Itoa(i)+"]", out)
		}
	default:
		*out = append(*out, advLeaf{Path: path, Tag: n.Tag, Val: n.Val})
	}
}

// advSubst is one way the marker may show in the hostile render: a replacer of the marker
// (and of its upper-case form) by what the field makes of the hostile string.
type advSubst = *strings.Replacer

// compare checks that the hostile view is the benign one with the marker replaced. Each
// path and leaf may match any of the substitutions (a step name shows as itself, as its ID
// and in its env prefix).
func (o *advOracle) compare(b, h *advView, subs []advSubst, optional func(advLeaf) bool) string {
	var probs []string
	if len(b.files) != len(h.files) {
		return fmt.Sprintf("renders %d files, the benign render %d", len(h.files), len(b.files))
	}
	for _, bf := range b.files {
		var hf advFileView
		found := false
		for _, sub := range subs {
			for _, f := range h.files {
				if sub.Replace(bf.Path) == f.Path {
					hf, found = f, true
				}
			}
		}
		if !found {
			probs = append(probs, fmt.Sprintf("file %s is missing", subs[0].Replace(bf.Path)))
			continue
		}
		for mk, nb := range bf.Markers {
			if hf.Markers[mk] != nb {
				probs = append(probs, fmt.Sprintf("%s: %d %q expression markers, the benign render %d", hf.Path, hf.Markers[mk], mk, nb))
			}
		}
		hl := map[string]advLeaf{}
		for _, l := range hf.Leaves {
			hl[l.Path] = l
		}
		seen := map[string]bool{}
		for _, bl := range bf.Leaves {
			var got advLeaf
			var ok bool
			for _, sub := range subs {
				if got, ok = hl[sub.Replace(bl.Path)]; ok {
					break
				}
			}
			if !ok {
				if optional == nil || !optional(bl) {
					probs = append(probs, fmt.Sprintf("%s: %s is missing (benign: %s %q)", hf.Path, bl.Path, bl.Tag, advShort(bl.Val)))
				}
				continue
			}
			seen[got.Path] = true
			match := false
			for _, sub := range subs {
				if got.Tag == bl.Tag && got.Val == sub.Replace(bl.Val) {
					match = true
				}
			}
			if !match {
				probs = append(probs, fmt.Sprintf("%s: %s reads back as %s %q, want %s %q", hf.Path, got.Path, got.Tag, advShort(got.Val), bl.Tag, advShort(subs[0].Replace(bl.Val))))
			}
		}
		for _, l := range hf.Leaves {
			if !seen[l.Path] {
				probs = append(probs, fmt.Sprintf("%s: %s is new (%s %q)", hf.Path, l.Path, l.Tag, advShort(l.Val)))
			}
		}
	}
	if len(probs) > 4 {
		probs = append(probs[:4], fmt.Sprintf("… and %d more", len(probs)-4))
	}
	return strings.Join(probs, "; ")
}

// advSameAsPyYAML compares yaml.v3's reading of every document with PyYAML's.
func advSameAsPyYAML(docs []*yaml.Node, py []byte, github bool) string {
	var got []any
	if err := json.Unmarshal(py, &got); err != nil {
		var e map[string]any
		if json.Unmarshal(py, &e) == nil && e["error"] != nil {
			return fmt.Sprint(e["error"])
		}
		return err.Error()
	}
	if len(got) != len(docs) {
		return fmt.Sprintf("%d documents, yaml.v3 %d", len(got), len(docs))
	}
	for i, d := range docs {
		if msg := advSameNode(d, got[i], "", github); msg != "" {
			return msg
		}
	}
	return ""
}

func advSameNode(n *yaml.Node, py any, path string, github bool) string {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return ""
		}
		return advSameNode(n.Content[0], py, path, github)
	case yaml.AliasNode:
		return advSameNode(n.Alias, py, path, github)
	}
	p, _ := py.(map[string]any)
	switch n.Kind {
	case yaml.MappingNode:
		entries, ok := p["m"].([]any)
		if !ok || len(entries) != len(n.Content)/2 {
			return fmt.Sprintf("%s: a mapping of %d keys, PyYAML %v", path, len(n.Content)/2, advShort(fmt.Sprint(py)))
		}
		for i, e := range entries {
			kv := e.([]any)
			k, v := n.Content[2*i], n.Content[2*i+1]
			if !(github && k.Value == "on") {
				if msg := advSameNode(k, kv[0], path+"/<key>", github); msg != "" {
					return msg
				}
			}
			if msg := advSameNode(v, kv[1], path+"/"+k.Value, github); msg != "" {
				return msg
			}
		}
		return ""
	case yaml.SequenceNode:
		items, ok := p["l"].([]any)
		if !ok || len(items) != len(n.Content) {
			return fmt.Sprintf("%s: a sequence of %d items, PyYAML %v", path, len(n.Content), advShort(fmt.Sprint(py)))
		}
		for i, c := range n.Content {
			if msg := advSameNode(c, items[i], fmt.Sprintf("%s[%d]", path, i), github); msg != "" {
				return msg
			}
		}
		return ""
	}
	typ, _ := p["t"].(string)
	val, _ := p["v"].(string)
	want := map[string]string{"!!str": "str", "!!int": "int", "!!bool": "bool", "!!null": "NoneType", "!!float": "float"}[n.ShortTag()]
	if want == "" {
		return fmt.Sprintf("%s: yaml.v3 reads %q as %s", path, advShort(n.Value), n.ShortTag())
	}
	if typ != want {
		return fmt.Sprintf("%s: %q is %s for yaml.v3 but %s for PyYAML", path, advShort(n.Value), want, typ)
	}
	switch want {
	case "str":
		var s string
		if err := n.Decode(&s); err != nil || s != val {
			return fmt.Sprintf("%s: yaml.v3 reads %q, PyYAML %q", path, advShort(s), advShort(val))
		}
	case "int":
		var i int64
		if err := n.Decode(&i); err != nil || strconv.FormatInt(i, 10) != val {
			return fmt.Sprintf("%s: yaml.v3 reads the integer %d, PyYAML %s", path, i, val)
		}
	case "bool":
		var b bool
		if err := n.Decode(&b); err != nil || strconv.FormatBool(b) != val {
			return fmt.Sprintf("%s: yaml.v3 reads %v, PyYAML %s", path, b, val)
		}
	case "float":
		var f float64
		pf, err := strconv.ParseFloat(val, 64)
		if n.Decode(&f) != nil || err != nil || (f != pf && !(math.IsNaN(f) && math.IsNaN(pf))) {
			return fmt.Sprintf("%s: yaml.v3 reads %v, PyYAML %s", path, f, val)
		}
	}
	return ""
}

// advPython is a python3 process that parses files on request: Python source into its AST,
// YAML with PyYAML. One request per line of JSON, one answer per line.
type advPython struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	mu  sync.Mutex
}

const advPythonServer = `
import ast, json, sys, yaml

def conv(n):
    if isinstance(n, ast.AST):
        d = {"_": type(n).__name__}
        for f, v in ast.iter_fields(n):
            if f in ("ctx", "type_comment"):
                continue
            d[f] = conv(v)
        return d
    if isinstance(n, list):
        return [conv(x) for x in n]
    if n is None or isinstance(n, (str, bool, int, float)):
        return n
    return {"repr": repr(n)}

def yconv(v):
    if isinstance(v, dict):
        return {"m": [[yconv(k), yconv(x)] for k, x in v.items()]}
    if isinstance(v, list):
        return {"l": [yconv(x) for x in v]}
    if isinstance(v, bool):
        return {"t": "bool", "v": "true" if v else "false"}
    if v is None:
        return {"t": "NoneType", "v": ""}
    if isinstance(v, float):
        return {"t": "float", "v": repr(v)}
    return {"t": type(v).__name__, "v": str(v)}

for line in sys.stdin:
    req = json.loads(line)
    try:
        src = req["src"]
        if req["op"] == "py":
            out = conv(ast.parse(src))
        else:
            out = [yconv(d) for d in yaml.load_all(src, Loader=yaml.CSafeLoader)]
    except Exception as e:
        out = {"error": type(e).__name__ + ": " + str(e)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
`

func startAdvPython(t *testing.T) *advPython {
	t.Helper()
	cmd := exec.Command("python3", "-c", advPythonServer)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &advPython{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
}

func (p *advPython) call(op string, body []byte) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	req, err := json.Marshal(map[string]string{"op": op, "src": string(body)})
	if err != nil {
		return nil, err
	}
	if _, err := p.in.Write(append(req, '\n')); err != nil {
		return nil, fmt.Errorf("python3: %w", err)
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("python3: %w", err)
	}
	return line, nil
}

func (p *advPython) close() {
	p.in.Close()
	_ = p.cmd.Wait()
}
