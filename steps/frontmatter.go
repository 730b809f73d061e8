package steps

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// frontMatter is what a markdown file's YAML header may set.
type frontMatter struct {
	URL, Keywords *string
	Metadata      map[string]any
}

// maxFrontMatterNodes bounds the values a front matter may produce, aliases expanded.
const maxFrontMatterNodes = 10000

// parseMarkdownFile splits a markdown file into its front matter and body, as Python
// Wurzel's MarkdownDataContract.from_file does: line ends normalized to "\n" (Python reads
// text with universal newlines), an optional header between a first line "---" and the next
// line "---", and the body starting at the first non-space character after it. Without a
// closing line the whole file is the body. name is used in errors, which give the line:
// "docs/a.md:3: front matter: keywords: want a string, got a list".
func parseMarkdownFile(name string, src []byte) (frontMatter, string, error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if !utf8.Valid(src) {
		off := invalidUTF8Offset(src)
		line := 1 + bytes.Count(src[:off], []byte{'\n'})
		return frontMatter{}, "", fmt.Errorf("%s:%d: not valid UTF-8 (byte %d); save the file as UTF-8", name, line, off)
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	first, rest, ok := strings.Cut(text, "\n")
	if !ok || strings.TrimRightFunc(first, unicode.IsSpace) != "---" {
		return frontMatter{}, text, nil
	}
	var yamlLines []string
	for {
		line, more, found := strings.Cut(rest, "\n")
		if strings.HasPrefix(line, "---") && strings.TrimRightFunc(line, unicode.IsSpace) == "---" {
			body := strings.TrimLeftFunc(more, unicode.IsSpace)
			fm, err := decodeFrontMatter(name, strings.Join(yamlLines, "\n"))
			return fm, body, err
		}
		if !found {
			return frontMatter{}, text, nil // no closing line: no front matter, as in Python
		}
		yamlLines = append(yamlLines, line)
		rest = more
	}
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && w == 1 {
			return i
		}
		i += w
	}
	return len(b)
}

// yamlLineRE finds the line in a go-yaml error message.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlParserErrors are the go-yaml messages that come from its parser (not its scanner).
var yamlParserErrors = map[string]bool{
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
}

// decodeFrontMatter reads the YAML between the markers; its first line is line 2 of the file.
func decodeFrontMatter(name, src string) (frontMatter, error) {
	const firstLine = 2
	errorf := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: front matter: %s", name, firstLine+line-1, fmt.Sprintf(format, args...))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = err.Error()[len(m[0]):]
			if yamlParserErrors[msg] {
				line++ // go-yaml reports parser errors with a 0-based line
			}
		}
		return frontMatter{}, errorf(line, "%s", msg)
	}
	var fm frontMatter
	if doc.Kind == 0 || len(doc.Content) == 0 { // empty or only comments
		return fm, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if root.Tag == "!!null" {
			return fm, nil
		}
		return fm, errorf(root.Line, "want a mapping of keys (url, keywords, metadata), got %s", yamlKind(root))
	}
	c := &yamlConverter{errorf: errorf}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
			return fm, errorf(k.Line, "key %s is %s; keys must be strings", k.Value, yamlKind(k))
		}
		if prev, dup := seen[key]; dup {
			return fm, errorf(k.Line, "key %q already defined at line %d", key, firstLine+prev-1)
		}
		seen[key] = k.Line
		switch key {
		case "url", "keywords":
			n := resolveAlias(v)
			if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
				hint := ""
				if key == "keywords" && n.Kind == yaml.SequenceNode {
					hint = ` (write keywords as one comma-separated string: "a,b")`
				} else if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
					hint = " (quote it)"
				}
				return fm, errorf(v.Line, "%s: want a string, got %s%s", key, yamlKind(n), hint)
			}
			s := n.Value
			if key == "url" {
				fm.URL = &s
			} else {
				fm.Keywords = &s
			}
		case "metadata":
			val, err := c.value(v, 0)
			if err != nil {
				return fm, err
			}
			switch m := val.(type) {
			case nil:
			case map[string]any:
				fm.Metadata = m
			default:
				return fm, errorf(v.Line, "metadata: want a mapping, got %s", yamlKind(resolveAlias(v)))
			}
		}
		// Other keys (title, date, tags, ...) are ignored, as in Python Wurzel.
	}
	return fm, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!int":
		return "an integer"
	case "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!timestamp":
		return "a date"
	case "!!str":
		return "a string"
	}
	return "a value tagged " + n.Tag
}

type yamlConverter struct {
	errorf func(line int, format string, args ...any) error
	nodes  int
}

// value converts a YAML node to a JSON-compatible value: string, int64, float64, bool,
// nil, []any or map[string]any. Dates stay strings (JSON has no date type).
func (c *yamlConverter) value(n *yaml.Node, depth int) (any, error) {
	if c.nodes++; c.nodes > maxFrontMatterNodes {
		return nil, c.errorf(n.Line, "more than %d values (aliases expanded)", maxFrontMatterNodes)
	}
	if depth > maxJSONDepth {
		return nil, c.errorf(n.Line, "nested deeper than %d levels", maxJSONDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, c.errorf(n.Line, "unknown alias *%s", n.Value)
		}
		return c.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
				if k.Tag == "!!merge" {
					return nil, c.errorf(k.Line, "merge keys (<<) are not supported")
				}
				return nil, c.errorf(k.Line, "key %s is %s; keys must be strings (quote it)", k.Value, yamlKind(k))
			}
			if _, dup := out[k.Value]; dup {
				return nil, c.errorf(k.Line, "key %q appears twice", k.Value)
			}
			v, err := c.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	}
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, c.errorf(n.Line, "%v", err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, c.errorf(n.Line, "integer %s is out of range", n.Value)
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, c.errorf(n.Line, "%s cannot be stored in a documents file (JSON has no NaN or infinity)", n.Value)
		}
		return f, nil
	case "!!str", "!!timestamp":
		return n.Value, nil
	}
	return nil, c.errorf(n.Line, "values tagged %s are not supported", n.Tag)
}
