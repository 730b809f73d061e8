package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// entries lists the names in dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "dvc.yaml")
	for _, content := range []string{"first\n", "second\n"} {
		if err := WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, p); got != content {
			t.Errorf("content %q, want %q", got, content)
		}
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if got := entries(t, dir); strings.Join(got, ",") != "dvc.yaml" {
		t.Errorf("folder holds %v, want only dvc.yaml", got)
	}
}

func TestWriteFileReplacesSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "bashrc")
	if err := os.WriteFile(target, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "dvc.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("stages: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, target); got != "precious\n" {
		t.Errorf("symlink target was written through: %q", got)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() {
		t.Errorf("%s is %v, want a regular file", link, fi.Mode())
	}
	if got := readFile(t, link); got != "stages: {}\n" {
		t.Errorf("content %q", got)
	}
}

func TestWriteFileErrorsLeaveNoTempFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a-folder")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, wantPrefix string
	}{
		{"destination is a folder", sub, "writing " + sub + ": rename "},
		{"missing folder", filepath.Join(dir, "missing", "x"), "writing " + filepath.Join(dir, "missing", "x") + ": open "},
		{"no file name", dir + "/", "writing " + dir + "/: not a file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFile(tt.path, []byte("x"), 0o644)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tt.wantPrefix) {
				t.Errorf("error %q, want prefix %q", err, tt.wantPrefix)
			}
			if got := entries(t, dir); strings.Join(got, ",") != "a-folder" {
				t.Errorf("folder holds %v after the error", got)
			}
		})
	}
}
