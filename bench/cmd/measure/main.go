// Command measure runs a command and writes its wall time, CPU time and peak resident set
// size as JSON to a file:
//
//	measure STATS.json COMMAND [ARG]...
//
// wurzel-bench starts every process it measures through it. Linux carries the peak RSS of
// the process that starts a command over into the command's own count (across fork and
// exec), so a big benchmark process would inflate every child's peak; this launcher is
// small, so the peak it reports is the command's.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

type stats struct {
	WallNS   int64 `json:"wall_ns"`
	CPUNS    int64 `json:"cpu_ns"`
	MaxRSSKB int64 `json:"max_rss_kb"`
	Exit     int   `json:"exit"`
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: measure STATS.json COMMAND [ARG]...")
		os.Exit(2)
	}
	c := exec.Command(os.Args[2], os.Args[3:]...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := c.Run()
	s := stats{WallNS: int64(time.Since(start))}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		s.Exit = exit.ExitCode()
	case err != nil:
		fmt.Fprintf(os.Stderr, "measure: %v\n", err)
		os.Exit(127)
	}
	s.CPUNS = int64(c.ProcessState.UserTime() + c.ProcessState.SystemTime())
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSSKB = int64(ru.Maxrss)
	}
	data, _ := json.Marshal(s)
	if err := os.WriteFile(os.Args[1], data, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "measure: %v\n", err)
		os.Exit(127)
	}
	os.Exit(s.Exit)
}
