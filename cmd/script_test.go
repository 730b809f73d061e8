package cmd

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the wurzel command in scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wurzel": func() { os.Exit(mainForTest()) },
	})
}

// mainForTest is Main for scripts. With WURZEL_TEST_STEPS=1 in the script's environment it
// first registers the step types of teststeps_test.go, for scripts that need steps with
// known behaviour.
func mainForTest() int {
	if os.Getenv("WURZEL_TEST_STEPS") == "1" {
		registerTestSteps()
	}
	return Main()
}

// TestScripts runs the command-line scripts in testdata/script (see testscript's docs for
// the format: commands, then the expected files and output).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exitcode": cmdExitCode},
	})
}

// cmdExitCode is the script command "exitcode N PROGRAM [ARG]...": it runs PROGRAM like
// exec and fails unless it exits with status N.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROGRAM [ARG]...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}
