package semdiff

import (
	"strconv"
	"strings"
)

// Path is a location in a YAML or JSON document: mapping keys (string) and list indexes (int).
type Path []any

// Key returns p with a mapping key appended; p is not modified.
func (p Path) Key(k string) Path { return append(p[:len(p):len(p)], k) }

// Index returns p with a list index appended; p is not modified.
func (p Path) Index(i int) Path { return append(p[:len(p):len(p)], i) }

// String formats a path for people: spec.templates[2].container.image, with keys that are
// not plain identifiers quoted: metadata.annotations["sidecar.istio.io/inject"]. The empty
// path is "(document)".
func (p Path) String() string {
	if len(p) == 0 {
		return "(document)"
	}
	var b strings.Builder
	for i, seg := range p {
		switch s := seg.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		case string:
			if plainKey(s) {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(s)
			} else {
				b.WriteString("[" + strconv.Quote(s) + "]")
			}
		}
	}
	return b.String()
}

// Pointer formats a path as a JSON pointer (RFC 6901): /spec/templates/2/container/image.
func (p Path) Pointer() string {
	var b strings.Builder
	for _, seg := range p {
		b.WriteByte('/')
		switch s := seg.(type) {
		case int:
			b.WriteString(strconv.Itoa(s))
		case string:
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
		}
	}
	return b.String()
}

// LastKey returns the last mapping key of the path, or "".
func (p Path) LastKey() string {
	for i := len(p) - 1; i >= 0; i-- {
		if s, ok := p[i].(string); ok {
			return s
		}
	}
	return ""
}

func plainKey(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case (r >= '0' && r <= '9') || r == '-':
			if i == 0 && r == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}
