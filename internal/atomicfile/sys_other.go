//go:build !linux

package atomicfile

import (
	"errors"
	"os"
)

// exchange is not available here; replace falls back to two renames.
func exchange(a, b string) error {
	return &os.LinkError{Op: "exchange", Old: a, New: b, Err: errors.ErrUnsupported}
}
