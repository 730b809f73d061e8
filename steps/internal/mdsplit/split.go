package mdsplit

import (
	"slices"
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
		cut := sp.s + ends[min(k+s.opts.MaxTokens-ctx, len(ends))-1]
		for {
			for cut > start && cut < len(s.text) && !utf8.RuneStart(s.text[cut]) {
				cut--
			}
			if cut == start {
				if ctx > 0 { // not even one character fits beside the context: go without
					s.cutTokensCtx(blk, span{start, sp.e}, 0)
					return
				}
				_, w := utf8.DecodeRuneInString(s.text[start:])
				cut = start + w
				break
			}
			if ctx+s.dt.count(start, cut) <= s.opts.MaxTokens {
				break
			}
			cut-- // back off one byte and realign
		}
		p := piece{ctxBlock: blk, noCtx: ctx < s.context(blk).tokens, s: start, e: cut,
			tokens: ctx + s.dt.count(start, cut), first: blk, last: blk}
		s.pieces = append(s.pieces, p)
		start = cut
	}
}

// splitTable emits a table too long for a chunk in groups of rows, each group under a copy
// of the header and delimiter rows.
func (s *splitter) splitTable(blk int) {
	b := s.blocks[blk]
	rows := lines(s.text, b.start, b.end)
	if len(rows) < 3 {
		s.splitSpan(blk, span{b.start, b.end}, []segmenter{lines, words})
		return
	}
	headEnd := rows[1].e
	head := s.text[rows[0].s:rows[0].e] + "\n" + s.text[rows[1].s:rows[1].e] + "\n"
	fixed := s.context(blk).tokens + s.opts.Tokenizer.Count(head)
	if fixed > s.opts.MaxTokens/2 { // a header this long is not worth repeating
		s.splitSpan(blk, span{b.start, b.end}, []segmenter{lines, words})
		return
	}
	rows = rows[2:]
	for x := 0; x < len(rows); {
		y, cost := x, 0
		for y < len(rows) {
			c := fixed + s.dt.count(rows[x].s, rows[y].e)
			if c > s.opts.MaxTokens || y > x && s.full(cost) {
				break
			}
			y, cost = y+1, c
		}
		if y == x { // one row longer than a chunk
			if x == 0 {
				s.emitSlice(blk, b.start, headEnd, s.sliceCost(blk, b.start, headEnd))
			}
			s.splitSpan(blk, rows[x], []segmenter{words})
			x++
			continue
		}
		covers := span{rows[x].s, rows[y-1].e}
		if x == 0 {
			covers.s = b.start // the first piece holds the header rows themselves
		}
		s.emitBody(blk, covers, head+s.text[rows[x].s:rows[y-1].e], cost)
		x = y
	}
}

// splitCode emits a fenced code block too long for a chunk in groups of lines, each group
// fenced again with the block's opening and closing fence lines.
func (s *splitter) splitCode(blk int) {
	b := s.blocks[blk]
	all := rawLines(s.text, b.start, b.end)
	open := strings.TrimSpace(s.text[all[0].s:all[0].e])
	fence := fenceRE.FindStringSubmatch(open)[1]
	content := all[1:]
	closing, closingLine := fence, span{-1, -1}
	if n := len(content); n > 0 {
		last := strings.TrimSpace(s.text[content[n-1].s:content[n-1].e])
		if strings.HasPrefix(last, fence[:1]) && strings.Trim(last, fence[:1]) == "" {
			closing, closingLine, content = last, span{b.end - len(last), b.end}, content[:n-1]
		}
	}
	ctx := s.context(blk).tokens
	fixed := ctx + s.opts.Tokenizer.Count(open+"\n") + s.opts.Tokenizer.Count("\n"+closing)
	if fixed > s.opts.MaxTokens/2 || len(content) == 0 {
		s.splitSpan(blk, span{b.start, b.end}, []segmenter{lines, words})
		return
	}
	openCost := s.opts.Tokenizer.Count(open + "\n")
	closeCost := s.opts.Tokenizer.Count(closing)
	build := func(x, y int) string {
		return open + "\n" + s.text[content[x].s:content[y-1].e] + "\n" + closing
	}
	// cost is exact: open+"\n" ends with a line end and the lines do not start with white
	// space that runs into another line end, and
	// the lines taken with their final "\n" are followed by the fence, which starts with a
	// non-space, so the three parts tokenize independently. At the end of an unclosed fence
	// there is no "\n" to take: count the piece itself.
	cost := func(x, y int) int {
		if end := content[y-1].e; end < len(s.text) && s.text[end] == '\n' {
			return ctx + openCost + s.dt.count(content[x].s, end+1) + closeCost
		}
		return ctx + s.opts.Tokenizer.Count(build(x, y))
	}
	blank := func(x int) bool { return strings.TrimSpace(s.text[content[x].s:content[x].e]) == "" }
	blankFrom := func(x int) bool {
		for ; x < len(content); x++ {
			if !blank(x) {
				return false
			}
		}
		return true
	}
	first := true
	for x := 0; x < len(content); {
		if blank(x) { // a piece does not start with a blank line (see cost)
			x++
			continue
		}
		y, c := x, 0
		for y < len(content) {
			next := cost(x, y+1)
			if next > s.opts.MaxTokens || y > x && s.full(c) {
				break
			}
			y, c = y+1, next
		}
		if y > x {
			covers := span{content[x].s, content[y-1].e}
			if first {
				covers.s = b.start
			}
			if y == len(content) {
				covers.e = b.end
			}
			s.emitBody(blk, covers, build(x, y), c)
			x, first = y, false
			continue
		}
		// One line longer than a chunk: its words, and the fences on their own.
		if first {
			s.emitSlice(blk, b.start, all[0].e, s.sliceCost(blk, b.start, all[0].e))
		}
		if sp, ok := trimmed(s.text, content[x].s, content[x].e); ok {
			s.splitSpan(blk, sp, []segmenter{words})
		}
		if closingLine.s >= 0 && blankFrom(x+1) {
			s.emitSlice(blk, closingLine.s, closingLine.e, s.sliceCost(blk, closingLine.s, closingLine.e))
		}
		x, first = x+1, false
	}
	// Blank lines at the end belong to the last piece, which holds the closing fence.
	if n := len(s.pieces); n > 0 && s.pieces[n-1].synthetic && s.pieces[n-1].first == blk {
		s.pieces[n-1].e = b.end
	}
}

// rawLines returns the lines of [a, b) untrimmed (code keeps its indentation).
func rawLines(text string, a, b int) []span {
	var out []span
	for start := a; start <= b; {
		end := strings.IndexByte(text[start:b], '\n')
		if end < 0 {
			out = append(out, span{start, b})
			break
		}
		out = append(out, span{start, start + end})
		start += end + 1
	}
	return out
}

// mergeSmall merges chunks shorter than MinTokens (and chunks of headings only) with a
// neighbour when the merged chunk fits: forward when the next chunk lies inside a section
// this one opens, else backward, else forward. Headings only merge forward.
func (s *splitter) mergeSmall() {
	ps := s.pieces
	merge := func(a, b piece) (piece, bool) {
		if a.synthetic || b.synthetic || a.noCtx || b.noCtx {
			return piece{}, false
		}
		c := s.sliceCost(a.ctxBlock, a.s, b.e)
		if c > s.opts.MaxTokens {
			return piece{}, false
		}
		return piece{ctxBlock: a.ctxBlock, s: a.s, e: b.e, tokens: c, first: a.first, last: b.last,
			headingOnly: a.headingOnly && b.headingOnly}, true
	}
	for i := 0; i < len(ps); {
		p := ps[i]
		if p.tokens >= s.opts.MinTokens && !p.headingOnly {
			i++
			continue
		}
		forwardFirst := p.headingOnly || i+1 < len(ps) && s.opensSectionOf(p, ps[i+1])
		directions := []bool{forwardFirst, !forwardFirst}
		if p.headingOnly {
			directions = directions[:1] // headings go with what follows them, or into its context
		}
		done := false
		for _, forward := range directions {
			// Taking in a chunk of headings only would leave them dangling at the end.
			if forward && i+1 < len(ps) && (!ps[i+1].headingOnly || i+2 == len(ps)) {
				if m, ok := merge(p, ps[i+1]); ok {
					ps[i] = m
					ps = slices.Delete(ps, i+1, i+2)
					done = true
					break
				}
			}
			if !forward && i > 0 {
				if m, ok := merge(ps[i-1], p); ok {
					ps[i-1] = m
					ps = slices.Delete(ps, i, i+1)
					i--
					done = true
					break
				}
			}
		}
		if !done {
			i++
		}
	}
	s.pieces = ps
}

// opensSectionOf reports whether p holds a heading of a section that next lies in.
func (s *splitter) opensSectionOf(p, next piece) bool {
	for b := s.blocks[next.ctxBlock].up; b >= 0; b = s.blocks[b].up {
		if b >= p.first && b <= p.last {
			return true
		}
	}
	return false
}

// dropHeadingOnly removes chunks made only of headings that the next chunk's context
// repeats.
func (s *splitter) dropHeadingOnly() {
	out := s.pieces[:0]
	for i, p := range s.pieces {
		if next := i + 1; p.headingOnly && next < len(s.pieces) && !s.pieces[next].noCtx &&
			s.context(s.pieces[next].ctxBlock).tokens > 0 {
			covered := true
			for b := p.first; b <= p.last; b++ {
				covered = covered && inPath(s.blocks, s.pieces[next].ctxBlock, b)
			}
			if covered {
				continue
			}
		}
		out = append(out, p)
	}
	s.pieces = out
}
