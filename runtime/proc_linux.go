package runtime

import (
	goruntime "runtime"
	"syscall"
)

// childAttr makes the kernel kill a custom step's process when wurzel dies (even by
// SIGKILL): its output can never be put in place then, and an orphan would keep its temp
// folder locked until it exits.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// lockThread pins the goroutine that starts and waits for a child to its OS thread: the
// parent-death signal fires when the thread that forked the child exits, not the process.
func lockThread() (unlock func()) {
	goruntime.LockOSThread()
	return goruntime.UnlockOSThread
}
