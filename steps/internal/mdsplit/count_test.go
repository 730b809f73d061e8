package mdsplit

import (
	"math/rand"
	"testing"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// count(s, e) equals counting text[s:e] directly, for slices starting and ending anywhere.
func TestDocTokensCountIsExact(t *testing.T) {
	for _, enc := range tokenizer.Encodings() {
		tok, err := tokenizer.Get(enc)
		if err != nil {
			t.Fatal(err)
		}
		for seed := int64(1); seed <= 3; seed++ {
			text := corpus.New(corpus.Options{Seed: seed, Bytes: 20000, Unicode: true}).Markdown() +
				"  trailing  \n\n\t x \u00a0y 'll  ...\n\n\n"
			d := newDocTokens(tok, text)
			if d.total() != tok.Count(text) {
				t.Fatalf("total %d, want %d", d.total(), tok.Count(text))
			}
			r := rand.New(rand.NewSource(seed))
			for k := 0; k < 3000; k++ {
				s := r.Intn(len(text))
				e := s + r.Intn(min(len(text)-s, 400)+1)
				for s > 0 && !utf8.RuneStart(text[s]) {
					s--
				}
				for e < len(text) && !utf8.RuneStart(text[e]) {
					e++
				}
				if got, want := d.count(s, e), tok.Count(text[s:e]); got != want {
					t.Fatalf("%s seed %d: count(%d, %d) = %d, want %d for %q", enc, seed, s, e, got, want, text[s:e])
				}
			}
		}
	}
}

func FuzzDocTokensCount(f *testing.F) {
	f.Add("a  b\n\n  c 'll x\u00a0y", uint16(1), uint16(9))
	f.Add("word's  \n\t\n x", uint16(0), uint16(7))
	f.Add("ABc日本  ǅa\u0301 1234!!\n\n/", uint16(2), uint16(20))
	toks := map[tokenizer.Encoding]*tokenizer.Tokenizer{}
	for _, enc := range tokenizer.Encodings() {
		tok, err := tokenizer.Get(enc)
		if err != nil {
			f.Fatal(err)
		}
		toks[enc] = tok
	}
	f.Fuzz(func(t *testing.T, text string, a, b uint16) {
		if !utf8.ValidString(text) || len(text) == 0 {
			return
		}
		s, e := int(a)%len(text), int(b)%(len(text)+1)
		if s > e {
			s, e = e, s
		}
		for s > 0 && !utf8.RuneStart(text[s]) {
			s--
		}
		for e < len(text) && !utf8.RuneStart(text[e]) {
			e++
		}
		for enc, tok := range toks {
			d := newDocTokens(tok, text)
			if got, want := d.count(s, e), tok.Count(text[s:e]); got != want {
				t.Fatalf("%s: count(%d, %d) = %d, want %d for %q in %q", enc, s, e, got, want, text[s:e], text)
			}
		}
	})
}
