package steps

import "context"

// Step is a configured step, ready to run.
type Step interface {
	// Run processes the content of one input file (the zero Data for a source step) and
	// returns what to write. As in Python Wurzel, it is called once per input file.
	Run(ctx context.Context, in Data) (Data, error)
}

// Data is the content of one file, by contract: Documents for a documents file, Embeddings
// for an embeddings file.
type Data struct {
	Documents  []Document
	Embeddings []Embedding
	// Consume says that the caller does not read the input again after Run: a step may
	// clear the entries it has processed, so that their memory is freed while it works
	// (the runtime sets it; a big file's documents and their chunks need not both be held).
	Consume bool
}

// Document is one entry of a documents file (Python Wurzel's MarkdownDataContract).
// Metadata is nil for JSON null; its values are string, int64, float64, bool, nil, []any,
// map[string]any, or json.Number for an integer beyond int64.
type Document struct {
	MD       string         `json:"md"`
	Keywords string         `json:"keywords"`
	URL      string         `json:"url"`
	Metadata map[string]any `json:"metadata"`
}

// Embedding is one row of an embeddings file (Python Wurzel's EmbeddingResult). An empty
// cell is "" for the text columns and nil Metadata.
type Embedding struct {
	Text               string
	Vector             []float64
	URL                string
	Keywords           string
	EmbeddingInputText string
	Metadata           map[string]any
}
