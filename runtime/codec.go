package runtime

import (
	"io"
	"sync"

	"github.com/wurzel-dev/wurzel/steps"
)

// Codec reads and writes the files of one data contract.
type Codec struct {
	// Ext is the file extension, with its dot: ".json".
	Ext string
	// Read decodes one file.
	Read func(r io.Reader) (steps.Data, error)
	// Write encodes one file. The same data must give the same bytes whatever order its
	// items come in (the built-in codecs sort as Python Wurzel does).
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
