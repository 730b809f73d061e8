package runtime

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	p := filepath.Join(t.TempDir(), "step.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunCommandContract(t *testing.T) {
	root := t.TempDir()
	in1, in2 := filepath.Join(root, "in1"), filepath.Join(root, "in2")
	writeFiles(t, in1, map[string]string{"a.json": "[]"})
	writeFiles(t, in2, map[string]string{"b.json": "[]"})
	out := filepath.Join(root, "data", "enrich")
	sh := script(t, `
set -eu
cd "$WURZEL_OUTPUT_DIR"
n=$(ls -A | wc -l | tr -d " "); echo "$n" > count.txt   # the folder starts empty
printf '%s\n' "$WURZEL_INPUT_DIRS" "$WURZEL_RUN_ID" "$WURZEL_STEP_NAME" > contract.txt
printf '%s\n' "$ENRICH__MODEL" "$ENRICH__BATCH" "${ENRICH__UNSET-unset}" > settings.txt
mkdir sub && echo nested > sub/file.txt
echo "to stdout"
echo "to stderr" >&2
`)
	var stdout, stderr bytes.Buffer
	rep, err := RunCommand(context.Background(), Options{
		Command:   []string{sh},
		Output:    out,
		Inputs:    []string{in1, in2},
		EnvPrefix: "ENRICH",
		Defaults:  map[string]string{"MODEL": "small", "BATCH": "10"},
		Environ:   []string{"PATH=" + os.Getenv("PATH"), "WURZEL_RUN_ID=run-42", "ENRICH__BATCH=20", "WURZEL_OUTPUT_DIR=/wrong"},
		Stdout:    &stdout,
		Stderr:    &stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "contract.txt=" + in1 + ":" + in2 + "\nrun-42\nenrich\n\n" +
		"count.txt=0\n\n" +
		"settings.txt=small\n20\nunset\n\n" +
		"sub/file.txt=nested\n"
	if got := readTree(t, out); got != want {
		t.Errorf("output:\n%s\nwant\n%s", got, want)
	}
	if stdout.String() != "to stdout\n" || stderr.String() != "to stderr\n" {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	var files []string
	for _, f := range rep.Files {
		files = append(files, f.Output)
	}
	if strings.Join(files, " ") != "contract.txt count.txt settings.txt sub/file.txt" || rep.RunID != "run-42" || rep.Name != "enrich" {
		t.Errorf("report %+v", rep)
	}
	if got := names(t, filepath.Join(root, "data")); strings.Join(got, ",") != "enrich" {
		t.Errorf("data/ holds %v", got)
	}
}

func TestRunCommandRunID(t *testing.T) {
	root := t.TempDir()
	sh := script(t, `printf %s "$WURZEL_RUN_ID" > "$WURZEL_OUTPUT_DIR/id"`)
	rep, err := RunCommand(context.Background(), Options{Command: []string{sh}, Output: filepath.Join(root, "out")})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^wurzel-\d{8}-\d{6}-[0-9a-f]{8}$`).MatchString(rep.RunID) {
		t.Errorf("run id %q", rep.RunID)
	}
	if got := readTree(t, filepath.Join(root, "out")); got != "id="+rep.RunID {
		t.Errorf("the command saw %s, the report says %s", got, rep.RunID)
	}
}

func TestRunCommandFailure(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	writeFiles(t, out, map[string]string{"previous.json": "old"})
	tests := []struct {
		name    string
		opts    Options
		want    string
		invalid bool
	}{
		{"exit 3", Options{Command: []string{"sh", "-c", `echo partial > "$WURZEL_OUTPUT_DIR/x.json"; exit 3`}},
			"step enrich: command sh exited with status 3; the output folder was not written", false},
		{"killed", Options{Command: []string{"sh", "-c", `echo partial > "$WURZEL_OUTPUT_DIR/x.json"; kill -9 $$`}},
			"step enrich: command sh was killed by SIGKILL; the output folder was not written", false},
		{"not found", Options{Command: []string{"no-such-command-here"}},
			`step enrich: running no-such-command-here: exec: "no-such-command-here": executable file not found in $PATH`, false},
		{"no command", Options{}, "custom step: no command to run", true},
		{"missing input", Options{Command: []string{"true"}, Inputs: []string{filepath.Join(root, "nope")}},
			"step enrich: input folder " + filepath.Join(root, "nope") + " does not exist", true},
		{"colon in input", Options{Command: []string{"true"}, Inputs: []string{filepath.Join(root, "a:b")}},
			"step enrich: input folder " + filepath.Join(root, "a:b") + ": a path with ':' cannot be passed in WURZEL_INPUT_DIRS", true},
		{"defaults without prefix", Options{Command: []string{"true"}, Defaults: map[string]string{"A": "1"}},
			"step enrich: settings need an env prefix (--env-prefix)", true},
	}
	writeFiles(t, filepath.Join(root, "a:b"), map[string]string{"x": ""})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Output = out
			tt.opts.Name = "enrich"
			tt.opts.Environ = []string{"PATH=" + os.Getenv("PATH")}
			_, err := RunCommand(context.Background(), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			if IsInvalid(err) != tt.invalid {
				t.Errorf("IsInvalid = %v", IsInvalid(err))
			}
			var ce *CommandError
			if strings.HasPrefix(tt.name, "exit") && (!errors.As(err, &ce) || ce.ExitCode != 3) {
				t.Errorf("error %#v, want a *CommandError with code 3", err)
			}
			if got := readTree(t, out); got != "previous.json=old" {
				t.Errorf("previous output changed: %s", got)
			}
			if got := names(t, root); strings.Join(got, ",") != "a:b,out" {
				t.Errorf("root holds %v", got)
			}
		})
	}
}

func TestRunCommandInterrupted(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	mark := filepath.Join(root, "got-term")
	sh := script(t, `
trap 'echo term > "`+mark+`"; exit 143' TERM
echo partial > "$WURZEL_OUTPUT_DIR/x.json"
echo ready
while :; do sleep 0.05; done
`)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		if line == "ready\n" {
			cancel()
		}
	}()
	_, err = RunCommand(ctx, Options{Command: []string{sh}, Output: out, Stdout: pw})
	pw.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got := err.Error(); got != "step out: interrupted: context canceled" {
		t.Errorf("error %q", got)
	}
	if b, err := os.ReadFile(mark); err != nil || string(b) != "term\n" {
		t.Errorf("the command did not get SIGTERM: %q %v", b, err)
	}
	if got := names(t, root); strings.Join(got, ",") != "got-term" {
		t.Errorf("root holds %v", got)
	}
}
