package tokenizer

import (
	"testing"

	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
)

// BenchmarkCount measures tokenizer throughput on generated markdown.
func BenchmarkCount(b *testing.B) {
	for _, enc := range Encodings() {
		b.Run(string(enc), func(b *testing.B) {
			tok, err := Get(enc)
			if err != nil {
				b.Fatal(err)
			}
			s := corpus.New(corpus.Options{Seed: 1, Bytes: 1 << 20, Unicode: true}).Markdown()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				tok.Count(s)
			}
		})
	}
}

// BenchmarkLoad measures reading an encoding's ranks (once per process).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, _, err := loadRanks(Cl100kBase); err != nil {
			b.Fatal(err)
		}
	}
}
