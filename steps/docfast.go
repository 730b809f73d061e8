package steps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// fastDocs reads the well-formed entries of a documents file straight from its bytes,
// several times faster than encoding/json's token stream. It takes an entry only when it
// is valid JSON and a valid document (md, keywords and url strings, metadata an object or
// null, no key twice); for anything else it stops before the entry, and handOver gives the
// rest of the stream to the token decoder, which reports the problem exactly as it always
// has (same message, same byte offset).
type fastDocs struct {
	r     io.Reader
	buf   []byte // read, not consumed: buf[pos:]
	pos   int
	off   int64 // stream offset of buf[pos]
	err   error // the read error after buf
	state int   // 0 before '[', 1 in the array, 2 after ']'
	// sep is what came last: '[', ',', 'v' (an entry, no comma yet) or ']'.
	sep byte
}

// errShort means the bytes buffered end inside the entry.
var errShort = errors.New("short")

const fastReadSize = 256 << 10

// fill reads more of the stream into buf; false at the end or at an error.
func (f *fastDocs) fill() bool {
	if f.err != nil {
		return false
	}
	if f.pos > 0 && f.pos == len(f.buf) {
		f.buf, f.pos = f.buf[:0], 0
	} else if f.pos > len(f.buf)/2 && f.pos > 0 {
		n := copy(f.buf, f.buf[f.pos:])
		f.buf, f.pos = f.buf[:n], 0
	}
	if cap(f.buf)-len(f.buf) < fastReadSize {
		nb := make([]byte, len(f.buf), 2*cap(f.buf)+fastReadSize)
		copy(nb, f.buf)
		f.buf = nb
	}
	n, err := f.r.Read(f.buf[len(f.buf):cap(f.buf)])
	f.buf = f.buf[:len(f.buf)+n]
	if err != nil {
		f.err = err
	}
	return n > 0 || err == nil
}

// more reads until the unparsed bytes have doubled or the stream ends, and reports whether
// it read anything. An entry longer than one read is parsed again a logarithmic number of
// times, not once per read (a reader that returns a few bytes at a time made that quadratic).
func (f *fastDocs) more() bool {
	want := 2 * (len(f.buf) - f.pos)
	read := false
	for f.fill() {
		read = true
		if len(f.buf)-f.pos >= want {
			break
		}
	}
	return read
}

func (f *fastDocs) consume(n int) {
	f.pos += n
	f.off += int64(n)
}

// skipSpace consumes white space; it returns the next byte, or false at the end of the
// stream or at a read error.
func (f *fastDocs) skipSpace() (byte, bool) {
	for {
		for f.pos < len(f.buf) {
			switch c := f.buf[f.pos]; c {
			case ' ', '\t', '\n', '\r':
				f.consume(1)
			default:
				return c, true
			}
		}
		if !f.fill() {
			return 0, false
		}
	}
}

// next returns the next document; ok false means that the token decoder must take over
// at the current position (nothing of the entry was consumed).
func (f *fastDocs) next() (doc Document, ok bool, err error) {
	switch f.state {
	case 2:
		return Document{}, true, io.EOF
	case 0:
		c, more := f.skipSpace()
		if !more || c != '[' {
			return Document{}, false, nil
		}
		f.consume(1)
		f.state, f.sep = 1, '['
	}
	c, more := f.skipSpace()
	if !more {
		return Document{}, false, nil
	}
	if c == ']' {
		if f.sep == ',' {
			return Document{}, false, nil // a trailing comma
		}
		f.consume(1)
		f.sep = ']'
		if _, more := f.skipSpace(); more || f.err != io.EOF {
			return Document{}, false, nil // something after the closing ], or a read error
		}
		f.state = 2
		return Document{}, true, io.EOF
	}
	if f.sep == 'v' || c != '{' {
		return Document{}, false, nil
	}
	for {
		doc, n, err := parseEntry(f.buf[f.pos:])
		if err == errShort {
			if f.more() {
				continue
			}
			return Document{}, false, nil
		}
		if err != nil {
			return Document{}, false, nil
		}
		f.consume(n)
		f.sep = 'v'
		if c, more := f.skipSpace(); more && c == ',' {
			f.consume(1)
			f.sep = ','
		}
		return doc, true, nil
	}
}

// handOver returns the token decoder that continues at the current position: it reads a
// stand-in for what was consumed (standIn: byte offsets and the decoder's state stay what
// they would have been), then the rest of the stream.
func (f *fastDocs) handOver(index int) *tokenDecoder {
	prefix, skip := newStandIn(f.off, f.state != 0, f.sep)
	rest := io.MultiReader(prefix, bytes.NewReader(f.buf[f.pos:]), errReader{f})
	d := newTokenDecoder(rest)
	for range skip {
		_, _ = d.dec.Token()
	}
	if f.state != 0 {
		d.state = 1
	}
	d.index = index
	return d
}

// errReader reads the rest of the stream after buf.
type errReader struct{ f *fastDocs }

func (e errReader) Read(p []byte) (int, error) {
	if e.f.err != nil {
		return 0, e.f.err
	}
	return e.f.r.Read(p)
}

// parseEntry reads one entry {…} at the start of b. It returns errShort when b ends inside
// it, and another error for anything but a well-formed document.
func parseEntry(b []byte) (Document, int, error) {
	var doc Document
	var seen [4]bool // md, keywords, url, metadata
	var others map[string]bool
	i := 1 // after '{'
	i = skipWS(b, i)
	if i >= len(b) {
		return doc, 0, errShort
	}
	if b[i] == '}' {
		return doc, 0, errBad // no md, keywords, url
	}
	for {
		if i >= len(b) {
			return doc, 0, errShort
		}
		if b[i] != '"' {
			return doc, 0, errBad
		}
		key, end, err := parseString(b, i)
		if err != nil {
			return doc, 0, err
		}
		i = skipWS(b, end)
		if i >= len(b) {
			return doc, 0, errShort
		}
		if b[i] != ':' {
			return doc, 0, errBad
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return doc, 0, errShort
		}
		field := -1
		switch key {
		case "md":
			field = 0
		case "keywords":
			field = 1
		case "url":
			field = 2
		case "metadata":
			field = 3
		}
		if field >= 0 {
			if seen[field] {
				return doc, 0, errBad
			}
			seen[field] = true
		} else {
			if others == nil {
				others = map[string]bool{}
			}
			if others[key] {
				return doc, 0, errBad
			}
			others[key] = true
		}
		switch field {
		case 0, 1, 2:
			if b[i] != '"' {
				return doc, 0, errBad
			}
			s, end, err := parseString(b, i)
			if err != nil {
				return doc, 0, err
			}
			switch field {
			case 0:
				doc.MD = s
			case 1:
				doc.Keywords = s
			default:
				doc.URL = s
			}
			i = end
		default:
			end, err := skipJSON(b, i, 0)
			if err != nil {
				return doc, 0, err
			}
			if field == 3 && string(b[i:end]) != "null" {
				if b[i] != '{' {
					return doc, 0, errBad
				}
				v, _, err := decodeChecked(b, i, 0)
				if err != nil {
					return doc, 0, errBad
				}
				doc.Metadata = v.(map[string]any)
			} else if field < 0 {
				if _, _, err := decodeChecked(b, i, 0); err != nil { // a key twice, 1e999
					return doc, 0, errBad
				}
			}
			i = end
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return doc, 0, errShort
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
			continue
		case '}':
			if !seen[0] || !seen[1] || !seen[2] {
				return doc, 0, errBad
			}
			return doc, i + 1, nil
		}
		return doc, 0, errBad
	}
}

var errBad = errors.New("not a well-formed document")

// decodeChecked decodes the JSON value at b[i], which skipJSON has checked, as
// decodeValue does: objects become map[string]any, arrays []any, integers int64
// (json.Number beyond int64), other numbers float64. A key given twice or a number out of
// range is an error (errBad: the token decoder reports it); so is anything unexpected.
func decodeChecked(b []byte, i, depth int) (v any, end int, err error) {
	if depth > maxJSONDepth {
		return nil, 0, errBad
	}
	switch c := b[i]; {
	case c == '"':
		return parseString(b, i)
	case c == '{':
		m := map[string]any{}
		for i = skipWS(b, i+1); b[i] != '}'; i = skipWS(b, i+1) {
			k, end, err := parseString(b, i)
			if err != nil {
				return nil, 0, err
			}
			if _, dup := m[k]; dup {
				return nil, 0, errBad
			}
			i = skipWS(b, skipWS(b, end)+1) // past ':'
			if m[k], i, err = decodeChecked(b, i, depth+1); err != nil {
				return nil, 0, err
			}
			if i = skipWS(b, i); b[i] != ',' {
				break
			}
		}
		return m, i + 1, nil
	case c == '[':
		l := []any{}
		for i = skipWS(b, i+1); b[i] != ']'; i = skipWS(b, i+1) {
			var x any
			if x, i, err = decodeChecked(b, i, depth+1); err != nil {
				return nil, 0, err
			}
			l = append(l, x)
			if i = skipWS(b, i); b[i] != ',' {
				break
			}
		}
		return l, i + 1, nil
	case c == 't':
		return true, i + 4, nil
	case c == 'f':
		return false, i + 5, nil
	case c == 'n':
		return nil, i + 4, nil
	}
	end, err = jsonNumber(b, i)
	if err != nil {
		return nil, 0, err
	}
	v, err = number(json.Number(b[i:end]))
	if err != nil {
		return nil, 0, errBad
	}
	return v, end, nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// parseString reads the string literal at b[i] (a '"'), checked as JSON requires: no
// control characters, valid escapes. A surrogate that is not part of a pair becomes
// U+FFFD, as in encoding/json. The bytes are valid UTF-8 (utf8Reader checks the stream).
func parseString(b []byte, i int) (string, int, error) {
	start := i + 1
	j := start
	for j < len(b) {
		c := b[j]
		if c == '"' {
			return string(b[start:j]), j + 1, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", 0, errBad
		}
		j++
	}
	if j >= len(b) {
		return "", 0, errShort
	}
	var out strings.Builder
	out.Grow(j - start + 16)
	out.Write(b[start:j])
	for j < len(b) {
		c := b[j]
		switch {
		case c == '"':
			return out.String(), j + 1, nil
		case c < 0x20:
			return "", 0, errBad
		case c != '\\':
			k := j + 1
			for k < len(b) && b[k] != '"' && b[k] != '\\' && b[k] >= 0x20 {
				k++
			}
			out.Write(b[j:k])
			j = k
			continue
		}
		if j+1 >= len(b) {
			return "", 0, errShort
		}
		switch e := b[j+1]; e {
		case '"', '\\', '/':
			out.WriteByte(e)
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		case 'u':
			r, err := hex4(b, j+2)
			if err != nil {
				return "", 0, err
			}
			j += 6
			if utf16.IsSurrogate(r) { // a pair takes the next \uXXXX, as in encoding/json
				if j+1 >= len(b) {
					return "", 0, errShort
				}
				if b[j] == '\\' && b[j+1] == 'u' {
					r2, err := hex4(b, j+2)
					if err != nil {
						return "", 0, err
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						out.WriteRune(dec)
						j += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out.WriteRune(r)
			continue
		default:
			return "", 0, errBad
		}
		j += 2
	}
	return "", 0, errShort
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, error) {
	if i+4 > len(b) {
		return 0, errShort
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, errBad
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// skipJSON checks the JSON value at b[i] and returns the index after it. Values nested
// deeper than maxJSONDepth are left to the token decoder.
func skipJSON(b []byte, i, depth int) (end int, err error) {
	if depth > maxJSONDepth {
		return 0, errBad
	}
	switch c := b[i]; {
	case c == '"':
		_, end, err := parseString(b, i)
		return end, err
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return 0, errShort
		}
		if b[i] == closing {
			return i + 1, nil
		}
		for {
			if c == '{' {
				if b[i] != '"' {
					return 0, errBad
				}
				_, end, err := parseString(b, i)
				if err != nil {
					return 0, err
				}
				i = skipWS(b, end)
				if i >= len(b) {
					return 0, errShort
				}
				if b[i] != ':' {
					return 0, errBad
				}
				i = skipWS(b, i+1)
				if i >= len(b) {
					return 0, errShort
				}
			}
			end, err := skipJSON(b, i, depth+1)
			if err != nil {
				return 0, err
			}
			i = skipWS(b, end)
			if i >= len(b) {
				return 0, errShort
			}
			switch b[i] {
			case ',':
				i = skipWS(b, i+1)
				if i >= len(b) {
					return 0, errShort
				}
				continue
			case closing:
				return i + 1, nil
			}
			return 0, errBad
		}
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return jsonNumber(b, i)
	}
	return 0, errBad
}

func literal(b []byte, i int, word string) (int, error) {
	if i+len(word) > len(b) {
		if string(b[i:]) == word[:len(b)-i] {
			return 0, errShort
		}
		return 0, errBad
	}
	if string(b[i:i+len(word)]) != word {
		return 0, errBad
	}
	return i + len(word), nil
}

// jsonNumber checks a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(b []byte, i int) (int, error) {
	digits := func(i int) (int, bool) {
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return 0, errShort
	}
	switch {
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i, _ = digits(i)
	default:
		return 0, errBad
	}
	if i < len(b) && b[i] == '.' {
		var ok bool
		if i, ok = digits(i + 1); !ok {
			if i >= len(b) {
				return 0, errShort
			}
			return 0, errBad
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		var ok bool
		if i, ok = digits(i); !ok {
			if i >= len(b) {
				return 0, errShort
			}
			return 0, errBad
		}
	}
	if i >= len(b) {
		return 0, errShort // the number may go on
	}
	return i, nil
}
