package mdsplit

import (
	"slices"
	"strings"
)

// kind is the kind of a markdown block.
type kind int

const (
	kParagraph kind = iota // also block quotes, HTML and anything else
	kHeading
	kList
	kTable
	kCode  // fenced code
	kLines // indented code: split at line boundaries only
	kBreak // thematic break
)

// block is one top-level markdown block. start and end delimit its text without the white
// space around it, so every block starts and ends with a non-space character.
type block struct {
	kind       kind
	start, end int
	level      int    // heading level, 1 to 6
	title      string // heading text
	// up is the innermost heading in effect at the block (for a heading: its parent), -1
	// for none. Following up gives the block's heading path.
	up int
}

// line is one line of the text, without its "\n".
type line struct {
	start, end int
	text       string
}

func splitLines(text string) []line {
	var lines []line
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		lines = append(lines, line{start, end, text[start:end]})
		start = end + 1
	}
	return lines
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func indent(s string) int {
	n := 0
	for _, c := range s {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 4 - n%4
		default:
			return n
		}
	}
	return n
}

func isTableStart(lines []line, i int) bool {
	return i+1 < len(lines) && strings.IndexByte(lines[i].text, '|') >= 0 && strings.IndexByte(lines[i+1].text, '-') >= 0 &&
		strings.Contains(lines[i+1].text, "-") && tableDelimiter(lines[i+1].text) &&
		(strings.Contains(lines[i+1].text, "|") || strings.Count(strings.TrimSpace(lines[i].text), "|") > 0)
}

// startsBlock reports whether line i begins a block that interrupts a paragraph.
func startsBlock(lines []line, i int) bool {
	t := lines[i].text
	c := firstChar(t)
	_, _, atx := atxHeading(t)
	_, fence := fenceOpen(t)
	return c == '#' && atx || (c == '`' || c == '~') && fence || (c == '-' || c == '*' || c == '_') && thematicBreak(t) ||
		(c == '-' || c == '*' || c == '+' || c >= '0' && c <= '9') && isListItem(t) && indent(t) < 4 ||
		c == '>' || isTableStart(lines, i)
}

// firstChar returns the first byte of t that is not white space (-1 for none).
func firstChar(t string) int {
	for i := 0; i < len(t); i++ {
		if !isSpaceByte(t[i]) {
			return int(t[i])
		}
	}
	return -1
}

// parseBlocks splits markdown (with "\n" line ends) into top-level blocks in order.
func parseBlocks(text string) []block {
	lines := splitLines(text)
	var blocks []block
	add := func(k kind, from, to int) *block { // lines from..to inclusive
		sp, _ := trimmed(text, lines[from].start, lines[to].end)
		blocks = append(blocks, block{kind: k, start: sp.s, end: sp.e})
		return &blocks[len(blocks)-1]
	}
	for i := 0; i < len(lines); {
		t := lines[i].text
		c := firstChar(t)
		switch {
		case c < 0 || blank(t):
			i++
		case (c == '`' || c == '~') && isFence(t):
			fence, _ := fenceOpen(t)
			j := i + 1
			for j < len(lines) && !fenceClose(lines[j].text, fence) {
				j++
			}
			if j == len(lines) {
				j-- // unclosed: the fence runs to the end
			}
			add(kCode, i, j)
			i = j + 1
		case c == '#' && isATX(t):
			b := add(kHeading, i, i)
			b.level, b.title, _ = atxHeading(t)
			i++
		case (c == '-' || c == '*' || c == '_') && thematicBreak(t):
			add(kBreak, i, i)
			i++
		case isTableStart(lines, i):
			j := i + 2
			for j < len(lines) && !blank(lines[j].text) && strings.Contains(lines[j].text, "|") {
				j++
			}
			add(kTable, i, j-1)
			i = j
		case (c == '-' || c == '*' || c == '+' || c >= '0' && c <= '9') && isListItem(t) && indent(t) < 4:
			j := i + 1
			for j < len(lines) {
				lt := lines[j].text
				if blank(lt) {
					k := j
					for k < len(lines) && blank(lines[k].text) {
						k++
					}
					if k < len(lines) && (indent(lines[k].text) >= 2 || isListItem(lines[k].text) && indent(lines[k].text) < 4) {
						j = k
						continue
					}
					break
				}
				if indent(lt) < 2 && !isListItem(lt) && startsBlock(lines, j) {
					break
				}
				j++
			}
			add(kList, i, j-1)
			i = j
		case indent(t) >= 4:
			j := i + 1
			for j < len(lines) && (indent(lines[j].text) >= 4 || blank(lines[j].text)) {
				j++
			}
			for j > i+1 && blank(lines[j-1].text) {
				j--
			}
			add(kLines, i, j-1)
			i = j
		default: // paragraph, block quote or HTML, possibly a setext heading
			j := i + 1
			for j < len(lines) && !blank(lines[j].text) {
				if isSetext(lines[j].text) && !strings.HasPrefix(strings.TrimLeft(t, " "), ">") {
					break
				}
				if startsBlock(lines, j) && !strings.HasPrefix(strings.TrimLeft(lines[j].text, " "), ">") {
					break
				}
				j++
			}
			if j < len(lines) && isSetext(lines[j].text) &&
				!strings.HasPrefix(strings.TrimLeft(t, " "), ">") {
				b := add(kHeading, i, j)
				b.level, _ = setextUnderline(lines[j].text)
				var title []string
				for k := i; k < j; k++ {
					title = append(title, strings.TrimSpace(lines[k].text))
				}
				b.title = strings.Join(title, " ")
				i = j + 1
				continue
			}
			add(kParagraph, i, j-1)
			i = j
		}
	}
	setPaths(blocks)
	return blocks
}

func isFence(t string) bool  { _, ok := fenceOpen(t); return ok }
func isATX(t string) bool    { _, _, ok := atxHeading(t); return ok }
func isSetext(t string) bool { _, ok := setextUnderline(t); return ok }

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// setPaths links each block to the innermost heading in effect, from a stack of open
// headings.
func setPaths(blocks []block) {
	var stack []int
	top := func() int {
		if len(stack) == 0 {
			return -1
		}
		return stack[len(stack)-1]
	}
	for i := range blocks {
		b := &blocks[i]
		if b.kind == kHeading {
			for len(stack) > 0 && blocks[top()].level >= b.level {
				stack = stack[:len(stack)-1]
			}
			b.up = top()
			stack = append(stack, i)
			continue
		}
		b.up = top()
	}
}

// path returns the headings above block i, outermost first.
func path(blocks []block, i int) []int {
	var p []int
	for h := blocks[i].up; h >= 0; h = blocks[h].up {
		p = append(p, h)
	}
	slices.Reverse(p)
	return p
}

// inPath reports whether heading h is above block i.
func inPath(blocks []block, i, h int) bool {
	for u := blocks[i].up; u >= 0; u = blocks[u].up {
		if u == h {
			return true
		}
	}
	return false
}

// boundary is the strength of the break before block i: 1 to 6 before a heading of that
// level, 7 between other blocks. Lower is stronger.
func (b *block) boundary() int {
	if b.kind == kHeading {
		return b.level
	}
	return 7
}
