package steps

import (
	"context"
	"fmt"
	"testing"

	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// benchCorpus is about 1 MB of generated markdown in documents of about 20 kB.
func benchCorpus() ([]Document, int64) {
	var docs []Document
	var size int64
	for seed := int64(1); size < 1<<20; seed++ {
		md := corpus.New(corpus.Options{Seed: seed, Bytes: 20000, LongPara: seed%10 == 0, Unicode: true}).Markdown()
		docs = append(docs, Document{MD: md, Keywords: "k", URL: fmt.Sprint("u", seed)})
		size += int64(len(md))
	}
	return docs, size
}

// BenchmarkTokenizer is the tokenizer alone on the corpus, for comparison with
// BenchmarkSimpleSplitterStep: go test -run X -bench 'Tokenizer|SimpleSplitterStep' -cpu 1 ./steps
func BenchmarkTokenizer(b *testing.B) {
	tok, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		b.Fatal(err)
	}
	docs, size := benchCorpus()
	count := func() {
		for _, d := range docs {
			tok.Count(d.MD)
		}
	}
	count() // the tokenizer caches the counts of words; measure it warm, as the splitter is
	b.SetBytes(size)
	for b.Loop() {
		count()
	}
}

// BenchmarkSimpleSplitterStep runs the step on one thread with its default settings.
func BenchmarkSimpleSplitterStep(b *testing.B) {
	docs, size := benchCorpus()
	for _, max := range []string{"256", "1024"} {
		b.Run("max"+max, func(b *testing.B) {
			typ, _ := Lookup("SimpleSplitterStep")
			v, err := settingsFor(typ, "SIMPLESPLITTERSTEP__NUM_THREADS=1", "SIMPLESPLITTERSTEP__TOKEN_COUNT_MAX="+max)
			if err != nil {
				b.Fatal(err)
			}
			step, err := typ.New(v)
			if err != nil {
				b.Fatal(err)
			}
			run := func() {
				if _, err := step.Run(context.Background(), Data{Documents: docs}); err != nil {
					b.Fatal(err)
				}
			}
			run() // warm, like BenchmarkTokenizer
			b.SetBytes(size)
			for b.Loop() {
				run()
			}
		})
	}
}
