package runtime

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"io"
	"slices"
	"sync"

	"github.com/wurzel-dev/wurzel/steps"
)

// Codec reads and writes the files of one data contract.
type Codec struct {
	// Ext is the file extension, with its dot: ".json".
	Ext string
	// Read decodes one file.
	Read func(r io.Reader) (steps.Data, error)
	// Write encodes one file.
	Write func(w io.Writer, d steps.Data) error
}

var (
	codecMu sync.RWMutex
	codecs  = map[steps.Contract]Codec{}
)

// RegisterCodec sets the codec of a data contract.
func RegisterCodec(c steps.Contract, codec Codec) {
	codecMu.Lock()
	defer codecMu.Unlock()
	codecs[c] = codec
}

func codecFor(c steps.Contract) (Codec, bool) {
	codecMu.RLock()
	defer codecMu.RUnlock()
	codec, ok := codecs[c]
	return codec, ok
}

// count is the number of items in d.
func count(d steps.Data) int { return len(d.Documents) + len(d.Embeddings) }

// sortData orders a step's result so that files are the same for the same input whatever
// order the step produced (Python Wurzel sorts too): by URL, then by text, then by the
// SHA-256 of the item's JSON encoding.
func sortData(d *steps.Data) {
	sortBy(d.Documents, func(x steps.Document) (string, string) { return x.URL, x.MD })
	sortBy(d.Embeddings, func(x steps.Embedding) (string, string) { return x.URL, x.Text })
}

func sortBy[T any](items []T, key func(T) (url, text string)) {
	if len(items) < 2 {
		return
	}
	type keyed struct {
		url, text string
		hash      [sha256.Size]byte
		item      T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		b, _ := json.Marshal(it) // maps marshal with sorted keys
		url, text := key(it)
		ks[i] = keyed{url: url, text: text, hash: sha256.Sum256(b), item: it}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(a.url, b.url); c != 0 {
			return c
		}
		if c := cmp.Compare(a.text, b.text); c != 0 {
			return c
		}
		return slices.Compare(a.hash[:], b.hash[:])
	})
	for i := range ks {
		items[i] = ks[i].item
	}
}
