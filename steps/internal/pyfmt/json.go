package pyfmt

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// JSON appends v to b as Python's json.dumps(v) writes it: separators ", " and ": ",
// every character outside printable ASCII escaped as \uhhhh (lowercase, surrogate pairs
// beyond the BMP), floats as repr() writes them, NaN and Infinity as Python does.
func JSON(b *strings.Builder, v any) error {
	return writeJSON(b, v, 0)
}

func writeJSON(b *strings.Builder, v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nested deeper than %d levels", maxDepth)
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		JSONString(b, x)
	case float64:
		b.WriteString(jsonFloat(x))
	case float32:
		b.WriteString(jsonFloat(float64(x)))
	case []string:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = e
		}
		return writeJSON(b, l, depth)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return writeJSON(b, m, depth)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeJSON(b, e, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			JSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, x[k], depth+1); err != nil {
				return fmt.Errorf("key %q: %w", k, err)
			}
		}
		b.WriteByte('}')
	default:
		n, ok, err := integer(v)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("cannot write a value of type %T as JSON", v)
		}
		b.WriteString(n)
	}
	return nil
}

func jsonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return Float(f)
}

const hexDigits = "0123456789abcdef"

// JSONString appends s as a JSON string with Python's ensure_ascii escaping. Invalid UTF-8
// is written as \ufffd.
func JSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= ' ' && c < 0x7f && c != '"' && c != '\\' {
			j := i + 1
			for j < len(s) && s[j] >= ' ' && s[j] < 0x7f && s[j] != '"' && s[j] != '\\' {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			r, w := utf8.DecodeRuneInString(s[i:])
			if r >= 0x10000 {
				r -= 0x10000
				u4(b, 0xd800+(r>>10))
				u4(b, 0xdc00+(r&0x3ff))
			} else {
				u4(b, r)
			}
			i += w
			continue
		}
		i++
	}
	b.WriteByte('"')
}

func u4(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[r>>12&0xf])
	b.WriteByte(hexDigits[r>>8&0xf])
	b.WriteByte(hexDigits[r>>4&0xf])
	b.WriteByte(hexDigits[r&0xf])
}
