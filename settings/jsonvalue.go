package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxJSONDepth bounds the nesting of JSON values in settings.
const maxJSONDepth = 64

// decodeJSON parses one JSON value: objects become map[string]any, arrays []any, numbers
// json.Number. Unlike encoding/json it rejects duplicate object keys and trailing data, and
// its errors give the line and column. With hide set, errors never quote the input (for
// values that may hold a secret).
func decodeJSON(s string, hide bool) (any, error) {
	d := &jsonDecoder{src: s, dec: json.NewDecoder(strings.NewReader(s)), hide: hide}
	d.dec.UseNumber()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	off := d.dec.InputOffset()
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, d.errAt(off, "unexpected data after the JSON value")
	}
	return v, nil
}

type jsonDecoder struct {
	src  string
	dec  *json.Decoder
	hide bool
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, d.errAt(d.dec.InputOffset(), fmt.Sprintf("nested deeper than %d levels", maxJSONDepth))
	}
	start := d.dec.InputOffset()
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.wrap(err, start)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			for d.dec.More() {
				keyStart := d.skip(d.dec.InputOffset())
				kt, err := d.dec.Token()
				if err != nil {
					return nil, d.wrap(err, keyStart)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, d.errAt(keyStart, "object key must be a string")
				}
				if _, dup := obj[key]; dup {
					return nil, d.errAt(keyStart, fmt.Sprintf("duplicate key %q", key))
				}
				v, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				obj[key] = v
			}
			if _, err := d.dec.Token(); err != nil { // '}'
				return nil, d.wrap(err, d.dec.InputOffset())
			}
			return obj, nil
		case '[':
			arr := []any{}
			for d.dec.More() {
				v, err := d.value(depth + 1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := d.dec.Token(); err != nil { // ']'
				return nil, d.wrap(err, d.dec.InputOffset())
			}
			return arr, nil
		default:
			return nil, d.errAt(start, fmt.Sprintf("unexpected %q", string(t)))
		}
	default:
		return tok, nil // string, json.Number, bool or nil
	}
}

// wrap turns a decoder error into one with a position.
func (d *jsonDecoder) wrap(err error, off int64) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		// The decoder's offsets are not always the offending byte's; the token that
		// failed starts at the first byte after off that is not a separator.
		msg := syn.Error()
		if d.hide {
			msg = "invalid JSON syntax"
		}
		return d.errAt(d.skip(off), msg)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return d.errAt(int64(len(d.src)), "unexpected end of JSON input")
	default:
		return d.errAt(off, err.Error())
	}
}

// skip returns the offset of the first byte at or after off that is not white space or a
// separator (',' or ':').
func (d *jsonDecoder) skip(off int64) int64 {
	for off < int64(len(d.src)) && strings.IndexByte(" \t\r\n,:", d.src[off]) >= 0 {
		off++
	}
	return off
}

// errAt formats msg with the line and column of byte offset off.
func (d *jsonDecoder) errAt(off int64, msg string) error {
	if off > int64(len(d.src)) {
		off = int64(len(d.src))
	}
	if off < 0 {
		off = 0
	}
	before := d.src[:off]
	line := strings.Count(before, "\n") + 1
	col := int(off) - strings.LastIndexByte(before, '\n')
	return fmt.Errorf("invalid JSON at line %d, column %d: %s", line, col, msg)
}

// describeJSON names a decoded JSON value's type for errors; show adds the value itself
// for scalars.
func describeJSON(v any, show bool) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		if show {
			return fmt.Sprint(t)
		}
		return "a boolean"
	case json.Number:
		if show {
			return t.String()
		}
		return "a number"
	case string:
		if show {
			return fmt.Sprintf("%q", t)
		}
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}
