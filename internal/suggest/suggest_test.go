package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"BATCH_SIZE", "TOKEN_COUNT_MAX", "TOKEN_COUNT_MIN", "NUM_THREADS"}
	tests := []struct{ in, want string }{
		{"BATCH_SZIE", "BATCH_SIZE"},
		{"batch_size", "BATCH_SIZE"},
		{"TOKEN_COUNT_MXA", "TOKEN_COUNT_MAX"},
		{"COMPLETELY_DIFFERENT", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, known); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := Hint("dependson", []string{"dependsOn", "name"}), ` (did you mean "dependsOn"?)`; got != want {
		t.Errorf("Hint = %q, want %q", got, want)
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"abc", "acb", 1}, {"kitten", "sitting", 3}} {
		if got := Distance(tt.a, tt.b); got != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
