package runtime

import (
	"io"

	"github.com/wurzel-dev/wurzel/steps"
)

// The built-in contracts read and write files with the steps package, which sorts what
// it writes as Python Wurzel does.
func init() {
	for _, c := range []steps.Contract{steps.Documents, steps.Embeddings} {
		RegisterCodec(c, Codec{
			Ext:   c.Ext(),
			Read:  func(r io.Reader) (steps.Data, error) { return steps.Read(r, c) },
			Write: func(w io.Writer, d steps.Data) error { return steps.Write(w, c, d) },
		})
	}
}
