package validators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Names of the validators, as given to Require, Check and Run.
const (
	NameArgo        = "argo"
	NameActionlint  = "actionlint"
	NameKubeconform = "kubeconform"
	NameGitLabCI    = "gitlab-ci"
	NameDVC         = "dvc"
	NameAirflow     = "airflow"
)

// EnvRequire is the environment variable that turns a missing tool from a
// skipped test into a failed one.
const EnvRequire = "WURZEL_REQUIRE_VALIDATORS"

// EnvTools names the directory the tools are installed in.
const EnvTools = "WURZEL_TOOLS"

// validator is one entry of the registry: the programs it runs and how.
type validator struct {
	tools []string
	run   func(files ...string) ([]Finding, error)
}

var registry = map[string]validator{
	NameArgo:        {[]string{"argo-validate"}, Argo},
	NameActionlint:  {[]string{"actionlint", "shellcheck"}, Actionlint},
	NameKubeconform: {[]string{"kubeconform"}, Kubeconform},
	NameGitLabCI:    {[]string{"gitlab-ci-local", "node"}, GitLabCI},
	NameDVC:         {nil, DVC},
	NameAirflow:     {[]string{"python3", "pyflakes3"}, Airflow},
}

// Names returns the names of all validators, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Finding is one problem a validator reported.
type Finding struct {
	Tool    string // the program that reported it, e.g. "actionlint"
	File    string // the file as given to the validator
	Line    int    // 1-based; 0 when the tool gives no position
	Message string
}

func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s (%s)", f.File, f.Line, f.Message, f.Tool)
	}
	return fmt.Sprintf("%s: %s (%s)", f.File, f.Message, f.Tool)
}

// ToolsDir returns the directory .ci/install-validators.sh installs into:
// $WURZEL_TOOLS, or $HOME/.cache/wurzel-tools.
func ToolsDir() string {
	if d := os.Getenv(EnvTools); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".cache", "wurzel-tools")
	}
	return filepath.Join(home, ".cache", "wurzel-tools")
}

// Lookup returns the path of an installed tool, looking in the bin directory
// of ToolsDir first and then on PATH.
func Lookup(tool string) (string, error) {
	bin := filepath.Join(ToolsDir(), "bin")
	p := filepath.Join(bin, tool)
	if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return p, nil
	}
	if p, err := exec.LookPath(tool); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found in %s or on PATH (install it with .ci/install-validators.sh)", tool, bin)
}

// Run runs the named validator on files.
func Run(name string, files ...string) ([]Finding, error) {
	v, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown validator %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return v.run(files...)
}

// Require makes sure the tools of the named validator are installed. When one
// is missing it skips the test, or fails it when WURZEL_REQUIRE_VALIDATORS=1.
func Require(t testing.TB, name string) {
	t.Helper()
	v, ok := registry[name]
	if !ok {
		t.Fatalf("validators.Require: unknown validator %q (known: %s)", name, strings.Join(Names(), ", "))
		return
	}
	var missing []string
	for _, tool := range v.tools {
		if _, err := Lookup(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("%s validator: %s not found in %s or on PATH; install with .ci/install-validators.sh",
		name, strings.Join(missing, ", "), filepath.Join(ToolsDir(), "bin"))
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("%s (%s=1 makes this an error)", msg, EnvRequire)
		return
	}
	t.Skip(msg)
}

// Check runs the named validator on files (after Require) and reports each
// finding as a test error.
func Check(t testing.TB, name string, files ...string) {
	t.Helper()
	Require(t, name)
	findings, err := Run(name, files...)
	if err != nil {
		t.Fatalf("%s validator: %v", name, err)
	}
	for _, f := range findings {
		t.Errorf("%s validator: %s", name, f)
	}
}

// commandTimeout bounds one run of a tool, so that a hung tool fails a test
// instead of stalling it until the test binary times out.
const commandTimeout = 5 * time.Minute

// result is what a finished tool printed and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

// run runs an installed tool with args in dir (the current directory when
// empty). A non-zero exit status is not an error: the caller interprets it.
func run(dir string, env []string, tool string, args ...string) (result, error) {
	path, err := Lookup(tool)
	if err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.code = exit.ExitCode()
	default:
		return res, fmt.Errorf("running %s: %w", tool, err)
	}
	return res, nil
}

// unexpected describes a tool run whose outcome the caller cannot interpret.
func (r result) unexpected(tool string) error {
	out := strings.TrimSpace(r.stderr + "\n" + r.stdout)
	if len(out) > 2000 {
		out = out[:2000] + "…"
	}
	return fmt.Errorf("%s exited with status %d: %s", tool, r.code, out)
}
