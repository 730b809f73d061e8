package pyfmt

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse reads one Python literal, as ast.literal_eval does, limited to what pandas writes
// for list and dict cells: None, True, False, numbers (with a sign), strings (quoted with '
// or ", prefixes r and u, adjacent strings joined), lists, tuples (read as lists) and dicts
// with string keys. Integers beyond int64 are json.Number. Errors give the byte offset.
func Parse(s string) (any, error) {
	p := &parser{s: s}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.errorf("unexpected %s after the value", p.describe())
	}
	return v, nil
}

type parser struct {
	s string
	i int
}

// SyntaxError is a literal that does not parse.
type SyntaxError struct {
	Offset int // byte offset in the input
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg) }

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.i, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) describe() string {
	if p.i >= len(p.s) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return strconv.QuoteRune(r)
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.i++
		case '\\': // explicit line joining
			if strings.HasPrefix(p.s[p.i:], "\\\n") {
				p.i += 2
				continue
			}
			return
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errorf("nested deeper than %d levels", maxDepth)
	}
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of input, want a value")
	}
	switch c := p.s[p.i]; {
	case c == '[':
		return p.sequence(']', depth)
	case c == '(':
		return p.sequence(')', depth)
	case c == '{':
		return p.dict(depth)
	case c == '\'' || c == '"':
		return p.strings()
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		return p.number()
	case isNameStart(c):
		start := p.i
		for p.i < len(p.s) && (isNameStart(p.s[p.i]) || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
			p.i++
		}
		name := p.s[start:p.i]
		switch name {
		case "None":
			return nil, nil
		case "True":
			return true, nil
		case "False":
			return false, nil
		}
		if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') {
			switch strings.ToLower(name) {
			case "r", "u":
				p.i = start
				return p.strings()
			case "b", "br", "rb":
				p.i = start
				return nil, p.errorf("bytes literals are not supported")
			}
		}
		p.i = start
		return nil, p.errorf("%q is not a literal (want None, True, False, a number, a string, a list or a dict)", name)
	default:
		return nil, p.errorf("unexpected %s, want a value", p.describe())
	}
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (p *parser) sequence(closing byte, depth int) (any, error) {
	open := p.i
	p.i++
	out := []any{}
	commas := 0
	for {
		p.space()
		if p.i >= len(p.s) {
			p.i = open
			return nil, p.errorf("unclosed %q", p.s[open])
		}
		if p.s[p.i] == closing {
			p.i++
			if closing == ')' && len(out) == 1 && commas == 0 {
				return out[0], nil // (x) is x, not a tuple
			}
			return out, nil
		}
		if len(out) > commas {
			return nil, p.errorf("unexpected %s, want ',' or %q", p.describe(), closing)
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			commas++
		}
	}
}

func (p *parser) dict(depth int) (any, error) {
	open := p.i
	p.i++
	out := map[string]any{}
	for first := true; ; first = false {
		p.space()
		if p.i >= len(p.s) {
			p.i = open
			return nil, p.errorf("unclosed '{'")
		}
		if p.s[p.i] == '}' {
			p.i++
			return out, nil
		}
		if !first {
			if p.s[p.i] != ',' {
				return nil, p.errorf("unexpected %s, want ',' or '}'", p.describe())
			}
			p.i++
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return out, nil
			}
		}
		keyAt := p.i
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		key, ok := k.(string)
		if !ok {
			p.i = keyAt
			return nil, p.errorf("dict key must be a string")
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			if p.i < len(p.s) && (p.s[p.i] == ',' || p.s[p.i] == '}') && len(out) == 0 {
				return nil, p.errorf("sets are not supported, want a dict")
			}
			return nil, p.errorf("unexpected %s, want ':'", p.describe())
		}
		p.i++
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out[key] = v // a repeated key keeps the last value, as in Python
	}
}

// strings reads one or more adjacent string literals and joins them.
func (p *parser) strings() (any, error) {
	var b strings.Builder
	for {
		if err := p.str(&b); err != nil {
			return nil, err
		}
		save := p.i
		p.space()
		if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"' ||
			(p.s[p.i] == 'r' || p.s[p.i] == 'R' || p.s[p.i] == 'u' || p.s[p.i] == 'U') &&
				p.i+1 < len(p.s) && (p.s[p.i+1] == '\'' || p.s[p.i+1] == '"')) {
			continue
		}
		p.i = save
		return b.String(), nil
	}
}

func (p *parser) str(b *strings.Builder) error {
	raw := false
	switch p.s[p.i] {
	case 'r', 'R':
		raw = true
		p.i++
	case 'u', 'U':
		p.i++
	}
	start := p.i
	q := p.s[p.i]
	delim := string(q)
	if strings.HasPrefix(p.s[p.i:], strings.Repeat(delim, 3)) {
		delim = strings.Repeat(delim, 3)
	}
	p.i += len(delim)
	for {
		if p.i >= len(p.s) {
			p.i = start
			return p.errorf("unterminated string")
		}
		c := p.s[p.i]
		switch {
		case strings.HasPrefix(p.s[p.i:], delim):
			p.i += len(delim)
			return nil
		case c == '\n' && len(delim) == 1:
			return p.errorf("unterminated string (newline inside single quotes)")
		case c == '\\' && raw:
			b.WriteByte(c)
			if p.i+1 < len(p.s) {
				b.WriteByte(p.s[p.i+1])
				p.i++
			}
			p.i++
		case c == '\\':
			if err := p.escape(b); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
}

func (p *parser) escape(b *strings.Builder) error {
	at := p.i
	p.i++ // backslash
	if p.i >= len(p.s) {
		return p.errorf("unterminated string")
	}
	c := p.s[p.i]
	p.i++
	simple := map[byte]string{'\\': `\`, '\'': `'`, '"': `"`, 'a': "\a", 'b': "\b", 'f': "\f",
		'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\n': ""}
	if s, ok := simple[c]; ok {
		b.WriteString(s)
		return nil
	}
	hex := func(n int) error {
		if p.i+n > len(p.s) {
			p.i = at
			return p.errorf("truncated \\%c escape", c)
		}
		v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
		if err != nil || v > utf8.MaxRune {
			p.i = at
			return p.errorf("invalid \\%c escape", c)
		}
		p.i += n
		b.WriteRune(rune(v))
		return nil
	}
	switch c {
	case 'x':
		return hex(2)
	case 'u':
		return hex(4)
	case 'U':
		return hex(8)
	case 'N':
		p.i = at
		return p.errorf(`\N{...} escapes are not supported`)
	}
	if c >= '0' && c <= '7' {
		v := int(c - '0')
		for k := 0; k < 2 && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '7'; k++ {
			v = v*8 + int(p.s[p.i]-'0')
			p.i++
		}
		b.WriteRune(rune(v))
		return nil
	}
	b.WriteByte('\\') // an unknown escape keeps its backslash
	b.WriteByte(c)
	return nil
}

func (p *parser) number() (any, error) {
	start := p.i
	neg := false
	for p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		if p.s[p.i] == '-' {
			neg = !neg
		}
		p.i++
		p.space()
	}
	numStart := p.i
	for p.i < len(p.s) && strings.IndexByte("0123456789._eExXoObBabcdefABCDEF", p.s[p.i]) >= 0 {
		if (p.s[p.i] == 'e' || p.s[p.i] == 'E') && p.i+1 < len(p.s) && (p.s[p.i+1] == '-' || p.s[p.i+1] == '+') &&
			!strings.HasPrefix(strings.ToLower(p.s[numStart:]), "0x") {
			p.i++
		}
		p.i++
	}
	lit := p.s[numStart:p.i]
	if lit == "" {
		p.i = start
		return nil, p.errorf("a sign must be followed by a number")
	}
	if p.i < len(p.s) && (p.s[p.i] == 'j' || p.s[p.i] == 'J') {
		p.i = start
		return nil, p.errorf("complex numbers are not supported")
	}
	clean := strings.ReplaceAll(lit, "_", "")
	if n, err := strconv.ParseInt(clean, 0, 64); err == nil && validIntLiteral(lit) {
		if neg {
			n = -n
		}
		return n, nil
	} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && validIntLiteral(lit) && isInteger(clean) {
		if neg {
			clean = "-" + clean
		}
		return json.Number(clean), nil
	}
	if !validFloatLiteral(lit) || !strings.ContainsAny(lit, ".eE") {
		p.i = start
		return nil, p.errorf("invalid number %q", lit)
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		p.i = start
		if math.IsInf(f, 0) {
			return nil, p.errorf("number %q is out of range", lit)
		}
		return nil, p.errorf("invalid number %q", lit)
	}
	if neg {
		f = -f
	}
	return f, nil
}

// validIntLiteral rejects what Go accepts but Python does not: leading zeros ("010").
func validIntLiteral(s string) bool {
	if len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9' {
		return strings.Trim(s, "0_") == ""
	}
	return !strings.HasPrefix(s, "_") && !strings.HasSuffix(s, "_") && !strings.Contains(s, "__")
}

func validFloatLiteral(s string) bool {
	if strings.ContainsAny(s, "xXoObBabcdfABCDF") || strings.HasPrefix(s, "_") || strings.Contains(s, "__") ||
		strings.Contains(s, "_.") || strings.Contains(s, "._") {
		return false
	}
	return strings.ContainsAny(s, "0123456789")
}
