package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
)

// Write writes files under dir so that a failure changes nothing: every file is first
// written to a temp file beside its destination and synced; only when all are staged are
// they renamed into place, replacing (never writing through) existing files or symlinks.
// Paths are resolved inside dir with os.Root, so a symlinked folder under dir cannot carry
// a write outside it. It returns the paths written.
func Write(dir string, files []File) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating output directory: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening output directory: %w", err)
	}
	defer root.Close()
	type staged struct{ tmp, final string }
	var done []staged
	cleanup := func() {
		for _, s := range done {
			_ = root.Remove(s.tmp)
		}
	}
	for _, f := range files {
		if d := path.Dir(f.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				cleanup()
				return nil, fmt.Errorf("writing %s: %w", path.Join(dir, f.Path), err)
			}
		}
		tmp, err := stage(root, f)
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("writing %s: %w", path.Join(dir, f.Path), err)
		}
		done = append(done, staged{tmp, f.Path})
	}
	var written []string
	dirs := map[string]bool{}
	for i, s := range done {
		if err := root.Rename(s.tmp, s.final); err != nil {
			for _, rest := range done[i:] {
				_ = root.Remove(rest.tmp)
			}
			return written, fmt.Errorf("writing %s (files written before it: %d): %w", path.Join(dir, s.final), len(written), err)
		}
		written = append(written, s.final)
		dirs[path.Dir(s.final)] = true
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		if err := syncDir(root, d); err != nil {
			return written, fmt.Errorf("syncing %s: %w", path.Join(dir, d), err)
		}
	}
	return written, nil
}

func stage(root *os.Root, f File) (string, error) {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(path.Dir(f.Path), "."+path.Base(f.Path)+".tmp-"+hex.EncodeToString(rnd[:]))
	mode := f.Mode
	if mode == 0 {
		mode = 0o644
	}
	w, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = w.Write(f.Body)
	if err == nil {
		err = w.Chmod(mode)
	}
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = root.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

func syncDir(root *os.Root, d string) error {
	f, err := root.Open(d)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
