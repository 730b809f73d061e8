package steps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/steps/internal/pyfmt"
)

// DocumentDecoder reads a documents file entry by entry, without holding the whole file.
// Well-formed entries are read straight from the bytes (fastDocs); at anything else, from a
// syntax error to a key given twice, the token-by-token decoder takes over at that entry
// and reports it.
type DocumentDecoder struct {
	fast  *fastDocs
	tok   *tokenDecoder // after the hand-over
	index int
}

// NewDocumentDecoder returns a decoder reading a JSON array of documents from r.
func NewDocumentDecoder(r io.Reader) *DocumentDecoder {
	return &DocumentDecoder{fast: &fastDocs{r: &utf8Reader{r: r}}}
}

// Next returns the next document, or io.EOF after the last one. Errors name the entry
// ("documents[3].url: want a string, got a number"). Unknown keys are ignored, as Python
// Wurzel (pydantic) ignores them; md, keywords and url are required.
func (d *DocumentDecoder) Next() (Document, error) {
	if d.tok == nil {
		doc, ok, err := d.fast.next()
		if ok {
			if err == nil {
				d.index++
			}
			return doc, err
		}
		d.tok = d.fast.handOver(d.index)
	}
	doc, err := d.tok.Next()
	var ue *utf8Error
	if errors.As(err, &ue) {
		// Where the decoder stands when the bad byte shows depends on how the file is
		// read; the byte's offset does not.
		return Document{}, fmt.Errorf("documents: %w", ue)
	}
	return doc, err
}

// tokenDecoder reads a documents file token by token with encoding/json.
type tokenDecoder struct {
	dec   *json.Decoder
	index int
	state int // 0 before '[', 1 inside, 2 after ']'
}

func newTokenDecoder(r io.Reader) *tokenDecoder {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &tokenDecoder{dec: dec}
}

// Next is DocumentDecoder.Next.
func (d *tokenDecoder) Next() (Document, error) {
	if d.state == 0 {
		tok, err := d.dec.Token()
		if err == io.EOF {
			return Document{}, errors.New("documents: empty file, want a JSON array of {md, keywords, url, metadata} objects")
		}
		if err != nil {
			return Document{}, d.syntax(err, "")
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '[' {
			return Document{}, fmt.Errorf("documents: want a JSON array of {md, keywords, url, metadata} objects, got %s", describeToken(tok))
		}
		d.state = 1
	}
	if d.state == 2 {
		return Document{}, io.EOF
	}
	if !d.dec.More() {
		if _, err := d.dec.Token(); err != nil { // ]
			return Document{}, d.syntax(err, "")
		}
		if tok, err := d.dec.Token(); err != io.EOF {
			if err != nil {
				return Document{}, d.syntax(err, "")
			}
			return Document{}, fmt.Errorf("documents: unexpected %s after the closing ]", describeToken(tok))
		}
		d.state = 2
		return Document{}, io.EOF
	}
	doc, err := d.entry()
	d.index++
	return doc, err
}

func (d *tokenDecoder) entry() (Document, error) {
	where := fmt.Sprintf("documents[%d]", d.index)
	tok, err := d.dec.Token()
	if err != nil {
		return Document{}, d.syntax(err, "")
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		if delim == '[' || delim == '{' {
			_ = skipValue(d.dec, delim)
		}
		return Document{}, fmt.Errorf("%s: want an object {md, keywords, url, metadata}, got %s", where, describeToken(tok))
	}
	var doc Document
	seen := map[string]bool{}
	for d.dec.More() {
		kt, err := d.dec.Token()
		if err != nil {
			return Document{}, d.syntax(err, "")
		}
		key := kt.(string)
		if seen[key] {
			return Document{}, fmt.Errorf("%s: key %q appears twice", where, key)
		}
		seen[key] = true
		switch key {
		case "md", "keywords", "url":
			v, err := decodeValue(d.dec, 0)
			if err != nil {
				return Document{}, d.syntax(err, where+"."+key)
			}
			s, ok := v.(string)
			if !ok {
				return Document{}, fmt.Errorf("%s.%s: want a string, got %s", where, key, describeValue(v))
			}
			switch key {
			case "md":
				doc.MD = s
			case "keywords":
				doc.Keywords = s
			default:
				doc.URL = s
			}
		case "metadata":
			v, err := decodeValue(d.dec, 0)
			if err != nil {
				return Document{}, d.syntax(err, where+".metadata")
			}
			switch m := v.(type) {
			case nil:
			case map[string]any:
				doc.Metadata = m
			default:
				return Document{}, fmt.Errorf("%s.metadata: want an object or null, got %s", where, describeValue(v))
			}
		default:
			if _, err := decodeValue(d.dec, 0); err != nil {
				return Document{}, d.syntax(err, where+"."+key)
			}
		}
	}
	if _, err := d.dec.Token(); err != nil { // }
		return Document{}, d.syntax(err, "")
	}
	for _, k := range []string{"md", "keywords", "url"} {
		if !seen[k] {
			return Document{}, fmt.Errorf("%s: %q is missing (every document has md, keywords and url)", where, k)
		}
	}
	return doc, nil
}

func (d *tokenDecoder) syntax(err error, where string) error {
	if where == "" {
		where = "documents"
	}
	if _, ok := err.(*utf8Error); ok {
		return fmt.Errorf("%s: %w", where, err)
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	msg := err.Error()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg = fmt.Sprintf("invalid JSON at byte %d: %s", d.errorOffset(se), se.Error())
	}
	if err == io.ErrUnexpectedEOF {
		msg = "unexpected end of file (truncated JSON?)"
	}
	return fmt.Errorf("%s: %s", where, msg)
}

// errorOffset returns the offset in the stream of the byte a syntax error is about.
// encoding/json's Decoder gives it for errors between tokens: the bad byte is at its
// InputOffset. For an error inside a value, se.Offset counts only the bytes of the values
// scanned so far; such a value is a string, number or literal (Token reads '{' and '['
// itself), starts at InputOffset (the decoder does not move past a value it fails to read)
// and is still in its buffer: scanning it again alone gives the bad byte's place in it. An
// error between tokens scanned again gives the same place, or another message, unless the
// bad byte opens an object or array, which a scan alone would read on into.
func (d *tokenDecoder) errorOffset(se *json.SyntaxError) int64 {
	start := d.dec.InputOffset()
	rest, _ := io.ReadAll(d.dec.Buffered())
	if v := bytes.TrimLeft(rest, " \t\n\r"); len(v) == 0 || v[0] == '{' || v[0] == '[' {
		return start
	}
	var again *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(rest)).Decode(new(json.RawMessage)); errors.As(err, &again) && again.Error() == se.Error() {
		return start + again.Offset - 1 // Offset counts the bad byte
	}
	return start
}

// ReadDocuments reads a documents file: a JSON array of {md, keywords, url, metadata}.
// Metadata numbers become int64 (float64 when they have a fraction or exponent).
func ReadDocuments(r io.Reader) ([]Document, error) {
	dec := NewDocumentDecoder(r)
	docs := []Document{}
	for {
		doc, err := dec.Next()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
}

// WriteDocuments writes docs in the given order as Python Wurzel does (json.dump of the list
// of model_dump() dicts): one line, separators ", " and ": ", non-ASCII characters escaped,
// no trailing newline. Metadata keys are written sorted, where Python keeps their insertion
// order; files are byte-identical when metadata keys are sorted or absent.
//
// Batches of documents (64, or about 256 KiB of text) are encoded on every processor and
// written in order, one batch per processor ahead at most.
func WriteDocuments(w io.Writer, docs []Document) error {
	var ends []int // of the batches
	start, size := 0, 0
	for i, d := range docs {
		size += len(d.MD) + len(d.Keywords) + len(d.URL)
		if size >= 256<<10 || i+1-start == 64 || i == len(docs)-1 {
			ends = append(ends, i+1)
			start, size = i+1, 0
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteByte('[')
	err := writeOrdered(bw, ends, func(lo, hi int, b *strings.Builder) error {
		for i := lo; i < hi; i++ {
			doc := docs[i]
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`{"md": `)
			pyfmt.JSONString(b, doc.MD)
			b.WriteString(`, "keywords": `)
			pyfmt.JSONString(b, doc.Keywords)
			b.WriteString(`, "url": `)
			pyfmt.JSONString(b, doc.URL)
			b.WriteString(`, "metadata": `)
			var md any
			if doc.Metadata != nil {
				md = doc.Metadata
			}
			if err := pyfmt.JSON(b, md); err != nil {
				return fmt.Errorf("documents[%d].metadata: %w", i, err)
			}
			b.WriteByte('}')
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteByte(']')
	return bw.Flush()
}

// writeOrdered encodes the batches [0, ends[0]), [ends[0], ends[1]), … on every processor
// and writes them to w in order, one batch per processor ahead at most. It stops at the
// first error, in order; a panic while encoding is that batch's error.
func writeOrdered(w *bufio.Writer, ends []int, encode func(lo, hi int, b *strings.Builder) error) error {
	run := func(lo, hi int) (text string, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("encoding items %d to %d: %v", lo, hi-1, r)
			}
		}()
		var b strings.Builder
		err = encode(lo, hi, &b)
		return b.String(), err
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(ends)))
	type result struct {
		text string
		err  error
	}
	type job struct {
		lo, hi int
		out    chan<- result
	}
	jobs := make(chan job)
	order := make(chan chan result, workers) // the batches under way, in order
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(jobs)
		defer close(order)
		lo := 0
		for _, hi := range ends {
			out := make(chan result, 1)
			select {
			case order <- out:
			case <-done:
				return
			}
			select {
			case jobs <- job{lo, hi, out}:
			case <-done:
				return
			}
			lo = hi
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				text, err := run(j.lo, j.hi)
				j.out <- result{text, err}
			}
		}()
	}
	for out := range order {
		r := <-out
		if r.err != nil {
			return r.err
		}
		if _, err := w.WriteString(r.text); err != nil {
			return err
		}
	}
	return nil
}

const maxJSONDepth = 100

// decodeValue reads one JSON value: objects become map[string]any (a repeated key is an
// error), arrays []any, integers int64 (json.Number beyond int64), other numbers float64.
func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("key %q appears twice", k)
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				m[k] = v
			}
			_, err := dec.Token()
			return m, err
		case '[':
			l := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := dec.Token()
			return l, err
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case json.Number:
		return number(t)
	default:
		return t, nil // string, bool, nil
	}
}

func number(n json.Number) (any, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		return n, nil // an integer beyond int64 keeps its digits
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, fmt.Errorf("number %s is out of range", s)
	}
	return f, nil
}

func skipValue(dec *json.Decoder, open json.Delim) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			return "an array"
		case '{':
			return "an object"
		}
		return fmt.Sprintf("%q", string(t))
	case json.Number:
		return "a number"
	}
	return describeValue(tok)
}

func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64, json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
