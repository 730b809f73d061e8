package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// sampleResult has a step of every final status.
func sampleResult() *Result {
	return &Result{RunID: "run-7", Duration: 1500 * time.Millisecond, Steps: []StepResult{
		{Name: "source", Class: "ManualMarkdownStep", Status: Cached, Reason: "unchanged since run run-6", ItemsOut: 12, Files: 1, Output: "data/source"},
		{Name: "splitter", Class: "SimpleSplitterStep", Status: Done, Reason: "its inputs changed", Attempts: 1, Started: t0, Duration: 1234 * time.Millisecond, ItemsIn: 12, ItemsOut: 40, Files: 1, Output: "data/splitter"},
		{Name: "enrich", Status: Failed, Reason: "forced", Attempts: 3, Duration: 61 * time.Second, Err: errors.New("step enrich: command python3 exited with status 1; the output folder was not written (attempt 3 of 3)"), Output: "data/enrich"},
		{Name: "load", Status: Skipped, Reason: "step enrich failed", Output: "data/load"},
		{Name: "notify", Status: Cancelled, Reason: "the run was interrupted before it started", Output: "data/notify"},
	}}
}

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	WriteSummary(&b, sampleResult())
	want := `STEP      STATUS     DURATION  ITEMS IN  ITEMS OUT  FILES  CACHE
source    cached     -         0         12         1      hit
splitter  done       1.23s     12        40         1      miss
enrich    failed     1m01s     -         -          -      forced
load      skipped    -         -         -          -      -
notify    cancelled  -         -         -          -      -
5 steps in 1.5s: 1 done, 1 cached, 1 failed, 1 skipped, 1 cancelled
`
	if got := b.String(); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestTextLines(t *testing.T) {
	res := sampleResult()
	tests := []struct {
		event Event
		want  string
	}{
		{Event{Kind: EventRunStart, Run: &RunInfo{RunID: "run-7", Pipeline: "demo", Steps: []string{"a", "b"}, Jobs: 2, DataDir: "data"}},
			"wurzel: running pipeline demo: 2 steps, 2 at a time, data in data, run id run-7"},
		{Event{Kind: EventStepStart, Step: "splitter", Reason: "its inputs changed"}, "splitter: running (its inputs changed)"},
		{Event{Kind: EventStepOutput, Step: "enrich", Stream: "stderr", Line: "loading model"}, "[enrich] loading model"},
		{Event{Kind: EventStepRetry, Step: "enrich", Attempt: 1, Attempts: 3, Wait: time.Second, Err: errors.New("step enrich: command python3 exited with status 1; the output folder was not written")},
			"enrich: attempt 1 of 3 failed: command python3 exited with status 1; the output folder was not written; retrying in 1s"},
		{Event{Kind: EventStepEnd, StepResult: &res.Steps[0]}, "source: cached, unchanged since run run-6 (0 items in, 12 out, 1 file)"},
		{Event{Kind: EventStepEnd, StepResult: &res.Steps[1]}, "splitter: done in 1.23s (12 items in, 40 out, 1 file)"},
		{Event{Kind: EventStepEnd, StepResult: &res.Steps[2]}, "enrich: failed after 1m01s: command python3 exited with status 1; the output folder was not written (attempt 3 of 3)"},
		{Event{Kind: EventStepEnd, StepResult: &res.Steps[3]}, "load: skipped (step enrich failed)"},
		{Event{Kind: EventStepEnd, StepResult: &res.Steps[4]}, "notify: cancelled (the run was interrupted before it started)"},
		{Event{Kind: EventWarning, Message: "ignoring the run state"}, "wurzel: warning: ignoring the run state"},
	}
	for _, tt := range tests {
		t.Run(string(tt.event.Kind), func(t *testing.T) {
			var b bytes.Buffer
			NewTextReporter(&b).Report(tt.event)
			if got := b.String(); got != tt.want+"\n" {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJSONReporter(t *testing.T) {
	res := sampleResult()
	var b bytes.Buffer
	r := NewJSONReporter(&b)
	r.Report(Event{Kind: EventStepOutput, Time: t0, Step: "enrich", Stream: "stdout", Line: `say "hi"`})
	r.Report(Event{Kind: EventStepEnd, Time: t0, Step: "enrich", StepResult: &res.Steps[2]})
	r.Report(Event{Kind: EventStepEnd, Time: t0, Step: "splitter", StepResult: &res.Steps[1]})
	r.Report(Event{Kind: EventRunEnd, Time: t0, Result: res})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		`{"time":"2026-03-14T09:30:00Z","event":"step_output","step":"enrich","stream":"stdout","line":"say \"hi\""}`,
		`{"time":"2026-03-14T09:30:00Z","event":"step_end","step":"enrich","status":"failed","reason":"forced","error":"command python3 exited with status 1; the output folder was not written (attempt 3 of 3)","attempts":3,"duration_ms":61000,"files":0,"cache":"forced","output":"data/enrich"}`,
		`{"time":"2026-03-14T09:30:00Z","event":"step_end","step":"splitter","class":"SimpleSplitterStep","status":"done","reason":"its inputs changed","attempts":1,"duration_ms":1234,"items_in":12,"items_out":40,"files":1,"cache":"miss","output":"data/splitter"}`,
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), b.String())
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d:\n%s\nwant\n%s", i+1, lines[i], w)
		}
	}
	var end struct {
		Event  string         `json:"event"`
		RunID  string         `json:"run_id"`
		Counts map[string]int `json:"counts"`
		Steps  []jsonStep     `json:"steps"`
	}
	if err := json.Unmarshal([]byte(lines[3]), &end); err != nil {
		t.Fatal(err)
	}
	if end.Event != "run_end" || end.RunID != "run-7" || len(end.Steps) != 5 || end.Counts["cached"] != 1 || end.Counts["cancelled"] != 1 {
		t.Errorf("run_end: %+v", end)
	}
}

// TestTerminal draws the live display into a buffer and checks the frames.
func TestTerminal(t *testing.T) {
	var b bytes.Buffer
	r := NewTerminalReporter(&b, TerminalOptions{Size: func() (int, int) { return 60, 20 }, Interval: time.Hour})
	steps := []string{"source", "a-rather-long-step-name-that-is-cut", "enrich"}
	r.Report(Event{Kind: EventRunStart, Time: time.Now(), Run: &RunInfo{Pipeline: "demo", Steps: steps}})
	r.Report(Event{Kind: EventStepStart, Time: time.Now(), Step: "source"})
	res := sampleResult()
	res.Steps[1].Name = steps[1]
	r.Report(Event{Kind: EventStepEnd, Step: steps[1], StepResult: &res.Steps[1]})
	r.Report(Event{Kind: EventStepOutput, Step: "enrich", Line: "hello"})
	frames := strings.Split(b.String(), "\x1b[4F\x1b[J")
	if len(frames) != 4 {
		t.Fatalf("%d frames, want 4:\n%q", len(frames), b.String())
	}
	last := frames[3]
	want := regexp.MustCompile(`^\[enrich\] hello
demo: 1 of 3 steps finished, 1 running, \d+(ms|s)
  ⠋ source                running    \d+(ms|s)
  ✓ a-rather-long-step-…  done       1\.23s  12 items in, 4…
  · enrich                waiting
$`)
	if !want.MatchString(last) {
		t.Errorf("last frame:\n%s", last)
	}
	r.Report(Event{Kind: EventRunEnd, Result: res})
	if !strings.HasSuffix(b.String(), "\x1b[4F\x1b[JSTEP  ") && !strings.Contains(b.String(), "\x1b[4F\x1b[JSTEP ") {
		t.Errorf("the summary does not replace the display:\n%q", b.String())
	}
}

// TestTerminalCompact: a pipeline taller than the terminal shows the running steps only.
func TestTerminalCompact(t *testing.T) {
	var b bytes.Buffer
	r := NewTerminalReporter(&b, TerminalOptions{Size: func() (int, int) { return 80, 6 }, Interval: time.Hour})
	var steps []string
	for i := range 30 {
		steps = append(steps, fmt.Sprintf("s%02d", i))
	}
	r.Report(Event{Kind: EventRunStart, Time: time.Now(), Run: &RunInfo{Pipeline: "big", Steps: steps}})
	for _, s := range steps[:5] {
		r.Report(Event{Kind: EventStepStart, Time: time.Now(), Step: s})
	}
	frames := strings.Split(b.String(), "\x1b[J")
	last := frames[len(frames)-1]
	if got := strings.Count(last, "\n"); got != 4 {
		t.Errorf("last frame has %d lines, want 4 (a header and 3 running steps):\n%s", got, last)
	}
	if !strings.HasPrefix(last, "big: 0 of 30 steps finished, 5 running, ") || !strings.Contains(last, "s02") || strings.Contains(last, "s03") {
		t.Errorf("last frame:\n%s", last)
	}
}

func TestFmtDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 850 * time.Millisecond: "850ms", 1250 * time.Millisecond: "1.25s", 1204 * time.Millisecond: "1.2s",
		2 * time.Second: "2s", 125 * time.Second: "2m05s",
	} {
		if got := fmtDuration(d); got != want {
			t.Errorf("fmtDuration(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestLineWriter(t *testing.T) {
	rec := &recorder{}
	w := &lineWriter{rep: rec, step: "s", stream: "stdout"}
	for _, chunk := range []string{"one\ntw", "o\r\n", "\nthree"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	w.flush()
	var got []string
	for _, e := range rec.kinds(EventStepOutput) {
		got = append(got, e.Line)
	}
	if strings.Join(got, "|") != "one|two||three" {
		t.Errorf("lines %q", got)
	}
}
