package mdsplit

import "strings"

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
	fence, _ := fenceOpen(open)
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
