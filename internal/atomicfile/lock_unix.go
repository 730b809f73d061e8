//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// errLocked: another open file (in this process or another) holds the lock.
var errLocked = errors.New("locked by a live process")

// lockDir opens dir and takes an exclusive advisory lock on it. The lock lives as long as
// the open file (and its copies in child processes).
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}

// removeAbandoned removes the folder dir unless a live process holds its lock. It holds
// the lock itself while it removes, so that the folder's creator, which locks it right
// after making it, either finds it gone or keeps it whole, never half removed.
func removeAbandoned(dir string) error {
	f, err := lockDir(dir)
	switch {
	case errors.Is(err, errLocked), errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		// No lock to be had (a file system without flock): the folder counts as
		// abandoned, as it would where locks are not supported at all.
		return os.RemoveAll(dir)
	}
	defer f.Close()
	return os.RemoveAll(dir)
}

func isEINVAL(err error) bool { return errors.Is(err, syscall.EINVAL) }
