package image

import (
	"archive/tar"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/build/internal/repro"
)

// Entries returns the files of the image layers as entries: with wurzel, the base files and
// the binary; with busybox, the -shell variant's busybox and its links. Either may be nil.
func Entries(wurzel, busybox []byte) ([]repro.Entry, error) {
	var entries []repro.Entry
	if wurzel != nil {
		base, err := baseFiles()
		if err != nil {
			return nil, err
		}
		entries = append(base, repro.File(strings.TrimPrefix(BinaryPath, "/"), 0o755, 0, 0, wurzel))
	}
	if busybox != nil {
		entries = append(entries, shellFiles(busybox)...)
	}
	return entries, nil
}

// WriteRootfs writes entries below dir with their modes and owners, as the image layers
// hold them, for a Dockerfile to copy into an empty image. Owners need root.
func WriteRootfs(dir string, entries []repro.Entry) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("writing the image files to %s: run as root, to give them their owners", dir)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	for _, e := range entries {
		p := filepath.Join(dir, filepath.FromSlash(e.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		switch e.Type {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.WriteFile(p, e.Body, 0o600); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(e.Linkname, p); err != nil {
				return err
			}
			if err := os.Lchown(p, e.UID, e.GID); err != nil {
				return err
			}
			continue
		}
		if err := os.Chown(p, e.UID, e.GID); err != nil {
			return err
		}
		mode := os.FileMode(e.Mode & 0o777)
		if e.Mode&0o1000 != 0 {
			mode |= os.ModeSticky
		}
		if err := os.Chmod(p, mode); err != nil {
			return err
		}
	}
	return nil
}
