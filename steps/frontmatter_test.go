package steps

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFrontMatter: parsing never panics, errors name the file and a line inside it, and the
// body is the end of the (normalized) file. Seeds are in testdata/fuzz/FuzzFrontMatter.
func FuzzFrontMatter(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fm, body, err := parseMarkdownFile("f.md", data)
		if err != nil {
			msg := err.Error()
			rest, ok := strings.CutPrefix(msg, "f.md:")
			if !ok {
				t.Fatalf("error does not name the file: %s", msg)
			}
			num, _, _ := strings.Cut(rest, ":")
			line, err := strconv.Atoi(num)
			lines := 1 + bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'})
			if err != nil || line < 1 || line > lines {
				t.Fatalf("error line %q outside the file (%d lines): %s", num, lines, msg)
			}
			return
		}
		if !utf8.ValidString(body) {
			t.Fatal("body is not valid UTF-8")
		}
		norm := strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n"), "\r", "\n")
		if !strings.HasSuffix(norm, body) {
			t.Fatalf("body %q is not the end of the file", body)
		}
		if fm.Metadata != nil {
			var b bytes.Buffer
			if err := WriteDocuments(&b, []Document{{Metadata: fm.Metadata}}); err != nil {
				t.Fatalf("metadata cannot be written: %v", err)
			}
		}
	})
}

func TestParseMarkdownFile(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name, in string
		fm       frontMatter
		body     string
	}{
		{"none", "# T\n", frontMatter{}, "# T\n"},
		{"trailing spaces on markers", "---  \nurl: u\n---\t\nx", frontMatter{URL: str("u")}, "x"},
		{"crlf", "---\r\nkeywords: k\r\n---\r\n\r\nx\r\ny", frontMatter{Keywords: str("k")}, "x\ny"},
		{"bom", "\ufeff---\nurl: u\n---\nx", frontMatter{URL: str("u")}, "x"},
		{"dashes later", "# T\n---\nurl: u\n---\n", frontMatter{}, "# T\n---\nurl: u\n---\n"},
		{"four dashes do not close", "---\nurl: u\n----\nx", frontMatter{}, "---\nurl: u\n----\nx"},
		{"alias", "---\nmetadata:\n  a: &x [1, 2]\n  b: *x\n---\n", frontMatter{Metadata: map[string]any{"a": []any{int64(1), int64(2)}, "b": []any{int64(1), int64(2)}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, err := parseMarkdownFile("f.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fm, tt.fm) || body != tt.body {
				t.Errorf("got %s, %q\nwant %s, %q", show(fm), body, show(tt.fm), tt.body)
			}
		})
	}
}

func show(fm frontMatter) string {
	s := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return strconv.Quote(*p)
	}
	return fmt.Sprintf("{url %s, keywords %s, metadata %v}", s(fm.URL), s(fm.Keywords), fm.Metadata)
}

func TestFrontMatterErrorLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"---\na: 1\nb:\n  - x\n y: 2\n---\n", "f.md:5: front matter: did not find expected key"},
		{"---\na: 1\nb: 2\nc: : d\n---\n", "f.md:4: front matter: mapping values are not allowed in this context"},
		{"---\na: 1\n\tb: 2\n---\n", "f.md:3: front matter: found a tab character that violates indentation"},
		{"---\nmetadata: {x: 1\nc: 2\n---\n", "f.md:3: front matter: did not find expected ',' or '}'"},
		{"---\nmetadata:\n  1: one\n---\n", "f.md:3: front matter: key 1 is an integer; keys must be strings (quote it)"},
		{"---\nmetadata:\n  <<: {a: 1}\n---\n", "f.md:3: front matter: merge keys (<<) are not supported"},
		{"---\nmetadata:\n  x: !!binary aGk=\n---\n", "f.md:3: front matter: values tagged !!binary are not supported"},
		{"---\nkeywords: null\n---\n", "f.md:2: front matter: keywords: want a string, got null"},
	}
	for _, tt := range tests {
		_, _, err := parseMarkdownFile("f.md", []byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}
