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
	var lastErr error
	for range maxTries {
		tmp := filepath.Join(parent, base+".tmp-"+randomHex())
		err := os.Mkdir(tmp, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("creating output folder %s: %w", final, err)
		}
		// Until it is locked the new folder looks abandoned: a sweep running now (another
		// step's, or another process's) may remove it. takeUp locks it and checks it is
		// still there; if it is not, try another name.
		d, err := takeUp(final, tmp)
		if err == nil {
			return d, nil
		}
		lastErr = err
		if !errors.Is(err, errTakenAway) {
			_ = os.Remove(tmp)
			return nil, fmt.Errorf("creating output folder %s: %w", final, err)
		}
	}
	if lastErr != nil {
		return nil, fmt.Errorf("creating output folder %s: %w", final, lastErr)
	}
	return nil, fmt.Errorf("creating output folder %s: no free temp name", final)
}

// errTakenAway: a sweep removed a temp folder before its creator could lock it.
var errTakenAway = errors.New("a concurrent clean-up removed every new temp folder before it could be locked")

// maxTries bounds the temp names CreateDir tries. Losing a folder to another process's
// sweep takes that sweep to reach it in the microseconds before it is locked; losing
// maxTries of them in a row does not happen by chance.
const maxTries = 100

// takeUp locks the freshly made temp folder tmp, checks that the locked folder is still
// the one at tmp and gives it mode 0755 (Mkdir applied the umask).
func takeUp(final, tmp string) (*Dir, error) {
	lock, err := lockDir(tmp)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errLocked) {
		return nil, errTakenAway // removed, or being removed under the sweep's lock
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", tmp, err)
	}
	if lock == nil { // no advisory locks here
		if err := os.Chmod(tmp, 0o755); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, errTakenAway
			}
			return nil, err
		}
		return &Dir{final: final, tmp: tmp}, nil
	}
	locked, err := lock.Stat()
	if err != nil {
		_ = lock.Close()
		return nil, err
	}
	if now, err := os.Lstat(tmp); err != nil || !os.SameFile(locked, now) {
		_ = lock.Close() // a sweep removed it between Mkdir and the lock
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil, errTakenAway
		}
		return nil, err
	}
	if err := lock.Chmod(0o755); err != nil {
		_ = lock.Close()
		return nil, err
	}
	return &Dir{final: final, tmp: tmp, lock: lock}, nil
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

// cleaned records, per parent folder, whether CleanStale has swept it in this process.
var cleaned sync.Map // absolute path -> *sweepOnce

type sweepOnce struct {
	mu   sync.Mutex
	done bool
}

// CleanStale removes the temp folders (<name>.tmp-<random>) that killed runs left in
// final's parent folder and that no live process holds. A parent is swept once per process,
// for every output in it at once: a run of a thousand steps in one data folder reads that
// folder once, not a thousand times. Parallel callers wait for that one sweep, so that no
// temp folder this process creates is ever in a folder it is sweeping. (Another process's
// sweep may still reach a temp folder in the moment before it is locked: CreateDir checks
// for that and takes another name.)
func CleanStale(final string) error {
	parent := filepath.Dir(filepath.Clean(final))
	key, err := filepath.Abs(parent)
	if err != nil {
		key = parent
	}
	v, _ := cleaned.LoadOrStore(key, new(sweepOnce))
	once := v.(*sweepOnce)
	once.mu.Lock()
	defer once.mu.Unlock()
	if once.done {
		return nil
	}
	if err := Sweep(parent); err != nil {
		return err // the next call tries again
	}
	once.done = true
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
		remove := os.RemoveAll
		if e.IsDir() {
			remove = removeAbandoned
		}
		if err := remove(p); err != nil {
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
