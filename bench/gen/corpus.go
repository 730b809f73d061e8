package gen

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CorpusOptions shape a generated markdown corpus.
type CorpusOptions struct {
	// Bytes is the total size of the files, approximately (within one file).
	Bytes int64
	// FileBytes is the size of one file, approximately. Default 20,000.
	FileBytes int
	Seed      int64
}

// Corpus writes markdown files under dir (docs/NNN/doc-NNNNNN.md, 100 files a folder) and
// returns their number and total size. The text has the shape of documentation: front
// matter on some files, headings three levels deep, paragraphs of a Zipf-distributed
// vocabulary with some German, CJK and emoji words, lists, code blocks, tables, links, a
// few very long paragraphs; one file in twenty repeats an earlier one, for the
// deduplication step.
func Corpus(dir string, o CorpusOptions) (files int, size int64, err error) {
	if o.FileBytes <= 0 {
		o.FileBytes = 20000
	}
	w := newWriter(o.Seed)
	var earlier []string
	for size < o.Bytes {
		var doc string
		if len(earlier) > 0 && w.r.Intn(20) == 0 {
			doc = earlier[w.r.Intn(len(earlier))]
		} else {
			doc = w.document(files, o.FileBytes)
			if len(earlier) < 200 {
				earlier = append(earlier, doc)
			} else {
				earlier[w.r.Intn(len(earlier))] = doc
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("%03d", files/100), fmt.Sprintf("doc-%06d.md", files))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return files, size, err
		}
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			return files, size, err
		}
		files++
		size += int64(len(doc))
	}
	return files, size, nil
}

type writer struct {
	r     *rand.Rand
	vocab []string
	zipf  *rand.Zipf
}

var syllables = strings.Fields("ver ar bei tung en the con fig ur a tion pipe line da ten split ter in put out " +
	"schnitt stelle ung wur zel ment doc u re trie val em bed ding vec tor qua lity to ken an swer")

var rareWords = strings.Fields("größer Übung naïve 日本語 テキスト 🙂 café Straße Fußgängerübergang 数据管道")

func newWriter(seed int64) *writer {
	r := rand.New(rand.NewSource(seed + 7))
	w := &writer{r: r}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for k := 1 + r.Intn(4); k > 0; k-- {
			b.WriteString(syllables[r.Intn(len(syllables))])
		}
		w.vocab = append(w.vocab, b.String())
	}
	w.zipf = rand.NewZipf(r, 1.1, 2, uint64(len(w.vocab)-1))
	return w
}

func (w *writer) word() string {
	if w.r.Intn(40) == 0 {
		return rareWords[w.r.Intn(len(rareWords))]
	}
	return w.vocab[w.zipf.Uint64()]
}

func (w *writer) sentence(b *strings.Builder) {
	n := 4 + w.r.Intn(18)
	for i := 0; i < n; i++ {
		word := w.word()
		if i == 0 {
			word = capitalize(word)
		} else {
			b.WriteByte(' ')
		}
		switch w.r.Intn(30) {
		case 0:
			fmt.Fprintf(b, "[%s](https://example.org/%s)", word, word)
		case 1:
			fmt.Fprintf(b, "`%s`", word)
		case 2:
			fmt.Fprintf(b, "**%s**", word)
		default:
			b.WriteString(word)
		}
		if i < n-1 && w.r.Intn(12) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteString([]string{".", ".", ".", "!", "?"}[w.r.Intn(5)])
}

func (w *writer) paragraph(b *strings.Builder, sentences int) {
	for i := 0; i < sentences; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		w.sentence(b)
	}
	b.WriteString("\n\n")
}

func (w *writer) title() string {
	var parts []string
	for k := 1 + w.r.Intn(4); k > 0; k-- {
		parts = append(parts, w.word())
	}
	return capitalize(strings.Join(parts, " "))
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// document writes one file of about size bytes.
func (w *writer) document(n, size int) string {
	var b strings.Builder
	if n%3 == 0 {
		fmt.Fprintf(&b, "---\nurl: https://docs.example.org/doc-%06d\nkeywords: %s, %s\n---\n\n", n, w.word(), w.word())
	}
	fmt.Fprintf(&b, "# %s\n\n", w.title())
	for b.Len() < size {
		fmt.Fprintf(&b, "## %s\n\n", w.title())
		for k := 1 + w.r.Intn(3); k > 0 && b.Len() < size; k-- {
			if w.r.Intn(2) == 0 {
				fmt.Fprintf(&b, "### %s\n\n", w.title())
			}
			switch w.r.Intn(12) {
			case 0:
				b.WriteString("```python\n")
				for l := 3 + w.r.Intn(10); l > 0; l-- {
					fmt.Fprintf(&b, "%s = %s(%q, %d)\n", w.word(), w.word(), w.word(), w.r.Intn(1000))
				}
				b.WriteString("```\n\n")
			case 1:
				b.WriteString("| name | value | note |\n|---|---|---|\n")
				for l := 2 + w.r.Intn(8); l > 0; l-- {
					fmt.Fprintf(&b, "| %s | %d | %s %s |\n", w.word(), w.r.Intn(10000), w.word(), w.word())
				}
				b.WriteString("\n")
			case 2, 3:
				for l := 2 + w.r.Intn(6); l > 0; l-- {
					b.WriteString("- ")
					w.sentence(&b)
					b.WriteByte('\n')
				}
				b.WriteString("\n")
			case 4:
				if w.r.Intn(4) == 0 { // a paragraph longer than any chunk
					w.paragraph(&b, 60+w.r.Intn(60))
					break
				}
				fallthrough
			default:
				w.paragraph(&b, 2+w.r.Intn(6))
			}
		}
	}
	return b.String()
}

// CorpusPipeline is the runtime benchmark's pipeline: the corpus under ./docs through
// ManualMarkdownStep, SimpleSplitterStep and DropDuplicationStep.
const CorpusPipeline = `apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata:
  name: bench-runtime
spec:
  steps:
    - name: markdown
      class: ManualMarkdownStep
      settings:
        FOLDER_PATH: ./docs
    - name: splitter
      class: SimpleSplitterStep
      dependsOn: [markdown]
    - name: dedup
      class: DropDuplicationStep
      dependsOn: [splitter]
`
