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
	"sync"
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
	type staged struct {
		tmp, final string
		err        error
	}
	done := make([]staged, len(files))
	cleanup := func() {
		for _, s := range done {
			if s.tmp != "" {
				_ = root.Remove(s.tmp)
			}
		}
	}
	for i, f := range files {
		done[i].final = f.Path
		if d := path.Dir(f.Path); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return nil, fmt.Errorf("writing %s: %w", path.Join(dir, f.Path), err)
			}
		}
	}
	// Stage the files concurrently: each one's fsync waits for the disk, and file systems
	// commit concurrent syncs together.
	work := make(chan int, len(files))
	for i := range files {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range min(len(files), maxConcurrentWrites) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				done[i].tmp, done[i].err = stage(root, files[i])
			}
		}()
	}
	wg.Wait()
	for _, s := range done {
		if s.err != nil {
			cleanup()
			return nil, fmt.Errorf("writing %s: %w", path.Join(dir, s.final), s.err)
		}
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
	errs := make([]error, len(names))
	for i, d := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = syncDir(root, d)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return written, fmt.Errorf("syncing %s: %w", path.Join(dir, names[i]), err)
		}
	}
	return written, nil
}

// maxConcurrentWrites bounds the files staged at once.
const maxConcurrentWrites = 8

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
