package mdsplit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a slice [s, e) of the text that starts and ends with a non-space character.
type span struct{ s, e int }

// A segmenter cuts [s, e) into consecutive spans at one kind of boundary. The white space
// between spans belongs to none of them.
type segmenter func(text string, s, e int) []span

// trimmed returns [s, e) without white space at either end, and whether anything is left.
func trimmed(text string, s, e int) (span, bool) {
	for s < e {
		r, w := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += w
	}
	for e > s {
		r, w := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= w
	}
	return span{s, e}, s < e
}

// cutAt turns cut positions (starts of new spans) into trimmed spans of [s, e).
func cutAt(text string, s, e int, cuts []int) []span {
	var out []span
	prev := s
	for _, c := range append(cuts, e) {
		if sp, ok := trimmed(text, prev, c); ok {
			out = append(out, sp)
		}
		prev = c
	}
	return out
}

// lines cuts at line ends.
func lines(text string, s, e int) []span {
	var cuts []int
	for i := s; i < e; i++ {
		if text[i] == '\n' {
			cuts = append(cuts, i+1)
		}
	}
	return cutAt(text, s, e, cuts)
}

// listItems cuts before each line that starts a list item, at any depth.
func listItems(text string, s, e int) []span {
	var cuts []int
	for i := s; i < e; i++ {
		if text[i] == '\n' {
			j := strings.IndexByte(text[i+1:e], '\n')
			end := e
			if j >= 0 {
				end = i + 1 + j
			}
			if isListItem(text[i+1 : end]) {
				cuts = append(cuts, i+1)
			}
		}
	}
	return cutAt(text, s, e, cuts)
}

// words cuts at runs of white space.
func words(text string, s, e int) []span {
	var out []span
	start := -1
	for i := s; i < e; {
		r, w := utf8.DecodeRuneInString(text[i:e])
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, span{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += w
	}
	if start >= 0 {
		out = append(out, span{start, e})
	}
	return out
}

// abbreviations end with a full stop that rarely ends a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "z.B": true, "vgl": true, "bzw": true, "ca": true, "Dr": true,
	"Mr": true, "Mrs": true, "Ms": true, "Nr": true, "Prof": true, "St": true, "vs": true,
	"u.a": true, "d.h": true, "z.T": true, "Abs": true, "Art": true, "S": true, "etc": false,
}

// sentences cuts after sentence-ending punctuation (. ! ? … and the CJK full stops),
// optionally followed by closing quotes or brackets, when white space and then an
// upper-case letter, a digit, an opening quote or bracket, or a character without case
// follow. A full stop after a single letter or a common abbreviation does not end a sentence.
func sentences(text string, s, e int) []span {
	var cuts []int
	for i := s; i < e; {
		r, w := utf8.DecodeRuneInString(text[i:e])
		i += w
		switch r {
		case '。', '！', '？':
			cuts = append(cuts, i)
			continue
		case '.', '!', '?', '…':
		default:
			continue
		}
		if r == '.' && isAbbreviation(text[s:i-1]) {
			continue
		}
		j := i
		for j < e {
			c, cw := utf8.DecodeRuneInString(text[j:e])
			if !strings.ContainsRune(`)"'’”»]`, c) {
				break
			}
			j += cw
		}
		k := j
		for k < e {
			c, cw := utf8.DecodeRuneInString(text[k:e])
			if !unicode.IsSpace(c) {
				break
			}
			k += cw
		}
		if k == j || k >= e {
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[k:e])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'“„‘«([*_#>|-`, next) ||
			unicode.IsLetter(next) && !unicode.IsLower(next) {
			cuts = append(cuts, k)
		}
		i = k
	}
	return cutAt(text, s, e, cuts)
}

func isAbbreviation(before string) bool {
	i := strings.LastIndexFunc(before, unicode.IsSpace)
	word := strings.TrimLeft(before[i+1:], `("'`)
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsLetter(r)
	}
	return abbreviations[word]
}
