package mdsplit

import (
	"regexp"
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

var (
	atxRE        = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	fenceRE      = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})(.*)$")
	setextRE     = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	breakRE      = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	listItemRE   = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)`)
	tableDelimRE = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
)

// isListItem reports whether t starts a list item: optional indentation, then - * + or
// 1 to 9 digits and . or ), then white space or the end of the line.
func isListItem(t string) bool {
	i := 0
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	switch {
	case i < len(t) && (t[i] == '-' || t[i] == '*' || t[i] == '+'):
		i++
	case i < len(t) && t[i] >= '0' && t[i] <= '9':
		j := i
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i-j > 9 || i == len(t) || t[i] != '.' && t[i] != ')' {
			return false
		}
		i++
	default:
		return false
	}
	return i == len(t) || t[i] == ' ' || t[i] == '\t'
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
		strings.Contains(lines[i+1].text, "-") && tableDelimRE.MatchString(lines[i+1].text) &&
		(strings.Contains(lines[i+1].text, "|") || strings.Count(strings.TrimSpace(lines[i].text), "|") > 0)
}

// startsBlock reports whether line i begins a block that interrupts a paragraph.
func startsBlock(lines []line, i int) bool {
	t := lines[i].text
	c := firstChar(t)
	return c == '#' && atxRE.MatchString(t) || (c == '`' || c == '~') && fenceRE.MatchString(t) ||
		(c == '-' || c == '*' || c == '_') && breakRE.MatchString(t) ||
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
		case (c == '`' || c == '~') && fenceRE.MatchString(t):
			m := fenceRE.FindStringSubmatch(t)
			fence := m[1]
			j := i + 1
			for ; j < len(lines); j++ {
				c := strings.TrimLeft(lines[j].text, " ")
				if indent(lines[j].text) < 4 && strings.HasPrefix(c, fence) &&
					strings.Trim(strings.TrimRight(c, " \t"), fence[:1]) == "" {
					break
				}
			}
			if j == len(lines) {
				j-- // unclosed: the fence runs to the end
			}
			add(kCode, i, j)
			i = j + 1
		case c == '#' && atxRE.MatchString(t):
			m := atxRE.FindStringSubmatch(t)
			b := add(kHeading, i, i)
			b.level, b.title = len(m[1]), strings.TrimSpace(m[2])
			i++
		case (c == '-' || c == '*' || c == '_') && breakRE.MatchString(t):
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
				if setextRE.MatchString(lines[j].text) && !strings.HasPrefix(strings.TrimLeft(t, " "), ">") {
					break
				}
				if startsBlock(lines, j) && !strings.HasPrefix(strings.TrimLeft(lines[j].text, " "), ">") {
					break
				}
				j++
			}
			if j < len(lines) && setextRE.MatchString(lines[j].text) && !blank(lines[j].text) &&
				!strings.HasPrefix(strings.TrimLeft(t, " "), ">") {
				b := add(kHeading, i, j)
				b.level = 2
				if strings.Contains(lines[j].text, "=") {
					b.level = 1
				}
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
