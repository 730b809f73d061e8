package steps

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadEmbeddings: the reader never panics, and what it reads writes and reads back the same.
// Seeds are in testdata/fuzz/FuzzReadEmbeddings.
func FuzzReadEmbeddings(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadEmbeddings(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "embeddings: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteEmbeddings(&out, rows); err != nil {
			return // values Python could not read back either (such as 1e400)
		}
		again, err := ReadEmbeddings(&out)
		if err != nil {
			t.Fatalf("reading our own output: %v\n%s", err, out.String())
		}
		if !reflect.DeepEqual(normalize(rows), normalize(again)) {
			t.Fatalf("round trip changed rows\nfirst  %#v\nsecond %#v", rows, again)
		}
	})
}

// normalize maps invalid UTF-8 and "\r\n" the way a CSV round trip does.
func normalize(rows []Embedding) []Embedding {
	out := make([]Embedding, len(rows))
	for i, r := range rows {
		r.Text = strings.ReplaceAll(r.Text, "\r\n", "\n")
		r.URL = strings.ReplaceAll(r.URL, "\r\n", "\n")
		r.Keywords = strings.ReplaceAll(r.Keywords, "\r\n", "\n")
		r.EmbeddingInputText = strings.ReplaceAll(r.EmbeddingInputText, "\r\n", "\n")
		if r.Vector == nil {
			r.Vector = []float64{}
		}
		out[i] = r
	}
	return out
}
