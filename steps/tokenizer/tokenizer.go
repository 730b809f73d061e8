package tokenizer

import (
	"fmt"
	"strings"
	"sync"
)

// Encoding names a byte-pair encoding.
type Encoding string

// The encodings this package provides.
const (
	Cl100kBase Encoding = "cl100k_base"
	O200kBase  Encoding = "o200k_base"
)

// Tokenizer encodes text with one encoding.
type Tokenizer struct {
	enc   Encoding
	next  splitFunc
	ranks map[string]uint32
	// tokens[id] is the byte string of token id.
	tokens []string
	cache  countCache
}

var (
	mu     sync.Mutex
	loaded = map[Encoding]*Tokenizer{}
)

// Get returns the tokenizer of an encoding, loading its ranks on first use.
func Get(enc Encoding) (*Tokenizer, error) {
	var next splitFunc
	switch enc {
	case Cl100kBase:
		next = nextCl100k
	case O200kBase:
		next = nextO200k
	default:
		return nil, fmt.Errorf("unknown encoding %q (known: %s, %s)", enc, Cl100kBase, O200kBase)
	}
	mu.Lock()
	defer mu.Unlock()
	if t, ok := loaded[enc]; ok {
		return t, nil
	}
	ranks, tokens, err := loadRanks(enc)
	if err != nil {
		return nil, err
	}
	t := &Tokenizer{enc: enc, next: next, ranks: ranks, tokens: tokens}
	loaded[enc] = t
	return t, nil
}

// ForModel returns the tokenizer for a model name (gpt-3.5-turbo, gpt-4o, text-embedding-3-small)
// or an encoding name (cl100k_base), resolved as tiktoken's encoding_for_model does.
func ForModel(name string) (*Tokenizer, error) {
	enc, ok := EncodingForModel(name)
	if !ok {
		return nil, fmt.Errorf("unknown tokenizer model %q: use an OpenAI model name such as gpt-3.5-turbo, gpt-4 or gpt-4o, or an encoding name (%s, %s)",
			name, Cl100kBase, O200kBase)
	}
	return Get(enc)
}

// exact model names, from tiktoken's MODEL_TO_ENCODING.
var modelEncodings = map[string]Encoding{
	"gpt-5": O200kBase, "gpt-4.1": O200kBase, "gpt-4o": O200kBase, "o1": O200kBase, "o3": O200kBase, "o4-mini": O200kBase,
	"gpt-4": Cl100kBase, "gpt-3.5-turbo": Cl100kBase, "gpt-3.5": Cl100kBase, "gpt-35-turbo": Cl100kBase,
	"davinci-002": Cl100kBase, "babbage-002": Cl100kBase,
	"text-embedding-ada-002": Cl100kBase, "text-embedding-3-small": Cl100kBase, "text-embedding-3-large": Cl100kBase,
}

// model name prefixes, from tiktoken's MODEL_PREFIX_TO_ENCODING; longest first.
var prefixEncodings = []struct {
	prefix string
	enc    Encoding
}{
	{"ft:gpt-3.5-turbo", Cl100kBase}, {"gpt-3.5-turbo-", Cl100kBase}, {"chatgpt-4o-", O200kBase},
	{"gpt-35-turbo-", Cl100kBase}, {"ft:davinci-002", Cl100kBase}, {"ft:babbage-002", Cl100kBase},
	{"o4-mini-", O200kBase}, {"gpt-4.1-", O200kBase}, {"gpt-4.5-", O200kBase}, {"ft:gpt-4o", O200kBase},
	{"gpt-4o-", O200kBase}, {"ft:gpt-4", Cl100kBase}, {"gpt-5-", O200kBase}, {"gpt-4-", Cl100kBase},
	{"o1-", O200kBase}, {"o3-", O200kBase},
}

// EncodingForModel resolves a model or encoding name.
func EncodingForModel(name string) (Encoding, bool) {
	switch e := Encoding(name); e {
	case Cl100kBase, O200kBase:
		return e, true
	}
	if e, ok := modelEncodings[name]; ok {
		return e, true
	}
	for _, p := range prefixEncodings {
		if strings.HasPrefix(name, p.prefix) {
			return p.enc, true
		}
	}
	return "", false
}

// Encoding returns the tokenizer's encoding.
func (t *Tokenizer) Encoding() Encoding { return t.enc }

// Count returns the number of tokens of s.
func (t *Tokenizer) Count(s string) int {
	n := 0
	for i := 0; i < len(s); {
		j := t.next(s, i)
		n += t.pieceCount(s[i:j])
		i = j
	}
	return n
}

// Pieces calls fn for each pre-token of s in order, with its byte offsets and the number of
// tokens it encodes to; it stops when fn returns false. The sum of the counts is Count(s).
func (t *Tokenizer) Pieces(s string, fn func(start, end, tokens int) bool) {
	for i := 0; i < len(s); {
		j := t.next(s, i)
		if !fn(i, j, t.pieceCount(s[i:j])) {
			return
		}
		i = j
	}
}

// Encode returns the token ids of s.
func (t *Tokenizer) Encode(s string) []int {
	var ids []int
	t.encode(s, func(start, end int) {
		ids = append(ids, int(t.ranks[s[start:end]]))
	})
	return ids
}

// TokenEnds returns the byte offset in s at which each token of s ends. A token may end
// inside a multi-byte character.
func (t *Tokenizer) TokenEnds(s string) []int {
	var ends []int
	t.encode(s, func(_, end int) { ends = append(ends, end) })
	return ends
}

func (t *Tokenizer) encode(s string, emit func(start, end int)) {
	var parts []int
	for i := 0; i < len(s); {
		j := t.next(s, i)
		piece := s[i:j]
		if _, ok := t.ranks[piece]; ok {
			emit(i, j)
		} else {
			parts = t.merge(piece, parts[:0])
			for k := 0; k+1 < len(parts); k++ {
				emit(i+parts[k], i+parts[k+1])
			}
		}
		i = j
	}
}

// Decode returns the text of token ids. It fails on an id the encoding does not have.
func (t *Tokenizer) Decode(ids []int) (string, error) {
	var b strings.Builder
	for _, id := range ids {
		if id < 0 || id >= len(t.tokens) {
			return "", fmt.Errorf("token id %d is not in %s (0 to %d)", id, t.enc, len(t.tokens)-1)
		}
		b.WriteString(t.tokens[id])
	}
	return b.String(), nil
}

// pieceCount returns how many tokens one pre-token encodes to.
func (t *Tokenizer) pieceCount(piece string) int {
	if len(piece) == 1 {
		return 1
	}
	if _, ok := t.ranks[piece]; ok {
		return 1
	}
	cacheable := len(piece) <= maxCachedPiece
	if cacheable {
		if n, ok := t.cache.get(piece); ok {
			return n
		}
	}
	var n int
	if len(piece) < heapThreshold {
		var buf [heapThreshold + 1]int
		n = len(t.merge(piece, buf[:0])) - 1
	} else {
		n = len(t.merge(piece, nil)) - 1
	}
	if cacheable {
		t.cache.put(piece, n)
	}
	return n
}

// countCache remembers the token counts of short pre-tokens that are not a single token:
// most words of a text repeat, and merging is the slow part of counting. It is shared by
// all goroutines (sharded to keep lock contention low) and bounded.
type countCache struct {
	shards [64]struct {
		mu sync.RWMutex
		m  map[string]int32
	}
}

const (
	maxShardEntries = 4096 // 256k pre-tokens in all
	maxCachedPiece  = 64
)

func shardOf(piece string) int {
	return (len(piece)*31 + int(piece[0])*7 + int(piece[len(piece)-1])) & 63
}

func (c *countCache) get(piece string) (int, bool) {
	sh := &c.shards[shardOf(piece)]
	sh.mu.RLock()
	n, ok := sh.m[piece]
	sh.mu.RUnlock()
	return int(n), ok
}

func (c *countCache) put(piece string, n int) {
	sh := &c.shards[shardOf(piece)]
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= maxShardEntries {
		sh.m = make(map[string]int32, 64)
	}
	sh.m[strings.Clone(piece)] = int32(n) // a copy, so the cache does not hold the caller's text
	sh.mu.Unlock()
}

// merge returns the boundaries of the tokens of piece (0 first, len(piece) last), appended to buf.
func (t *Tokenizer) merge(piece string, buf []int) []int {
	if len(piece) < heapThreshold {
		return t.mergeScan(piece, buf)
	}
	return t.mergeHeap(piece, buf)
}

// Encodings lists the encodings this package provides.
func Encodings() []Encoding { return []Encoding{Cl100kBase, O200kBase} }
