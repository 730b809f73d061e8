package steps

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// benchDocumentsFile is the corpus of benchCorpus written as a documents file.
func benchDocumentsFile(b *testing.B) ([]Document, []byte) {
	b.Helper()
	docs, _ := benchCorpus()
	var buf bytes.Buffer
	if err := WriteDocuments(&buf, docs); err != nil {
		b.Fatal(err)
	}
	return docs, buf.Bytes()
}

// BenchmarkReadDocuments decodes a documents file of about 1 MB of markdown.
func BenchmarkReadDocuments(b *testing.B) {
	_, data := benchDocumentsFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDocuments(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteDocuments encodes the same documents.
func BenchmarkWriteDocuments(b *testing.B) {
	docs, data := benchDocumentsFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteDocuments(io.Discard, docs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDropDuplicationStep runs the step with its default field (md) and with all.
func BenchmarkDropDuplicationStep(b *testing.B) {
	docs, data := benchDocumentsFile(b)
	for _, fields := range []string{`["md"]`, `["*"]`} {
		b.Run(fields, func(b *testing.B) {
			typ, _ := Lookup("DropDuplicationStep")
			v, err := settingsFor(typ, "DROPDUPLICATIONSTEP__DROP_BY_FIELDS="+fields)
			if err != nil {
				b.Fatal(err)
			}
			step, err := typ.New(v)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := step.Run(context.Background(), Data{Documents: docs}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
