//go:build unix

package runtime

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// signalName is SIGKILL rather than "killed".
func signalName(s syscall.Signal) string {
	if n := unix.SignalName(s); n != "" {
		return n
	}
	return s.String()
}
