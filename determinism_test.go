package wurzel_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// canary is set in the environment of the second run, under many names. It must never
// appear in anything wurzel writes: render reads no environment, and `wurzel run` reads
// only the variables of the steps' own settings.
const canary = "c4n4ry-7f3e9a1d"

// environments are the two settings the same commands run under. The second changes every
// variable that could leak time, locale or scheduling into output.
var environments = [][]string{
	{"TZ=UTC", "LANG=C", "LC_ALL=C", "GOMAXPROCS=1"},
	{
		"TZ=Pacific/Chatham", "LANG=tr_TR.UTF-8", "LC_ALL=tr_TR.UTF-8", "LC_COLLATE=tr_TR.UTF-8",
		"GOMAXPROCS=7", "SOURCE_DATE_EPOCH=1", "COLUMNS=17",
		"USER=" + canary, "LOGNAME=" + canary, "HOSTNAME=" + canary, "GITHUB_SHA=" + canary,
		"CI_COMMIT_SHA=" + canary, "WURZEL_RUN_ID=" + canary, "AIRFLOW_HOME=/" + canary,
		"KUBECONFIG=/" + canary, "ARGO_NAMESPACE=" + canary, "NAMESPACE=" + canary,
		"DATA_DIR=" + canary, "FOLDER_PATH=" + canary, "TOKEN_COUNT_MAX=" + canary,
		"CANARY_SECRET=" + canary, "OPENAI_API_KEY=" + canary,
	},
}

// TestDeterminism runs render and a local pipeline run under both environments and
// compares every byte they write; the canary must appear nowhere.
func TestDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wurzel")
	}
	bin := wurzelBinary(t)
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	commands := []struct {
		name string
		args func(out string) []string
	}{
		{"render demo", func(out string) []string {
			return []string{"render", "-p", abs("examples/pipelinedemo/pipeline.yaml"), "-f", abs("examples/pipelinedemo/values.yaml"),
				"-f", abs("examples/pipelinedemo/prod.yaml"), "-b", "all", "-o", out}
		}},
		{"render diamond", func(out string) []string {
			return []string{"render", "-p", abs("testdata/pipelines/diamond/pipeline.yaml"), "--set", "cronjob.schedule=0 3 * * *", "-b", "all", "-o", out}
		}},
		{"render python values", func(out string) []string {
			return []string{"render", "-p", abs("testdata/pipelines/python-values/pipeline.yaml"), "-f", abs("testdata/pipelines/python-values/values.yaml"),
				"--set", "cronjob.schedule=0 4 * * 1", "-b", "all", "-o", out}
		}},
		{"graph", func(out string) []string {
			return []string{"graph", "-p", abs("testdata/pipelines/diamond/pipeline.yaml")}
		}},
		{"values explain", func(out string) []string {
			return []string{"values", "explain", "-p", abs("examples/pipelinedemo/pipeline.yaml"), "-f", abs("examples/pipelinedemo/values.yaml")}
		}},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			var trees []map[string][]byte
			for _, env := range environments {
				out := filepath.Join(t.TempDir(), "out")
				cmd := exec.Command(bin, c.args(out)...)
				cmd.Env = append(baseEnv(), env...)
				stdout, err := cmd.Output()
				if err != nil {
					t.Fatalf("wurzel %s: %v\n%s", strings.Join(c.args(out), " "), err, stderrOf(err))
				}
				tree := tree(t, out)
				tree["<stdout>"] = stdout
				trees = append(trees, tree)
			}
			compareTrees(t, trees[0], trees[1])
		})
	}
	t.Run("run demo", func(t *testing.T) {
		var trees []map[string][]byte
		for _, env := range environments {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS("examples/pipelinedemo")); err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(filepath.Join(dir, "data"))
			cmd := exec.Command(bin, "run", "-p", filepath.Join(dir, "pipeline.yaml"), "--log-format", "text")
			cmd.Env = append(baseEnv(), env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("wurzel run: %v\n%s", err, out)
			}
			tree := tree(t, filepath.Join(dir, "data"))
			delete(tree, ".wurzel/lock")
			delete(tree, ".wurzel/state.json") // holds the run's times
			trees = append(trees, tree)
		}
		if len(trees[0]) < 3 {
			t.Fatalf("the run wrote %d files", len(trees[0]))
		}
		compareTrees(t, trees[0], trees[1])
	})
}

// baseEnv is the test's environment without the variables the runs set themselves.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "TZ" || k == "GOMAXPROCS" || strings.HasPrefix(k, "LC_") || k == "LANG" || strings.HasPrefix(k, "WURZEL_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "NO_COLOR=1")
}

func stderrOf(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}

func compareTrees(t *testing.T, a, b map[string][]byte) {
	t.Helper()
	for name, data := range b {
		if bytes.Contains(data, []byte(canary)) {
			t.Errorf("%s holds the canary from the environment", name)
		}
		if _, ok := a[name]; !ok {
			t.Errorf("%s is written only under the second environment", name)
		}
	}
	for name, data := range a {
		other, ok := b[name]
		switch {
		case !ok:
			t.Errorf("%s is written only under the first environment", name)
		case !bytes.Equal(data, other):
			t.Errorf("%s differs between environments:\n--- first\n%s\n--- second\n%s", name, clip(data), clip(other))
		}
	}
}

func clip(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "…"...)
	}
	return b
}
