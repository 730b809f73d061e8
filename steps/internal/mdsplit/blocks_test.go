package mdsplit

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseBlocks(t *testing.T) {
	md := strings.Join([]string{
		"# Title #",
		"",
		"Intro line one",
		"line two.",
		"",
		"Setext Two",
		"----------",
		"",
		"- item one",
		"  continued",
		"",
		"- item two",
		"  1. nested",
		"",
		"| a | b |",
		"|---|:-:|",
		"| 1 | 2 |",
		"",
		"```go",
		"x := 1",
		"",
		"```",
		"",
		"    indented code",
		"    more",
		"",
		"***",
		"> quote",
		"> more",
		"### Deep",
		"Text right after the heading",
		"## Sibling",
		"~~~",
		"unclosed fence",
	}, "\n")
	blocks := parseBlocks(md)
	var got []string
	for i, b := range blocks {
		got = append(got, fmt.Sprintf("%d L%d %q path%v", b.kind, b.level, md[b.start:b.end], path(blocks, i)))
	}
	want := []string{
		`1 L1 "# Title #" path[]`,
		`0 L0 "Intro line one\nline two." path[0]`,
		`1 L2 "Setext Two\n----------" path[0]`,
		`2 L0 "- item one\n  continued\n\n- item two\n  1. nested" path[0 2]`,
		`3 L0 "| a | b |\n|---|:-:|\n| 1 | 2 |" path[0 2]`,
		"4 L0 \"```go\\nx := 1\\n\\n```\" path[0 2]",
		`5 L0 "indented code\n    more" path[0 2]`,
		`6 L0 "***" path[0 2]`,
		`0 L0 "> quote\n> more" path[0 2]`,
		`1 L3 "### Deep" path[0 2]`,
		`0 L0 "Text right after the heading" path[0 2 9]`,
		`1 L2 "## Sibling" path[0]`,
		`4 L0 "~~~\nunclosed fence" path[0 11]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if blocks[0].title != "Title" || blocks[2].title != "Setext Two" {
		t.Errorf("titles %q, %q", blocks[0].title, blocks[2].title)
	}
}
