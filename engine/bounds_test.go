package engine

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/third_party/template"
)

// execGuarded parses src with the render's functions and executes it under boundedRun.
func execGuarded(t *testing.T, src string, timeout time.Duration) (string, error) {
	t.Helper()
	g := &guard{}
	var tmpl *template.Template
	tmpl = template.New("t").Option("missingkey=error").Funcs(guardedFuncMap(func() *template.Template { return tmpl }, g))
	if _, err := tmpl.Parse(src); err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	var b strings.Builder
	w := &limitedWriter{w: &b, n: maxOutput, max: maxOutput, g: g}
	err := boundedRun(context.Background(), g, "t", timeout, func() error { return tmpl.Execute(w, map[string]any{"n": 3}) })
	return b.String(), err
}

// TestTemplateCaps: the functions that could allocate without bound fail with a message
// instead, at the limit and one past it, and whatever their arguments (overflowing ones too).
func TestTemplateCaps(t *testing.T) {
	tests := []struct {
		name, src, want string // want "" means the template renders
	}{
		{"repeat at the cap", `{{ len (repeat 1048576 "x") }}`, ""},
		{"repeat past the cap", `{{ repeat 1048577 "x" }}`, "repeat: 1048577 copies of 1 bytes is more than 1048576 bytes"},
		{"repeat overflow", `{{ repeat 4611686018427387904 "xxxx" }}`, "repeat: 4611686018427387904 copies of 4 bytes is more than 1048576 bytes"},
		{"repeat negative", `{{ repeat -1 "x" }}`, "repeat: -1 copies of 1 bytes is more than 1048576 bytes"},
		{"until at the cap", `{{ len (until 65536) }}`, ""},
		{"until past the cap", `{{ until 65537 }}`, "sequence of 65537 items is longer than 65536"},
		{"untilStep overflow", `{{ untilStep -9223372036854775808 9223372036854775807 1 }}`, "sequence of 18446744073709551615 items is longer than 65536"},
		{"untilStep reversed", `{{ len (untilStep 10 0 -1) }}`, ""},
		{"untilStep min step", `{{ len (untilStep 0 -9223372036854775808 -9223372036854775808) }}`, ""},
		{"seq at the cap", `{{ len (seq 65536) }}`, ""},
		{"seq past the cap", `{{ seq 65537 }}`, "seq: 65537 items is more than 65536"},
		{"seq overflow", `{{ seq -9223372036854775808 1 9223372036854775807 }}`, "seq: 18446744073709551615 items is more than 65536"},
		{"indent at the cap", `{{ len (indent 1024 "x") }}`, ""},
		{"indent past the cap", `{{ indent 1025 "x" }}`, "indent: 1025 spaces is more than 1024"},
		{"nindent huge", `{{ nindent 1000000000 "x" }}`, "indent: 1000000000 spaces is more than 1024"},
		{"indent of many lines", `{{ indent 1024 (repeat 1048576 "\n") }}`, "indent: 1048577 lines of 1024 spaces is more than 67108864 bytes"},
		{"printf width", `{{ printf "%999999999d" 1 }}`, `printf "%999999999d": width or precision 999999999 is more than 4096`},
		{"printf precision", `{{ printf "%.999999999f" 1.0 }}`, `printf "%.999999999f": width or precision 999999999 is more than 4096`},
		{"printf star", `{{ printf "%*d" 1000000000 1 }}`, `printf "%*d": widths from arguments (*) are not supported`},
		{"printf at the cap", `{{ len (printf "%4096d" 1) }}`, ""},
		{"printf index", `{{ printf "%[1]s-%[1]s" "a" }}`, ""},
		{"include recursion", `{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}`, `include "r": nested more than 100 deep`},
		{"template recursion", `{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}`, "exceeded maximum template depth"},
		{"output over the cap", `{{ range until 17 }}{{ repeat 1048576 "x" }}{{ end }}`, "output is larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := execGuarded(t, tt.src, time.Minute)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want it rendered", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error holding %q", err, tt.want)
			}
		})
	}
}

// TestSpan counts sequences exactly, including at the ends of int.
func TestSpan(t *testing.T) {
	tests := []struct {
		start, stop, step int
		inclusive         bool
		want              uint64
	}{
		{0, 10, 1, false, 10},
		{0, 10, 3, false, 4},
		{0, 10, 3, true, 4},
		{1, 10, 1, true, 10},
		{10, 0, -1, false, 10},
		{10, 0, -3, true, 4},
		{5, 5, 1, false, 0},
		{5, 5, 1, true, 1},
		{0, 10, -1, false, 0},
		{math.MinInt, math.MaxInt, 1, false, math.MaxUint64},
		{math.MaxInt, math.MinInt, math.MinInt, false, 2},
	}
	for _, tt := range tests {
		if got := span(tt.start, tt.stop, tt.step, tt.inclusive); got != tt.want {
			t.Errorf("span(%d, %d, %d, %v) = %d, want %d", tt.start, tt.stop, tt.step, tt.inclusive, got, tt.want)
		}
		if !tt.inclusive && tt.want <= 1000 {
			got, err := sequence(tt.start, tt.stop, tt.step)
			if err != nil || uint64(len(got)) != tt.want {
				t.Errorf("sequence(%d, %d, %d) has %d items (%v), span says %d", tt.start, tt.stop, tt.step, len(got), err, tt.want)
			}
		}
	}
}

// TestBoundedRun: a template that loops too long or grows the heap without bound is given up
// on with an error naming the template, and its goroutine stops at its next write or call.
func TestBoundedRun(t *testing.T) {
	t.Run("nested ranges", func(t *testing.T) {
		start := time.Now()
		// The inner body calls a function, so that the abandoned goroutine stops there; one
		// that neither writes nor calls runs to its end (minutes here), as text/template
		// gives no other place to stop it.
		_, err := execGuarded(t, `{{ $l := until 65536 }}{{ range $l }}{{ range $l }}{{ $_ := until 0 }}{{ end }}{{ end }}`, 200*time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "t: rendering took more than 200ms of CPU time; a template loops too long") {
			t.Fatalf("got %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("returned after %v", d)
		}
	})
	t.Run("exponential recursion", func(t *testing.T) {
		_, err := execGuarded(t, `{{ define "r" }}{{ if lt . 60 }}{{ include "r" (add . 1) }}{{ include "r" (add . 1) }}{{ end }}{{ end }}{{ include "r" 0 }}`, 200*time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "rendering took more than") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("panic", func(t *testing.T) {
		g := &guard{}
		err := boundedRun(context.Background(), g, "t", time.Minute, func() error { panic("boom") })
		if err == nil || err.Error() != "t: the template panicked: boom" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		g := &guard{}
		err := boundedRun(ctx, g, "t", time.Minute, func() error { time.Sleep(time.Second); return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
		w := &limitedWriter{w: io.Discard, n: 10, max: 10, g: g}
		if _, err := w.Write([]byte("x")); !errors.Is(err, errStopped) {
			t.Errorf("a stopped render's writer returned %v", err)
		}
	})
}

// TestBoundedRunHeap: a template that doubles a string in a loop is given up on once the heap
// has grown by maxRenderHeap. Its goroutine cannot be stopped inside sprig's cat, so the test
// runs in a process of its own, which ends with it.
func TestBoundedRunHeap(t *testing.T) {
	if os.Getenv("WURZEL_TEST_RENDER_HEAP") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBoundedRunHeap$", "-test.count=1")
		cmd.Env = append(os.Environ(), "WURZEL_TEST_RENDER_HEAP=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	maxRenderHeap = 64 << 20
	_, err := execGuarded(t, `{{ $s := repeat 1048576 "x" }}{{ range until 40 }}{{ $s = cat $s $s }}{{ end }}`, time.Minute)
	if err == nil || err.Error() != "t: rendering used more than 64 MiB of memory; a template builds too large a value (a string or list that grows in a loop)" {
		t.Fatalf("got %v", err)
	}
}
