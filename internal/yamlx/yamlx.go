// Package yamlx reads YAML strictly and keeps positions, for pipeline and values files.
//
// A file must hold exactly one document whose top level is a mapping (an empty file is an
// empty mapping). Keys are strings and unique; the only tags accepted are the core schema's
// (!!str !!int !!float !!bool !!null !!map !!seq, plus implicit timestamps, which stay strings);
// anchors and aliases work, and merge keys (<<) merge mappings, within a budget on the number of
// nodes produced, so that a small file cannot expand into a huge one. Size and depth are capped
// before and while parsing.
package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits bound what a file may cost to read.
type Limits struct {
	MaxBytes int64 // file size
	MaxDepth int   // nesting of mappings and sequences
	MaxNodes int   // nodes produced, aliases expanded
}

// DefaultLimits fit any honest pipeline or values file with a wide margin.
var DefaultLimits = Limits{MaxBytes: 4 << 20, MaxDepth: 64, MaxNodes: 1 << 20}

// Error is a problem at a position of a named file.
type Error struct {
	File string
	Line int // 0 when unknown
	Col  int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
}

// Errorf returns an *Error at n's position in file.
func Errorf(file string, n *yaml.Node, format string, args ...any) *Error {
	e := &Error{File: file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	return e
}

// ErrNotRegular is returned by OpenRegular for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens path for reading when it is a regular file (symlinks are followed).
// It checks before opening, because opening a FIFO blocks until a writer comes (and
// /dev/zero never ends), and again on the open file, in case the path changed in between.
func OpenRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			pe.Op = "open" // the error reads as for os.Open
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, ErrNotRegular
	}
	return f, nil
}

// ReadAll reads r, refusing more than max bytes.
func ReadAll(r io.Reader, name string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is larger than %d bytes; is it the right file?", max)}
	}
	return data, nil
}

// Parse parses data (named file in errors) into the mapping node of its single document.
// An empty or comment-only file gives an empty mapping node.
func Parse(data []byte, file string, lim Limits) (*yaml.Node, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, &Error{File: file, Msg: fmt.Sprintf("file is larger than %d bytes", lim.MaxBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, parseError(file, err)
		}
		docs = append(docs, &doc)
	}
	switch len(docs) {
	case 0:
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}, nil
	case 1:
	default:
		return nil, Errorf(file, docs[1], "file holds %d YAML documents; expected one (remove the '---' separators or split the file)", len(docs))
	}
	root := docs[0]
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}, nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errorf(file, root, "top level must be a mapping of keys to values, not %s", kindName(root))
	}
	c := checker{file: file, lim: lim}
	if err := c.check(root, 0); err != nil {
		return nil, err
	}
	return root, nil
}

// parseError turns a yaml.v3 error ("yaml: line 3: ...") into an *Error.
func parseError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		err = errors.New(te.Errors[0])
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, after, ok := strings.Cut(rest, ":"); ok {
			if l, convErr := strconv.Atoi(n); convErr == nil {
				line, msg = l, strings.TrimSpace(after)
			}
		}
	}
	return &Error{File: file, Line: line, Msg: msg}
}

// checker validates a parsed tree: keys, tags, duplicates, depth and expansion budget.
type checker struct {
	file  string
	lim   Limits
	nodes int
}

func (c *checker) check(n *yaml.Node, depth int) error {
	c.nodes++
	if c.nodes > c.lim.MaxNodes {
		return Errorf(c.file, n, "file expands to more than %d nodes (too many keys, or aliases that multiply)", c.lim.MaxNodes)
	}
	if depth > c.lim.MaxDepth {
		return Errorf(c.file, n, "nesting deeper than %d levels", c.lim.MaxDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return Errorf(c.file, n, "unknown alias *%s", n.Value)
		}
		return c.check(n.Alias, depth+1)
	case yaml.ScalarNode:
		if err := c.checkTag(n); err != nil {
			return err
		}
	case yaml.SequenceNode:
		if err := c.checkTag(n); err != nil {
			return err
		}
		for _, item := range n.Content {
			if err := c.check(item, depth+1); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		if err := c.checkTag(n); err != nil {
			return err
		}
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
				if err := c.checkMerge(v, depth); err != nil {
					return err
				}
				continue
			}
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.ShortTag() != "!!str") {
				return Errorf(c.file, k, "key %s is %s: keys must be strings (quote it: \"%s\")", describe(k), kindName(k), k.Value)
			}
			if first, dup := seen[k.Value]; dup {
				return Errorf(c.file, k, "mapping key %q already defined at line %d", k.Value, first)
			}
			seen[k.Value] = k.Line
			if err := c.check(v, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *checker) checkMerge(v *yaml.Node, depth int) error {
	target := v
	if target.Kind == yaml.AliasNode {
		target = target.Alias
	}
	switch {
	case target != nil && target.Kind == yaml.MappingNode:
		return c.check(v, depth+1)
	case target != nil && target.Kind == yaml.SequenceNode:
		for _, item := range target.Content {
			t := item
			if t.Kind == yaml.AliasNode {
				t = t.Alias
			}
			if t == nil || t.Kind != yaml.MappingNode {
				return Errorf(c.file, item, "merge key (<<) takes a mapping or a list of mappings")
			}
		}
		return c.check(v, depth+1)
	}
	return Errorf(c.file, v, "merge key (<<) takes a mapping or a list of mappings")
}

var coreTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true,
	"!!map": true, "!!seq": true, "!!timestamp": true, "!!merge": true,
}

func (c *checker) checkTag(n *yaml.Node) error {
	tag := n.ShortTag()
	if !coreTags[tag] {
		return Errorf(c.file, n, "tag %s is not allowed; only plain YAML values are (remove the tag or quote the value)", n.Tag)
	}
	if tag == "!!timestamp" && n.Style&yaml.TaggedStyle != 0 {
		return Errorf(c.file, n, "tag %s is not allowed; write the date as a string", n.Tag)
	}
	return nil
}

// Mapping iterates over a mapping node's key/value pairs with merge keys resolved: explicit
// keys win over merged ones, and earlier merge sources win over later ones, as in YAML 1.1.
func Mapping(n *yaml.Node) [][2]*yaml.Node {
	n = Resolve(n)
	var pairs [][2]*yaml.Node
	explicit := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag != "!!merge" {
			explicit[n.Content[i].Value] = true
		}
	}
	merged := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag != "!!merge" {
			pairs = append(pairs, [2]*yaml.Node{k, v})
			continue
		}
		var sources []*yaml.Node
		if r := Resolve(v); r.Kind == yaml.SequenceNode {
			sources = r.Content
		} else {
			sources = []*yaml.Node{v}
		}
		for _, src := range sources {
			for _, p := range Mapping(src) {
				key := p[0].Value
				if explicit[key] || merged[key] {
					continue
				}
				merged[key] = true
				pairs = append(pairs, p)
			}
		}
	}
	return pairs
}

// Resolve follows aliases.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// Value converts a checked node into plain Go values: map[string]any, []any, string, int64,
// float64, bool or nil. Timestamps stay strings; integers that do not fit int64 are errors.
func Value(file string, n *yaml.Node) (any, error) {
	return Convert(n, func(n *yaml.Node) (any, error) {
		if n.Kind != yaml.ScalarNode {
			return nil, Errorf(file, n, "unexpected YAML node")
		}
		return Scalar(file, n)
	})
}

// Convert converts a checked node into plain Go values: a mapping into map[string]any, a
// sequence into []any, a document into its content (nil when empty), aliases into what
// they name, and every other node by scalar.
func Convert(n *yaml.Node, scalar func(*yaml.Node) (any, error)) (any, error) {
	n = Resolve(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return Convert(n.Content[0], scalar)
	case yaml.MappingNode:
		pairs := Mapping(n)
		m := make(map[string]any, len(pairs))
		for _, p := range pairs {
			v, err := Convert(p[1], scalar)
			if err != nil {
				return nil, err
			}
			m[p[0].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := Convert(item, scalar)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	return scalar(n)
}

// Scalar converts a scalar node as Value does.
func Scalar(file string, n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, Errorf(file, n, "invalid boolean %q", n.Value)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, Errorf(file, n, "integer %s does not fit in 64 bits; quote it if it is text", n.Value)
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, Errorf(file, n, "invalid number %q", n.Value)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, Errorf(file, n, "%s is not a finite number; quote it if it is text", n.Value)
		}
		return f, nil
	default: // !!str, !!timestamp
		return n.Value, nil
	}
}

func kindName(n *yaml.Node) string {
	switch Resolve(n).Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		}
		return "a string"
	}
	return "an alias"
}

// KindName describes a node's kind for error messages: "a mapping", "a list", "an integer"….
func KindName(n *yaml.Node) string { return kindName(n) }

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return kindName(n)
}

// ParseStream parses a stream of one or more documents (as Kubernetes manifests are written)
// with the same checks as Parse, except that top levels may be any node.
func ParseStream(data []byte, file string, lim Limits) ([]*yaml.Node, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, &Error{File: file, Msg: fmt.Sprintf("file is larger than %d bytes", lim.MaxBytes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	c := checker{file: file, lim: lim}
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, parseError(file, err)
		}
		for _, n := range doc.Content {
			if err := c.check(n, 0); err != nil {
				return nil, err
			}
		}
		docs = append(docs, &doc)
	}
	return docs, nil
}
