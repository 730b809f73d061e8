package steps

import (
	"fmt"
	"io"
	"os"
	"slices"
)

// Ext returns the file extension of the contract's files: ".json" for documents, ".csv" for
// embeddings, "" for None.
func (c Contract) Ext() string {
	switch c {
	case Documents:
		return ".json"
	case Embeddings:
		return ".csv"
	}
	return ""
}

// ContractForExt returns the contract whose files have extension ext (".json" or ".csv").
func ContractForExt(ext string) (Contract, bool) {
	for _, c := range []Contract{Documents, Embeddings} {
		if c.Ext() == ext {
			return c, true
		}
	}
	return None, false
}

// Read reads one file of contract c.
func Read(r io.Reader, c Contract) (Data, error) {
	switch c {
	case Documents:
		docs, err := ReadDocuments(r)
		return Data{Documents: docs}, err
	case Embeddings:
		rows, err := ReadEmbeddings(r)
		return Data{Embeddings: rows}, err
	}
	return Data{}, fmt.Errorf("contract %q has no files", c)
}

// ReadFile reads the file at path as contract c. Errors start with the path.
func ReadFile(path string, c Contract) (Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return Data{}, err
	}
	defer f.Close()
	d, err := Read(f, c)
	if err != nil {
		return Data{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Write writes d as one file of contract c, sorted as Python Wurzel sorts before saving
// (SortDocuments, SortEmbeddings), so the same data always gives the same bytes. d itself is
// not reordered.
func Write(w io.Writer, c Contract, d Data) error {
	switch c {
	case Documents:
		docs := slices.Clone(d.Documents)
		SortDocuments(docs)
		return WriteDocuments(w, docs)
	case Embeddings:
		rows := slices.Clone(d.Embeddings)
		SortEmbeddings(rows)
		return WriteEmbeddings(w, rows)
	}
	return fmt.Errorf("contract %q has no files", c)
}

// Len returns the number of documents and embedding rows in d.
func (d Data) Len() int { return len(d.Documents) + len(d.Embeddings) }
