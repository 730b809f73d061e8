package settings

import (
	"fmt"
	"strings"
)

// ParseEnvFile parses a .env file into KEY=VALUE strings, in file order. name is used in
// errors ("name:line: ..."); the error is a *Error holding every problem and never quotes
// a value.
//
// The syntax is the part that POSIX shells, Docker Compose and python-dotenv agree on:
//
//	# a comment line; blank lines are skipped
//	KEY=value              unquoted: no spaces, quotes, backslashes, $ or `
//	export KEY=value       "export " is allowed and ignored
//	KEY='literal value'    single quotes: everything literal, may span lines
//	KEY="a \"b\" \$c"      double quotes: only \\ \" \$ \` escapes, may span lines
//	KEY=value # comment    a comment after whitespace
//
// There is no variable expansion: an unescaped $ in a value is an error rather than a
// surprise. A key set twice is an error.
func ParseEnvFile(name string, data []byte) ([]string, error) {
	p := &envParser{name: name, src: string(data), line: 1, seen: map[string]int{}}
	p.src = strings.TrimPrefix(p.src, "\ufeff")
	p.parse()
	if err := p.ps.err(); err != nil {
		return nil, err
	}
	return p.out, nil
}

type envParser struct {
	name string
	src  string
	pos  int
	line int
	col0 int // offset of the current line's first byte
	out  []string
	seen map[string]int
	ps   problems
}

func (p *envParser) errorf(line, col int, format string, args ...any) {
	src := fmt.Sprintf("%s:%d", p.name, line)
	if col > 0 {
		src += fmt.Sprintf(":%d", col)
	}
	p.ps.add(src, CodeInvalid, format, args...)
}

func (p *envParser) col() int { return p.pos - p.col0 + 1 }

func (p *envParser) eof() bool { return p.pos >= len(p.src) }

// atEOL reports whether pos is at a line end (\n, \r\n) or at the end of the input.
func (p *envParser) atEOL() bool {
	return p.eof() || p.src[p.pos] == '\n' || strings.HasPrefix(p.src[p.pos:], "\r\n")
}

// newline moves past a line end.
func (p *envParser) newline() {
	if strings.HasPrefix(p.src[p.pos:], "\r\n") {
		p.pos++
	}
	p.pos++
	p.line++
	p.col0 = p.pos
}

// skipLine moves to the start of the next line.
func (p *envParser) skipLine() {
	for !p.atEOL() {
		p.pos++
	}
	if !p.eof() {
		p.newline()
	}
}

func (p *envParser) skipBlanks() {
	for !p.eof() && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func isKeyByte(c byte, first bool) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9'
}

func (p *envParser) parse() {
	for !p.eof() {
		p.skipBlanks()
		if p.atEOL() {
			if !p.eof() {
				p.newline()
			}
			continue
		}
		if p.src[p.pos] == '#' {
			p.skipLine()
			continue
		}
		if rest := p.src[p.pos:]; strings.HasPrefix(rest, "export ") || strings.HasPrefix(rest, "export\t") {
			p.pos += len("export")
			p.skipBlanks()
		}
		line, start := p.line, p.pos
		for !p.eof() && isKeyByte(p.src[p.pos], p.pos == start) {
			p.pos++
		}
		key := p.src[start:p.pos]
		switch {
		case key == "":
			p.errorf(line, p.col(), "want KEY=VALUE with a variable name of letters, digits and underscores")
			p.skipLine()
			continue
		case p.atEOL():
			p.errorf(line, 0, "missing = after %s", key)
			p.skipLine()
			continue
		case p.src[p.pos] == ' ' || p.src[p.pos] == '\t':
			p.errorf(line, p.col(), "no spaces are allowed around = (write %s=VALUE)", key)
			p.skipLine()
			continue
		case p.src[p.pos] != '=':
			p.errorf(line, p.col(), "invalid character in variable name %s...", key)
			p.skipLine()
			continue
		}
		p.pos++ // '='
		value, ok := p.value(line)
		if !ok {
			if p.eof() {
				return
			}
			p.skipLine()
			continue
		}
		p.skipBlanks()
		if !p.atEOL() {
			if p.src[p.pos] != '#' {
				p.errorf(p.line, p.col(), "unexpected text after the value of %s; quote values that contain spaces", key)
				p.skipLine()
				continue
			}
		}
		if first, dup := p.seen[key]; dup {
			p.errorf(line, 0, "%s is already set at line %d", key, first)
		} else {
			p.seen[key] = line
			p.out = append(p.out, key+"="+value)
		}
		p.skipLine()
	}
}

// value reads one value; ok is false after an error has been reported.
func (p *envParser) value(line int) (string, bool) {
	if p.eof() {
		return "", true
	}
	switch p.src[p.pos] {
	case '\'':
		startCol := p.col()
		p.pos++
		end := strings.IndexByte(p.src[p.pos:], '\'')
		if end < 0 {
			p.errorf(line, startCol, "unterminated single quote")
			p.pos = len(p.src)
			return "", false
		}
		v := p.src[p.pos : p.pos+end]
		if strings.IndexByte(v, 0) >= 0 {
			p.errorf(line, startCol, "NUL byte in value")
			return "", false
		}
		p.advance(end + 1)
		return v, true
	case '"':
		return p.doubleQuoted(line)
	}
	start := p.pos
	for !p.atEOL() && p.src[p.pos] != ' ' && p.src[p.pos] != '\t' {
		switch p.src[p.pos] {
		case '\'', '"', '\\', '$', '`', 0, '\r':
			p.errorf(line, p.col(), "character %q is not allowed in an unquoted value; use single quotes", p.src[p.pos])
			return "", false
		}
		p.pos++
	}
	return p.src[start:p.pos], true
}

func (p *envParser) doubleQuoted(line int) (string, bool) {
	startCol := p.col()
	p.pos++
	var b strings.Builder
	for {
		if p.eof() {
			p.errorf(line, startCol, "unterminated double quote")
			return "", false
		}
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return b.String(), true
		case '\\':
			if p.pos+1 < len(p.src) && strings.IndexByte("\\\"$`", p.src[p.pos+1]) >= 0 {
				b.WriteByte(p.src[p.pos+1])
				p.pos += 2
				continue
			}
			p.errorf(p.line, p.col(), "unsupported escape in double quotes (only \\\\ \\\" \\$ \\` are allowed; use a literal line break or single quotes)")
			p.closeQuote('"')
			return "", false
		case '$':
			p.errorf(p.line, p.col(), "variable expansion is not supported; write \\$ or use single quotes")
			p.closeQuote('"')
			return "", false
		case '`':
			p.errorf(p.line, p.col(), "command substitution is not supported; write \\` or use single quotes")
			p.closeQuote('"')
			return "", false
		case 0:
			p.errorf(p.line, p.col(), "NUL byte in value")
			p.closeQuote('"')
			return "", false
		}
		b.WriteByte(c)
		p.advance(1)
	}
}

// closeQuote skips to just after the next unescaped quote q, for error recovery.
func (p *envParser) closeQuote(q byte) {
	for !p.eof() {
		c := p.src[p.pos]
		if c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] != '\n' {
			p.pos += 2
			continue
		}
		p.advance(1)
		if c == q {
			return
		}
	}
}

// advance moves n bytes ahead, counting line breaks.
func (p *envParser) advance(n int) {
	for i := 0; i < n && !p.eof(); i++ {
		if p.src[p.pos] == '\n' {
			p.pos++
			p.line++
			p.col0 = p.pos
			continue
		}
		p.pos++
	}
}

// envSafe reports whether v needs no quotes in a .env file or a shell.
func envSafe(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_./:@%+,=-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// FormatEnvLine formats KEY=VALUE for a .env file so that ParseEnvFile and a POSIX shell
// both read value back exactly (for values without NUL bytes).
func FormatEnvLine(key, value string) string {
	switch {
	case envSafe(value):
		return key + "=" + value
	case !strings.Contains(value, "'"):
		return key + "='" + value + "'"
	}
	var b strings.Builder
	b.WriteString(key + `="`)
	for i := 0; i < len(value); i++ {
		if strings.IndexByte("\\\"$`", value[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(value[i])
	}
	b.WriteByte('"')
	return b.String()
}
