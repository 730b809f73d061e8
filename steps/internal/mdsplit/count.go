package mdsplit

import (
	"sort"
	"unicode"

	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// docTokens counts the tokens of any slice of a text exactly, tokenizing the text once.
//
// The tokenizer splits text into pre-tokens and encodes each on its own, so the tokens of
// text[s:e] are those of the text's pre-tokens that lie inside [s, e), except near the ends:
// at s the split may differ until the slice's split meets a pre-token start of the text
// again (the split pattern has no look-behind, so from a common start both splits agree),
// and at e the pre-token that crosses e is split anew. Only those two edges are tokenized;
// the middle comes from prefix sums.
type docTokens struct {
	tok    *tokenizer.Tokenizer
	text   string
	starts []int32 // start of each pre-token, then len(text)
	cum    []int32 // cum[k] = tokens of pre-tokens 0..k-1
}

func newDocTokens(tok *tokenizer.Tokenizer, text string) *docTokens {
	d := &docTokens{tok: tok, text: text}
	d.starts = make([]int32, 0, len(text)/3+2)
	d.cum = make([]int32, 0, len(text)/3+2)
	n := int32(0)
	tok.Pieces(text, func(start, _, tokens int) bool {
		d.starts = append(d.starts, int32(start))
		d.cum = append(d.cum, n)
		n += int32(tokens)
		return true
	})
	d.starts = append(d.starts, int32(len(text)))
	d.cum = append(d.cum, n)
	return d
}

// total returns the tokens of the whole text.
func (d *docTokens) total() int { return int(d.cum[len(d.cum)-1]) }

// count returns tok.Count(text[s:e]).
func (d *docTokens) count(s, e int) int {
	if s >= e {
		return 0
	}
	p := len(d.starts) - 1 // number of pre-tokens
	i := sort.Search(p, func(k int) bool { return int(d.starts[k]) >= s })
	n := 0
	if i == p || int(d.starts[i]) != s {
		// Tokenize from s until the slice's split meets a pre-token start of the text.
		synced := false
		d.tok.Pieces(d.text[s:e], func(_, end, tokens int) bool {
			n += tokens
			at := s + end
			for i < p && int(d.starts[i]) < at {
				i++
			}
			if at < e && i < p && int(d.starts[i]) == at {
				synced = true
				return false
			}
			return true
		})
		if !synced {
			return n
		}
	}
	// Pre-tokens i..j-1 end at or before e and split the same way in the slice, except
	// white space: how a run of white space splits depends on where the run ends
	// (\s*[\r\n]+ and \s+(?!\S)), so a white-space pre-token whose run reaches e is split anew.
	j := sort.Search(p-i, func(k int) bool { return int(d.starts[i+k+1]) > e }) + i
	for j > i && isSpace(d.text[d.starts[j-1]:d.starts[j]]) && isSpace(d.text[d.starts[j]:e]) {
		j--
	}
	n += int(d.cum[j] - d.cum[i])
	if int(d.starts[j]) < e {
		n += d.tok.Count(d.text[d.starts[j]:e])
	}
	return n
}

// isSpace reports whether s is only white space (true for "").
func isSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
