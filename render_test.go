// Package wurzel_test holds the end-to-end golden tests: every case under testdata/pipelines
// rendered for every backend into testdata/golden/. Update the goldens with
//
//	GOLDIE_UPDATE=1 go test -run TestGolden .
//
// and read the diff: golden files are what users see.
package wurzel_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sebdah/goldie/v2"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
	"github.com/wurzel-dev/wurzel/values"
)

// goldenVersion is the version rendered into golden headers.
const goldenVersion = "dev"

// testCase is a testdata/pipelines/<name>/case.yaml.
type testCase struct {
	Name         string   `yaml:"-"`
	Pipeline     string   `yaml:"pipeline"`
	Values       []string `yaml:"values"`
	Set          []string `yaml:"set"`
	TemplatesDir []string `yaml:"templatesDir"`
	PipelineName string   `yaml:"pipelineName"`
	Backends     []string `yaml:"backends"`
}

func loadCases(t *testing.T) []testCase {
	t.Helper()
	dirs, err := os.ReadDir("testdata/pipelines")
	if err != nil {
		t.Fatal(err)
	}
	var cases []testCase
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join("testdata/pipelines", d.Name(), "case.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var c testCase
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s/case.yaml: %v", d.Name(), err)
		}
		c.Name = d.Name()
		cases = append(cases, c)
	}
	return cases
}

// renderCase renders a case for every backend (or the case's list) in memory.
func renderCase(t *testing.T, c testCase) []engine.File {
	t.Helper()
	p, err := pipeline.LoadFile(c.Pipeline)
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(c.Pipeline)
	if err != nil {
		t.Fatal(err)
	}
	var layers []engine.Layer
	for _, d := range c.TemplatesDir {
		l, err := engine.DirLayer(d)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
	}
	lib, err := engine.Load(templates.FS, layers...)
	if err != nil {
		t.Fatal(err)
	}
	backends := c.Backends
	if len(backends) == 0 {
		backends = lib.Names()
	}
	job := &engine.Job{
		Pipeline: p, Source: src, Library: lib, Backends: backends,
		ValueFiles: c.Values, PipelineName: c.PipelineName,
		Version: goldenVersion, Image: "ghcr.io/wurzel-dev/wurzel:latest",
	}
	for _, s := range c.Set {
		job.Sets = append(job.Sets, engine.SetExpr{Kind: "set", Expr: s})
	}
	res, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res.Files
}

func TestGolden(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			files := renderCase(t, c)
			g := goldie.New(t, goldie.WithFixtureDir(filepath.Join("testdata", "golden", c.Name)), goldie.WithNameSuffix(".golden"))
			want := map[string]bool{}
			for _, f := range files {
				want[f.Path] = true
				g.Assert(t, f.Path, bytes.ReplaceAll(f.Body, []byte("\r\n"), []byte("\n")))
			}
			// A golden file nothing renders any more is stale: it documents output users no
			// longer get. Delete it (or restore what rendered it).
			root := filepath.Join("testdata", "golden", c.Name)
			_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(root, path)
				rel = strings.TrimSuffix(filepath.ToSlash(rel), ".golden")
				if !want[rel] {
					t.Errorf("stale golden file %s: no backend renders %s", path, rel)
				}
				return nil
			})
		})
	}
}

// TestRenderStable renders every case twice and compares the bytes.
func TestRenderStable(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			first, second := renderCase(t, c), renderCase(t, c)
			if len(first) != len(second) {
				t.Fatalf("%d files, then %d", len(first), len(second))
			}
			for i := range first {
				if first[i].Path != second[i].Path || !bytes.Equal(first[i].Body, second[i].Body) {
					t.Errorf("%s differs between two renders", first[i].Path)
				}
			}
		})
	}
}

// loadEmbedded loads the embedded packs once for the tests of this package; their templates
// are parsed on first use.
var loadEmbedded = sync.OnceValues(func() (*engine.Library, error) { return engine.Load(templates.FS) })

func embeddedLibrary(t *testing.T) *engine.Library {
	t.Helper()
	lib, err := loadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestDVCDataDirKeyLength: dvc.yaml writes <dataDir>/.wurzel_run_id as a YAML key, which
// may be at most 1024 characters once quoted; a longer one is refused with a message that
// names the value, not emitted as a broken file.
func TestDVCDataDirKeyLength(t *testing.T) {
	if err := renderSet(t, "diamond", "dvc", "dvc.dataDir="+strings.Repeat("d", 1000)); err != nil {
		t.Errorf("a 1,000-character data folder: %v", err)
	}
	for _, dir := range []string{strings.Repeat("d", 1010), strings.Repeat("'", 990), strings.Repeat("${", 495)} {
		err := renderSet(t, "diamond", "dvc", "dvc.dataDir="+dir)
		if err == nil || engine.IsBrokenOutput(err) || !strings.Contains(err.Error(), "dvc.dataDir (or global.dataDir) is ") ||
			!strings.Contains(err.Error(), "YAML keys are at most 1024: choose a shorter data folder") {
			t.Errorf("a data folder of %d bytes starting %q: got %v", len(dir), dir[:2], err)
		}
	}
}

// renderSet renders testdata/pipelines/NAME for one backend with --set-string expressions.
func renderSet(t *testing.T, name, backend string, sets ...string) error {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata/pipelines", name, "pipeline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.Parse(src, "pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	job := &engine.Job{Pipeline: p, Source: src, Library: embeddedLibrary(t), Backends: []string{backend},
		Version: goldenVersion, Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	for _, s := range sets {
		job.Sets = append(job.Sets, engine.SetExpr{Kind: values.SetString, Expr: s})
	}
	_, err = job.Run(context.Background())
	return err
}

// TestLabelValues: the packs that write Kubernetes objects refuse label and node selector
// values the API server would refuse, naming the key; label and annotation keys too.
func TestLabelValues(t *testing.T) {
	for _, tt := range []struct{ backend, set, want string }{
		{"argo", "argo.labels.team=a b", `metadata.labels, argo.labels: the value of team, "a b", is not a Kubernetes label value`},
		{"argo", "argo.nodeSelector.disk=a b", `argo.nodeSelector: the value of disk, "a b", is not a Kubernetes label value`},
		{"argo", "argo.labels.a_b/c=x", `argo.labels: key "a_b/c" is not a Kubernetes label or annotation key`},
		{"airflow", "airflow.kubernetes.labels.a_b/c=x", `labels (metadata.labels, airflow.kubernetes.labels): key "a_b/c" is not a Kubernetes label or annotation key`},
		{"airflow", "airflow.kubernetes.annotations.-x=y", `annotations (metadata.annotations, airflow.kubernetes.annotations): key "-x" is not a Kubernetes label or annotation key`},
		{"k8s-cronjob", "cronjob.labels.team=a b", `cronjob.labels: the value of team, "a b", is not a Kubernetes label value`},
	} {
		err := renderSet(t, "scheduled", tt.backend, tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--set-string %s: got %v, want %s", tt.set, err, tt.want)
		}
	}
	if err := renderSet(t, "scheduled", "argo", "argo.labels.team=data-1", "argo.nodeSelector.disk=ssd"); err != nil {
		t.Errorf("valid labels: %v", err)
	}
}

// wurzelBin is the folder of the wurzel binary the tests of this package share (built once,
// removed by TestMain).
var wurzelBin = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "wurzel-test-bin-")
	if err != nil {
		return "", err
	}
	builtDir = dir
	bin := filepath.Join(dir, "wurzel")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/wurzel").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

var builtDir string

// wurzelBinary returns the path of wurzel built from this checkout.
func wurzelBinary(t *testing.T) string {
	t.Helper()
	bin, err := wurzelBin()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}
