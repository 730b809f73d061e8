package local

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// EventKind says what an Event reports.
type EventKind string

// The kinds of events, in the order a step goes through them.
const (
	EventRunStart   EventKind = "run_start"   // Run is set
	EventStepStart  EventKind = "step_start"  // a step runs (it was not cached); Reason says why
	EventStepOutput EventKind = "step_output" // a line a custom step wrote: Stream, Line
	EventStepRetry  EventKind = "step_retry"  // Attempt of Attempts failed with Err; the next starts after Wait
	EventStepEnd    EventKind = "step_end"    // StepResult is set
	EventRunEnd     EventKind = "run_end"     // Result is set
	EventWarning    EventKind = "warning"     // Message
)

// Event is something that happened in a run.
type Event struct {
	Kind EventKind
	Time time.Time
	// Step names the step, for step events.
	Step              string
	Reason            string
	Stream, Line      string
	Attempt, Attempts int
	Wait              time.Duration
	Err               error
	Message           string
	Run               *RunInfo
	StepResult        *StepResult
	Result            *Result
}

// Reporter receives the events of a run. Run calls Report from one goroutine at a time.
type Reporter interface {
	Report(Event)
}

// serialReporter makes a Reporter safe for the run's goroutines.
type serialReporter struct {
	mu sync.Mutex
	r  Reporter
}

func newSerialReporter(r Reporter) Reporter {
	if r == nil {
		return discard{}
	}
	return &serialReporter{r: r}
}

func (s *serialReporter) Report(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Report(e)
}

type discard struct{}

func (discard) Report(Event) {}

// maxLine bounds a line of step output; longer lines are cut into pieces.
const maxLine = 64 << 10

// lineWriter turns a custom step's output into one EventStepOutput per line.
type lineWriter struct {
	rep          Reporter
	step, stream string
	buf          []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf = append(w.buf, p...)
			if len(w.buf) >= maxLine {
				w.emit()
			}
			break
		}
		w.buf = append(w.buf, p[:i]...)
		w.emit()
		p = p[i+1:]
	}
	return n, nil
}

func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.emit()
	}
}

func (w *lineWriter) emit() {
	line := strings.TrimSuffix(string(w.buf), "\r")
	w.buf = w.buf[:0]
	w.rep.Report(Event{Kind: EventStepOutput, Time: time.Now(), Step: w.step, Stream: w.stream, Line: line})
}

// NewTextReporter writes one plain line per event to w, and the summary table at the end:
// for logs and for terminals that cannot show a live display.
func NewTextReporter(w io.Writer) Reporter { return &textReporter{w: w} }

type textReporter struct{ w io.Writer }

func (t *textReporter) Report(e Event) {
	if line := textLine(e); line != "" {
		fmt.Fprintln(t.w, line)
	}
	if e.Kind == EventRunEnd {
		WriteSummary(t.w, e.Result)
	}
}

// textLine is the plain log line of an event ("" for none).
func textLine(e Event) string {
	switch e.Kind {
	case EventRunStart:
		in := e.Run
		return fmt.Sprintf("wurzel: running pipeline %s: %s, %d at a time, data in %s, run id %s",
			in.Pipeline, plural(len(in.Steps), "step"), in.Jobs, in.DataDir, in.RunID)
	case EventStepStart:
		return fmt.Sprintf("%s: running (%s)", e.Step, e.Reason)
	case EventStepOutput:
		return "[" + e.Step + "] " + e.Line
	case EventStepRetry:
		return fmt.Sprintf("%s: attempt %d of %d failed: %s; retrying in %s", e.Step, e.Attempt, e.Attempts,
			strings.TrimPrefix(e.Err.Error(), "step "+e.Step+": "), fmtDuration(e.Wait))
	case EventStepEnd:
		return stepLine(*e.StepResult)
	case EventWarning:
		return "wurzel: warning: " + e.Message
	}
	return ""
}

// stepLine describes a finished step in one line.
func stepLine(r StepResult) string {
	switch r.Status {
	case Done:
		return fmt.Sprintf("%s: done in %s (%s)", r.Name, fmtDuration(r.Duration), counts(r))
	case Cached:
		return fmt.Sprintf("%s: cached, %s (%s)", r.Name, r.Reason, counts(r))
	case Failed:
		if r.Attempts == 0 {
			return fmt.Sprintf("%s: failed: %s", r.Name, stepMessage(r))
		}
		return fmt.Sprintf("%s: failed after %s: %s", r.Name, fmtDuration(r.Duration), stepMessage(r))
	default:
		return fmt.Sprintf("%s: %s (%s)", r.Name, r.Status, r.Reason)
	}
}

// counts says how much a step read and wrote.
func counts(r StepResult) string {
	files := plural(r.Files, "file")
	if r.Class == "" {
		return files
	}
	return fmt.Sprintf("%d items in, %d out, %s", r.ItemsIn, r.ItemsOut, files)
}

// WriteSummary writes the table of a finished run: every selected step with its status,
// duration, items in and out, output files and whether the cache was used; then a line
// that counts the statuses.
func WriteSummary(w io.Writer, res *Result) {
	if res == nil {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSTATUS\tDURATION\tITEMS IN\tITEMS OUT\tFILES\tCACHE")
	for _, r := range res.Steps {
		dur, in, out, files := "-", "-", "-", "-"
		if r.Attempts > 0 {
			dur = fmtDuration(r.Duration)
		}
		if r.Status.ok() {
			files = fmt.Sprint(r.Files)
			if r.Class != "" {
				in, out = fmt.Sprint(r.ItemsIn), fmt.Sprint(r.ItemsOut)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Status, dur, in, out, files, cacheColumn(r))
	}
	_ = tw.Flush()
	fmt.Fprintln(w, totals(res))
}

// cacheColumn is hit, miss, forced or - (not looked at).
func cacheColumn(r StepResult) string {
	switch {
	case r.Status == Cached:
		return "hit"
	case r.Attempts == 0:
		return "-"
	case r.Reason == "forced":
		return "forced"
	}
	return "miss"
}

// totals is the last line of the summary: 3 steps in 1.2s: 1 done, 2 cached.
func totals(res *Result) string {
	var parts []string
	for _, s := range []Status{Done, Cached, Failed, Skipped, Cancelled} {
		if n := res.Count(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return fmt.Sprintf("%s in %s: %s", plural(len(res.Steps), "step"), fmtDuration(res.Duration), strings.Join(parts, ", "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// fmtDuration prints 850ms, 1.25s, 2s, 2m05s.
func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return strconv.FormatFloat(d.Round(10*time.Millisecond).Seconds(), 'f', -1, 64) + "s"
	default:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
}

// NewJSONReporter writes one JSON object per event to w, for machines. Every object has
// "time" (RFC 3339, UTC) and "event" (the EventKind); the other keys depend on the event.
func NewJSONReporter(w io.Writer) Reporter { return &jsonReporter{enc: json.NewEncoder(w)} }

type jsonReporter struct{ enc *json.Encoder }

// jsonStep is a step's result in JSON.
type jsonStep struct {
	Step       string  `json:"step"`
	Class      string  `json:"class,omitempty"`
	Status     Status  `json:"status"`
	Reason     string  `json:"reason,omitempty"`
	Error      string  `json:"error,omitempty"`
	Attempts   int     `json:"attempts"`
	DurationMS float64 `json:"duration_ms"`
	ItemsIn    *int    `json:"items_in,omitempty"`
	ItemsOut   *int    `json:"items_out,omitempty"`
	Files      int     `json:"files"`
	Cache      string  `json:"cache"`
	Output     string  `json:"output"`
}

func toJSONStep(r StepResult) jsonStep {
	j := jsonStep{Step: r.Name, Class: r.Class, Status: r.Status, Reason: r.Reason, Attempts: r.Attempts,
		DurationMS: float64(r.Duration.Microseconds()) / 1000, Files: r.Files, Cache: cacheColumn(r), Output: r.Output}
	if r.Err != nil {
		j.Error = stepMessage(r)
	}
	if r.Class != "" && r.Status.ok() {
		j.ItemsIn, j.ItemsOut = &r.ItemsIn, &r.ItemsOut
	}
	return j
}

func (j *jsonReporter) Report(e Event) {
	o := jsonObject{{"time", e.Time.UTC().Format(time.RFC3339Nano)}, {"event", e.Kind}}
	if e.Step != "" {
		o = append(o, jsonField{"step", e.Step})
	}
	switch e.Kind {
	case EventRunStart:
		o = append(o, jsonField{"run_id", e.Run.RunID}, jsonField{"pipeline", e.Run.Pipeline},
			jsonField{"steps", e.Run.Steps}, jsonField{"jobs", e.Run.Jobs}, jsonField{"data_dir", e.Run.DataDir})
	case EventStepStart:
		o = append(o, jsonField{"reason", e.Reason}, jsonField{"attempts", e.Attempts})
	case EventStepOutput:
		o = append(o, jsonField{"stream", e.Stream}, jsonField{"line", e.Line})
	case EventStepRetry:
		o = append(o, jsonField{"attempt", e.Attempt}, jsonField{"attempts", e.Attempts},
			jsonField{"wait_ms", e.Wait.Milliseconds()}, jsonField{"error", strings.TrimPrefix(e.Err.Error(), "step "+e.Step+": ")})
	case EventStepEnd:
		_ = j.enc.Encode(struct {
			Time  string    `json:"time"`
			Event EventKind `json:"event"`
			jsonStep
		}{o[0].value.(string), e.Kind, toJSONStep(*e.StepResult)})
		return
	case EventRunEnd:
		res := e.Result
		steps := make([]jsonStep, len(res.Steps))
		counts := map[string]int{}
		for i, r := range res.Steps {
			steps[i] = toJSONStep(r)
			counts[r.Status.String()]++
		}
		o = append(o, jsonField{"run_id", res.RunID}, jsonField{"duration_ms", float64(res.Duration.Microseconds()) / 1000},
			jsonField{"counts", counts}, jsonField{"steps", steps})
	case EventWarning:
		o = append(o, jsonField{"message", e.Message})
	}
	_ = j.enc.Encode(o)
}

// jsonObject is a JSON object that keeps its keys in order.
type jsonObject []jsonField

type jsonField struct {
	key   string
	value any
}

func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
