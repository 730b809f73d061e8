package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"strings"
	"testing"
)

// TestStandIn checks the stand-in's shape and the decoder's state after it: as long as
// asked, no run of white space longer than the bound (but before any entry), and a decoder
// that, after the tokens it promises, stands where the stream left it: the next byte of
// the stream is read as such, at the stand-in's end.
func TestStandIn(t *testing.T) {
	defer func(n int64) { standInRun = n }(standInRun)
	r := rand.New(rand.NewSource(1))
	for range 5000 {
		standInRun = 3 + r.Int63n(6)
		sep := []byte{'[', ',', 'v', ']'}[r.Intn(4)]
		size := 2 + r.Int63n(300) // '[' and more; after an entry, at least its "{}"
		if sep == ',' || sep == 'v' {
			size += 2
		}
		s, skip := newStandIn(size, true, sep)
		b, err := io.ReadAll(s)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		what := fmt.Sprintf("newStandIn(%d, %q) with runs of %d = %q", size, sep, standInRun, text)
		if int64(len(b)) != size {
			t.Fatalf("%s: %d bytes", what, len(b))
		}
		if sep != '[' && strings.Contains(text, strings.Repeat(" ", int(standInRun)+1)) {
			t.Fatalf("%s: a run of white space longer than %d", what, standInRun)
		}
		// A byte the decoder must refuse right at the end of the stand-in.
		dec := json.NewDecoder(strings.NewReader(text + "}"))
		for i := range skip {
			if _, err := dec.Token(); err != nil {
				t.Fatalf("%s: token %d: %v", what, i, err)
			}
		}
		want := map[byte]string{
			'[': "invalid character '}' looking for beginning of value",
			',': "invalid character '}' looking for beginning of value",
			'v': "invalid character '}' after array element",
			']': "invalid character '}' looking for beginning of value",
		}[sep]
		if sep == ']' {
			if tok, err := dec.Token(); tok != json.Delim(']') {
				t.Fatalf("%s: got %v, %v; want the closing ]", what, tok, err)
			}
		}
		_, err = dec.Token()
		var se *json.SyntaxError
		if !errors.As(err, &se) || se.Offset != size || se.Error() != want {
			t.Fatalf("%s: after the stand-in, '}' gives %v; want %q at byte %d", what, err, want, size)
		}
		if sep == ',' {
			// After a comma, a value is wanted and ']' is refused as it is in the stream.
			dec := json.NewDecoder(strings.NewReader(text + "]"))
			for range skip {
				_, _ = dec.Token()
			}
			if _, err := dec.Token(); err == nil {
				t.Fatalf("%s: ']' after the comma is accepted", what)
			}
		}
	}
}

// TestStandInShortRuns reads the files of the tests above, and indented files broken late,
// with stand-ins made of many short numbers, runs of white space and empty arrays: the
// messages must stay those of the token decoder alone.
func TestStandInShortRuns(t *testing.T) {
	defer func(n int64) { standInRun = n }(standInRun)
	docs := make([]Document, 6)
	for i := range docs {
		docs[i] = Document{MD: strings.Repeat("text ", i*3), Keywords: "k", URL: "u", Metadata: map[string]any{"i": int64(i)}}
	}
	indented, err := json.MarshalIndent(docs, "", strings.Repeat(" ", 40))
	if err != nil {
		t.Fatal(err)
	}
	good := string(indented)
	last := strings.LastIndex(good, `"md"`)
	late := []string{
		good,
		good[:last] + `"md": 1, ` + good[last:],
		good[:last] + `"md": "x", ` + good[last:],
		good[:last] + `"md": tru, ` + good[last:],
		good[:len(good)-1] + "} ]",
		good + " x",
		good[:len(good)-40],
		strings.Replace(good, "},", "}", 1),
		strings.Replace(good, "},", "},,", 5),
	}
	for _, n := range []int64{3, 4, 7} {
		standInRun = n
		for _, in := range append(decodeCases, late...) {
			sameRead(t, in)
		}
	}
}

// TestHandOverMemory: a hand-over late in a big file allocates little besides the
// documents read: the stand-in is generated as it is read.
func TestHandOverMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	entry := `{"md": "` + strings.Repeat("some text ", 100) + `", "keywords": "k", "url": "u"}, `
	for b.Len() < 8<<20 {
		b.WriteString(entry)
	}
	b.WriteString(`{"md": 1}]`)
	in := b.String()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d := NewDocumentDecoder(strings.NewReader(in))
	for {
		_, err := d.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("read the file to its end; want an error at its last entry")
		}
		if err != nil {
			if !strings.Contains(err.Error(), "md: want a string, got a number") {
				t.Fatalf("got %v, want md: want a string, got a number", err)
			}
			break
		}
	}
	runtime.ReadMemStats(&after)
	// The documents' strings are about the size of the file; the read buffer a little more.
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("reading %d MB allocated %d MB", len(in)>>20, got>>20)
	if got > uint64(2*len(in)) {
		t.Errorf("reading %d MB allocated %d MB; want at most twice the file", len(in)>>20, got>>20)
	}
}
