package mdsplit

import "slices"

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
