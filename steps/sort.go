package steps

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"slices"

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
	for i, d := range docs {
		ks[i] = keyed{documentHash(d), d}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key[:], b.key[:]) })
	for i := range ks {
		docs[i] = ks[i].doc
	}
}

func documentHash(d Document) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(d.Keywords))
	h.Write([]byte(d.MD))
	if len(d.Metadata) > 0 {
		// Unsupported metadata types fail when the file is written; sorting uses what it can.
		s, _ := pyfmt.Repr(d.Metadata)
		h.Write([]byte(s))
	}
	h.Write([]byte(d.URL))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
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
