package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// TestParseStringMatchesEncodingJSON decodes string literals as encoding/json does,
// escapes and broken surrogate pairs included.
func TestParseStringMatchesEncodingJSON(t *testing.T) {
	for _, lit := range []string{
		`""`, `"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e4\u00DF"`, `"\ud83d\ude42 smile"`,
		`"lone \ud83d high"`, `"lone \ude42 low"`, `"\ud83d\u0041"`, `"\ud83d"`, `"end \\"`, `"日本語 raw"`,
		`"\u0000 nul"`, `"\ud83d\ud83d\ude42"`, `"\ud83d\n"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		got, end, err := parseString([]byte(lit+","), 0)
		if err != nil || got != want || end != len(lit) {
			t.Errorf("parseString(%s) = %q, %d, %v; want %q, %d", lit, got, end, err, want, len(lit))
		}
	}
	for _, lit := range []string{"\"tab\there\"", `"bad \x"`, `"bad \u12g4"`} {
		if _, _, err := parseString([]byte(lit), 0); err != errBad {
			t.Errorf("parseString(%s): %v, want errBad", lit, err)
		}
	}
	if _, _, err := parseString([]byte(`"open`), 0); err != errShort {
		t.Errorf("an unfinished string: %v, want errShort", err)
	}
}

// readWithTokens reads a documents file with the token decoder alone: the reference.
func readWithTokens(r io.Reader) ([]Document, error) {
	d := newTokenDecoder(&utf8Reader{r: r})
	docs := []Document{}
	for {
		doc, err := d.Next()
		if err == io.EOF {
			return docs, nil
		}
		var ue *utf8Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("documents: %w", ue)
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
}

// smallReader hands out a few bytes per read, so that entries straddle reads.
type smallReader struct {
	s string
	n int
}

func (r *smallReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := min(len(p), r.n, len(r.s))
	copy(p, r.s[:n])
	r.s = r.s[n:]
	return n, nil
}

func sameRead(t *testing.T, in string) {
	t.Helper()
	for _, chunk := range []int{1 << 20, 7, 1} {
		want, wantErr := readWithTokens(&smallReader{s: in, n: chunk})
		got, err := ReadDocuments(&smallReader{s: in, n: chunk})
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%q (reads of %d bytes):\n got %v, %#v\nwant %v, %#v", in, chunk, err, got, wantErr, want)
		}
		// The fast path reads every file the reference accepts to its end: handing over is
		// for errors only (else the comparison above could pass with the fast path unused).
		d := NewDocumentDecoder(&smallReader{s: in, n: chunk})
		for {
			if _, err := d.Next(); err != nil {
				break
			}
		}
		if handedOver := d.tok != nil; handedOver && wantErr == nil {
			t.Fatalf("%q (reads of %d bytes): the fast path handed over a file the reference accepts", in, chunk)
		}
	}
}

// TestReadDocumentsMatchesTokenDecoder reads well-formed and broken files with
// ReadDocuments and with the token decoder alone: documents and messages must agree.
func TestReadDocumentsMatchesTokenDecoder(t *testing.T) {
	for _, in := range decodeCases {
		sameRead(t, in)
	}
}

// decodeCases are well-formed and broken documents files.
var decodeCases = []string{
	``, `   `, `[]`, ` [ ] `, `[] []`, `[] x`, `{}`, `"x"`, `[1]`, `[[1]]`, `["x"]`, `[{}]`, `[,]`, `[{"md": "a", "keywords": "", "url": ""},]`,
	`[{"md": "a", "keywords": "", "url": ""}`, `[{"md": "a", "keywords": "", "url": ""} {"md": "b"}]`,
	`[{"md": "a", "keywords": "", "url": ""}, {"md": "b", "keywords": "", "url": ""}]`,
	"[\n {\"url\" : \"u\", \"m\\u0064\":\"a\\nb\" , \"keywords\":\"k\",\"extra\": {\"x\": [1, {\"y\": \"}]\"}]}, \"metadata\": {\"n\": 1, \"f\": 1.5, \"s\": \"\\u00e4\", \"l\": [true, null]}},\n" +
		"\t{\"md\": \"\", \"keywords\": \"\", \"url\": \"\", \"metadata\": null, \"more\": \"x\"} ]",
	`[{"md": "a", "m\u0064": "b", "keywords": "", "url": ""}]`,
	`[{"md": "a", "keywords": "", "url": "", "x": {"k": 1, "k": 2}}]`,
	`[{"md": "a", "keywords": "", "url": "", "x": 1, "x": 2}]`,
	`[{"md": "a", "keywords": "", "url": "", "x": 1e999}]`,
	`[{"md": "a", "keywords": "", "url": "", "metadata": {"big": 123456789012345678901234567890, "f": 1e5, "neg": -0.5}}]`,
	`[{"md": "a", "keywords": "", "url": "", "metadata": {"k": 1, "k": 2}}]`,
	`[{"md": "a", "keywords": ["k"], "url": ""}]`, `[{"md": null, "keywords": "", "url": ""}]`,
	`[{"md": "a", "keywords": "", "url": "", "metadata": [1]}]`, `[{"md": "a", "keywords": "", "url": "", "metadata": 1}]`,
	`[{"md": "a", "keywords": "k"}]`, `[{"md": "a",, }]`, `[{"md": "a\x"}]`, "[{\"md\": \"a\x01\"}]", "[{\"md\": \"a\xffb\"}]",
	`[{"md": "\ud83d\ude42\ud83d", "keywords": "\u00e4", "url": "\/"}]`, `[{"md": "a", "keywords": "", "url": "", "n": 01}]`,
	`[{"md": "a", "keywords": "", "url": "", "n": -}]`, `[{"md": "a", "keywords": "", "url": "", "n": tru}]`, `[{"md": "a", "keywords": "", "url": "", "n": 1.}]`,
	`[{"md": "a", "keywords": "", "url": ""}] `, "[{\"md\": \"a\", \"keywords\": \"\", \"url\": \"\"}]\n\n",
	`[{"md": "a", "keywords": "", "url": "", "x": ` + strings.Repeat("[", 150) + strings.Repeat("]", 150) + `}]`,
	// A value right after an entry: the stand-in for the entry must not take it in.
	`[{"md":"a","keywords":"","url":""}5]`, `[{"md":"a","keywords":"","url":""} .5]`, `[{"md":"a","keywords":"","url":""}e5]`,
	`[{"md":"a","keywords":"","url":""},{"md":"b","keywords":"","url":""}0]`,
}

// TestReadDocumentsMatchesTokenDecoderRandom breaks well-formed files at random (a byte
// changed, dropped or doubled) and compares again.
func TestReadDocumentsMatchesTokenDecoderRandom(t *testing.T) {
	var b strings.Builder
	if err := WriteDocuments(&b, []Document{
		{MD: "# Title\n\nText with \"quotes\", a tab\tand ümlauts 🙂.", Keywords: "k1", URL: "https://x/1", Metadata: map[string]any{"n": int64(3), "l": []any{"a", 1.5, nil, true}}},
		{MD: "second", Keywords: "", URL: "u"},
	}); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	sameRead(t, good)
	r := rand.New(rand.NewSource(1))
	alphabet := []byte(`[]{}",:\ u0123456789abcdefnrt.-+eE` + "\x00\n")
	for range 1000 {
		in := []byte(good)
		i := r.Intn(len(in))
		switch r.Intn(3) {
		case 0:
			in[i] = alphabet[r.Intn(len(alphabet))]
		case 1:
			in = append(in[:i], in[i+1:]...)
		default:
			in = append(in[:i+1], in[i:]...)
		}
		sameRead(t, string(in))
	}
}

// TestSyntaxErrorOffsets: "invalid JSON at byte N" names the bad byte's offset in the
// file, inside values too (where encoding/json counts only the bytes of values), on the
// fast path and after a hand-over late in a file.
func TestSyntaxErrorOffsets(t *testing.T) {
	entry := "{\n  \"md\": \"text\",\n  \"keywords\": \"k\",\n  \"url\": \"u\"\n}"
	many := "[\n" + strings.Repeat(entry+",\n", 50)
	for _, tt := range []struct{ in, bad string }{
		{`[{"md": "a",, }]`, ","},
		{"[\n  {\"md\": tr#}]", "#"},
		{"[\n  {\"md\": \"a\x01\"}]", "\x01"},
		{"[\n  {\"md\": \"a\", \"keywords\": \"\", \"url\": \"\", \"metadata\": {\"n\": [1, 2, tru%]}}]", "%"},
		{"[\n  {\"md\": \"a\" \"keywords\": \"\"}]", "\""},
		{many + "{\"md\": -#}]", "#"},
		{many + "{\"md\": \"a\\q\"}]", "q"},
		{many + entry + " {}]", "{"},
	} {
		_, err := ReadDocuments(strings.NewReader(tt.in))
		var n int
		if err == nil || !strings.Contains(err.Error(), "invalid JSON at byte ") {
			t.Errorf("…%q: got %v, want invalid JSON at byte N", tt.in[max(0, len(tt.in)-60):], err)
			continue
		}
		fmt.Sscanf(err.Error()[strings.Index(err.Error(), "at byte ")+len("at byte "):], "%d", &n)
		if n >= len(tt.in) || tt.in[n:n+1] != tt.bad {
			t.Errorf("…%q: %v: byte %d is not the bad %q", tt.in[max(0, len(tt.in)-60):], err, n, tt.bad)
		}
	}
	// The bad byte opens an object or array, and another one like it comes later.
	for _, tt := range []struct {
		in   string
		want int
	}{
		{`[{"md": "a" {"b": 1 {}}]`, 12},
		{`[{"md":"a", {"x": 1, {}}]`, 12},
		{`[{"md":"a","keywords":"","url":""} [1 [2]]]`, 35},
		{`[{"md":"a","keywords":"","url":"","metadata": {"n": {"a":1 {"b":2 {}}}}}]`, 59},
	} {
		for _, chunk := range []int{1 << 20, 7, 1} {
			_, err := ReadDocuments(&smallReader{s: tt.in, n: chunk})
			if want := fmt.Sprintf("invalid JSON at byte %d:", tt.want); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q (reads of %d bytes): got %v, want %s", tt.in, chunk, err, want)
			}
		}
	}
}

// FuzzReadDocuments compares ReadDocuments with the token decoder on any input.
func FuzzReadDocuments(f *testing.F) {
	f.Add(`[{"md": "a", "keywords": "", "url": "", "metadata": {"n": 1}}]`)
	f.Add(`[{"md": "\ud83d\ude42", "keywords": "", "url": ""}, {"md": 1}]`)
	f.Add(`[{"md":"a","keywords":"","url":""}5]`)
	f.Add(`[{"md":"a","keywords":"","url":""} [1 [2]]]`)
	f.Fuzz(func(t *testing.T, in string) {
		sameRead(t, in)
		defer func(n int64) { standInRun = n }(standInRun)
		standInRun = 3 // stand-ins of many short tokens
		sameRead(t, in)
	})
}
