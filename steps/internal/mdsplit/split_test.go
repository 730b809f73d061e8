package mdsplit

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

func cl100k(t testing.TB) *tokenizer.Tokenizer {
	t.Helper()
	tok, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// checkChunks asserts the splitter's contract on one document: every chunk within the budget
// by the same tokenizer, Tokens exact, and the chunks covering the text in order: between two
// chunks only white space, or headings that the next chunk's context repeats.
func checkChunks(t *testing.T, tok *tokenizer.Tokenizer, md string, opts Options) []Chunk {
	t.Helper()
	s := newSplitter(md, opts)
	chunks := s.chunks()
	for i, c := range chunks {
		n := tok.Count(c.Text)
		if n > opts.MaxTokens {
			t.Fatalf("chunk %d has %d tokens, max %d:\n%s", i, n, opts.MaxTokens, c.Text)
		}
		if n != c.Tokens {
			t.Fatalf("chunk %d: Tokens = %d, counted %d:\n%s", i, c.Tokens, n, c.Text)
		}
		if c.Context != "" && c.Text != c.Context+"\n\n"+c.Body {
			t.Fatalf("chunk %d: Text is not Context + blank line + Body", i)
		}
	}
	pos := 0
	for i, p := range s.pieces {
		if p.s < pos {
			t.Fatalf("chunk %d starts at %d, before the end %d of the previous one", i, p.s, pos)
		}
		gap := []byte(s.text[pos:p.s])
		for b, blk := range s.blocks {
			if blk.start >= pos && blk.end <= p.s && blk.kind == kHeading && inPath(s.blocks, p.ctxBlock, b) {
				for k := blk.start; k < blk.end; k++ {
					gap[k-pos] = ' ' // a heading the next chunk's context repeats
				}
			}
		}
		if strings.TrimSpace(string(gap)) != "" {
			t.Fatalf("chunk %d: text skipped: %q", i, s.text[pos:p.s])
		}
		if !p.synthetic && chunks[i].Body != s.text[p.s:p.e] {
			t.Fatalf("chunk %d: body is not the text it covers", i)
		}
		pos = p.e
	}
	if rest := s.text[pos:]; strings.TrimSpace(rest) != "" {
		t.Fatalf("text after the last chunk: %q", rest)
	}
	return chunks
}

func TestSplitProperties(t *testing.T) {
	tok := cl100k(t)
	for seed := int64(1); seed <= 40; seed++ {
		for _, max := range []int{64, 256, 1024} {
			opts := Options{Tokenizer: tok, MaxTokens: max, MinTokens: max / 16, BufferTokens: max / 32}
			md := corpus.New(corpus.Options{Seed: seed, Bytes: 4000 + int(seed)*500, LongPara: seed%3 == 0, Unicode: seed%2 == 0}).Markdown()
			t.Run(fmt.Sprintf("seed%d/max%d", seed, max), func(t *testing.T) {
				checkChunks(t, tok, md, opts)
			})
		}
	}
}

func TestSplitEdgeCases(t *testing.T) {
	tok := cl100k(t)
	long := strings.Repeat("x", 3000)
	docs := map[string]string{
		"empty":             "",
		"white space":       " \n\n\t\n",
		"one word":          "hello",
		"headings only":     "# A\n## B\n### C\n## D\n# E",
		"long word":         "# T\n\n" + strings.Repeat("ab1", 2000) + " tail",
		"long heading":      "# " + strings.Repeat("very long heading ", 200) + "\n\ntext",
		"cjk":               "# 見出し\n\n" + strings.Repeat("日本語の文章です。", 400),
		"no punctuation":    strings.Repeat("word ", 3000),
		"long line code":    "```\n" + long + "\n```",
		"unclosed fence":    "```python\n" + strings.Repeat("print(1)\n", 500),
		"code blank lines":  "```\n\n\n" + strings.Repeat("x = 1\n\n", 300) + "```",
		"code space lines":  "```go\n" + strings.Repeat("code line\n   \n\t\n", 300) + "```",
		"code trailing ws":  "~~~~ sh\n" + strings.Repeat("echo 'a'   \n\t\tindented )\n", 200) + "~~~~~\n",
		"wide table row":    "| a | b |\n|---|---|\n| " + strings.Repeat("cell ", 800) + " | x |\n| 1 | 2 |",
		"long table header": "| " + strings.Repeat("h ", 600) + " |\n|---|\n| 1 |\n| 2 |",
		"crlf":              "# T\r\n\r\n" + strings.Repeat("Line one.\r\n", 300),
		"nested lists":      strings.Repeat("- item with some words\n  - nested item words\n    1. deeper\n", 200),
		"deep headings":     strings.Repeat("# a\n## b\n### c\n#### d\n##### e\n###### f\ntext\n", 100),
		"emoji":             strings.Repeat("🙂👍🏽🇩🇪", 1000),
	}
	for name, md := range docs {
		for _, max := range []int{8, 9, 16, 32, 100, 1024} {
			t.Run(fmt.Sprintf("%s/max%d", name, max), func(t *testing.T) {
				opts := Options{Tokenizer: tok, MaxTokens: max, MinTokens: max / 4, BufferTokens: max / 16}
				chunks := checkChunks(t, tok, md, opts)
				if strings.TrimSpace(md) != "" && len(chunks) == 0 {
					t.Fatal("no chunks")
				}
			})
		}
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("# A\n\nSome text. More text!\n\n## B\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", uint8(20))
	f.Add("```go\nx := 1\n```\n\n- a\n- b\n\n    code\n", uint8(8))
	f.Add("Title\n=====\n\nText\n---\n\n> quote", uint8(12))
	tok, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, md string, max uint8) {
		if !utf8.ValidString(md) || max < 8 {
			return
		}
		opts := Options{Tokenizer: tok, MaxTokens: int(max), MinTokens: int(max) / 3, BufferTokens: 2}
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("Split(%q, max %d) runs for more than 5s", md, max))
			}
		}()
		checkChunks(t, tok, md, opts)
		close(done)
	})
}
