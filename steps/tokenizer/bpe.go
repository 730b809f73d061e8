package tokenizer

import "math"

// heapThreshold is the piece length from which merging uses a heap instead of rescanning;
// both give tiktoken's result: repeatedly merge the adjacent pair whose joined bytes have the
// lowest rank, the leftmost pair on ties.
const heapThreshold = 64

const noRank = math.MaxUint32

// mergeScan is tiktoken's _byte_pair_merge: O(n²), fast for the short pieces of normal text.
func (t *Tokenizer) mergeScan(piece string, buf []int) []int {
	type part struct {
		start int
		rank  uint32
	}
	var arr [heapThreshold + 1]part
	parts := arr[:0]
	for i := 0; i+1 < len(piece); i++ {
		parts = append(parts, part{i, t.rank(piece[i : i+2])})
	}
	parts = append(parts, part{len(piece) - 1, noRank}, part{len(piece), noRank})
	rankAt := func(i int) uint32 {
		if i+3 < len(parts) {
			return t.rank(piece[parts[i].start:parts[i+3].start])
		}
		return noRank
	}
	for {
		minRank, minIdx := uint32(noRank), -1
		for i := 0; i+1 < len(parts); i++ {
			if parts[i].rank < minRank {
				minRank, minIdx = parts[i].rank, i
			}
		}
		if minIdx < 0 {
			break
		}
		i := minIdx
		if i > 0 {
			parts[i-1].rank = rankAt(i - 1)
		}
		parts[i].rank = rankAt(i)
		parts = append(parts[:i+1], parts[i+2:]...)
	}
	for _, p := range parts {
		buf = append(buf, p.start)
	}
	return buf
}

func (t *Tokenizer) rank(s string) uint32 {
	if r, ok := t.ranks[s]; ok {
		return r
	}
	return noRank
}

// mergeHeap gives mergeScan's result in O(n log n), for long pieces (a line of letters
// without spaces can be one pre-token of any length).
func (t *Tokenizer) mergeHeap(piece string, buf []int) []int {
	n := len(piece)
	// Boundary i (0..n) is live while it starts a part; next and prev link live boundaries.
	next := make([]int32, n+1)
	prev := make([]int32, n+1)
	rank := make([]uint32, n+1) // rank of joining the part at i with the following part
	for i := range next {
		next[i], prev[i], rank[i] = int32(i+1), int32(i-1), noRank
	}
	next[n] = -1
	pairRank := func(i int32) uint32 {
		j := next[i]
		if j < 0 || next[j] < 0 {
			return noRank
		}
		return t.rank(piece[i:next[j]])
	}
	h := make(candHeap, 0, n)
	for i := int32(0); int(i) < n-1; i++ {
		if r := pairRank(i); r != noRank {
			rank[i] = r
			h = append(h, cand{r, i})
		}
	}
	h.init()
	for len(h) > 0 {
		c := h.pop()
		if rank[c.pos] != c.rank || next[c.pos] < 0 {
			continue // stale
		}
		i, j := c.pos, next[c.pos]
		// Join part i with part j: boundary j disappears.
		k := next[j]
		next[i] = k
		if k >= 0 {
			prev[k] = i
		}
		next[j], rank[j] = -1, noRank
		rank[i] = pairRank(i)
		if rank[i] != noRank {
			h.push(cand{rank[i], i})
		}
		if p := prev[i]; p >= 0 {
			rank[p] = pairRank(p)
			if rank[p] != noRank {
				h.push(cand{rank[p], p})
			}
		}
	}
	for i := int32(0); i >= 0; i = next[i] {
		buf = append(buf, int(i))
	}
	return buf
}

type cand struct {
	rank uint32
	pos  int32
}

// candHeap is a min-heap by rank, then position: the leftmost lowest pair merges first.
type candHeap []cand

func (h candHeap) less(a, b int) bool {
	if h[a].rank != h[b].rank {
		return h[a].rank < h[b].rank
	}
	return h[a].pos < h[b].pos
}

func (h candHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *candHeap) push(c cand) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *candHeap) pop() cand {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	*h = s[:last]
	h.down(0)
	return top
}

func (h candHeap) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if r := c + 1; r < len(h) && h.less(r, c) {
			c = r
		}
		if !h.less(c, i) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
