package mdsplit

import "strings"

// The line syntax of CommonMark and GitHub tables, as far as splitting needs it.

// indentUpTo3 returns t without up to three leading spaces, and false when t starts with
// four or more (an indented code line).
func indentUpTo3(t string) (string, bool) {
	n := 0
	for n < len(t) && n < 4 && t[n] == ' ' {
		n++
	}
	return t[n:], n < 4
}

// onlySpaceTab reports whether t holds nothing but spaces and tabs.
func onlySpaceTab(t string) bool { return strings.Trim(t, " \t") == "" }

// atxHeading parses "## Title ##": the level and the title.
func atxHeading(t string) (int, string, bool) {
	t, ok := indentUpTo3(t)
	if !ok {
		return 0, "", false
	}
	level := 0
	for level < len(t) && t[level] == '#' {
		level++
	}
	rest := t[level:]
	if level == 0 || level > 6 || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return 0, "", false
	}
	title := strings.Trim(rest, " \t")
	if closed := strings.TrimRight(title, "#"); closed == "" {
		title = ""
	} else if closed != title && strings.HasSuffix(closed, " ") || strings.HasSuffix(closed, "\t") {
		title = strings.Trim(closed, " \t") // a closing sequence of #
	}
	return level, title, true
}

// fenceOpen parses the opening line of a fenced code block and returns its fence.
func fenceOpen(t string) (string, bool) {
	t, ok := indentUpTo3(t)
	if !ok || len(t) < 3 || t[0] != '`' && t[0] != '~' {
		return "", false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || t[0] == '`' && strings.Contains(t[n:], "`") {
		return "", false
	}
	return t[:n], true
}

// fenceClose reports whether t closes a code block opened with fence.
func fenceClose(t, fence string) bool {
	t, ok := indentUpTo3(t)
	return ok && strings.HasPrefix(t, fence) && strings.Trim(strings.TrimRight(t, " \t"), fence[:1]) == ""
}

// thematicBreak reports whether t is ***, --- or ___ (three or more, spaces allowed).
func thematicBreak(t string) bool {
	t, ok := indentUpTo3(t)
	if !ok || t == "" || t[0] != '-' && t[0] != '*' && t[0] != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case t[0]:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// setextUnderline parses a line of = or - under a paragraph: heading level 1 or 2.
func setextUnderline(t string) (int, bool) {
	t, ok := indentUpTo3(t)
	if !ok || t == "" || t[0] != '=' && t[0] != '-' {
		return 0, false
	}
	rest := strings.TrimLeft(t, t[:1])
	if !onlySpaceTab(rest) {
		return 0, false
	}
	if t[0] == '=' {
		return 1, true
	}
	return 2, true
}

// tableDelimiter reports whether t is the delimiter row of a table: cells of -, optionally
// with : at either end, separated by |.
func tableDelimiter(t string) bool {
	t = strings.Trim(t, " \t")
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimSuffix(t, "|")
	if t == "" {
		return false
	}
	for _, cell := range strings.Split(t, "|") {
		cell = strings.Trim(cell, " \t")
		cell = strings.TrimPrefix(cell, ":")
		cell = strings.TrimSuffix(cell, ":")
		if cell == "" || strings.Trim(cell, "-") != "" {
			return false
		}
	}
	return true
}

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
