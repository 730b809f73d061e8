//go:build unix

package cmd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killedPipeline has a step that writes part of its output, says it is there, and sleeps
// unless FAST is set.
const killedPipeline = `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: killed
spec:
  steps:
    - name: first
      command: [sh, -c, 'echo 1 > "$WURZEL_OUTPUT_DIR/x"']
    - name: slow
      dependsOn: [first]
      command: [sh, -c, 'echo partial > "$WURZEL_OUTPUT_DIR/part"; touch "$MARKER"; [ -n "$FAST" ] || exec sleep 30; echo done > "$WURZEL_OUTPUT_DIR/done"']
    - name: last
      dependsOn: [slow]
      command: [sh, -c, 'cat "$WURZEL_INPUT_DIRS"/done > "$WURZEL_OUTPUT_DIR/copy"']
`

// TestRunPipelineSignals stops `wurzel run` in the middle of a step, by SIGTERM (as Ctrl-C
// or a container stop does) and by SIGKILL sent to its whole process group, then runs it
// again: no half-written output is ever in place, and the second run finishes the work
// without redoing what the first one finished.
func TestRunPipelineSignals(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	wurzel, err := exec.LookPath("wurzel") // the test binary, set up by TestMain
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		signal   syscall.Signal
		group    bool
		exit     int
		stderr   string
		leftover bool
	}{
		{"SIGTERM", syscall.SIGTERM, false, exitInterrupt, "wurzel: run run-1 interrupted: context canceled\n", false},
		{"SIGINT", syscall.SIGINT, false, exitInterrupt, "wurzel: run run-1 interrupted: context canceled\n", false},
		{"SIGKILL to the process group", syscall.SIGKILL, true, -1, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(killedPipeline), 0o644); err != nil {
				t.Fatal(err)
			}
			marker := filepath.Join(t.TempDir(), "marker")
			var stderr strings.Builder
			c := exec.Command(wurzel, "run", "-p", filepath.Join(dir, "pipeline.yaml"), "--log-format", "text")
			c.Env = append(os.Environ(), "MARKER="+marker, "WURZEL_RUN_ID=run-1")
			c.Stderr = &stderr
			c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, marker)
			target := c.Process.Pid
			if tt.group {
				target = -target
			}
			if err := syscall.Kill(target, tt.signal); err != nil {
				t.Fatal(err)
			}
			err := c.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.exit {
				t.Fatalf("exit %v, want status %d; stderr:\n%s", err, tt.exit, stderr.String())
			}
			if tt.stderr != "" && !strings.HasSuffix(stderr.String(), tt.stderr) {
				t.Errorf("stderr ends:\n%s\nwant it to end with %q", stderr.String(), tt.stderr)
			}
			if tt.exit == exitInterrupt {
				for _, want := range []string{"\nslow: cancelled (stopped: the run was interrupted)\n", "\nlast: cancelled (the run was interrupted before it started)\n"} {
					if !strings.Contains(stderr.String(), want) {
						t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
					}
				}
			}
			data := filepath.Join(dir, "data")
			if _, err := os.Stat(filepath.Join(data, "slow")); !os.IsNotExist(err) {
				t.Errorf("data/slow exists after the run was stopped in it")
			}
			if got := tmpFolders(t, data); (len(got) > 0) != tt.leftover {
				t.Errorf("temp folders %v; want some: %v", got, tt.leftover)
			}

			// Again, with a step that does not sleep: it finishes.
			stderr.Reset()
			again := exec.Command(wurzel, "run", "-p", filepath.Join(dir, "pipeline.yaml"), "--log-format", "text")
			again.Env = append(os.Environ(), "MARKER="+marker, "FAST=1", "WURZEL_RUN_ID=run-2")
			again.Stderr = &stderr
			if err := again.Run(); err != nil {
				t.Fatalf("second run: %v\n%s", err, stderr.String())
			}
			for _, want := range []string{"\nfirst: cached, unchanged since run run-1", "\nslow: done in ", "\nlast: done in "} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("second run: stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if b, err := os.ReadFile(filepath.Join(data, "last", "copy")); err != nil || string(b) != "done\n" {
				t.Errorf("data/last/copy: %q, %v", b, err)
			}
			if got := tmpFolders(t, data); len(got) > 0 {
				t.Errorf("second run left temp folders %v", got)
			}
		})
	}
}

// TestRunPipelineInterruptedInProcess cancels the context of `wurzel run` as Main does on
// SIGINT: exit 130, the running step's temp folder removed.
func TestRunPipelineInterruptedInProcess(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(killedPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "marker")
	t.Setenv("MARKER", marker)
	t.Setenv("WURZEL_RUN_ID", "run-1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for {
			if _, err := os.Stat(marker); err == nil {
				cancel()
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	wd, _ := os.Getwd()
	var stdout, stderr strings.Builder
	code := run(ctx, []string{"run", "-p", filepath.Join(dir, "pipeline.yaml"), "--log-format", "text"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitInterrupt {
		t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitInterrupt, stderr.String())
	}
	if now, _ := os.Getwd(); now != wd {
		t.Errorf("working directory %s after the run, want %s", now, wd)
	}
	if got := tmpFolders(t, filepath.Join(dir, "data")); len(got) > 0 {
		t.Errorf("left behind: %v", got)
	}
}

func waitFor(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tmpFolders(t *testing.T, dir string) []string {
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
