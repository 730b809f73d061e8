package mdsplit

import "testing"

func TestLineSyntax(t *testing.T) {
	atx := []struct {
		in    string
		level int
		title string
		ok    bool
	}{
		{"# Title", 1, "Title", true},
		{"###   Spaced   ", 3, "Spaced", true},
		{"## Closed ##", 2, "Closed", true},
		{"## C#", 2, "C#", true},
		{"#", 1, "", true},
		{"# #", 1, "", true},
		{"   ###### six", 6, "six", true},
		{"####### seven", 0, "", false},
		{"#hashtag", 0, "", false},
		{"    # indented", 0, "", false},
	}
	for _, tt := range atx {
		level, title, ok := atxHeading(tt.in)
		if level != tt.level || title != tt.title || ok != tt.ok {
			t.Errorf("atxHeading(%q) = %d, %q, %v; want %d, %q, %v", tt.in, level, title, ok, tt.level, tt.title, tt.ok)
		}
	}
	fences := []struct {
		in, fence string
		ok        bool
	}{
		{"```", "```", true}, {"```go", "```", true}, {"~~~~ sh", "~~~~", true}, {"  ````", "````", true},
		{"``", "", false}, {"``` a`b", "", false}, {"    ```", "", false}, {"~~~ a`b", "~~~", true},
	}
	for _, tt := range fences {
		if fence, ok := fenceOpen(tt.in); fence != tt.fence || ok != tt.ok {
			t.Errorf("fenceOpen(%q) = %q, %v; want %q, %v", tt.in, fence, ok, tt.fence, tt.ok)
		}
	}
	for in, want := range map[string]bool{"```": true, "````  ": true, "``": false, "``` x": false, "~~~": false} {
		if got := fenceClose(in, "```"); got != want {
			t.Errorf("fenceClose(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{"---": true, "* * *": true, "___ _": true, "--": false, "-*-": false, "    ---": false, "- - x": false} {
		if got := thematicBreak(in); got != want {
			t.Errorf("thematicBreak(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]int{"===": 1, "-": 2, "---  ": 2, "= =": 0, "==x": 0, "    ===": 0} {
		if got, _ := setextUnderline(in); got != want {
			t.Errorf("setextUnderline(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]bool{"|---|:-:|": true, "--- | ---": true, " :--- ": true, "|---||": false, "| - x |": false, "||": false} {
		if got := tableDelimiter(in); got != want {
			t.Errorf("tableDelimiter(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{"- a": true, "-": true, "  * b": true, "1. x": true, "10) y": true, "1234567890. z": false, "-a": false, "1.x": false} {
		if got := isListItem(in); got != want {
			t.Errorf("isListItem(%q) = %v", in, got)
		}
	}
}
