//go:build !unix

package atomicfile

import (
	"errors"
	"os"
)

// errLocked is never returned here: there are no advisory locks.
var errLocked = errors.New("locked by a live process")

// Without advisory locks every leftover temp folder counts as abandoned.
func lockDir(string) (*os.File, error) { return nil, nil }

func removeAbandoned(dir string) error { return os.RemoveAll(dir) }

func isEINVAL(error) bool { return false }
