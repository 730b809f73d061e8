package mdsplit

import (
	"fmt"
	"testing"

	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
)

// BenchmarkSplit measures splitter throughput on generated markdown (about 1 MB in documents
// of 20 kB); compare with BenchmarkTokenize, the tokenizer alone on the same text.
func BenchmarkSplit(b *testing.B) {
	tok := cl100k(b)
	docs, size := benchDocs()
	for _, max := range []int{256, 1024} {
		b.Run(fmt.Sprintf("max%d", max), func(b *testing.B) {
			opts := Options{Tokenizer: tok, MaxTokens: max, MinTokens: 64, BufferTokens: 32}
			split := func() {
				for _, d := range docs {
					Split(d, opts)
				}
			}
			split() // warm the tokenizer's cache, as BenchmarkTokenize does
			b.SetBytes(int64(size))
			for b.Loop() {
				split()
			}
		})
	}
}

func BenchmarkTokenize(b *testing.B) {
	tok := cl100k(b)
	docs, size := benchDocs()
	count := func() {
		for _, d := range docs {
			tok.Count(d)
		}
	}
	count()
	b.SetBytes(int64(size))
	for b.Loop() {
		count()
	}
}

func benchDocs() ([]string, int) {
	var docs []string
	size := 0
	for seed := int64(1); size < 1<<20; seed++ {
		d := corpus.New(corpus.Options{Seed: seed, Bytes: 20000, LongPara: seed%10 == 0, Unicode: true}).Markdown()
		docs = append(docs, d)
		size += len(d)
	}
	return docs, size
}
