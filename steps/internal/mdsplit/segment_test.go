package mdsplit

import (
	"reflect"
	"testing"
)

func texts(text string, spans []span) []string {
	var out []string
	for _, sp := range spans {
		out = append(out, text[sp.s:sp.e])
	}
	return out
}

func TestSegmenters(t *testing.T) {
	tests := []struct {
		name string
		seg  segmenter
		in   string
		want []string
	}{
		{"sentences", sentences, "First one. Second one! Third? \"Quoted.\" Next (x). 42 is a number.",
			[]string{"First one.", "Second one!", "Third?", "\"Quoted.\"", "Next (x).", "42 is a number."}},
		{"abbreviations", sentences, "See e.g. Foo and Dr. Who. J. Smith wrote it. Done.",
			[]string{"See e.g. Foo and Dr. Who.", "J. Smith wrote it.", "Done."}},
		{"lower case continues", sentences, "Version 1.2 is out. and more text", []string{"Version 1.2 is out. and more text"}},
		{"cjk", sentences, "日本語の文。次の文！最後", []string{"日本語の文。", "次の文！", "最後"}},
		{"words", words, "  a  bb\tc\n d ", []string{"a", "bb", "c", "d"}},
		{"lines", lines, "a\n  b\n\nc", []string{"a", "b", "c"}},
		{"list items", listItems, "- a\n  more\n- b\n  1. c\n\n- d", []string{"- a\n  more", "- b", "1. c", "- d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(tt.in, tt.seg(tt.in, 0, len(tt.in))); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
