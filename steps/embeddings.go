package steps

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/wurzel-dev/wurzel/steps/internal/pyfmt"
)

// EmbeddingColumns is the header of an embeddings file, in the order it is written.
var EmbeddingColumns = []string{"text", "vector", "url", "keywords", "embedding_input_text", "metadata"}

// ReadEmbeddings reads an embeddings file as Python Wurzel reads it (pandas read_csv, then
// ast.literal_eval of the list and dict columns). Columns are found by name in the header:
// text and vector are required, the others optional, unknown columns ignored. vector holds a
// Python list of numbers ("[0.1, 0.2]"); metadata a Python dict ("{'k': 'v', 'n': None}") or
// nothing. An empty cell is "" for text columns and nil metadata. Errors give the CSV line.
func ReadEmbeddings(r io.Reader) ([]Embedding, error) {
	cr := csv.NewReader(&utf8Reader{r: r})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("embeddings: empty file, want a CSV header " + strings.Join(EmbeddingColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("embeddings: %w", err)
	}
	col := map[string]int{}
	for i, name := range header {
		name = strings.TrimPrefix(name, "\ufeff") // a byte order mark from spreadsheet tools
		if _, dup := col[name]; dup {
			return nil, fmt.Errorf("embeddings: column %q appears twice in the header", name)
		}
		col[name] = i
	}
	for _, need := range []string{"text", "vector"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("embeddings: the header has no %q column (got %s; want %s)",
				need, strings.Join(header, ","), strings.Join(EmbeddingColumns, ","))
		}
	}
	cell := func(rec []string, name string) string {
		if i, ok := col[name]; ok {
			return rec[i]
		}
		return ""
	}
	rows := []Embedding{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("embeddings: %w", err)
		}
		line, _ := cr.FieldPos(0)
		row := Embedding{
			Text:               cell(rec, "text"),
			URL:                cell(rec, "url"),
			Keywords:           cell(rec, "keywords"),
			EmbeddingInputText: cell(rec, "embedding_input_text"),
		}
		if row.Vector, err = parseVector(cell(rec, "vector")); err != nil {
			return nil, fmt.Errorf("embeddings: line %d: vector: %w", line, err)
		}
		if row.Metadata, err = parseMetadata(cell(rec, "metadata")); err != nil {
			return nil, fmt.Errorf("embeddings: line %d: metadata: %w", line, err)
		}
		rows = append(rows, row)
	}
}

func parseVector(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty, want a list of numbers such as [0.1, 0.2]")
	}
	v, err := pyfmt.Parse(s)
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of numbers such as [0.1, 0.2], got %s", describeValue(v))
	}
	out := make([]float64, len(l))
	for i, e := range l {
		switch x := e.(type) {
		case float64:
			out[i] = x
		case int64:
			out[i] = float64(x)
		default:
			return nil, fmt.Errorf("element %d: want a number, got %s", i, describeValue(e))
		}
	}
	return out, nil
}

func parseMetadata(s string) (map[string]any, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := pyfmt.Parse(s)
	if err != nil {
		return nil, err
	}
	switch m := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return m, nil
	}
	return nil, fmt.Errorf("want a dict such as {'key': 'value'}, got %s", describeValue(v))
}

// WriteEmbeddings writes rows in the given order as Python Wurzel does (pandas to_csv with
// index=False): the header EmbeddingColumns, "\n" line ends, fields quoted only when they
// hold a comma, a quote or a line break, vector and metadata as Python's repr() writes them.
// Metadata keys are sorted; nil metadata is an empty cell.
func WriteEmbeddings(w io.Writer, rows []Embedding) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var b strings.Builder
	writeCSVRow(&b, EmbeddingColumns)
	for i, row := range rows {
		vec := make([]any, len(row.Vector))
		for k, x := range row.Vector {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("embeddings[%d].vector[%d]: %v cannot be written (Python could not read it back)", i, k, x)
			}
			vec[k] = x
		}
		vs, err := pyfmt.Repr(vec)
		if err != nil {
			return fmt.Errorf("embeddings[%d].vector: %w", i, err)
		}
		ms := ""
		if row.Metadata != nil {
			if ms, err = pyfmt.Repr(row.Metadata); err != nil {
				return fmt.Errorf("embeddings[%d].metadata: %w", i, err)
			}
		}
		writeCSVRow(&b, []string{row.Text, vs, row.URL, row.Keywords, row.EmbeddingInputText, ms})
		if b.Len() > 32<<10 {
			if _, err := bw.WriteString(b.String()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	if _, err := bw.WriteString(b.String()); err != nil {
		return err
	}
	return bw.Flush()
}

// writeCSVRow writes one row as Python's csv module does with QUOTE_MINIMAL; unlike Python
// 3.11 it also quotes a field holding a lone "\r", which readers would take for a line end.
func writeCSVRow(b *strings.Builder, fields []string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if !strings.ContainsAny(f, ",\"\n\r") {
			b.WriteString(f)
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(f, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteByte('\n')
}
