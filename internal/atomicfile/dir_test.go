package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// tree reads every file below dir as "name=content" lines, sorted.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		lines = append(lines, rel+"="+string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

func TestDirCommit(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprintf("fallback=%v", fallback), func(t *testing.T) {
			if fallback {
				exchangeFunc = func(a, b string) error {
					return &os.LinkError{Op: "exchange", Old: a, New: b, Err: errors.ErrUnsupported}
				}
				t.Cleanup(func() { exchangeFunc = exchange })
			}
			root := t.TempDir()
			out := filepath.Join(root, "data", "splitter")
			for i, files := range []map[string]string{
				{"a.json": "1", "sub/b.json": "2"},
				{"c.json": "3"},
			} {
				d, err := CreateDir(out)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(filepath.Base(d.Path()), "splitter.tmp-") {
					t.Errorf("temp folder %s", d.Path())
				}
				writeTree(t, d.Path(), files)
				if _, err := os.Stat(out); i == 0 && !errors.Is(err, os.ErrNotExist) {
					t.Errorf("output exists before Commit: %v", err)
				}
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
				if err := d.Discard(); err != nil {
					t.Errorf("Discard after Commit: %v", err)
				}
				want := map[int]string{0: "a.json=1\nsub/b.json=2", 1: "c.json=3"}[i]
				if got := tree(t, out); got != want {
					t.Errorf("run %d: output\n%s\nwant\n%s", i, got, want)
				}
				if got := entries(t, filepath.Dir(out)); strings.Join(got, ",") != "splitter" {
					t.Errorf("run %d: data/ holds %v", i, got)
				}
			}
		})
	}
}

func TestDirDiscardKeepsPreviousOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	writeTree(t, out, map[string]string{"old.json": "old"})
	d, err := CreateDir(out)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, d.Path(), map[string]string{"half.json": "{"})
	if err := d.Discard(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, out); got != "old.json=old" {
		t.Errorf("previous output changed: %s", got)
	}
	if got := entries(t, root); strings.Join(got, ",") != "out" {
		t.Errorf("root holds %v", got)
	}
	if err := d.Commit(); err == nil {
		t.Error("Commit after Discard succeeded")
	}
}

func TestDirReplacesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	root := t.TempDir()
	elsewhere := filepath.Join(root, "elsewhere")
	writeTree(t, elsewhere, map[string]string{"keep.txt": "keep"})
	out := filepath.Join(root, "out")
	if err := os.Symlink(elsewhere, out); err != nil {
		t.Fatal(err)
	}
	d, err := CreateDir(out)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, d.Path(), map[string]string{"new.json": "new"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(out)
	if err != nil || !fi.IsDir() {
		t.Fatalf("out is %v (%v), want a folder", fi.Mode(), err)
	}
	if got := tree(t, out); got != "new.json=new" {
		t.Errorf("output %s", got)
	}
	if got := tree(t, elsewhere); got != "keep.txt=keep" {
		t.Errorf("symlink target changed: %s", got)
	}
}

func TestCreateDirErrors(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	writeTree(t, root, map[string]string{"file": "x"})
	tests := []struct{ path, want string }{
		{file, "output folder " + file + ": exists and is not a folder"},
		{filepath.Join(file, "below"), "creating output folder " + filepath.Join(file, "below") + ": mkdir " + file + ": not a directory"},
		{"/", "output folder /: not a folder name"},
	}
	for _, tt := range tests {
		_, err := CreateDir(tt.path)
		if err == nil || err.Error() != tt.want {
			t.Errorf("CreateDir(%s) = %v, want %s", tt.path, err, tt.want)
		}
	}
}

func TestCleanStale(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	for _, name := range []string{
		"out.tmp-0123456789abcdef",        // abandoned: removed
		"out.tmp-fedcba9876543210",        // abandoned: removed
		"out.tmp-keep",                    // not ours
		"out2.tmp-0123456789abcdef",       // another output's, abandoned: removed too
		"out.tmp-0123456789abcdef-backup", // not ours
	} {
		writeTree(t, filepath.Join(root, name), map[string]string{"x": "x"})
	}
	live, err := CreateDir(out) // cleans, then holds its own temp folder
	if err != nil {
		t.Fatal(err)
	}
	defer live.Discard()
	second, err := CreateDir(out) // must not remove the live one
	if err != nil {
		t.Fatal(err)
	}
	defer second.Discard()
	want := []string{
		filepath.Base(live.Path()), filepath.Base(second.Path()),
		"out.tmp-0123456789abcdef-backup", "out.tmp-keep",
	}
	got := entries(t, root)
	for _, w := range want {
		if !contains(got, w) {
			t.Errorf("%s was removed; left: %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("left %v, want %v", got, want)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDirKilled kills a writer with SIGKILL in the middle of filling its folder: the
// previous output stays intact, and the next CreateDir removes the leftover.
func TestDirKilled(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	writeTree(t, out, map[string]string{"old.json": "old"})

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_HELPER_OUT="+out)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "writing\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	if got := tree(t, out); got != "old.json=old" {
		t.Errorf("output after SIGKILL: %s", got)
	}
	if n := len(entries(t, root)); n != 2 {
		t.Errorf("want out and one leftover temp folder, got %v", entries(t, root))
	}
	d, err := CreateDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Discard(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, root); strings.Join(got, ",") != "out" {
		t.Errorf("leftover not cleaned: %v", got)
	}
}

// TestHelperWriter is the process TestDirKilled kills; it does nothing in a normal run.
func TestHelperWriter(t *testing.T) {
	out := os.Getenv("ATOMICFILE_HELPER_OUT")
	if out == "" {
		t.Skip("helper process")
	}
	d, err := CreateDir(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := os.Create(filepath.Join(d.Path(), "new.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_, _ = f.WriteString(`[{"md": "half`)
	fmt.Println("writing")
	time.Sleep(time.Minute) // until SIGKILL
	os.Exit(1)
}

// TestSweepRacesCreate sweeps a folder while other goroutines create, fill and commit
// outputs in it, as parallel steps of a run (or another wurzel process) do: a sweep must
// never remove a temp folder that is being created, however the two interleave.
func TestSweepRacesCreate(t *testing.T) {
	root := t.TempDir()
	stop := make(chan struct{})
	swept := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				swept <- nil
				return
			default:
			}
			if err := Sweep(root); err != nil {
				swept <- err
				return
			}
		}
	}()
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			out := filepath.Join(root, fmt.Sprintf("out%d", w))
			for i := range 150 {
				d, err := CreateDir(out)
				if err != nil {
					errs <- err
					return
				}
				err = os.WriteFile(filepath.Join(d.Path(), "n"), []byte(fmt.Sprint(i)), 0o644)
				if err == nil {
					err = d.Commit()
				}
				if err != nil {
					d.Discard()
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(stop)
	if err := <-swept; err != nil {
		t.Error(err)
	}
	for w := range 4 {
		b, err := os.ReadFile(filepath.Join(root, fmt.Sprintf("out%d", w), "n"))
		if err != nil || string(b) != "149" {
			t.Errorf("out%d/n = %q, %v; want 149", w, b, err)
		}
	}
}
