package lint

import (
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
	"github.com/wurzel-dev/wurzel/semdiff"
)

func resolve(n *yaml.Node) *yaml.Node { return yamlx.Resolve(n) }

// mapping returns the key/value pairs of a mapping node (merge keys resolved); nothing for
// nil or other nodes.
func mapping(n *yaml.Node) [][2]*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return yamlx.Mapping(n)
}

// field returns the value of key in a mapping node, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for _, kv := range mapping(n) {
		if kv[0].Value == key {
			return resolve(kv[1])
		}
	}
	return nil
}

// scalarAt returns the scalar value of key in a mapping node, or "".
func scalarAt(n *yaml.Node, key string) string {
	if v := field(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// locate follows JSON pointer tokens into a document and returns the typed path (list
// indexes as numbers) and the line of the deepest key or item found.
func locate(doc *yaml.Node, tokens []string) (semdiff.Path, int) {
	n := resolve(doc)
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = resolve(n.Content[0])
	}
	p := make(semdiff.Path, 0, len(tokens))
	line := 0
	if n != nil {
		line = n.Line
	}
	for _, t := range tokens {
		if n == nil {
			p = append(p, t)
			continue
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for _, kv := range mapping(n) {
				if kv[0].Value == t {
					line, next = kv[0].Line, resolve(kv[1])
					break
				}
			}
			p = append(p, t)
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(n.Content) {
				p = append(p, t)
				n = nil
				continue
			}
			p = append(p, i)
			n = resolve(n.Content[i])
			line = n.Line
		default:
			p = append(p, t)
			n = nil
		}
	}
	return p, line
}

// walkStrings calls fn for every string scalar of a YAML tree with its path and the name it
// goes by: the mapping key, or for {name: X, value: Y} items (Kubernetes env) the name X.
func walkStrings(n *yaml.Node, p semdiff.Path, key string, fn func(p semdiff.Path, key string, v *yaml.Node)) {
	n = resolve(n)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkStrings(c, p, key, fn)
		}
	case yaml.MappingNode:
		name := scalarAt(n, "name")
		for _, kv := range mapping(n) {
			k := kv[0].Value
			childKey := k
			switch {
			case k == "value" && name != "":
				childKey = name // {name: X, value: Y}: Kubernetes env
			case k == "value" && key != "":
				childKey = key // X: {value: Y}: GitLab variables
			}
			walkStrings(kv[1], p.Key(k), childKey, fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkStrings(c, p.Index(i), key, fn)
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" {
			fn(p, key, n)
		}
	}
}
