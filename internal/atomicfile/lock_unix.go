//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// lockDir opens dir and takes an exclusive advisory lock on it. The lock lives as long as
// the open file (and its copies in child processes).
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// inUse reports whether a live process holds the lock on dir.
func inUse(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return errors.Is(err, syscall.EWOULDBLOCK)
}

func isEINVAL(err error) bool { return errors.Is(err, syscall.EINVAL) }
