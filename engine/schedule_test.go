package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wurzel-dev/wurzel/templates"
)

// TestShortestInterval checks ShortestInterval, and compares it with a walk over the whole
// year, which it may cut short once no shorter gap is possible.
func TestShortestInterval(t *testing.T) {
	walk := func(expr string) time.Duration {
		s, err := cron.ParseStandard(expr)
		if err != nil {
			return 0
		}
		tm := s.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		end := tm.AddDate(1, 0, 0)
		shortest := time.Duration(0)
		for i := 0; i < 600000 && tm.Before(end); i++ {
			next := s.Next(tm)
			if next.IsZero() {
				break
			}
			if gap := next.Sub(tm); shortest == 0 || gap < shortest {
				shortest = gap
			}
			tm = next
		}
		return shortest
	}
	for _, tc := range []struct {
		expr string
		want time.Duration
	}{
		{"* * * * *", time.Minute},
		{"*/5 * * * *", 5 * time.Minute},
		{"*/7 * * * *", 4 * time.Minute}, // :56 to the next hour's :00
		{"0,59 0 * * *", 59 * time.Minute},
		{"0,59 */2 * * *", 59 * time.Minute},
		{"0 3 * * *", 24 * time.Hour},
		{"0 */2 * * *", 2 * time.Hour},
		{"0 9-17 * * 1-5", time.Hour},
		{"30 2 * * 1", 7 * 24 * time.Hour},
		{"0 0 1 * *", 28 * 24 * time.Hour},
		{"0 0 29 2 *", (4*365 + 1) * 24 * time.Hour}, // 2028 to 2032
		{"@hourly", time.Hour},
		{"@daily", 24 * time.Hour},
		{"15,45 * * * *", 30 * time.Minute},
		{"not a schedule", 0},
	} {
		if got := ShortestInterval(tc.expr); got != tc.want {
			t.Errorf("ShortestInterval(%q) = %s, want %s", tc.expr, got, tc.want)
		}
		if tc.want < time.Hour {
			continue // a whole year of such runs is too long a walk for a test
		}
		if got, full := ShortestInterval(tc.expr), walk(tc.expr); got != full {
			t.Errorf("ShortestInterval(%q) = %s, but the whole year gives %s", tc.expr, got, full)
		}
	}
}

// TestCheckSchedule checks a pack's minimum interval: CheckSchedule skips the walk over a
// year when the minute field alone keeps runs far enough apart, and must still refuse what
// the walk refuses.
func TestCheckSchedule(t *testing.T) {
	lib, err := Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := lib.Pack("github-actions")
	if !ok || p.Meta.Schedule.MinInterval != "5m" {
		t.Fatalf("want the github-actions pack with a minimum interval of 5m, got %+v", p)
	}
	pl := testPipeline(t)
	for _, tc := range []struct {
		expr string
		gap  string // the error names it; empty: accepted
	}{
		{"* * * * *", "1m0s"},
		{"*/2 * * * *", "2m0s"},
		{"*/7 * * * *", "4m0s"}, // :56 to the next hour's :00
		{"0,3 9 * * *", "3m0s"},
		{"58 * * * *,", ""}, // does not parse: pipeline.Load reports it, not this check
		{"*/5 * * * *", ""},
		{"0,5,10 * * * *", ""},
		{"0 * * * *", ""},
		{"0 */2 * * *", ""},
		{"0 3 * * *", ""},
		{"@hourly", ""},
		{"0,59 0 * * *", ""},
	} {
		pl.Spec.Schedule = tc.expr
		err := CheckSchedule(p, pl)
		gap := ShortestInterval(tc.expr)
		if refused := gap > 0 && gap < 5*time.Minute; refused != (tc.gap != "") {
			t.Fatalf("%q: the test expects refused=%v, but the walk gives %s", tc.expr, tc.gap != "", gap)
		}
		switch {
		case tc.gap == "" && err != nil:
			t.Errorf("%q: %v", tc.expr, err)
		case tc.gap != "" && err == nil:
			t.Errorf("%q: accepted, want it refused (runs every %s at times)", tc.expr, tc.gap)
		case tc.gap != "" && !strings.Contains(err.Error(), "runs every "+tc.gap+" at times, more often than github-actions allows (at most every 5m0s)"):
			t.Errorf("%q: %v", tc.expr, err)
		}
	}
}
