package corpus

import (
	"fmt"
	"math/rand"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Options shape a generated document.
type Options struct {
	Seed     int64
	Bytes    int  // approximate size
	LongPara bool // add one section of this size made of a single paragraph
	Unicode  bool // mix in umlauts, CJK and emoji
}

var syllables = []string{
	"ver", "ar", "bei", "tung", "en", "the", "con", "fig", "ur", "a", "tion", "pipe", "line", "da",
	"ten", "split", "ter", "in", "put", "out", "schnitt", "stelle", "ung", "wur", "zel", "ment",
	"doc", "u", "re", "trie", "val", "em", "bed", "ding", "vec", "tor", "qua", "lity", "to", "ken",
}

var unicodeWords = []string{"größer", "Übung", "naïve", "日本語", "テキスト", "🙂", "café", "Straße"}

// Generator produces words and blocks from one random source.
type Generator struct {
	r    *rand.Rand
	opts Options
	// vocab follows a Zipf-like distribution, as words of real text do.
	vocab []string
	zipf  *rand.Zipf
}

// New returns a generator.
func New(opts Options) *Generator {
	r := rand.New(rand.NewSource(opts.Seed))
	g := &Generator{r: r, opts: opts}
	for i := 0; i < 3000; i++ {
		var w strings.Builder
		for k := 0; k < 1+r.Intn(4); k++ {
			w.WriteString(syllables[r.Intn(len(syllables))])
		}
		g.vocab = append(g.vocab, w.String())
	}
	g.zipf = rand.NewZipf(r, 1.1, 2, uint64(len(g.vocab)-1))
	return g
}

// Word returns one word.
func (g *Generator) Word() string {
	if g.opts.Unicode && g.r.Intn(30) == 0 {
		return unicodeWords[g.r.Intn(len(unicodeWords))]
	}
	w := g.vocab[g.zipf.Uint64()]
	if g.r.Intn(10) == 0 {
		w = capitalize(w)
	}
	return w
}

// Sentence returns n words ending with a full stop.
func (g *Generator) Sentence(n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = g.Word()
		if i > 0 && i < n-1 && g.r.Intn(12) == 0 {
			words[i] += ","
		}
	}
	words[0] = capitalize(words[0])
	end := []string{".", ".", ".", "!", "?"}[g.r.Intn(5)]
	return strings.Join(words, " ") + end
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// Paragraph returns about size bytes of sentences.
func (g *Generator) Paragraph(size int) string {
	var b strings.Builder
	for b.Len() < size {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(g.Sentence(4 + g.r.Intn(20)))
	}
	return b.String()
}

func (g *Generator) table() string {
	cols := 2 + g.r.Intn(4)
	var b strings.Builder
	row := func(cell func() string) {
		b.WriteString("|")
		for c := 0; c < cols; c++ {
			b.WriteString(" " + cell() + " |")
		}
		b.WriteString("\n")
	}
	row(g.Word)
	row(func() string { return "---" })
	for i, n := 0, 2+g.r.Intn(40); i < n; i++ {
		row(func() string { return g.Sentence(1 + g.r.Intn(5)) })
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (g *Generator) code() string {
	var b strings.Builder
	b.WriteString("```go\n")
	for i, n := 0, 3+g.r.Intn(30); i < n; i++ {
		fmt.Fprintf(&b, "%sx%d := %s(%q)\n", strings.Repeat("\t", g.r.Intn(3)), i, g.Word(), g.Word())
	}
	b.WriteString("```")
	return b.String()
}

func (g *Generator) list() string {
	var b strings.Builder
	for i, n := 0, 2+g.r.Intn(10); i < n; i++ {
		if i > 0 {
			b.WriteString("\n")
		}
		indent := ""
		if i > 0 && g.r.Intn(4) == 0 {
			indent = "  "
		}
		b.WriteString(indent + "- " + g.Sentence(3+g.r.Intn(15)))
	}
	return b.String()
}

// Markdown returns a document of about opts.Bytes bytes.
func (g *Generator) Markdown() string {
	var blocks []string
	size := 0
	add := func(s string) {
		blocks = append(blocks, s)
		size += len(s) + 2
	}
	add("# " + g.Sentence(3))
	level := 1
	for size < g.opts.Bytes {
		switch k := g.r.Intn(14); {
		case k < 3:
			level = max(2, min(6, level+g.r.Intn(3)-1))
			add(strings.Repeat("#", level) + " " + strings.TrimSuffix(g.Sentence(2+g.r.Intn(4)), "."))
		case k < 9:
			add(g.Paragraph(100 + g.r.Intn(900)))
		case k < 11:
			add(g.list())
		case k < 12:
			add(g.table())
		default:
			add(g.code())
		}
	}
	if g.opts.LongPara {
		add("## " + g.Sentence(3))
		add(g.Paragraph(g.opts.Bytes))
	}
	return strings.Join(blocks, "\n\n") + "\n"
}
