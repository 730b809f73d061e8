package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/build/internal/source"
)

var info = source.Info{Version: "v1.2.3", Commit: strings.Repeat("ab", 20), Time: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}

func TestName(t *testing.T) {
	tests := []struct {
		version string
		p       source.Platform
		want    string
	}{
		{"v1.2.3", source.Platform{OS: "linux", Arch: "amd64"}, "wurzel_1.2.3_linux_amd64"},
		{"v1.2.3-rc.1", source.Platform{OS: "darwin", Arch: "arm64"}, "wurzel_1.2.3-rc.1_darwin_arm64"},
		{"dev", source.Platform{OS: "linux", Arch: "arm64"}, "wurzel_dev_linux_arm64"},
	}
	for _, tt := range tests {
		if got := Name(tt.version, tt.p); got != tt.want {
			t.Errorf("Name(%q, %s) = %q, want %q", tt.version, tt.p, got, tt.want)
		}
	}
}

func binaries() []Binary {
	var bins []Binary
	for _, p := range Platforms {
		bins = append(bins, Binary{Platform: p, Body: []byte("wurzel for " + p.String())})
	}
	return bins
}

func TestWrite(t *testing.T) {
	extra := map[string][]byte{"README.md": []byte("# wurzel\n"), "LICENSE": []byte("license\n")}
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	var sums []string
	for _, dir := range dirs {
		s, err := Write(dir, info, binaries(), extra)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	if sums[0] != sums[1] {
		t.Errorf("two releases differ:\n%s\n%s", sums[0], sums[1])
	}
	lines := strings.Split(strings.TrimSuffix(sums[0], "\n"), "\n")
	wantNames := []string{"wurzel_1.2.3_darwin_amd64.tar.gz", "wurzel_1.2.3_darwin_arm64.tar.gz", "wurzel_1.2.3_linux_amd64.tar.gz", "wurzel_1.2.3_linux_arm64.tar.gz"}
	if len(lines) != len(wantNames) {
		t.Fatalf("SHA256SUMS:\n%s", sums[0])
	}
	file, err := os.ReadFile(filepath.Join(dirs[0], ChecksumFile))
	if err != nil || string(file) != sums[0] {
		t.Errorf("%s = %q, %v", ChecksumFile, file, err)
	}
	for i, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || name != wantNames[i] {
			t.Fatalf("line %q, want a SHA-256, two spaces and %s", line, wantNames[i])
		}
		data, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: SHA256SUMS says %s, the file has %x", name, sum, h)
		}
	}

	// What a user unpacks: one folder, the binary executable, all files at the commit time.
	data, err := os.ReadFile(filepath.Join(dirs[0], "wurzel_1.2.3_linux_arm64.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if !h.ModTime.Equal(info.Time) || h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s: time %s owner %d:%d, want the commit time and root", h.Name, h.ModTime, h.Uid, h.Gid)
		}
		got = append(got, h.Name+" "+os.FileMode(h.Mode).String()+" "+string(body))
	}
	want := []string{
		"wurzel_1.2.3_linux_arm64/ -rwxr-xr-x ",
		"wurzel_1.2.3_linux_arm64/LICENSE -rw-r--r-- license\n",
		"wurzel_1.2.3_linux_arm64/README.md -rw-r--r-- # wurzel\n",
		"wurzel_1.2.3_linux_arm64/wurzel -rwxr-xr-x wurzel for linux/arm64",
	}
	if !slices.Equal(got, want) {
		t.Errorf("archive:\n got %q\nwant %q", got, want)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, info, binaries(), nil); err == nil || err.Error() != "writing the release: "+dir+" already exists: remove it or pick another folder" {
		t.Errorf("existing folder: %v", err)
	}
	twice := append(binaries(), binaries()[0])
	want := "platform linux/amd64: given twice"
	if _, err := Write(filepath.Join(dir, "x"), info, twice, nil); err == nil || err.Error() != want {
		t.Errorf("a platform twice: %v, want %q", err, want)
	}
}
