//go:build unix

package wurzel_test

// Hostile override templates (testdata/adversarial/templates/<case>/, given with
// --templates-dir) and hostile override directories: each fails fast, as invalid input
// (exit 2), with a message that says what is wrong.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
)

// renderWithOverride renders the diamond pipeline for argo with the override directory dir.
func renderWithOverride(t *testing.T, dir string) error {
	t.Helper()
	layer, err := engine.DirLayer(dir)
	if err != nil {
		return err
	}
	lib, err := engine.Load(templates.FS, layer)
	if err != nil {
		return err
	}
	p, err := pipeline.LoadFile("testdata/pipelines/diamond/pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	job := &engine.Job{Pipeline: p, Library: lib, Backends: []string{"argo"}, Version: goldenVersion, Image: "ghcr.io/wurzel-dev/wurzel:latest"}
	_, err = job.Run(context.Background())
	return err
}

// TestHostileOverrideTemplates: every case of testdata/adversarial/templates fails with its
// message, as invalid input.
func TestHostileOverrideTemplates(t *testing.T) {
	tests := []struct {
		dir, want string
		// slow cases loop until RenderTimeout: they run in a process of their own with a
		// short timeout, because the abandoned template keeps a goroutine busy.
		slow bool
	}{
		{"template-recursion", "exceeded maximum template depth (100000)", false},
		{"include-recursion", `include "loop": nested more than 100 deep`, false},
		{"template-fanout", "a template loops too long", true},
		{"nested-ranges", "a template loops too long", true},
		{"repeat", "repeat: 3000000000 copies of 1 bytes is more than 1048576 bytes", false},
		{"repeat-overflow", "repeat: 4611686018427387904 copies of 4 bytes is more than 1048576 bytes", false},
		{"until", "sequence of 100000000 items is longer than 65536", false},
		{"untilstep-overflow", "sequence of 18446744073709551615 items is longer than 65536", false},
		{"output-cap", "output is larger than", false},
		{"printf-width", `printf "%999999999d": width or precision 999999999 is more than 4096`, false},
		{"indent", "indent: 1000000000 spaces is more than 1024", false},
		{"env", `function "env" not defined`, false},
		{"expandenv", `function "expandenv" not defined`, false},
		{"now", `function "now" not defined`, false},
		{"missing-key", `map has no entry for key "nope"`, false},
		{"index-missing", `map has no entry for key "nope"`, false},
		{"no-value", "prints <no value>: a template reads a missing key", false},
		{"broken-yaml", "not valid YAML (a template emits broken structure)", false},
		{"alias-bomb", "not valid YAML", false},
		{"shadow", `argo/_zz_shadow.tpl defines "argo.name", which argo/_helpers.tpl (embedded) defines too: to change it, override argo/_helpers.tpl itself`, false},
	}
	if os.Getenv("WURZEL_TEST_SLOW_TEMPLATE") != "" {
		// The child process of a slow case: render with a short timeout and print the error.
		engine.RenderTimeout = time.Second
		err := renderWithOverride(t, os.Getenv("WURZEL_TEST_SLOW_TEMPLATE"))
		fmt.Printf("invalid=%v err=%v\n", engine.IsInvalid(err), err)
		return
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := filepath.Join("testdata", "adversarial", "templates", tt.dir)
			var msg string
			if tt.slow {
				cmd := exec.Command(os.Args[0], "-test.run=^TestHostileOverrideTemplates$", "-test.count=1")
				cmd.Env = append(os.Environ(), "WURZEL_TEST_SLOW_TEMPLATE="+dir)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				msg = string(out)
				if !strings.Contains(msg, "invalid=true") {
					t.Errorf("not refused as invalid input:\n%s", msg)
				}
			} else {
				err := renderWithOverride(t, dir)
				if err == nil {
					t.Fatalf("rendered; want an error holding %q", tt.want)
				}
				if !engine.IsInvalid(err) {
					t.Errorf("%v: not refused as invalid input (exit 2)", err)
				}
				msg = err.Error()
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("got %s\nwant it to hold %q", msg, tt.want)
			}
		})
	}
}

// TestHostileOverrideDirectories: an override directory may hold only regular files, of at
// most 1 MiB, at most 500 of them; a symlink (to a file inside the directory too), a FIFO or
// a device is refused before anything is opened, so nothing blocks.
func TestHostileOverrideDirectories(t *testing.T) {
	const limit = 1 << 20
	valid := func(size int) []byte {
		// A template that renders a valid workflow: a comment line padded to size bytes.
		head := "{{/* " // a template comment, so the padding renders nothing
		tail := " */}}kind: Workflow\n"
		return []byte(head + strings.Repeat("x", size-len(head)-len(tail)) + tail)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, argo string)
		want  string // "" when the directory is fine
	}{
		{"file at the limit", func(t *testing.T, argo string) {
			writeFile(t, filepath.Join(argo, "workflow.yaml.tmpl"), string(valid(limit)))
		}, ""},
		{"file one byte under the limit", func(t *testing.T, argo string) {
			writeFile(t, filepath.Join(argo, "workflow.yaml.tmpl"), string(valid(limit-1)))
		}, ""},
		{"file one byte over the limit", func(t *testing.T, argo string) {
			writeFile(t, filepath.Join(argo, "workflow.yaml.tmpl"), string(valid(limit+1)))
		}, "argo/workflow.yaml.tmpl: larger than 1048576 bytes"},
		{"symlink out of the directory", func(t *testing.T, argo string) {
			if err := os.Symlink("/etc/passwd", filepath.Join(argo, "workflow.yaml.tmpl")); err != nil {
				t.Fatal(err)
			}
		}, "argo/workflow.yaml.tmpl: not a regular file (symlinks, devices and pipes are not read)"},
		{"symlink inside the directory", func(t *testing.T, argo string) {
			writeFile(t, filepath.Join(argo, "real.tmpl"), "x")
			if err := os.Symlink("real.tmpl", filepath.Join(argo, "workflow.yaml.tmpl")); err != nil {
				t.Fatal(err)
			}
		}, "argo/workflow.yaml.tmpl: not a regular file (symlinks, devices and pipes are not read)"},
		{"symlinked folder", func(t *testing.T, argo string) {
			other := t.TempDir()
			writeFile(t, filepath.Join(other, "workflow.yaml.tmpl"), "x")
			if err := os.Symlink(other, filepath.Join(argo, "sub")); err != nil {
				t.Fatal(err)
			}
		}, "argo/sub: not a regular file (symlinks, devices and pipes are not read)"},
		{"FIFO", func(t *testing.T, argo string) {
			if err := syscall.Mkfifo(filepath.Join(argo, "workflow.yaml.tmpl"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "argo/workflow.yaml.tmpl: not a regular file (symlinks, devices and pipes are not read)"},
		{"FIFO as pack.yaml", func(t *testing.T, argo string) {
			if err := syscall.Mkfifo(filepath.Join(argo, "pack.yaml"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "argo/pack.yaml: not a regular file (symlinks, devices and pipes are not read)"},
		{"too many files", func(t *testing.T, argo string) {
			for i := 0; i < 501; i++ {
				writeFile(t, filepath.Join(argo, fmt.Sprintf("_%03d.tpl", i)), "")
			}
		}, "more than 500 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			argo := filepath.Join(dir, "argo")
			if err := os.MkdirAll(argo, 0o755); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, argo)
			done := make(chan error, 1)
			go func() { done <- renderWithOverride(t, dir) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("still loading after a minute: something blocks on the directory")
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want the directory read", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v\nwant an error holding %q", err, tt.want)
			case tt.want != "" && !engine.IsInvalid(err):
				t.Errorf("%v: not refused as invalid input (exit 2)", err)
			}
		})
	}
}
