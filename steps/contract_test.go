package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

const compatDir = "../testdata/python-compat"

// Files written by Python (testdata/python-compat/gen.py) read and write back byte for byte.
func TestPythonFilesRoundTrip(t *testing.T) {
	tests := []struct {
		file     string
		contract Contract
		n        int
	}{
		{"documents.json", Documents, 4},
		{"embeddings.csv", Embeddings, 3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(compatDir, tt.file)
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := ReadFile(path, tt.contract)
			if err != nil {
				t.Fatal(err)
			}
			if d.Len() != tt.n {
				t.Fatalf("read %d entries, want %d", d.Len(), tt.n)
			}
			var got bytes.Buffer
			if err := Write(&got, tt.contract, d); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("written differs from Python's file\n got %s\nwant %s", got.String(), want)
			}
		})
	}
}

func TestReadPythonDocuments(t *testing.T) {
	d, err := ReadFile(filepath.Join(compatDir, "documents.json"), Documents)
	if err != nil {
		t.Fatal(err)
	}
	byKeywords := map[string]Document{}
	for _, doc := range d.Documents {
		byKeywords[doc.Keywords] = doc
	}
	intro := byKeywords["intro"]
	if intro.MD != "# Wurzel\n\nA *root* of \"quotes\", 'apostrophes' and a \\ backslash.\n" || intro.Metadata != nil {
		t.Errorf("intro = %#v", intro)
	}
	if u := byKeywords["unicode,umlaut"]; !strings.Contains(u.MD, "Größe, naïve, 日本語 and 🙂.\tTab\r\nCRLF\u2028sep") || u.Metadata == nil || len(u.Metadata) != 0 {
		t.Errorf("unicode = %#v", u)
	}
	want := map[string]any{"author": "Ada", "char_len": int64(31), "token_len": int64(17),
		"nested": map[string]any{"list": []any{int64(1), 2.5, nil, true, "x"}, "score": 0.1}}
	if got := byKeywords[""].Metadata; !reflect.DeepEqual(got, want) {
		t.Errorf("metadata = %#v, want %#v", got, want)
	}
	if got := byKeywords["ctl"].Metadata["big"]; got != json.Number("12345678901234567890") {
		t.Errorf("big = %#v", got)
	}
}

func TestReadPythonEmbeddings(t *testing.T) {
	tests := []struct {
		file string
		want []Embedding
	}{
		{"embeddings-python-literals.csv", []Embedding{
			{Text: "t", Vector: []float64{1, 2.5, -3}, URL: "u", Keywords: "k",
				Metadata: map[string]any{"z": []any{int64(1), int64(2)}, "a": "ä", "n": nil, "b": false}},
			{Text: "t2", Vector: []float64{0.5, 0.25}, Metadata: map[string]any{}},
		}},
		{"embeddings-four-columns.csv", []Embedding{
			{Text: "### Initium\n\nCui dono lepidum novum libellum?", Vector: []float64{0.9, 0, 0.1},
				URL: "https://example-lorem.com/1", Keywords: "intus est hostis"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := ReadFile(filepath.Join(compatDir, tt.file), Embeddings)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d.Embeddings, tt.want) {
				t.Errorf("got  %#v\nwant %#v", d.Embeddings, tt.want)
			}
		})
	}
}

func TestReadDocumentsErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"object", `{"md": "x"}`, "documents: want a JSON array of {md, keywords, url, metadata} objects, got an object"},
		{"empty file", ``, "documents: empty file, want a JSON array of {md, keywords, url, metadata} objects"},
		{"truncated", `[{"md": "x", "keywords": "k"`, "documents: unexpected end of file (truncated JSON?)"},
		{"not an object", `[1]`, "documents[0]: want an object {md, keywords, url, metadata}, got a number"},
		{"missing url", `[{"md": "x", "keywords": "k"}]`, `documents[0]: "url" is missing (every document has md, keywords and url)`},
		{"md number", `[{"md": "a", "keywords": "", "url": ""}, {"md": 1, "keywords": "", "url": ""}]`, "documents[1].md: want a string, got a number"},
		{"metadata list", `[{"md": "a", "keywords": "", "url": "", "metadata": [1]}]`, "documents[0].metadata: want an object or null, got an array"},
		{"duplicate key", `[{"md": "a", "md": "b", "keywords": "", "url": ""}]`, `documents[0]: key "md" appears twice`},
		{"syntax", `[{"md": "a",, }]`, "documents: invalid JSON at byte 12: invalid character ',' looking for beginning of object key string"},
		{"invalid utf-8", "[{\"md\": \"a\xffb\"}]", "documents: not valid UTF-8 at byte 10 (the file must be UTF-8)"},
		{"trailing", `[] []`, "documents: unexpected an array after the closing ]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDocuments(strings.NewReader(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestReadEmbeddingsErrors(t *testing.T) {
	const h = "text,vector,url,keywords,embedding_input_text,metadata\n"
	tests := []struct{ name, in, want string }{
		{"empty", "", "embeddings: empty file, want a CSV header text,vector,url,keywords,embedding_input_text,metadata"},
		{"no vector column", "text,url\nx,u\n", `embeddings: the header has no "vector" column (got text,url; want text,vector,url,keywords,embedding_input_text,metadata)`},
		{"empty vector", h + "x,,,,,\n", "embeddings: line 2: vector: empty, want a list of numbers such as [0.1, 0.2]"},
		{"vector not a list", h + "x,0.5,,,,\n", "embeddings: line 2: vector: want a list of numbers such as [0.1, 0.2], got a number"},
		{"vector strings", h + "x,\"['a']\",,,,\n", "embeddings: line 2: vector: element 0: want a number, got a string"},
		{"vector numpy", h + "x,[0.1 0.2],,,,\n", "embeddings: line 2: vector: at offset 5: unexpected '0', want ',' or ']'"},
		{"metadata list", h + "x,[1],,,,[1]\n", "embeddings: line 2: metadata: want a dict such as {'key': 'value'}, got an array"},
		{"metadata json null", h + "x,[1],,,,null\n", `embeddings: line 2: metadata: at offset 0: "null" is not a literal (want None, True, False, a number, a string, a list or a dict)`},
		{"invalid utf-8", h + "ok,[1],,,,\nx\xc7,[1],,,,\n", "embeddings: not valid UTF-8 at byte 67 (the file must be UTF-8)"},
		{"wrong field count", h + "x,[1]\n", "embeddings: record on line 2: wrong number of fields"},
		{"line of second row", h + "\"a\nb\",[1],,,,\ny,\"[1,,2]\",,,,\n", "embeddings: line 4: vector: at offset 3: unexpected ',', want a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadEmbeddings(strings.NewReader(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func sampleDocuments() []Document {
	return []Document{
		{MD: "# A\n\ntext", Keywords: "a", URL: "ManualMarkdownStep/a.md"},
		{MD: "ü 🙂 \"q\" \\", Keywords: "b,c", URL: "u", Metadata: map[string]any{"n": int64(1), "f": 0.5, "l": []any{"x", nil}}},
		{MD: "", Keywords: "", URL: "", Metadata: map[string]any{}},
	}
}

// Write gives the same bytes whatever the input order, and does not reorder its input.
func TestWriteDeterministic(t *testing.T) {
	docs := sampleDocuments()
	var first bytes.Buffer
	if err := Write(&first, Documents, Data{Documents: docs}); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		shuffled := append([]Document(nil), docs...)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		before := append([]Document(nil), shuffled...)
		var got bytes.Buffer
		if err := Write(&got, Documents, Data{Documents: shuffled}); err != nil {
			t.Fatal(err)
		}
		if got.String() != first.String() {
			t.Fatalf("order %d gave different bytes", i)
		}
		if !reflect.DeepEqual(before, shuffled) {
			t.Fatal("Write reordered its input")
		}
	}
}

func TestExt(t *testing.T) {
	for _, tt := range []struct {
		c    Contract
		want string
	}{{Documents, ".json"}, {Embeddings, ".csv"}, {None, ""}} {
		if got := tt.c.Ext(); got != tt.want {
			t.Errorf("%q.Ext() = %q, want %q", tt.c, got, tt.want)
		}
		if c, ok := ContractForExt(tt.want); tt.want != "" && (!ok || c != tt.c) {
			t.Errorf("ContractForExt(%q) = %q, %v", tt.want, c, ok)
		}
	}
}

// Python reads what we write: json.load for documents; csv plus ast.literal_eval, as
// pandas and Python Wurzel do, for embeddings. Skipped without python3.
func TestPythonReadsOurFiles(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	dir := t.TempDir()
	docs := sampleDocuments()
	rows := []Embedding{
		{Text: "multi\nline, \"quoted\"\r\nx", Vector: []float64{0.1, -1e-07, 1e20}, URL: "u", Keywords: " ",
			EmbeddingInputText: "in", Metadata: map[string]any{"s": "it's \"both\"", "n": nil, "t": true, "l": []any{int64(1), 2.5}}},
		{Text: "ü", Vector: []float64{}},
	}
	write := func(name string, c Contract, d Data) string {
		var b bytes.Buffer
		if err := Write(&b, c, d); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	docPath := write("d.json", Documents, Data{Documents: docs})
	embPath := write("e.csv", Embeddings, Data{Embeddings: rows})
	script := `
import ast, csv, json, sys
docs = json.load(open(sys.argv[1], encoding="utf-8"))
rows = []
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        r["vector"] = ast.literal_eval(r["vector"])
        r["metadata"] = ast.literal_eval(r["metadata"]) if r["metadata"].strip() else None
        rows.append(r)
json.dump({"docs": docs, "rows": rows}, sys.stdout)
`
	out, err := exec.Command(python, "-c", script, docPath, embPath).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var got struct {
		Docs []map[string]any `json:"docs"`
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got.Docs) != 3 || len(got.Rows) != 2 {
		t.Fatalf("python read %d documents and %d rows", len(got.Docs), len(got.Rows))
	}
	for _, d := range got.Docs {
		if d["keywords"] == "b,c" {
			if d["md"] != "ü 🙂 \"q\" \\" || !reflect.DeepEqual(d["metadata"], map[string]any{"n": 1.0, "f": 0.5, "l": []any{"x", nil}}) {
				t.Errorf("python read %#v", d)
			}
		}
	}
	r := got.Rows[0] // sorted by text: "multi..." < "ü"
	if r["text"] != rows[0].Text || r["keywords"] != " " ||
		!reflect.DeepEqual(r["vector"], []any{0.1, -1e-07, 1e20}) ||
		!reflect.DeepEqual(r["metadata"], map[string]any{"s": "it's \"both\"", "n": nil, "t": true, "l": []any{1.0, 2.5}}) {
		t.Errorf("python read %#v", r)
	}
}

// A character split across reads is not an error; a truncated one at the end is.
func TestUTF8ReaderBoundaries(t *testing.T) {
	s := strings.Repeat("ä🙂", 100)
	for _, tail := range []string{"", "\xf0\x9f"} {
		r := &utf8Reader{r: iotest.OneByteReader(strings.NewReader(s + tail))}
		b, err := io.ReadAll(r)
		if tail == "" && (err != nil || string(b) != s) {
			t.Errorf("valid text: %v", err)
		}
		if tail != "" && (err == nil || err.Error() != "not valid UTF-8 at byte 600 (the file must be UTF-8)") {
			t.Errorf("truncated character: %v", err)
		}
	}
}

// TestWriteDocumentsInBatches: documents encoded in parallel batches (cut by count and by
// size) give the bytes of documents encoded one by one, on one processor or several, and
// the first bad document in order is the one reported.
func TestWriteDocumentsInBatches(t *testing.T) {
	var docs []Document
	for i := range 400 {
		md := strings.Repeat("ä text ", 1+i%7)
		if i%97 == 0 {
			md = strings.Repeat("long text ", 40_000) // a batch of its own
		}
		docs = append(docs, Document{MD: md, Keywords: fmt.Sprint(i), URL: "u", Metadata: map[string]any{"i": int64(i)}})
	}
	var want strings.Builder
	want.WriteByte('[')
	for i, d := range docs {
		var one bytes.Buffer
		if err := WriteDocuments(&one, []Document{d}); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			want.WriteString(", ")
		}
		want.Write(one.Bytes()[1 : one.Len()-1])
	}
	want.WriteByte(']')
	bad := slices.Clone(docs)
	bad[150] = Document{MD: "x", Metadata: map[string]any{"c": make(chan int)}}
	bad[350] = bad[150]
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		var got bytes.Buffer
		if err := WriteDocuments(&got, docs); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("GOMAXPROCS %d: the batches differ from documents written one by one", procs)
		}
		if err := WriteDocuments(io.Discard, bad); err == nil || !strings.HasPrefix(err.Error(), "documents[150].metadata: ") {
			t.Errorf("GOMAXPROCS %d: got %v, want the error of documents[150]", procs, err)
		}
	}
}
