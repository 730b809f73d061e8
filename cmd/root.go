// Package cmd holds wurzel's command-line interface. It parses flags and calls the
// pipeline, values, engine, runtime and local packages; it holds no rendering or step logic.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes; docs/design.md explains them.
const (
	exitOK        = 0
	exitFailure   = 1
	exitUsage     = 2
	exitInterrupt = 130
)

// ErrUsage marks errors caused by how the command was called or by invalid input.
var ErrUsage = errors.New("usage error")

// usageError wraps err so that it maps to exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }
func (e usageError) Is(target error) bool {
	return target == ErrUsage
}

// invalid marks err as invalid input (exit code 2).
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// invalidf is invalid(fmt.Errorf(...)).
func invalidf(format string, args ...any) error { return invalid(fmt.Errorf(format, args...)) }

// silentError carries an exit code for a failure that was already reported.
type silentError struct{ code int }

func (e silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs wurzel with os.Args and returns the process exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// run executes one command line; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var silent silentError
	if errors.As(err, &silent) {
		return silent.code
	}
	fmt.Fprintf(stderr, "wurzel: %v\n", err)
	return exitCode(ctx, err)
}

// exitCode maps an error to the documented exit codes.
func exitCode(ctx context.Context, err error) int {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupt
	case errors.Is(err, ErrUsage) || isInputError(err) || isCobraUsage(err):
		return exitUsage
	default:
		return exitFailure
	}
}

// isCobraUsage recognises cobra's own usage errors, which have no type of their own.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "required flag", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// inputErrorChecks hold the packages' "is this invalid input" predicates; files that
// add commands append to it in init so root.go does not import every package.
var inputErrorChecks []func(error) bool

func isInputError(err error) bool {
	for _, f := range inputErrorChecks {
		if f(err) {
			return true
		}
	}
	return false
}

// subcommands are added by the files that define them (init in each command file),
// so that adding a command touches one file.
var subcommands []func() *cobra.Command

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wurzel",
		Short: "Declare a data pipeline once; render it for any orchestrator or run it here",
		Long: `wurzel turns one pipeline.yaml into the native configuration of DVC, Argo Workflows,
GitHub Actions, GitLab CI, Apache Airflow and Kubernetes CronJobs, or runs it on this machine.

Rendering goes through template packs, one per backend, configured by Helm-style layered
values files. Every rendered file calls the same runtime entrypoint, "wurzel run", which reads
step settings from environment variables.`,
		Example: `  # Run the pipeline in ./pipeline.yaml on this machine
  wurzel run

  # Render it for DVC, Argo and GitHub Actions with two values files
  wurzel render -f values.yaml -f prod.yaml --backend dvc,argo,github-actions -o deploy/

  # See which backends exist
  wurzel backends`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = false
	for _, sub := range subcommands {
		root.AddCommand(sub())
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return invalid(fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath()))
	})
	return root
}
