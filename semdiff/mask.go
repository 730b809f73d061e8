package semdiff

import (
	"bytes"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/secret"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
)

// maskString hides a string that looks like a secret under key, or the secrets inside it.
func maskString(key, s string) string {
	if secret.Check(key, s).Verdict != secret.None {
		return secret.Masked
	}
	return secret.MaskText(s)
}

// masked returns a copy of a value with secret-looking strings masked and comments dropped.
func masked(n *yaml.Node, key string) *yaml.Node {
	n = yamlx.Resolve(n)
	if n == nil {
		return nil
	}
	c := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Style: n.Style &^ yaml.FlowStyle, Line: n.Line, Column: n.Column}
	switch n.Kind {
	case yaml.MappingNode:
		for _, kv := range yamlx.Mapping(n) {
			k := kv[0].Value
			c.Content = append(c.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, masked(kv[1], childKey(n, k, key)))
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			c.Content = append(c.Content, masked(it, key))
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" {
			if v := maskString(key, n.Value); v != n.Value {
				c.Value, c.Style = v, 0
			}
		}
	}
	return c
}

// inline formats a scalar for one line: strings plain when they read back as the same string
// (image: a → b), quoted otherwise ("256", "", " x"); other scalars as written.
func inline(n *yaml.Node, key string) string {
	n = yamlx.Resolve(n)
	if n == nil {
		return "(none)"
	}
	if n.ShortTag() != "!!str" {
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return n.Value
	}
	s := maskString(key, n.Value)
	probe := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, "\n\r\t") || probe.ShortTag() != "!!str" ||
		strings.Contains(s, " → ") || strings.HasPrefix(s, "\"") {
		return strconv.Quote(s)
	}
	return s
}

// maxOneLine is the longest a list or mapping may be to be shown on one line.
const maxOneLine = 60

// oneLine formats a value on one line if it fits: a scalar without line breaks, or a short
// list or mapping of such scalars in flow style ([a, b], {cpu: 1}).
func oneLine(n *yaml.Node, key string) (string, bool) {
	n = yamlx.Resolve(n)
	switch {
	case n == nil:
		return "(none)", true
	case n.Kind == yaml.ScalarNode:
		return inline(n, key), !strings.Contains(n.Value, "\n")
	case n.Kind == yaml.SequenceNode:
		items := make([]string, 0, len(n.Content))
		for _, it := range n.Content {
			it = yamlx.Resolve(it)
			if it.Kind != yaml.ScalarNode || strings.Contains(it.Value, "\n") {
				return "", false
			}
			items = append(items, inline(it, key))
		}
		s := "[" + strings.Join(items, ", ") + "]"
		return s, len(s) <= maxOneLine
	case n.Kind == yaml.MappingNode:
		var items []string
		for _, kv := range yamlx.Mapping(n) {
			v := yamlx.Resolve(kv[1])
			if v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "\n") {
				return "", false
			}
			items = append(items, inline(kv[0], "")+": "+inline(v, childKey(n, kv[0].Value, key)))
		}
		s := "{" + strings.Join(items, ", ") + "}"
		return s, len(s) <= maxOneLine
	}
	return "", false
}

// block formats a value as YAML lines, secrets masked.
func block(n *yaml.Node, key string) []string {
	m := masked(n, key)
	if m == nil {
		return []string{"null"}
	}
	if m.Kind == yaml.ScalarNode && m.ShortTag() == "!!str" {
		return strings.Split(strings.TrimSuffix(m.Value, "\n"), "\n")
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return []string{"(" + err.Error() + ")"}
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

// plain converts a value to JSON-friendly Go values, secrets masked.
func plain(n *yaml.Node, key string) any {
	m := masked(n, key)
	if m == nil {
		return nil
	}
	v, err := yamlx.Value("", m)
	if err != nil {
		return m.Value
	}
	return v
}
