//go:build !linux

package runtime

import "syscall"

func childAttr() *syscall.SysProcAttr { return nil }

func lockThread() (unlock func()) { return func() {} }
