package repro

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
	"time"
)

var mtime = time.Date(2026, 11, 1, 12, 30, 45, 0, time.UTC)

type header struct {
	name     string
	mode     int64
	uid, gid int
	typ      byte
	link     string
	size     int64
	mtime    time.Time
}

func readTar(t *testing.T, data []byte) []header {
	t.Helper()
	var hs []header
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return hs
		}
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, header{h.Name, h.Mode, h.Uid, h.Gid, h.Typeflag, h.Linkname, h.Size, h.ModTime.UTC()})
	}
}

func TestWriteTar(t *testing.T) {
	entries := []Entry{
		File("usr/local/bin/wurzel", 0o755, 0, 0, []byte("binary")),
		Dir("data", 0o755, 65532, 65532),
		Symlink("bin/sh", "busybox"),
		Dir("tmp", 0o1777, 0, 0),
	}
	var buf bytes.Buffer
	if err := WriteTar(&buf, entries, mtime.Add(400*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	got := readTar(t, buf.Bytes())
	want := []header{
		{"bin/", 0o755, 0, 0, tar.TypeDir, "", 0, mtime},
		{"bin/sh", 0o777, 0, 0, tar.TypeSymlink, "busybox", 0, mtime},
		{"data/", 0o755, 65532, 65532, tar.TypeDir, "", 0, mtime},
		{"tmp/", 0o1777, 0, 0, tar.TypeDir, "", 0, mtime},
		{"usr/", 0o755, 0, 0, tar.TypeDir, "", 0, mtime},
		{"usr/local/", 0o755, 0, 0, tar.TypeDir, "", 0, mtime},
		{"usr/local/bin/", 0o755, 0, 0, tar.TypeDir, "", 0, mtime},
		{"usr/local/bin/wurzel", 0o755, 0, 0, tar.TypeReg, "", 6, mtime},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestWriteTarOrderDoesNotMatter(t *testing.T) {
	a := []Entry{File("b", 0o644, 0, 0, []byte("1")), File("a/x", 0o644, 0, 0, []byte("2")), Dir("a", 0o700, 1, 1)}
	b := []Entry{a[2], a[0], a[1]}
	ga, err := TarGz(a, mtime)
	if err != nil {
		t.Fatal(err)
	}
	gb, err := TarGz(b, mtime)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ga, gb) {
		t.Error("the same entries in another order give other bytes")
	}
	// An explicit parent folder keeps its mode and owner.
	data, err := io.ReadAll(mustGunzip(t, ga))
	if err != nil {
		t.Fatal(err)
	}
	if h := readTar(t, data)[0]; h.name != "a/" || h.mode != 0o700 || h.uid != 1 {
		t.Errorf("first entry %+v, want a/ with mode 700 owned by 1", h)
	}
}

func TestWriteTarErrors(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"absolute", []Entry{File("/etc/passwd", 0o644, 0, 0, nil)}, `entry name "/etc/passwd": want a clean relative path such as usr/local/bin/wurzel`},
		{"dot dot", []Entry{File("a/../b", 0o644, 0, 0, nil)}, `entry name "a/../b": want a clean relative path such as usr/local/bin/wurzel`},
		{"escapes", []Entry{File("../b", 0o644, 0, 0, nil)}, `entry name "../b": want a clean relative path such as usr/local/bin/wurzel`},
		{"empty", []Entry{File("", 0o644, 0, 0, nil)}, `entry name "": want a clean relative path such as usr/local/bin/wurzel`},
		{"trailing slash", []Entry{Dir("data/", 0o755, 0, 0)}, `entry name "data/": want a clean relative path such as usr/local/bin/wurzel`},
		{"twice", []Entry{File("a", 0o644, 0, 0, nil), Dir("a", 0o755, 0, 0)}, "entry a: listed twice"},
		{"parent is a file", []Entry{File("a", 0o644, 0, 0, nil), File("a/b", 0o644, 0, 0, nil)}, "entry a/b: its parent a is not a folder"},
		{"unknown type", []Entry{{Name: "dev", Type: tar.TypeChar}}, `entry dev: unsupported type '3'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteTar(io.Discard, tt.entries, mtime)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestGzipHeaderIsEmpty(t *testing.T) {
	data, err := Gzip([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	zr := mustGunzip(t, data)
	if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" {
		t.Errorf("gzip header %+v: want no name, time or comment", zr.Header)
	}
	again, err := Gzip([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Error("compressing twice gives other bytes")
	}
}

func mustGunzip(t *testing.T, data []byte) *gzip.Reader {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}
