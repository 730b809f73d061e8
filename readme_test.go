package wurzel_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
)

// TestReadmeGeneratedSections keeps the README's generated parts equal to what wurzel
// prints: the backend table (wurzel backends --matrix --format markdown) and the example's
// graph (wurzel graph). GOLDIE_UPDATE=1 rewrites them.
func TestReadmeGeneratedSections(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	lib, err := engine.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.LoadFile("examples/pipelinedemo/pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sections := []struct{ begin, end, want string }{
		{"<!-- backends:begin", "<!-- backends:end -->", engine.MatrixMarkdown(lib.Packs)},
		{"```mermaid\n", "```", p.Mermaid()},
	}
	updated := readme
	for _, s := range sections {
		i := strings.Index(updated, s.begin)
		if i < 0 {
			t.Fatalf("README.md has no %q", s.begin)
		}
		start := i + strings.Index(updated[i:], "\n") + 1
		end := start + strings.Index(updated[start:], s.end)
		if end < start {
			t.Fatalf("README.md: no %q after %q", s.end, s.begin)
		}
		if got := updated[start:end]; got != s.want {
			if os.Getenv("GOLDIE_UPDATE") == "" {
				t.Errorf("README.md section after %q is out of date; run GOLDIE_UPDATE=1 go test -run TestReadme . and read the diff.\ngot:\n%s\nwant:\n%s", s.begin, got, s.want)
			}
			updated = updated[:start] + s.want + updated[end:]
		}
	}
	if updated != readme && os.Getenv("GOLDIE_UPDATE") != "" {
		if err := os.WriteFile("README.md", []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadmeQuickstart runs every `go run ./cmd/wurzel …` command of the README's quick start,
// with a binary built from this tree, in a copy of examples/: the commands a new user types
// first must work as written.
func TestReadmeQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wurzel")
	}
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(data), "## Quick start")
	end := strings.Index(string(data)[start:], "\n## Install")
	if start < 0 || end < 0 {
		t.Fatal("README.md has no quick start section before Install")
	}
	section := string(data)[start : start+end]
	var commands [][]string
	for _, line := range strings.Split(section, "\n") {
		line, _, _ = strings.Cut(line, "#")
		args, ok := strings.CutPrefix(strings.TrimSpace(line), "go run ./cmd/wurzel ")
		if ok {
			commands = append(commands, strings.Fields(args))
		}
	}
	if len(commands) < 3 {
		t.Fatalf("found %d wurzel commands in the quick start: %v", len(commands), commands)
	}
	dir := t.TempDir()
	bin := wurzelBinary(t)
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS("examples")); err != nil {
		t.Fatal(err)
	}
	for _, args := range commands {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("wurzel %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, want := range []string{"examples/pipelinedemo/data/dedup", "out/dvc.yaml", "out/argo/workflow.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("after the quick start: %v", err)
		}
	}
}
