package local

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// TerminalOptions configure the live display.
type TerminalOptions struct {
	// Size returns the terminal's width and height; nil or zero values mean 80×24.
	Size func() (width, height int)
	// Color paints the statuses.
	Color bool
	// Interval is how often the display is redrawn. Default: 100ms.
	Interval time.Duration
}

// NewTerminalReporter draws a live display on w, a terminal: a line per step with its
// status (waiting, running, cached, done, failed, skipped), elapsed time and items, redrawn
// as the run goes; lines that custom steps print, retries, failures and warnings scroll
// above it. A pipeline with more steps than the terminal has lines gets a counter and the
// running steps instead. At the end the display gives way to the summary table.
func NewTerminalReporter(w io.Writer, o TerminalOptions) Reporter {
	if o.Interval <= 0 {
		o.Interval = 100 * time.Millisecond
	}
	return &terminal{w: w, o: o, index: map[string]int{}}
}

type terminal struct {
	w io.Writer
	o TerminalOptions

	mu      sync.Mutex
	run     *RunInfo
	start   time.Time
	steps   []*termStep
	index   map[string]int
	drawn   int // lines of the display on screen
	frame   int
	stop    chan struct{}
	stopped chan struct{}
}

type termStep struct {
	name    string
	status  Status
	started time.Time
	res     *StepResult
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (t *terminal) Report(e Event) {
	if e.Kind == EventRunEnd {
		t.end(e.Result)
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var buf bytes.Buffer
	t.clear(&buf)
	switch e.Kind {
	case EventRunStart:
		t.run, t.start = e.Run, e.Time
		for i, name := range e.Run.Steps {
			t.steps = append(t.steps, &termStep{name: name})
			t.index[name] = i
		}
		t.stop, t.stopped = make(chan struct{}), make(chan struct{})
		go t.tick()
	case EventStepStart:
		if s := t.step(e.Step); s != nil {
			s.status, s.started = Running, e.Time
		}
	case EventStepEnd:
		if s := t.step(e.Step); s != nil {
			s.status, s.res = e.StepResult.Status, e.StepResult
		}
		if e.StepResult.Status == Failed {
			fmt.Fprintln(&buf, t.paint(Failed, stepLine(*e.StepResult)))
		}
	default:
		if line := textLine(e); line != "" {
			fmt.Fprintln(&buf, line)
		}
	}
	t.draw(&buf)
	_, _ = t.w.Write(buf.Bytes())
}

func (t *terminal) step(name string) *termStep {
	if i, ok := t.index[name]; ok {
		return t.steps[i]
	}
	return nil
}

// tick redraws the display while steps run, for the spinners and elapsed times.
func (t *terminal) tick() {
	defer close(t.stopped)
	tk := time.NewTicker(t.o.Interval)
	defer tk.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-tk.C:
			t.mu.Lock()
			t.frame++
			var buf bytes.Buffer
			t.clear(&buf)
			t.draw(&buf)
			_, _ = t.w.Write(buf.Bytes())
			t.mu.Unlock()
		}
	}
}

// end removes the display and prints the summary.
func (t *terminal) end(res *Result) {
	if t.stop != nil {
		close(t.stop)
		<-t.stopped
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var buf bytes.Buffer
	t.clear(&buf)
	WriteSummary(&buf, res)
	_, _ = t.w.Write(buf.Bytes())
}

// clear moves to the first line of the display and erases it to the end of the screen.
func (t *terminal) clear(buf *bytes.Buffer) {
	if t.drawn > 0 {
		fmt.Fprintf(buf, "\x1b[%dF\x1b[J", t.drawn)
		t.drawn = 0
	}
}

func (t *terminal) size() (int, int) {
	w, h := 80, 24
	if t.o.Size != nil {
		if sw, sh := t.o.Size(); sw > 0 && sh > 0 {
			w, h = sw, sh
		}
	}
	return w, h
}

// draw writes the display: a header, then a line per step, or per running step when the
// steps do not fit.
func (t *terminal) draw(buf *bytes.Buffer) {
	if t.run == nil {
		return
	}
	width, height := t.size()
	now := time.Now()
	finished, running := 0, 0
	for _, s := range t.steps {
		switch {
		case s.status.finished():
			finished++
		case s.status == Running:
			running++
		}
	}
	var lines []string
	lines = append(lines, fmt.Sprintf("%s: %d of %d steps finished, %d running, %s", t.run.Pipeline, finished,
		len(t.steps), running, fmtDuration(now.Sub(t.start).Truncate(100*time.Millisecond))))
	shown := t.steps
	if len(t.steps)+1 > height-2 {
		shown = nil
		for _, s := range t.steps {
			if s.status == Running && len(shown) < height-3 {
				shown = append(shown, s)
			}
		}
	}
	nameWidth := 0
	for _, s := range shown {
		nameWidth = max(nameWidth, utf8.RuneCountInString(s.name))
	}
	nameWidth = min(nameWidth, max(8, width/3))
	for _, s := range shown {
		lines = append(lines, t.stepLine(s, nameWidth, width, now))
	}
	for _, l := range lines {
		buf.WriteString(l)
		buf.WriteByte('\n')
	}
	t.drawn = len(lines)
}

// stepLine is one step's line of the display, at most width-1 columns wide.
func (t *terminal) stepLine(s *termStep, nameWidth, width int, now time.Time) string {
	icon := map[Status]string{Waiting: "·", Done: "✓", Cached: "✓", Failed: "✗", Skipped: "-", Cancelled: "-"}[s.status]
	if s.status == Running {
		icon = spinner[t.frame%len(spinner)]
	}
	detail := ""
	switch {
	case s.status == Running:
		detail = fmtDuration(now.Sub(s.started).Truncate(100 * time.Millisecond))
	case s.res != nil && s.res.Status.ok():
		if s.res.Status == Done {
			detail = fmtDuration(s.res.Duration) + "  "
		}
		detail += counts(*s.res)
	case s.res != nil:
		detail = s.res.Reason
		if s.res.Status == Failed {
			detail = ""
		}
	}
	name := truncate(s.name, nameWidth)
	plain := fmt.Sprintf("  %s %-*s  %-9s  %s", icon, nameWidth, name, s.status, detail)
	plain = strings.TrimRight(truncate(plain, width-1), " ")
	word := s.status.String()
	if i := strings.Index(plain, "  "+word); i >= 0 && t.o.Color {
		i += 2
		return plain[:i] + t.paint(s.status, word) + plain[i+len(word):]
	}
	return plain
}

// paint colours text by status (when colour is on).
func (t *terminal) paint(s Status, text string) string {
	if !t.o.Color {
		return text
	}
	code := map[Status]string{Running: "34", Done: "32", Cached: "36", Failed: "31", Skipped: "33", Cancelled: "33"}[s]
	if code == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// truncate cuts s to n runes, ending in … when cut.
func truncate(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
