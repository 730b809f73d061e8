package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// A splitFunc returns the end of the pre-token that starts at s[i] (i < len(s)). It implements
// the encoding's split pattern as tiktoken's backtracking engine evaluates it: alternatives in
// order, the first that matches wins, quantifiers greedy.
type splitFunc func(s string, i int) int

// Character classes of the split patterns.
const (
	cLetter = 1 << iota // \p{L}
	cNumber             // \p{N}
	cSpace              // \s (White_Space)
	cNL                 // \r or \n
	cUpper              // o200k: [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
	cLower              // o200k: [\p{Ll}\p{Lm}\p{Lo}\p{M}]
)

var asciiClass [utf8.RuneSelf]uint8

func init() {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		asciiClass[r] = classOf(r)
	}
}

func classOf(r rune) uint8 {
	var c uint8
	if unicode.IsLetter(r) {
		c |= cLetter
	}
	if unicode.IsNumber(r) {
		c |= cNumber
	}
	if unicode.IsSpace(r) {
		c |= cSpace
	}
	if r == '\r' || r == '\n' {
		c |= cNL
	}
	if unicode.In(r, unicode.Lu, unicode.Lt, unicode.Lm, unicode.Lo, unicode.M) {
		c |= cUpper
	}
	if unicode.In(r, unicode.Ll, unicode.Lm, unicode.Lo, unicode.M) {
		c |= cLower
	}
	return c
}

// at returns the class and width of the character at s[i]; an invalid byte is one
// character of no class (like punctuation).
func at(s string, i int) (uint8, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return asciiClass[b], 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && w == 1 {
		return 0, 1
	}
	return classOf(r), w
}

// run returns the end of the longest run of characters from i whose class has a bit of want.
func run(s string, i int, want uint8) int {
	for i < len(s) {
		c, w := at(s, i)
		if c&want == 0 {
			break
		}
		i += w
	}
	return i
}

// prefixChar reports the width of a character of [^\r\n\p{L}\p{N}] at s[i], or 0.
func prefixChar(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c, w := at(s, i)
	if c&(cNL|cLetter|cNumber) != 0 {
		return 0
	}
	return w
}

// contraction matches (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[i] and returns its length, or 0.
// Case folding maps ſ (U+017F) to s, as Unicode simple case folding does.
func contraction(s string, i int) int {
	if i >= len(s) || s[i] != '\'' {
		return 0
	}
	rest := s[i+1:]
	lower := func(k int) byte {
		if k < len(rest) && rest[k] >= 'A' && rest[k] <= 'Z' {
			return rest[k] + 'a' - 'A'
		}
		if k < len(rest) {
			return rest[k]
		}
		return 0
	}
	switch lower(0) {
	case 's', 't', 'm', 'd':
		return 2
	case 'r', 'v':
		if lower(1) == 'e' {
			return 3
		}
	case 'l':
		if lower(1) == 'l' {
			return 3
		}
	case 0xC5: // ſ is C5 BF
		if len(rest) > 1 && rest[1] == 0xBF {
			return 3
		}
	}
	return 0
}

// punctRun matches [^\s\p{L}\p{N}]+ at s[i] and returns its end, or i.
func punctRun(s string, i int) int {
	return runNot(s, i, cSpace|cLetter|cNumber)
}

func runNot(s string, i int, avoid uint8) int {
	for i < len(s) {
		c, w := at(s, i)
		if c&avoid != 0 {
			break
		}
		i += w
	}
	return i
}

// spaceTail matches the three whitespace alternatives shared by both encodings at s[i], a
// whitespace character: \s*[\r\n]+ | \s+(?!\S) | \s+.
func spaceTail(s string, i int) int {
	end, lastNL, lastW := i, -1, 0
	for end < len(s) {
		c, w := at(s, end)
		if c&cSpace == 0 {
			break
		}
		if c&cNL != 0 {
			lastNL = end
		}
		end, lastW = end+w, w
	}
	if lastNL >= 0 {
		return lastNL + 1
	}
	if end == len(s) || end-lastW == i {
		return end
	}
	return end - lastW
}

// punctAlt matches " ?[^\s\p{L}\p{N}]+" followed by a run of trail characters, or returns i.
func punctAlt(s string, i int, trailSlash bool) int {
	j := i
	if s[i] == ' ' && punctRun(s, i+1) > i+1 {
		j = i + 1
	}
	end := punctRun(s, j)
	if end == j {
		return i
	}
	for end < len(s) && (s[end] == '\r' || s[end] == '\n' || trailSlash && s[end] == '/') {
		end++
	}
	return end
}

// numbers matches \p{N}{1,3} at s[i] and returns its end, or i.
func numbers(s string, i int) int {
	end := i
	for k := 0; k < 3 && end < len(s); k++ {
		c, w := at(s, end)
		if c&cNumber == 0 {
			break
		}
		end += w
	}
	return end
}

// nextCl100k implements
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
func nextCl100k(s string, i int) int {
	if n := contraction(s, i); n > 0 {
		return i + n
	}
	c, w := at(s, i)
	if c&cLetter != 0 {
		return run(s, i+w, cLetter)
	}
	if p := prefixChar(s, i); p > 0 && i+p < len(s) {
		if c2, w2 := at(s, i+p); c2&cLetter != 0 {
			return run(s, i+p+w2, cLetter)
		}
	}
	if end := numbers(s, i); end > i {
		return end
	}
	if end := punctAlt(s, i, false); end > i {
		return end
	}
	if c&cSpace != 0 {
		return spaceTail(s, i)
	}
	return i + w // not reached: every character matches an alternative above
}

// nextO200k implements
//
//	[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//	|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
func nextO200k(s string, i int) int {
	p := prefixChar(s, i)
	for _, j := range [2]int{i + p, i} { // with the optional prefix first, then without
		if end := upperLower(s, j); end > j {
			return end + contraction(s, end)
		}
		if p == 0 {
			break
		}
	}
	for _, j := range [2]int{i + p, i} {
		if end := run(s, j, cUpper); end > j {
			end = run(s, end, cLower)
			return end + contraction(s, end)
		}
		if p == 0 {
			break
		}
	}
	if end := numbers(s, i); end > i {
		return end
	}
	if end := punctAlt(s, i, true); end > i {
		return end
	}
	c, w := at(s, i)
	if c&cSpace != 0 {
		return spaceTail(s, i)
	}
	return i + w // not reached
}

// upperLower matches [upper]*[lower]+ at s[j] with backtracking and returns its end, or j.
func upperLower(s string, j int) int {
	if j >= len(s) {
		return j
	}
	// Starts of the characters of the longest upper run, and where it ends.
	var stack [32]int
	starts := stack[:0]
	k := j
	for k < len(s) {
		c, w := at(s, k)
		if c&cUpper == 0 {
			break
		}
		starts = append(starts, k)
		k += w
	}
	// Give back upper characters one at a time until a lower character can start the rest.
	if k < len(s) {
		if c, _ := at(s, k); c&cLower != 0 {
			return run(s, k, cLower)
		}
	}
	for n := len(starts) - 1; n >= 0; n-- {
		if c, _ := at(s, starts[n]); c&cLower != 0 {
			return run(s, starts[n], cLower)
		}
	}
	return j
}
