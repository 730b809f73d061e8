package lint

import (
	"fmt"
	"strings"
)

// pyToken is one token of Python source, as far as the structural check needs: names,
// string literals (their text without prefix and quotes, escapes left as written),
// brackets and the operators ':' and '='.
type pyToken struct {
	kind byte // 'n' name, 's' string, 'o' operator or bracket
	text string
	line int
}

// pyProblem is a structural error of Python source.
type pyProblem struct {
	line int
	msg  string
}

// pyScan tokenizes Python source far enough to check that every string literal is closed
// and every bracket is balanced, which is what a template that breaks Python gets wrong. It
// is no parser: indentation, syntax and names are left to python3 -m py_compile.
func pyScan(src string) ([]pyToken, []pyProblem) {
	var toks []pyToken
	var probs []pyProblem
	type open struct {
		ch   byte
		line int
	}
	var stack []open
	pairs := map[byte]byte{')': '(', ']': '[', '}': '{'}
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			line++
			i += 2
		case c == '"' || c == '\'':
			text, n, lines, ok := pyString(src[i:])
			if !ok {
				what := "string literal"
				if n > 0 && strings.HasPrefix(src[i:], strings.Repeat(string(c), 3)) {
					what = "triple-quoted string"
				}
				probs = append(probs, pyProblem{line, fmt.Sprintf("unterminated %s (a template broke the quoting; use pyq to write Python strings)", what)})
				if n == 0 {
					n = 1
				}
			}
			toks = append(toks, pyToken{'s', text, line})
			line += lines
			i += n
		case isPyNameStart(c):
			j := i
			for j < len(src) && isPyName(src[j]) {
				j++
			}
			// String prefixes: r"", b'', f"", rb"", …
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && j-i <= 2 && isStringPrefix(src[i:j]) {
				i = j
				continue
			}
			toks = append(toks, pyToken{'n', src[i:j], line})
			i = j
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, open{c, line})
			toks = append(toks, pyToken{'o', string(c), line})
			i++
		case c == ')' || c == ']' || c == '}':
			if len(stack) == 0 {
				probs = append(probs, pyProblem{line, fmt.Sprintf("closing %q without an opening bracket", c)})
			} else if top := stack[len(stack)-1]; top.ch != pairs[c] {
				probs = append(probs, pyProblem{line, fmt.Sprintf("closing %q does not match %q opened on line %d", c, top.ch, top.line)})
				stack = stack[:len(stack)-1]
			} else {
				stack = stack[:len(stack)-1]
			}
			toks = append(toks, pyToken{'o', string(c), line})
			i++
		case c == ':' || c == '=':
			toks = append(toks, pyToken{'o', string(c), line})
			i++
		default:
			i++
		}
	}
	for _, o := range stack {
		probs = append(probs, pyProblem{o.line, fmt.Sprintf("%q is never closed", o.ch)})
	}
	return toks, probs
}

func isPyNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isPyName(c byte) bool { return isPyNameStart(c) || (c >= '0' && c <= '9') }

func isStringPrefix(p string) bool {
	switch strings.ToLower(p) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf":
		return true
	}
	return false
}

// pyString reads a string literal at the start of s. It returns the text between the
// quotes, the length read, the line breaks inside, and whether the literal was closed.
func pyString(s string) (text string, n, lines int, ok bool) {
	q := s[0]
	triple := strings.HasPrefix(s, strings.Repeat(string(q), 3))
	start := 1
	if triple {
		start = 3
	}
	for i := start; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 < len(s) && s[i+1] == '\n' {
				lines++
			}
			i++
		case c == '\n':
			if !triple {
				return s[start:i], i, lines, false
			}
			lines++
		case c == q:
			if !triple {
				return s[start:i], i + 1, lines, true
			}
			if strings.HasPrefix(s[i:], strings.Repeat(string(q), 3)) {
				return s[start:i], i + 3, lines, true
			}
		}
	}
	return s[start:], len(s), lines, false
}

// pyKeyed returns each string literal with the name it is assigned to: the preceding
// string or name of "KEY": "value", key="value" and KEY = "value"; "" otherwise.
func pyKeyed(toks []pyToken) [][2]pyToken {
	var out [][2]pyToken
	for i, t := range toks {
		if t.kind != 's' {
			continue
		}
		var key pyToken
		if i >= 2 && toks[i-1].kind == 'o' && (toks[i-1].text == ":" || toks[i-1].text == "=") && toks[i-2].kind != 'o' {
			key = toks[i-2]
		}
		out = append(out, [2]pyToken{key, t})
	}
	return out
}
