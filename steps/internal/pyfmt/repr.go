package pyfmt

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Float formats f as Python's repr(float): the shortest string that reads back as f, in
// positional form when the exponent is in [-4, 16) ("0.0001", "1e-05", "1e+16", "100.0").
func Float(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // -1.2345e+06
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	neg := strings.HasPrefix(mant, "-")
	digits := strings.Replace(strings.TrimPrefix(mant, "-"), ".", "", 1)
	var s string
	switch {
	case exp < -4 || exp >= 16:
		s = digits[:1]
		if len(digits) > 1 {
			s += "." + digits[1:]
		}
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		s += fmt.Sprintf("e%s%02d", sign, exp)
	case exp < 0:
		s = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		s = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		s = digits[:exp+1] + "." + digits[exp+1:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Repr formats v as Python's repr() of the equivalent Python value.
func Repr(v any) (string, error) {
	var b strings.Builder
	if err := writeRepr(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

const maxDepth = 100

func writeRepr(b *strings.Builder, v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nested deeper than %d levels", maxDepth)
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		b.WriteString(Str(x))
	case float64:
		b.WriteString(Float(x))
	case []string:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = e
		}
		return writeRepr(b, l, depth)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return writeRepr(b, m, depth)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeRepr(b, e, depth+1); err != nil {
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
			b.WriteString(Str(k))
			b.WriteString(": ")
			if err := writeRepr(b, x[k], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		n, ok, err := integer(v)
		if err != nil {
			return err
		}
		if ok {
			b.WriteString(n)
			return nil
		}
		if f, ok := v.(float32); ok {
			b.WriteString(Float(float64(f)))
			return nil
		}
		return fmt.Errorf("cannot write a value of type %T", v)
	}
	return nil
}

// integer formats the integer types (and json.Number) in decimal.
func integer(v any) (string, bool, error) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), true, nil
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), true, nil
	case json.Number:
		if !isInteger(string(x)) {
			return "", false, fmt.Errorf("number %s is not an integer", x)
		}
		return string(x), true, nil
	}
	return "", false, nil
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Str formats s as Python's repr(str): single quotes unless s holds a single quote and no
// double quote; non-printable characters escaped as \xhh, \uhhhh or \Uhhhhhhhh.
func Str(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteByte(quote)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case !printable(r):
			switch {
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// printable is Python's str.isprintable for one character: not in the Unicode categories
// Other (Cc, Cf, Cs, Co, Cn) or Separator (Zl, Zp, Zs), except the ASCII space.
func printable(r rune) bool {
	if r == ' ' {
		return true
	}
	if r < utf8.RuneSelf {
		return r > ' ' && r < 0x7f
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}
