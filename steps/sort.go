package steps

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/wurzel-dev/wurzel/steps/internal/pyfmt"
)

// SortDocuments sorts docs as Python Wurzel sorts a list of models before saving it: by the
// SHA-256 of the concatenated field values in field-name order (keywords, md, metadata, url),
// each written as Python's str() writes it ("" for None and empty values). The metadata dict
// is formatted with sorted keys, so the order equals Python's when metadata keys are sorted.
func SortDocuments(docs []Document) {
	type keyed struct {
		key [sha256.Size]byte
		doc Document
	}
	ks := make([]keyed, len(docs))
	inParallel(len(docs), 256, func(lo, hi int) {
		var buf []byte
		for i := lo; i < hi; i++ {
			buf = appendHashInput(buf[:0], docs[i])
			ks[i] = keyed{sha256.Sum256(buf), docs[i]}
		}
	})
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key[:], b.key[:]) })
	for i := range ks {
		docs[i] = ks[i].doc
	}
}

// appendHashInput appends what SortDocuments hashes for d: its fields in name order.
func appendHashInput(b []byte, d Document) []byte {
	b = append(b, d.Keywords...)
	b = append(b, d.MD...)
	if len(d.Metadata) > 0 {
		// Unsupported metadata types fail when the file is written; sorting uses what it can.
		s, _ := pyfmt.Repr(d.Metadata)
		b = append(b, s...)
	}
	return append(b, d.URL...)
}

// inParallel calls fn on consecutive ranges of [0, n) of about batch items, on as many
// goroutines as there are processors, and returns when all have returned. A panic in fn is
// raised again here, on the caller's goroutine.
func inParallel(n, batch int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+batch-1)/batch)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Value
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, fmt.Sprint(r))
				}
			}()
			for {
				lo := int(next.Add(int64(batch))) - batch
				if lo >= n {
					return
				}
				fn(lo, min(lo+batch, n))
			}
		}()
	}
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(r)
	}
}

// SortEmbeddings sorts rows as Python Wurzel sorts a DataFrame before saving it, by its
// first column (text); rows with the same text are ordered by their other columns, so the
// order is fully determined.
func SortEmbeddings(rows []Embedding) {
	slices.SortStableFunc(rows, func(a, b Embedding) int {
		if c := cmp.Or(cmp.Compare(a.Text, b.Text), cmp.Compare(a.URL, b.URL), cmp.Compare(a.Keywords, b.Keywords),
			cmp.Compare(a.EmbeddingInputText, b.EmbeddingInputText)); c != 0 {
			return c
		}
		am, _ := pyfmt.Repr(a.Metadata)
		bm, _ := pyfmt.Repr(b.Metadata)
		if c := cmp.Compare(am, bm); c != 0 {
			return c
		}
		return slices.Compare(a.Vector, b.Vector)
	})
}
