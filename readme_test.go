package wurzel_test

import (
	"os"
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
