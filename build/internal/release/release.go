// Package release writes the release archives of wurzel: for each platform a .tar.gz holding
// one folder with the binary and the README, and a SHA256SUMS file over them. Archives are
// reproducible: entries are sorted, owned by root, timed at the commit time, and compressed
// with a fixed gzip header, so equal binaries give equal bytes.
package release

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/build/internal/repro"
	"github.com/wurzel-dev/wurzel/build/internal/source"
)

// Platforms are the platforms a release is built for.
var Platforms = []source.Platform{{OS: "linux", Arch: "amd64"}, {OS: "linux", Arch: "arm64"}, {OS: "darwin", Arch: "amd64"}, {OS: "darwin", Arch: "arm64"}}

// ChecksumFile is the name of the checksum file, in the format sha256sum -c reads.
const ChecksumFile = "SHA256SUMS"

// Name is the base name of the archive of version for p, without extension:
// wurzel_1.2.3_linux_amd64 for v1.2.3.
func Name(version string, p source.Platform) string {
	return "wurzel_" + strings.TrimPrefix(version, "v") + "_" + p.OS + "_" + p.Arch
}

// Binary is one platform's wurzel binary.
type Binary struct {
	Platform source.Platform
	Body     []byte
}

// Archive returns the .tar.gz of one platform: the folder Name(version, p) holding wurzel and
// the extra files (name to content), such as README.md.
func Archive(info source.Info, b Binary, extra map[string][]byte) ([]byte, error) {
	dir := Name(info.Version, b.Platform)
	entries := []repro.Entry{
		repro.Dir(dir, 0o755, 0, 0),
		repro.File(dir+"/wurzel", 0o755, 0, 0, b.Body),
	}
	for name, body := range extra {
		entries = append(entries, repro.File(dir+"/"+name, 0o644, 0, 0, body))
	}
	return repro.TarGz(entries, info.Time)
}

// Write writes the archive of every binary and SHA256SUMS into dir, which must not exist,
// and returns the content of SHA256SUMS.
func Write(dir string, info source.Info, bins []Binary, extra map[string][]byte) (string, error) {
	if _, err := os.Stat(dir); err == nil {
		return "", fmt.Errorf("writing the release: %s already exists: remove it or pick another folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	sums := map[string]string{}
	for _, b := range bins {
		data, err := Archive(info, b, extra)
		if err != nil {
			return "", fmt.Errorf("archive for %s: %w", b.Platform, err)
		}
		name := Name(info.Version, b.Platform) + ".tar.gz"
		if _, dup := sums[name]; dup {
			return "", fmt.Errorf("platform %s: given twice", b.Platform)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", err
		}
		sums[name] = repro.SHA256(data)
	}
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	if err := os.WriteFile(filepath.Join(dir, ChecksumFile), []byte(b.String()), 0o644); err != nil {
		return "", err
	}
	return b.String(), nil
}
