//go:build unix

package runtime

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

// TestRunCommandKilled kills wurzel (a helper process running RunCommand) with SIGKILL
// while its custom step writes: no output folder appears, the step dies with it on Linux (on
// other systems the orphan keeps its temp folder from being cleaned up while it lives), and
// the next run removes the folder.
func TestRunCommandKilled(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	writeFiles(t, out, map[string]string{"previous.json": "old"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRunCommand$")
	cmd.Env = append(os.Environ(), "RUNTIME_HELPER_OUT="+out)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	defer syscall.Kill(-pgid, syscall.SIGKILL)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "writing\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil { // wurzel only, not its step
		t.Fatal(err)
	}
	_ = cmd.Wait()

	if got := readTree(t, out); got != "previous.json=old" {
		t.Errorf("output after SIGKILL: %s", got)
	}
	if goruntime.GOOS != "linux" { // on Linux the step dies with wurzel (parent-death signal)
		if err := atomicfile.Sweep(root); err != nil {
			t.Fatal(err)
		}
		if got := names(t, root); len(got) != 2 {
			t.Errorf("the live step's temp folder was removed: %v", got)
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL) // now the orphaned step too
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := atomicfile.Sweep(root); err != nil {
			t.Fatal(err)
		}
		got := names(t, root)
		if len(got) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("leftover not cleaned: %v", got)
		}
		time.Sleep(20 * time.Millisecond) // the kernel releases the lock when the step is reaped
	}
	if got := readTree(t, out); got != "previous.json=old" {
		t.Errorf("output after cleanup: %s", got)
	}
}

// TestHelperRunCommand is the wurzel process TestRunCommandKilled kills.
func TestHelperRunCommand(t *testing.T) {
	out := os.Getenv("RUNTIME_HELPER_OUT")
	if out == "" {
		t.Skip("helper process")
	}
	_, err := RunCommand(context.Background(), Options{
		Command: []string{"sh", "-c", `printf '[{"md": "half' > "$WURZEL_OUTPUT_DIR/x.json"; echo writing; exec sleep 60`},
		Output:  out,
		Environ: os.Environ(),
		Stdout:  os.Stdout,
	})
	fmt.Fprintln(os.Stderr, "helper finished:", err)
	os.Exit(1)
}
