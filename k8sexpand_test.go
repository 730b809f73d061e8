package wurzel_test

import (
	"strings"
	"testing"
)

// advK8sExpand is Kubernetes' expansion of $(VAR) in command, args and env values
// (k8s.io/kubernetes third_party/forked/golang/expansion), with every well-formed reference
// treated as defined: it becomes «VAR», so that an unescaped reference shows.
func advK8sExpand(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString("$(")
				i++
				continue
			}
			b.WriteString("«" + s[i+2:i+2+end] + "»")
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

func TestK8sExpand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"$(HOME)", "«HOME»"},
		{"$$(HOME)", "$(HOME)"},
		{"$$$(X)", "$«X»"},
		{"a$", "a$"},
		{"a$$", "a$"},
		{"$(unclosed", "$(unclosed"},
		{"$x ${y}", "$x ${y}"},
	}
	for _, tt := range tests {
		if got := advK8sExpand(tt.in); got != tt.want {
			t.Errorf("advK8sExpand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
