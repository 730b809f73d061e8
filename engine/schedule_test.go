package engine

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
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
