package cmd

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunInterrupted cancels `wurzel run -- COMMAND` the way SIGINT/SIGTERM does: the
// command is stopped, no output folder appears, and the exit status is 130.
func TestRunInterrupted(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		if line == "ready\n" {
			cancel()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	var stderr strings.Builder
	code := run(ctx, []string{"run", "-o", out, "--", "sh", "-c", `echo x > "$WURZEL_OUTPUT_DIR/x"; echo ready; while :; do sleep 0.05; done`},
		strings.NewReader(""), pw, &stderr)
	pw.Close()
	if code != exitInterrupt {
		t.Errorf("exit status %d, want %d; stderr: %s", code, exitInterrupt, stderr.String())
	}
	if got, want := stderr.String(), "wurzel: step out: interrupted: context canceled\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
