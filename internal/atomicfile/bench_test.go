package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDirCommit builds and commits a 10-file output folder over an existing one.
func BenchmarkDirCommit(b *testing.B) {
	out := filepath.Join(b.TempDir(), "out")
	data := make([]byte, 4096)
	for b.Loop() {
		d, err := CreateDir(out)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 10 {
			if err := os.WriteFile(filepath.Join(d.Path(), string(rune('a'+i))), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFile replaces a 4 KiB file.
func BenchmarkWriteFile(b *testing.B) {
	p := filepath.Join(b.TempDir(), "f")
	data := make([]byte, 4096)
	for b.Loop() {
		if err := WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
