// Package escape encodes untrusted text for each interpreter wurzel's outputs feed: POSIX
// shells, YAML readers (1.1 and 1.2), Python source, and the expression languages of GitHub
// Actions, GitLab CI, Argo and Airflow's Jinja. Every function returns text that the target
// reads back as exactly the input string, or an error when no such text exists.
package escape

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrNUL is returned for text holding a NUL byte, which no argv or environment can carry.
var ErrNUL = errors.New("text contains a NUL byte")

// Shell quotes s as one word for a POSIX shell. Words made only of characters that no
// shell treats specially stay as they are; everything else is single-quoted, with each '
// written as '"'"'.
func Shell(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", ErrNUL
	}
	if s != "" && shellSafe(s) {
		return s, nil
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'", nil
}

// shellSafe reports whether every byte of s is one no shell interprets, in any position.
func shellSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == '/' || c == ',' || c == ':' || c == '@' || c == '%' || c == '+':
		case c == '=' && i > 0: // a leading = is fine in sh, but keep words plain
		default:
			return false
		}
	}
	return true
}

// ShellJoin quotes every word of argv and joins them with spaces.
func ShellJoin(argv []string) (string, error) {
	out := make([]string, len(argv))
	for i, a := range argv {
		q, err := Shell(a)
		if err != nil {
			return "", fmt.Errorf("argument %d: %w", i, err)
		}
		if i == 0 && q == a && strings.Contains(a, "=") {
			q = "'" + a + "'" // NAME=x in command position would be an assignment
		}
		out[i] = q
	}
	return strings.Join(out, " "), nil
}

// YAML returns s as a double-quoted YAML scalar, so no reader (YAML 1.1 or 1.2) can take it
// for anything but this string (not yes, 0755, <<, =, a date or a number). Characters outside
// YAML's printable set are escaped.
func YAML(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("text is not valid UTF-8")
	}
	return yamlDouble(s), nil
}

// yamlDouble writes a YAML double-quoted scalar using only escapes that YAML 1.1 and 1.2 share.
func yamlDouble(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case yamlPrintable(r) && r != 0xfeff && r != 0x85: // YAML 1.1 readers fold a raw NEL into a space
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlPrintable is YAML's c-printable set, without the line breaks that need escaping.
func yamlPrintable(r rune) bool {
	return (r >= 0x20 && r <= 0x7e) || r == 0x85 || (r >= 0xa0 && r <= 0xd7ff && r != 0x2028 && r != 0x2029) ||
		(r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
}

// Python returns s as a Python string literal. Python 3 reads JSON string syntax as the same
// string (\uXXXX escapes included), so nothing in s can end the literal.
func Python(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("text is not valid UTF-8")
	}
	return jsonString(s), nil
}

func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a valid UTF-8 string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// GitHubExprString returns s as a single-quoted string literal of GitHub Actions
// expressions (” doubles a quote). The result is meant for use inside ${{ }}.
func GitHubExprString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Expression markers of the targets' own template languages. Text holding one of them
// would be evaluated by the target, not taken literally.
var (
	// GitHub Actions evaluates ${{ }} anywhere in a workflow, even inside shell comments.
	GitHub = []string{"${{"}
	// Argo Workflows substitutes {{ }} and evaluates {{= }} in every string of a template.
	Argo = []string{"{{"}
	// Airflow renders templated fields with Jinja: {{ }}, {% %}, {# #}.
	Jinja = []string{"{{", "{%", "{#"}
	// DVC interpolates ${ } in dvc.yaml.
	DVC = []string{"${"}
)

// FindMarker returns the first of the markers found in s, or "".
func FindMarker(s string, markers []string) string {
	for _, m := range markers {
		if strings.Contains(s, m) {
			return m
		}
	}
	return ""
}

// EnvName turns text into an environment-variable-like name: upper case, every character
// outside [A-Z0-9] replaced by '_', a leading digit prefixed with '_'.
func EnvName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

// yamlWords are plain scalars that some YAML reader (1.1 or 1.2) resolves to a boolean or
// null. Numbers, dates and the merge key are excluded by the first-character rule below.
var yamlWords = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "true": true, "false": true, "on": true,
	"off": true, "null": true, "~": true,
}

// YAMLValue returns s as a YAML scalar for block context, in its most readable safe form:
// plain when no YAML 1.1 or 1.2 reader can take it for anything but this string, single-quoted
// when it is printable, double-quoted otherwise.
func YAMLValue(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("text is not valid UTF-8")
	}
	if yamlPlainSafe(s) {
		return s, nil
	}
	for _, r := range s {
		if !yamlPrintable(r) || r == 0x85 || r == 0xfeff {
			return yamlDouble(s), nil
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

func yamlPlainSafe(s string) bool {
	if s == "" || yamlWords[strings.ToLower(s)] {
		return false
	}
	first := s[0]
	if !(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_' || first == '/' || first == '$') {
		return false // digits, signs and dots start numbers; punctuation starts YAML syntax
	}
	if s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		switch c {
		case '#':
			if s[i-1] == ' ' {
				return false
			}
		case ':':
			if i+1 < len(s) && s[i+1] == ' ' {
				return false
			}
		case '{', '}', '[', ']', ',', '`', '"', '\'', '|', '>', '!', '&', '*', '%', '@':
			return false // legal in many places, but not worth the reader's doubt
		}
	}
	return true
}

// YAMLPlainSafe reports whether s can be written as a plain YAML scalar that every YAML 1.1
// and 1.2 reader takes for this string (the rule YAMLValue uses).
func YAMLPlainSafe(s string) bool { return yamlPlainSafe(s) }

// YAMLPrintable reports whether every character of s may appear unescaped in a YAML
// document, line breaks and tabs included.
func YAMLPrintable(s string) bool {
	for _, r := range s {
		if r != '\n' && r != '\t' && (!yamlPrintable(r) || r == 0x85 || r == 0xfeff) {
			return false
		}
	}
	return true
}
