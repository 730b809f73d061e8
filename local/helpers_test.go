package local

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// lines is the data contract of the test step types: one document per line of a .txt file.
const lines steps.Contract = "local-test-lines"

// The test step types: LclSourceStep writes the lines of its LINES setting,
// LclPassStep copies its input.
func init() {
	runtime.RegisterCodec(lines, runtime.Codec{
		Ext: ".txt",
		Read: func(r io.Reader) (steps.Data, error) {
			var d steps.Data
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				d.Documents = append(d.Documents, steps.Document{MD: sc.Text()})
			}
			return d, sc.Err()
		},
		Write: func(w io.Writer, d steps.Data) error {
			for _, doc := range d.Documents {
				if _, err := io.WriteString(w, doc.MD+"\n"); err != nil {
					return err
				}
			}
			return nil
		},
	})
	steps.Register(&steps.Type{
		Name: "LclSourceStep", Module: "wurzel.steps.test", Version: "1", Output: lines,
		Settings: []settings.Field{{Name: "LINES", Kind: settings.List, Default: `["a"]`}},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(context.Context, steps.Data) (steps.Data, error) {
				var d steps.Data
				for _, l := range v.Strings("LINES") {
					if l == "panic" {
						panic("asked to panic")
					}
					d.Documents = append(d.Documents, steps.Document{MD: l})
				}
				return d, nil
			}), nil
		},
	})
	steps.Register(&steps.Type{
		Name: "LclPassStep", Module: "wurzel.steps.test", Version: "1", Input: lines, Output: lines,
		New: func(settings.Values) (steps.Step, error) {
			return stepFunc(func(_ context.Context, in steps.Data) (steps.Data, error) { return in, nil }), nil
		},
	})
}

type stepFunc func(context.Context, steps.Data) (steps.Data, error)

func (f stepFunc) Run(ctx context.Context, in steps.Data) (steps.Data, error) { return f(ctx, in) }

// project writes files (slash paths to contents) into a temp folder, with the pipeline as
// pipeline.yaml, and makes it the working directory for the rest of the test.
func project(t *testing.T, pipelineYAML string, files map[string]string) *pipeline.Pipeline {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	files["pipeline.yaml"] = pipelineYAML
	for name, content := range files {
		p := filepath.FromSlash(name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := fs.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	p, err := pipeline.LoadFile("pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// header is the start of every test pipeline.
const header = `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: test
spec:
  steps:
`

// recorder keeps the events of a run.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Report(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) kinds(k EventKind) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Event
	for _, e := range r.events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// statuses maps each step of a result to its status.
func statuses(res *Result) map[string]string {
	out := map[string]string{}
	if res == nil {
		return out
	}
	for _, s := range res.Steps {
		out[s.Name] = s.Status.String()
	}
	return out
}

// testEnv is an environment for steps: PATH and nothing that could configure them.
func testEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH")}, extra...)
}

// mustRun runs p in the working directory and fails the test on error.
func mustRun(t *testing.T, p *pipeline.Pipeline, opts Options) *Result {
	t.Helper()
	if opts.Environ == nil {
		opts.Environ = testEnv()
	}
	res, err := Run(context.Background(), p, opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

// fileState is what must not change when a step is cached: inode, mtime and size.
type fileState struct {
	ino   uint64
	mtime time.Time
	size  int64
}

// snapshot records the fileState of everything below root.
func snapshot(t *testing.T, root string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(p, stateDirName) {
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fileState{mtime: fi.ModTime(), size: fi.Size()}
		if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
			st.ino = sys.Ino
		}
		out[p] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// leftovers lists temp folders under dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func needSh(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// newJournalFrom makes journal lines for the named steps from a state.json's records.
func newJournalFrom(t *testing.T, stateJSON []byte, names ...string) []byte {
	t.Helper()
	var f stateFile
	if err := json.Unmarshal(stateJSON, &f); err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, n := range names {
		line, err := json.Marshal(journalLine{Step: n, Record: f.Steps[n]})
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, line...), '\n')
	}
	return out
}
