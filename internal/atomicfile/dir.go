package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Dir is an output folder being built next to its final path. Fill Path(), then Commit;
// Discard removes it (a no-op after Commit), so `defer d.Discard()` is always safe.
type Dir struct {
	final string
	tmp   string
	lock  *os.File
	done  bool
}

// exchangeFunc is exchange; tests replace it to cover the fallback.
var exchangeFunc = exchange

// tmpSuffix matches the random part of temp folder names.
var tmpSuffix = regexp.MustCompile(`^\.tmp-[0-9a-f]{16}$`)

// CreateDir prepares the output folder final: it creates final's parent folders, removes
// OUT.tmp-* siblings left behind by killed runs (skipping those a live process holds) and
// creates an empty folder OUT.tmp-<random> (mode 0755) next to final, locked for as long as
// this process (or a child it passes Lock to) lives. An existing final that is not a folder
// or a symlink is an error.
func CreateDir(final string) (*Dir, error) {
	final = filepath.Clean(final)
	parent, base := filepath.Dir(final), filepath.Base(final)
	if base == string(filepath.Separator) || base == "." || base == ".." {
		return nil, fmt.Errorf("output folder %s: not a folder name", final)
	}
	if fi, err := os.Lstat(final); err == nil && !fi.IsDir() && fi.Mode()&fs.ModeSymlink == 0 {
		return nil, fmt.Errorf("output folder %s: exists and is not a folder", final)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder %s: %w", final, err)
	}
	if err := CleanStale(final); err != nil {
		return nil, err
	}
	for range 10 {
		tmp := filepath.Join(parent, base+".tmp-"+randomHex())
		err := os.Mkdir(tmp, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating output folder %s: %w", final, err)
		}
		if err := os.Chmod(tmp, 0o755); err != nil { // the umask applied to Mkdir
			_ = os.Remove(tmp)
			return nil, fmt.Errorf("creating output folder %s: %w", final, err)
		}
		lock, err := lockDir(tmp)
		if err != nil {
			_ = os.Remove(tmp)
			return nil, fmt.Errorf("creating output folder %s: locking %s: %w", final, tmp, err)
		}
		return &Dir{final: final, tmp: tmp, lock: lock}, nil
	}
	return nil, fmt.Errorf("creating output folder %s: no free temp name", final)
}

// Path is the temp folder to fill.
func (d *Dir) Path() string { return d.tmp }

// Final is the folder Commit replaces.
func (d *Dir) Final() string { return d.final }

// Lock is the open, locked temp folder (nil where locks are not supported). Give it to a
// child process (exec.Cmd.ExtraFiles) so that the folder counts as in use while the child
// lives, even when this process is killed.
func (d *Dir) Lock() *os.File { return d.lock }

// Commit syncs every file and folder in Path, then puts Path in place of final in one
// rename (an exchange where the system supports it, so final is never missing) and removes
// the old content. A symlink at final is replaced, not followed.
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("output folder %s: already committed or discarded", d.final)
	}
	if err := syncTree(d.tmp); err != nil {
		return fmt.Errorf("syncing output folder %s: %w", d.final, err)
	}
	old, err := replace(d.tmp, d.final)
	if err != nil {
		return fmt.Errorf("moving output folder %s into place: %w", d.final, err)
	}
	d.done = true
	d.unlock()
	if err := syncDir(filepath.Dir(d.final)); err != nil {
		return fmt.Errorf("syncing %s: %w", filepath.Dir(d.final), err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("removing the previous output %s: %w", old, err)
		}
	}
	return nil
}

// Discard removes the temp folder. It does nothing after Commit.
func (d *Dir) Discard() error {
	if d.done {
		return nil
	}
	d.done = true
	d.unlock()
	if err := os.RemoveAll(d.tmp); err != nil {
		return fmt.Errorf("removing temp output folder %s: %w", d.tmp, err)
	}
	return nil
}

func (d *Dir) unlock() {
	if d.lock != nil {
		_ = d.lock.Close()
		d.lock = nil
	}
}

// replace puts the folder tmp in place of final. It returns the path where the previous
// content of final now is ("" when there was none).
func replace(tmp, final string) (old string, err error) {
	if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, final)
	}
	switch err := exchangeFunc(tmp, final); {
	case err == nil:
		return tmp, nil
	case !errors.Is(err, errors.ErrUnsupported):
		return "", err
	}
	// No atomic exchange here: move the old folder aside (to a name CleanStale knows),
	// then move the new one in. A crash in between leaves no final, never a mixed one.
	old = filepath.Join(filepath.Dir(final), filepath.Base(final)+".tmp-"+randomHex())
	if err := os.Rename(final, old); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Rename(old, final)
		return "", err
	}
	return old, nil
}

// cleaned records the folders CleanStale has swept in this process.
var cleaned sync.Map

// CleanStale removes the temp folders (<name>.tmp-<random>) that killed runs left in
// final's parent folder and that no live process holds. A parent is swept once per process,
// for every output in it at once: a run of a thousand steps in one data folder reads that
// folder once, not a thousand times. (A temp folder this process creates later is its own,
// and locked, so nothing stale can appear behind the sweep but by another process dying,
// which the next run cleans up.)
func CleanStale(final string) error {
	parent := filepath.Dir(filepath.Clean(final))
	key, err := filepath.Abs(parent)
	if err != nil {
		key = parent
	}
	if _, done := cleaned.Load(key); done {
		return nil
	}
	if err := Sweep(parent); err != nil {
		return err
	}
	cleaned.Store(key, true)
	return nil
}

// Sweep removes the stale temp folders in parent now (CleanStale does it once per process).
func Sweep(parent string) error {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cleaning up after earlier runs in %s: %w", parent, err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		i := strings.LastIndex(name, ".tmp-")
		if i <= 0 || !tmpSuffix.MatchString(name[i:]) {
			continue
		}
		p := filepath.Join(parent, name)
		if e.IsDir() && inUse(p) {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cleaning up after earlier runs in %s: %w", parent, err)
	}
	return nil
}

// syncTree syncs every regular file and folder below root, root included.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.Type().IsRegular() && !e.IsDir() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if e.IsDir() && isEINVAL(err) {
			return nil
		}
		return err
	})
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
