//go:build !unix

package local

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockDataDir creates the state folder; systems without flock get no run lock.
func lockDataDir(dataDir string) (unlock func(), err error) {
	dir := filepath.Join(dataDir, stateDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	return func() {}, nil
}
