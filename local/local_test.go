package local

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIndependentStepsOverlap runs two steps that each sleep a second and write when they
// started and ended: with two jobs, each starts before the other ends.
func TestIndependentStepsOverlap(t *testing.T) {
	needSh(t)
	step := `sh, -c, 'date +%s.%N > "$WURZEL_OUTPUT_DIR/start"; sleep 1; date +%s.%N > "$WURZEL_OUTPUT_DIR/end"'`
	p := project(t, header+`
    - name: left
      command: [`+step+`]
    - name: right
      command: [`+step+`]
`, map[string]string{})
	mustRun(t, p, Options{Jobs: 2})
	stamp := func(step, which string) float64 {
		b, err := os.ReadFile(filepath.Join("data", step, which))
		if err != nil {
			t.Fatal(err)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ls, le, rs, re := stamp("left", "start"), stamp("left", "end"), stamp("right", "start"), stamp("right", "end")
	if !(ls < re && rs < le) {
		t.Errorf("steps did not overlap: left %.3f–%.3f, right %.3f–%.3f", ls, le, rs, re)
	}
}

// TestOneJobRunsInOrder: with one job, a step starts only after the previous one ended.
func TestOneJobRunsInOrder(t *testing.T) {
	needSh(t)
	step := `sh, -c, 'date +%s.%N > "$WURZEL_OUTPUT_DIR/start"; sleep 0.1; date +%s.%N > "$WURZEL_OUTPUT_DIR/end"'`
	p := project(t, header+`
    - name: first
      command: [`+step+`]
    - name: second
      command: [`+step+`]
`, map[string]string{})
	mustRun(t, p, Options{Jobs: 1})
	read := func(step, which string) string {
		b, _ := os.ReadFile(filepath.Join("data", step, which))
		return strings.TrimSpace(string(b))
	}
	fe, _ := strconv.ParseFloat(read("first", "end"), 64)
	ss, _ := strconv.ParseFloat(read("second", "start"), 64)
	if ss < fe {
		t.Errorf("second started at %.3f, before first ended at %.3f", ss, fe)
	}
}

// demo is a pipeline with two independent branches (a markdown source, a custom step
// each) that a custom step joins.
const demo = header + `
    - name: src-a
      class: ManualMarkdownStep
      settings: {FOLDER_PATH: docs-a}
    - name: src-b
      class: ManualMarkdownStep
      settings: {FOLDER_PATH: ./docs-b}
    - name: count-a
      command: [./count.sh]
      dependsOn: [src-a]
    - name: count-b
      command: [./count.sh]
      dependsOn: [src-b]
    - name: join
      command: [sh, -c, 'for d in $(echo "$WURZEL_INPUT_DIRS" | tr ":" " "); do cat "$d"/*; done > "$WURZEL_OUTPUT_DIR/all"']
      dependsOn: [count-a, count-b]
`

func demoFiles() map[string]string {
	return map[string]string{
		"docs-a/one.md":   "# One\n\nfirst\n",
		"docs-a/two.md":   "# Two\n\nsecond\n",
		"docs-b/three.md": "# Three\n\nthird\n",
		"count.sh":        "#!/bin/sh\nwc -c \"$WURZEL_INPUT_DIRS\"/* | tail -n 1 > \"$WURZEL_OUTPUT_DIR/count\"\n",
	}
}

// TestSecondRunIsCached: nothing changed, so nothing runs and no output is touched.
func TestSecondRunIsCached(t *testing.T) {
	needSh(t)
	p := project(t, demo, demoFiles())
	first := mustRun(t, p, Options{})
	for name, st := range statuses(first) {
		if st != "done" {
			t.Errorf("first run: %s is %s, want done", name, st)
		}
	}
	before := snapshot(t, "data")
	second := mustRun(t, p, Options{})
	for name, st := range statuses(second) {
		if st != "cached" {
			t.Errorf("second run: %s is %s, want cached", name, st)
		}
	}
	after := snapshot(t, "data")
	if !maps.Equal(before, after) {
		t.Errorf("the second run touched outputs:\nbefore %v\nafter  %v", before, after)
	}
	if got := leftovers(t, "data"); len(got) > 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestChangesRerunExactlyTheAffectedSteps changes one thing at a time and checks which
// steps run again.
func TestChangesRerunExactlyTheAffectedSteps(t *testing.T) {
	needSh(t)
	tests := []struct {
		name    string
		change  func(t *testing.T)
		environ []string
		opts    Options
		ran     []string
	}{
		{"nothing", func(*testing.T) {}, nil, Options{}, nil},
		{"a document of branch a", write("docs-a/one.md", "# One\n\nchanged\n"), nil, Options{}, []string{"src-a", "count-a", "join"}},
		{"a new document of branch b", write("docs-b/four.md", "# Four\n"), nil, Options{}, []string{"src-b", "count-b", "join"}},
		{"a document's time, not its content", touch("docs-a/one.md"), nil, Options{}, nil},
		{"a file no source reads", write("notes.txt", "x"), nil, Options{}, nil},
		{"the script of the count steps", write("count.sh", "#!/bin/sh\nls \"$WURZEL_INPUT_DIRS\" > \"$WURZEL_OUTPUT_DIR/count\"\n"), nil, Options{}, []string{"count-a", "count-b", "join"}},
		{"a source's setting in the environment", nil, []string{"SRC_B__FOLDER_PATH=docs-a"}, Options{}, []string{"src-b", "count-b", "join"}},
		{"a variable under a custom step's prefix", nil, []string{"COUNT_A__MODE=fast"}, Options{}, []string{"count-a"}}, // same output: join is cached
		{"an unrelated variable", nil, []string{"UNRELATED=1", "COUNT_AX=2"}, Options{}, nil},
		{"the output of a step", write("data/count-a/count", "tampered\n"), nil, Options{}, []string{"count-a"}},
		{"a removed output", remove("data/src-b"), nil, Options{}, []string{"src-b"}},
		{"--force", nil, nil, Options{Force: true}, []string{"src-a", "src-b", "count-a", "count-b", "join"}},
		{"--force count-b", nil, nil, Options{ForceSteps: []string{"count-b"}}, []string{"count-b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := project(t, demo, demoFiles())
			mustRun(t, p, Options{})
			if tt.change != nil {
				tt.change(t)
			}
			opts := tt.opts
			opts.Environ = testEnv(tt.environ...)
			res := mustRun(t, p, opts)
			var ran []string
			for _, s := range res.Steps {
				switch s.Status {
				case Done:
					ran = append(ran, s.Name)
				case Cached:
				default:
					t.Errorf("%s is %s", s.Name, s.Status)
				}
			}
			if strings.Join(ran, " ") != strings.Join(tt.ran, " ") {
				t.Errorf("ran %v, want %v", ran, tt.ran)
			}
		})
	}
}

func write(name, content string) func(t *testing.T) {
	return func(t *testing.T) {
		if err := os.WriteFile(name, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func touch(name string) func(t *testing.T) {
	return func(t *testing.T) {
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(name, later, later); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(name string) func(t *testing.T) {
	return func(t *testing.T) {
		if err := os.RemoveAll(name); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReasons: the first run says why each step runs, a cached step since which run.
func TestReasons(t *testing.T) {
	needSh(t)
	p := project(t, demo, demoFiles())
	first := mustRun(t, p, Options{RunID: "run-1"})
	write("docs-a/one.md", "changed")(t)
	write("count.sh", "#!/bin/sh\necho 1 > \"$WURZEL_OUTPUT_DIR/count\"\n")(t)
	second := mustRun(t, p, Options{RunID: "run-2", Environ: testEnv("SRC_B__FOLDER_PATH=docs-b/")})
	want := map[string][2]string{
		"src-a":   {"no earlier run", "the files its settings name changed"},
		"src-b":   {"no earlier run", "its settings changed"},
		"count-a": {"no earlier run", "its command or the files it names changed"},
		"count-b": {"no earlier run", "its command or the files it names changed"},
		"join":    {"no earlier run", "its inputs changed"},
	}
	for i, res := range []*Result{first, second} {
		for _, s := range res.Steps {
			if got := s.Reason; got != want[s.Name][i] {
				t.Errorf("run %d: %s: reason %q, want %q", i+1, s.Name, got, want[s.Name][i])
			}
		}
	}
	third := mustRun(t, p, Options{RunID: "run-3", Environ: testEnv("SRC_B__FOLDER_PATH=docs-b/")})
	for _, s := range third.Steps {
		if s.Reason != "unchanged since run run-2" {
			t.Errorf("run 3: %s: reason %q", s.Name, s.Reason)
		}
	}
}

// TestFailure: a failing step is named, leaves no output, its dependents are skipped and
// the steps that do not depend on it finish.
func TestFailure(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: sibling
      command: [sh, -c, 'sleep 0.3; echo ok > "$WURZEL_OUTPUT_DIR/ok"']
    - name: broken
      command: [sh, -c, 'echo partial > "$WURZEL_OUTPUT_DIR/part"; echo "cannot go on" >&2; exit 3']
    - name: after
      command: [sh, -c, 'true']
      dependsOn: [broken]
    - name: last
      command: [sh, -c, 'true']
      dependsOn: [after, sibling]
`, map[string]string{})
	rec := &recorder{}
	res, err := Run(context.Background(), p, Options{Environ: testEnv(), Reporter: rec, Jobs: 2})
	want := "step broken failed: command sh exited with status 3; the output folder was not written\n" +
		"2 steps depend on it and were skipped: after, last"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	var re *RunError
	if !errors.As(err, &re) || len(re.Failed) != 1 || re.Failed[0].Name != "broken" {
		t.Errorf("error %#v, want a *RunError naming broken", err)
	}
	wantStatus := map[string]string{"sibling": "done", "broken": "failed", "after": "skipped", "last": "skipped"}
	if got := statuses(res); !maps.Equal(got, wantStatus) {
		t.Errorf("statuses %v, want %v", got, wantStatus)
	}
	if _, err := os.Stat("data/broken"); !os.IsNotExist(err) {
		t.Errorf("data/broken exists (%v); a failed step must leave no output", err)
	}
	if got := leftovers(t, "data"); len(got) > 0 {
		t.Errorf("left behind: %v", got)
	}
	var lines []string
	for _, e := range rec.kinds(EventStepOutput) {
		lines = append(lines, e.Step+"/"+e.Stream+": "+e.Line)
	}
	if got, want := strings.Join(lines, "\n"), "broken/stderr: cannot go on"; got != want {
		t.Errorf("step output %q, want %q", got, want)
	}
	// The next run runs the failed step and its dependents again, and only them.
	res, _ = Run(context.Background(), p, Options{Environ: testEnv()})
	wantStatus = map[string]string{"sibling": "cached", "broken": "failed", "after": "skipped", "last": "skipped"}
	if got := statuses(res); !maps.Equal(got, wantStatus) {
		t.Errorf("second run: statuses %v, want %v", got, wantStatus)
	}
}

// TestRetries: a step that fails twice succeeds on its third attempt; one that keeps
// failing gives up after its retries.
func TestRetries(t *testing.T) {
	needSh(t)
	tests := []struct {
		name     string
		retries  int
		status   string
		attempts int
		err      string
	}{
		{"succeeds on the third attempt", 2, "done", 3, ""},
		{"gives up", 1, "failed", 2, "step flaky failed: command sh exited with status 1; the output folder was not written (attempt 2 of 2)"},
		{"no retries", 0, "failed", 1, "step flaky failed: command sh exited with status 1; the output folder was not written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counter := filepath.Join(t.TempDir(), "count")
			p := project(t, header+`
    - name: flaky
      retries: `+strconv.Itoa(tt.retries)+`
      command: [sh, -c, 'n=$(cat "$COUNTER" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNTER"; [ $n -ge 3 ]']
`, map[string]string{})
			rec := &recorder{}
			res, err := Run(context.Background(), p, Options{Environ: testEnv("COUNTER=" + counter), Reporter: rec, Backoff: time.Millisecond})
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || err.Error() != tt.err) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
			s := res.Steps[0]
			if s.Status.String() != tt.status || s.Attempts != tt.attempts {
				t.Errorf("status %s after %d attempts, want %s after %d", s.Status, s.Attempts, tt.status, tt.attempts)
			}
			retries := rec.kinds(EventStepRetry)
			if len(retries) != tt.attempts-1 {
				t.Fatalf("%d retry events, want %d", len(retries), tt.attempts-1)
			}
			for i, e := range retries {
				if e.Attempt != i+1 || e.Wait != time.Millisecond<<i {
					t.Errorf("retry %d: attempt %d, wait %s", i, e.Attempt, e.Wait)
				}
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {9, 256 * time.Second}, {10, maxBackoff}, {60, maxBackoff}}
	for _, tt := range tests {
		if got := backoff(time.Second, tt.attempt); got != tt.want {
			t.Errorf("backoff after attempt %d: %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

// TestTimeout: an attempt that outlives its timeout is stopped and counts as failed.
func TestTimeout(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: slow
      timeout: 200ms
      command: [sh, -c, 'echo x > "$WURZEL_OUTPUT_DIR/x"; exec sleep 30']
`, map[string]string{})
	res, err := Run(context.Background(), p, Options{Environ: testEnv()})
	want := "step slow failed: timed out after 200ms; the output folder was not written"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if res.Steps[0].Duration > 10*time.Second {
		t.Errorf("the step ran %s", res.Steps[0].Duration)
	}
	if _, err := os.Stat("data/slow"); !os.IsNotExist(err) {
		t.Errorf("data/slow exists after a timeout")
	}
}

// TestInterrupted: cancelling the run stops the running step, removes its temp folder and
// leaves the steps that did not start alone.
func TestInterrupted(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: quick
      command: [sh, -c, 'echo done > "$WURZEL_OUTPUT_DIR/x"']
    - name: long
      command: [sh, -c, 'echo x > "$WURZEL_OUTPUT_DIR/x"; echo started; [ -z "$SLOW" ] || exec sleep 30']
      dependsOn: [quick]
    - name: later
      command: [sh, -c, 'true']
      dependsOn: [long]
`, map[string]string{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep := reporterFunc(func(e Event) {
		if e.Kind == EventStepOutput && e.Line == "started" {
			cancel()
		}
	})
	res, err := Run(ctx, p, Options{Environ: testEnv("SLOW=1"), Reporter: rep, RunID: "r1"})
	if err == nil || !errors.Is(err, context.Canceled) || err.Error() != "run r1 interrupted: context canceled" {
		t.Errorf("error %v, want the run interrupted", err)
	}
	want := map[string]string{"quick": "done", "long": "cancelled", "later": "cancelled"}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if got := leftovers(t, "data"); len(got) > 0 {
		t.Errorf("left behind: %v", got)
	}
	if _, err := os.Stat("data/long"); !os.IsNotExist(err) {
		t.Errorf("data/long exists after the run was interrupted")
	}
	// The next run goes on from where this one stopped.
	res = mustRun(t, p, Options{RunID: "r2"})
	want = map[string]string{"quick": "cached", "long": "done", "later": "done"}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("next run: statuses %v, want %v", got, want)
	}
}

type reporterFunc func(Event)

func (f reporterFunc) Report(e Event) { f(e) }

// TestRunID: every step of a run gets the same WURZEL_RUN_ID; the environment's wins.
func TestRunID(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: a
      command: [sh, -c, 'echo "$WURZEL_RUN_ID $WURZEL_STEP_NAME" > "$WURZEL_OUTPUT_DIR/id"']
    - name: b
      command: [sh, -c, 'echo "$WURZEL_RUN_ID $WURZEL_STEP_NAME" > "$WURZEL_OUTPUT_DIR/id"']
`, map[string]string{})
	res := mustRun(t, p, Options{})
	if !strings.HasPrefix(res.RunID, "wurzel-") {
		t.Errorf("run id %q", res.RunID)
	}
	for _, s := range []string{"a", "b"} {
		b, _ := os.ReadFile(filepath.Join("data", s, "id"))
		if got, want := string(b), res.RunID+" "+s+"\n"; got != want {
			t.Errorf("%s saw %q, want %q", s, got, want)
		}
	}
	res = mustRun(t, p, Options{Environ: testEnv("WURZEL_RUN_ID=from-ci"), Force: true})
	if res.RunID != "from-ci" {
		t.Errorf("run id %q, want the environment's", res.RunID)
	}
}

// TestSettingsReachSteps: pipeline settings are defaults, the environment wins, and a
// secret's value never lands in the state.
func TestSettingsReachSteps(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: lines
      class: LclSourceStep
      settings: {LINES: [x, y]}
    - name: show
      command: [sh, -c, 'echo "$SHOW__GREETING $SHOW__TOKEN" > "$WURZEL_OUTPUT_DIR/out"']
      settings:
        GREETING: hello
        TOKEN: {secretRef: {name: tokens, key: show}}
`, map[string]string{})
	mustRun(t, p, Options{Environ: testEnv("SHOW__TOKEN=canary-secret-value")})
	check := func(path, want string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || string(b) != want {
			t.Errorf("%s: %q (%v), want %q", path, b, err, want)
		}
	}
	check("data/lines/LclSource.txt", "x\ny\n")
	check("data/show/out", "hello canary-secret-value\n")
	mustRun(t, p, Options{Environ: testEnv("SHOW__TOKEN=canary-secret-value", "SHOW__GREETING=hi", `LCLSOURCESTEP__LINES=["z"]`)})
	check("data/lines/LclSource.txt", "z\n")
	check("data/show/out", "hi canary-secret-value\n")
	state, err := os.ReadFile("data/.wurzel/state.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), "canary") {
		t.Errorf("the state holds a secret's value:\n%s", state)
	}
}

// TestPreflight: problems that would make steps fail are reported at once, before any
// step runs.
func TestPreflight(t *testing.T) {
	p := project(t, header+`
    - name: lines
      class: LclSourceStep
    - name: show
      command: [sh, -c, 'true']
      dependsOn: [lines]
      settings:
        TOKEN: {secretRef: {name: tokens, key: show}}
`, map[string]string{})
	tests := []struct {
		name    string
		environ []string
		opts    Options
		want    string
	}{
		{"invalid setting and missing secret", []string{"LCLSOURCESTEP__LINES=nope", "LCLSOURCESTEP__LINEZ=1"}, Options{},
			"step lines: 2 invalid settings:\n" +
				"  environment variable LCLSOURCESTEP__LINES: want a JSON array of strings: invalid JSON at line 1, column 1: invalid character 'o' in literal null (expecting 'u')\n" +
				"  environment variable LCLSOURCESTEP__LINEZ: unknown setting (did you mean LCLSOURCESTEP__LINES?)\n" +
				"step show: setting TOKEN comes from secret tokens/show on orchestrators; set SHOW__TOKEN in the environment or in an --env-file"},
		{"input of an unselected step missing", []string{"SHOW__TOKEN=t"}, Options{Only: []string{"show"}},
			"step show reads the output of step lines, which is not selected and has not run: data/lines does not exist; run lines first (wurzel run --until lines) or select it too"},
		{"unknown steps", nil, Options{Only: []string{"shwo"}, ForceSteps: []string{"x"}},
			"--only shwo: the pipeline has no step \"shwo\" (did you mean \"show\"?); its steps are lines, show\n" +
				"--force x: the pipeline has no step \"x\"; its steps are lines, show"},
		{"only with from", nil, Options{Only: []string{"show"}, From: []string{"lines"}},
			"--only runs exactly the steps it names; it cannot be combined with --from or --until"},
		{"forcing an unselected step", nil, Options{Only: []string{"show"}, ForceSteps: []string{"lines"}},
			"--force lines: step lines is not selected by --only, --from or --until"},
		{"from after until", nil, Options{From: []string{"show"}, Until: []string{"lines"}},
			"--from show and --until lines select no step: no step of --until depends on a step of --from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Environ = testEnv(tt.environ...)
			res, err := Run(context.Background(), p, opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error:\n%v\nwant:\n%s", err, tt.want)
			}
			if !IsInvalid(err) || res != nil {
				t.Errorf("IsInvalid %v, result %v: want an invalid run that did not start", IsInvalid(err), res)
			}
			if _, err := os.Stat("data"); !os.IsNotExist(err) {
				t.Errorf("the data folder was created by a run that could not start")
			}
		})
	}
}

// TestSelection: --only, --from and --until on a diamond with a tail.
func TestSelection(t *testing.T) {
	needSh(t)
	yaml := header + `
    - {name: top, command: [sh, -c, 'true']}
    - {name: left, command: [sh, -c, 'true'], dependsOn: [top]}
    - {name: right, command: [sh, -c, 'true'], dependsOn: [top]}
    - {name: bottom, command: [sh, -c, 'true'], dependsOn: [left, right]}
    - {name: tail, command: [sh, -c, 'true'], dependsOn: [bottom]}
    - {name: alone, command: [sh, -c, 'true']}
`
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"all", Options{}, "top left right bottom tail alone"},
		{"only", Options{Only: []string{"left", "alone"}}, "left alone"},
		{"from", Options{From: []string{"left"}}, "left bottom tail"},
		{"from two", Options{From: []string{"left", "alone"}}, "left bottom tail alone"},
		{"until", Options{Until: []string{"bottom"}}, "top left right bottom"},
		{"from and until", Options{From: []string{"right"}, Until: []string{"tail"}}, "right bottom tail"},
		{"from and until the same", Options{From: []string{"left"}, Until: []string{"left"}}, "left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := project(t, yaml, map[string]string{})
			mustRun(t, p, Options{}) // every input exists
			opts := tt.opts
			opts.Force = true
			res := mustRun(t, p, opts)
			var got []string
			for _, s := range res.Steps {
				got = append(got, s.Name)
				if s.Status != Done {
					t.Errorf("%s: %s", s.Name, s.Status)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("ran %v, want %s", got, tt.want)
			}
		})
	}
}

// TestKilledRunJournal: the steps a killed run finished are in the journal; the next run
// takes them as cached.
func TestKilledRunJournal(t *testing.T) {
	needSh(t)
	p := project(t, demo, demoFiles())
	mustRun(t, p, Options{RunID: "r1"})
	state, err := os.ReadFile("data/.wurzel/state.json")
	if err != nil {
		t.Fatal(err)
	}
	// What a run killed after finishing its first steps leaves: no state.json of its own
	// yet, a journal of what it finished.
	j := newJournalFrom(t, state, "src-a", "count-a")
	if err := os.Remove("data/.wurzel/state.json"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("data/.wurzel/journal.jsonl", append(j, []byte(`{"step":"src-b","rec`)...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, p, Options{RunID: "r2"})
	want := map[string]string{"src-a": "cached", "count-a": "cached", "src-b": "done", "count-b": "done", "join": "done"}
	if got := statuses(res); !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if _, err := os.Stat("data/.wurzel/journal.jsonl"); !os.IsNotExist(err) {
		t.Errorf("the journal is still there after a finished run")
	}
}

// TestUnreadableState: a state that cannot be read is ignored with a warning.
func TestUnreadableState(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - {name: a, command: [sh, -c, 'true']}
`, map[string]string{"data/.wurzel/state.json": "{not json"})
	rec := &recorder{}
	res := mustRun(t, p, Options{Reporter: rec})
	if res.Steps[0].Status != Done {
		t.Errorf("status %s, want done", res.Steps[0].Status)
	}
	w := rec.kinds(EventWarning)
	if len(w) != 1 || !strings.HasPrefix(w[0].Message, "ignoring the run state data/.wurzel/state.json (invalid character 'n'") {
		t.Errorf("warnings %v", w)
	}
	if res := mustRun(t, p, Options{}); res.Steps[0].Status != Cached {
		t.Errorf("after a good run: %s, want cached", res.Steps[0].Status)
	}
}

// TestDataDirLocked: two runs cannot share a data folder at once.
func TestDataDirLocked(t *testing.T) {
	p := project(t, header+`
    - {name: a, command: [sh, -c, 'true']}
`, map[string]string{})
	unlock, err := lockDataDir("data")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Run(context.Background(), p, Options{Environ: testEnv()})
	want := "data folder data is in use by another wurzel run (process " + strconv.Itoa(os.Getpid()) + "); wait for it to finish or give another --data-dir"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestCustomStepFolderArgument: a folder a custom step's command names is part of its code.
func TestCustomStepFolderArgument(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: copy
      command: [sh, -c, 'cp -r "$1"/. "$WURZEL_OUTPUT_DIR"', sh, raw]
    - name: own
      command: [sh, -c, 'date +%s%N > "$WURZEL_OUTPUT_DIR/t"', sh, data/own]
`, map[string]string{"raw/a.txt": "a"})
	mustRun(t, p, Options{})
	if res := mustRun(t, p, Options{}); res.Steps[0].Status != Cached || res.Steps[1].Status != Cached {
		t.Errorf("second run: %v, want both cached", statuses(res))
	}
	write("raw/b.txt", "b")(t)
	res := mustRun(t, p, Options{})
	if got, want := statuses(res), map[string]string{"copy": "done", "own": "cached"}; !maps.Equal(got, want) {
		t.Errorf("after a change in raw: %v, want %v", got, want)
	}
}

// TestPanickingStep: a built-in step that panics fails alone.
func TestPanickingStep(t *testing.T) {
	p := project(t, header+`
    - {name: boom, class: LclSourceStep, settings: {LINES: [panic]}}
    - {name: fine, class: LclSourceStep}
`, map[string]string{})
	res, err := Run(context.Background(), p, Options{Environ: testEnv()})
	if want := "step boom failed: panic: asked to panic"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if got, want := statuses(res), map[string]string{"boom": "failed", "fine": "done"}; !maps.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if got := leftovers(t, "data"); len(got) > 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestInlineScriptPaths: the files an inline script names are part of its step's code.
func TestInlineScriptPaths(t *testing.T) {
	needSh(t)
	p := project(t, header+`
    - name: cat
      command: [sh, -c, 'cat input/*.txt > "$WURZEL_OUTPUT_DIR/all.txt"']
    - name: head
      command: [sh, -c, 'head -n 1 notes.md>"$WURZEL_OUTPUT_DIR/first"']
    - name: find
      command: [sh, -c, 'find . -name "*.md" | sort > "$WURZEL_OUTPUT_DIR/list"']
`, map[string]string{"input/a.txt": "a\n", "notes.md": "# Notes\n", "other.md": "x"})
	mustRun(t, p, Options{})
	tests := []struct {
		change func(*testing.T)
		want   map[string]string
	}{
		{write("input/b.txt", "b\n"), map[string]string{"cat": "done", "head": "cached", "find": "done"}},
		{write("input/a.txt", "A\n"), map[string]string{"cat": "done", "head": "cached", "find": "done"}},
		{write("notes.md", "# New\n"), map[string]string{"cat": "cached", "head": "done", "find": "done"}},
		{write("other.md", "y"), map[string]string{"cat": "cached", "head": "cached", "find": "done"}},
		{func(*testing.T) {}, map[string]string{"cat": "cached", "head": "cached", "find": "cached"}},
	}
	for i, tt := range tests {
		tt.change(t)
		if got := statuses(mustRun(t, p, Options{})); !maps.Equal(got, tt.want) {
			t.Errorf("change %d: %v, want %v", i, got, tt.want)
		}
	}
}

func TestScriptPaths(t *testing.T) {
	project(t, header+"    - {name: a, command: [\"true\"]}\n", map[string]string{"docs/a.md": "", "docs/b.md": "", "run.py": ""})
	tests := []struct{ script, want string }{
		{`cat docs/*.md > "$WURZEL_OUTPUT_DIR/x"`, "docs/a.md docs/b.md"},
		{`python3 run.py --in=docs/ | tee log`, "run.py docs"},
		{`cd . && ls .. ~ $HOME/docs "${X}"`, "."},
		{`cat /etc/passwd ../x docs/*.txt`, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(scriptPaths(tt.script), " "); got != tt.want {
			t.Errorf("scriptPaths(%q) = %q, want %q", tt.script, got, tt.want)
		}
	}
}

func TestRunErrorMessage(t *testing.T) {
	fail := func(name string) StepResult {
		return StepResult{Name: name, Status: Failed, Err: errors.New("step " + name + ": command sh exited with status 1; the output folder was not written")}
	}
	var many []string
	for i := range 12 {
		many = append(many, fmt.Sprintf("s%d", i))
	}
	tests := []struct {
		err  RunError
		want string
	}{
		{RunError{Failed: []StepResult{fail("a")}}, "step a failed: command sh exited with status 1; the output folder was not written"},
		{RunError{Failed: []StepResult{fail("a"), fail("b")}, Skipped: []string{"c"}},
			"2 steps failed:\n  step a: command sh exited with status 1; the output folder was not written\n  step b: command sh exited with status 1; the output folder was not written\nstep c depends on them and was skipped"},
		{RunError{Failed: []StepResult{fail("a")}, Skipped: many},
			"step a failed: command sh exited with status 1; the output folder was not written\n12 steps depend on it and were skipped: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 2 more"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
		}
	}
}
