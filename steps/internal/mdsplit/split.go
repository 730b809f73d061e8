package mdsplit

import (
	"strings"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// Options configure Split.
type Options struct {
	Tokenizer *tokenizer.Tokenizer
	// MaxTokens bounds every chunk's Text. It must be at least 8.
	MaxTokens int
	// MinTokens: a shorter chunk is merged with a neighbour when the result fits.
	MinTokens int
	// BufferTokens: a chunk within BufferTokens of MaxTokens takes no further sections or
	// blocks, so that chunks end at natural boundaries rather than being filled to the brim.
	BufferTokens int
}

// Chunk is one piece of a document.
type Chunk struct {
	// Text is the chunk as stored: Context, a blank line, then Body (just Body when
	// Context is empty). Its token count is at most MaxTokens.
	Text string
	// Context names the headings above Body that Body does not contain itself, Python
	// Wurzel's way: "# Guide - Install - Linux".
	Context string
	// Body is the chunk's own text: a slice of the document, except for the pieces of a
	// table or code block too long for one chunk, which repeat the table header or the
	// code fence.
	Body string
	// Tokens is the number of tokens of Text.
	Tokens int
}

// Normalize returns md with "\r\n" and "\r" line ends turned into "\n"; Split works on
// the normalized text.
func Normalize(md string) string {
	if !strings.Contains(md, "\r") {
		return md
	}
	return strings.ReplaceAll(strings.ReplaceAll(md, "\r\n", "\n"), "\r", "\n")
}

// Split cuts markdown into chunks of at most opts.MaxTokens tokens each. It prefers, in
// order: whole sections (split at the highest heading level first), whole blocks
// (paragraphs, lists, tables, code blocks), list items, table rows (the header repeated in
// each piece), code lines (each piece fenced again), sentences, lines, words, and, for a
// single word longer than a chunk, tokens. Consecutive parts are packed greedily; chunks
// shorter than MinTokens are then merged with a neighbour where the result fits. Every
// chunk starts with the path of headings above it. Nothing of the text is dropped except
// white space between chunks, and a chunk made only of headings whose headings start the
// context of the next chunk.
func Split(md string, opts Options) []Chunk {
	return newSplitter(md, opts).chunks()
}

func newSplitter(md string, opts Options) *splitter {
	text := Normalize(md)
	s := &splitter{
		opts:   opts,
		text:   text,
		blocks: parseBlocks(text),
		dt:     newDocTokens(opts.Tokenizer, text),
	}
	s.ctx = make([]*ctxInfo, len(s.blocks))
	if len(s.blocks) > 0 {
		s.packRange(0, len(s.blocks))
		s.mergeSmall()
		s.dropHeadingOnly()
	}
	return s
}

func (s *splitter) chunks() []Chunk {
	chunks := make([]Chunk, 0, len(s.pieces))
	for _, p := range s.pieces {
		body := p.body
		if !p.synthetic {
			body = s.text[p.s:p.e]
		}
		c := Chunk{Body: body, Tokens: p.tokens}
		if ci := s.context(p.ctxBlock); ci.tokens > 0 && !p.noCtx {
			c.Context = ci.text
			c.Text = ci.text + "\n\n" + body
		} else {
			c.Text = body
		}
		chunks = append(chunks, c)
	}
	return chunks
}

type splitter struct {
	opts   Options
	text   string
	blocks []block
	dt     *docTokens
	ctx    []*ctxInfo // by heading: the context of the path ending in it, once computed
	pieces []piece
}

// piece is a chunk being built: the slice [s, e) of the text, or a synthetic body made
// from that slice (table rows under a repeated header, code lines fenced again).
type piece struct {
	ctxBlock    int  // the block whose heading path is the piece's context
	noCtx       bool // the context left no room for text and is left out
	s, e        int  // the text the piece covers
	synthetic   bool
	body        string
	tokens      int
	first, last int // blocks the piece covers
	headingOnly bool
}

type ctxInfo struct {
	text   string
	tokens int // tokens of text + "\n\n"; 0 when there is no context
}

// context returns the context line of block blk's heading path and its cost. A context
// longer than half a chunk is left out (cost 0), so that there is always room for text.
func (s *splitter) context(blk int) ctxInfo {
	h := s.blocks[blk].up
	if h < 0 {
		return ctxInfo{}
	}
	if ci := s.ctx[h]; ci != nil {
		return *ci
	}
	ci := &ctxInfo{}
	var titles []string
	for _, b := range path(s.blocks, blk) {
		titles = append(titles, s.blocks[b].title)
	}
	text := "# " + strings.Join(titles, " - ")
	if n := s.opts.Tokenizer.Count(text + "\n\n"); n <= s.opts.MaxTokens/2 {
		ci.text, ci.tokens = text, n
	}
	s.ctx[h] = ci
	return *ci
}

// sliceCost is the tokens of a chunk holding text[a:b] under the context of block blk.
func (s *splitter) sliceCost(blk, a, b int) int {
	return s.context(blk).tokens + s.dt.count(a, b)
}

func (s *splitter) blockCost(a, b int) int {
	return s.sliceCost(a, s.blocks[a].start, s.blocks[b-1].end)
}

func (s *splitter) full(cost int) bool { return cost >= s.opts.MaxTokens-s.opts.BufferTokens }

func (s *splitter) emitBlocks(a, b, cost int) {
	headingOnly := true
	for i := a; i < b; i++ {
		headingOnly = headingOnly && s.blocks[i].kind == kHeading
	}
	s.pieces = append(s.pieces, piece{ctxBlock: a, s: s.blocks[a].start, e: s.blocks[b-1].end,
		tokens: cost, first: a, last: b - 1, headingOnly: headingOnly})
}

func (s *splitter) emitSlice(blk, a, b, cost int) {
	s.pieces = append(s.pieces, piece{ctxBlock: blk, s: a, e: b, tokens: cost, first: blk, last: blk})
}

func (s *splitter) emitBody(blk int, covers span, body string, cost int) {
	s.pieces = append(s.pieces, piece{ctxBlock: blk, s: covers.s, e: covers.e, synthetic: true,
		body: body, tokens: cost, first: blk, last: blk})
}

// packRange emits blocks [a, b): whole if they fit, else cut at the strongest boundary
// inside the range and packed greedily, recursing into parts that do not fit.
func (s *splitter) packRange(a, b int) {
	if c := s.blockCost(a, b); c <= s.opts.MaxTokens {
		s.emitBlocks(a, b, c)
		return
	}
	if b-a == 1 {
		s.splitBlock(a)
		return
	}
	strongest := 8
	for i := a + 1; i < b; i++ {
		strongest = min(strongest, s.blocks[i].boundary())
	}
	cur, curEnd, curCost := -1, -1, 0
	flush := func() {
		if cur >= 0 {
			s.emitBlocks(cur, curEnd, curCost)
			cur = -1
		}
	}
	for x := a; x < b; {
		y := x + 1
		for y < b && s.blocks[y].boundary() != strongest {
			y++
		}
		if cur >= 0 && !s.full(curCost) {
			if c := s.blockCost(cur, y); c <= s.opts.MaxTokens {
				curEnd, curCost = y, c
				x = y
				continue
			}
		}
		flush()
		if c := s.blockCost(x, y); c <= s.opts.MaxTokens {
			cur, curEnd, curCost = x, y, c
		} else {
			s.packRange(x, y)
		}
		x = y
	}
	flush()
}

// splitBlock emits one block that does not fit in a chunk.
func (s *splitter) splitBlock(i int) {
	b := s.blocks[i]
	whole := span{b.start, b.end}
	switch b.kind {
	case kTable:
		s.splitTable(i)
	case kCode:
		s.splitCode(i)
	case kList:
		s.splitSpan(i, whole, []segmenter{listItems, sentences, lines, words})
	case kLines:
		s.splitSpan(i, whole, []segmenter{lines, words})
	default:
		s.splitSpan(i, whole, []segmenter{sentences, lines, words})
	}
}

// splitSpan emits sp, a part of block blk too long for a chunk, cut by the first segmenter
// that yields more than one part; with none left, it cuts between tokens.
func (s *splitter) splitSpan(blk int, sp span, levels []segmenter) {
	for len(levels) > 0 {
		if parts := levels[0](s.text, sp.s, sp.e); len(parts) > 1 {
			s.packSpans(blk, parts, levels[1:])
			return
		}
		levels = levels[1:]
	}
	s.cutTokens(blk, sp)
}

// packSpans packs consecutive parts of block blk greedily.
func (s *splitter) packSpans(blk int, parts []span, rest []segmenter) {
	cur, curEnd, curCost := -1, -1, 0
	flush := func() {
		if cur >= 0 {
			s.emitSlice(blk, parts[cur].s, parts[curEnd].e, curCost)
			cur = -1
		}
	}
	for k, p := range parts {
		if cur >= 0 && !s.full(curCost) {
			if c := s.sliceCost(blk, parts[cur].s, p.e); c <= s.opts.MaxTokens {
				curEnd, curCost = k, c
				continue
			}
		}
		flush()
		if c := s.sliceCost(blk, p.s, p.e); c <= s.opts.MaxTokens {
			cur, curEnd, curCost = k, k, c
		} else {
			s.splitSpan(blk, p, rest)
		}
	}
	flush()
}

// cutTokens emits sp, a single word longer than a chunk, in pieces cut between tokens (and
// never inside a character).
func (s *splitter) cutTokens(blk int, sp span) {
	s.cutTokensCtx(blk, sp, s.context(blk).tokens)
}

// cutTokensCtx is cutTokens with a context of ctx tokens (0: none).
func (s *splitter) cutTokensCtx(blk int, sp span, ctx int) {
	ends := s.opts.Tokenizer.TokenEnds(s.text[sp.s:sp.e])
	k := 0 // first token ending after start
	for start := sp.s; start < sp.e; {
		for k < len(ends) && sp.s+ends[k] <= start {
			k++
		}
		// Take as many tokens as fit; a slice tokenized on its own may need a few more
		// tokens than the same bytes inside the word, so give back tokens until it fits.
		m := min(k+s.opts.MaxTokens-ctx, len(ends)) - 1
		cut := start
		for ; m >= k; m-- {
			cut = sp.s + ends[m]
			for cut > start && cut < len(s.text) && !utf8.RuneStart(s.text[cut]) {
				cut-- // a token may end inside a character
			}
			if cut > start && ctx+s.dt.count(start, cut) <= s.opts.MaxTokens {
				break
			}
		}
		if m < k { // not even one character fits beside the context
			if ctx > 0 {
				s.cutTokensCtx(blk, span{start, sp.e}, 0)
				return
			}
			_, w := utf8.DecodeRuneInString(s.text[start:])
			cut = start + w
		}
		p := piece{ctxBlock: blk, noCtx: ctx < s.context(blk).tokens, s: start, e: cut,
			tokens: ctx + s.dt.count(start, cut), first: blk, last: blk}
		s.pieces = append(s.pieces, p)
		start = cut
	}
}
