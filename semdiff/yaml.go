package semdiff

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlx"
)

// Kind says what happened at a path.
type Kind string

// The kinds of changes.
const (
	Added     Kind = "added"
	Removed   Kind = "removed"
	Changed   Kind = "changed"
	Reordered Kind = "reordered" // the same list items, in another order
	Moved     Kind = "moved"     // a key moved into a new mapping beside it (From → Path)
)

// Change is one semantic difference between two YAML files.
type Change struct {
	Kind Kind
	// Doc names the document of a multi-document file ("CronJob/demo", "document 2"); it is
	// empty when both files hold one document.
	Doc  string
	Path Path
	// From is where a moved key was.
	From Path
	// Old and New are the values before and after (nil when absent), aliases resolved.
	Old, New *yaml.Node
	// Key is the name a value goes by, for masking: the mapping key, or for {name: X,
	// value: Y} items (Kubernetes env) the name X.
	Key string
}

// Line returns the line of the change in the new file, or in the old one when it was removed.
func (c Change) Line() int {
	if c.New != nil {
		return c.New.Line
	}
	if c.Old != nil {
		return c.Old.Line
	}
	return 0
}

// maxLCS bounds the cells of the longest-common-subsequence table of one list; longer lists
// are compared item by item.
const maxLCS = 1 << 20

// ParseDocuments parses every document of a YAML stream. Comments are kept on the nodes but
// never compared.
func ParseDocuments(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
		}
		root := &doc
		if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
			root = root.Content[0]
		}
		docs = append(docs, root)
	}
}

// YAML compares two YAML streams by meaning: key order, quoting, comments, flow or block
// style and anchors do not count; values compare by type and value (256 and "256" differ).
// Lists whose items all have a unique name (or id) are matched by it; other lists by their
// longest common subsequence, so that inserting an item reports one addition.
func YAML(old, new []byte) ([]Change, error) {
	a, err := ParseDocuments(old)
	if err != nil {
		return nil, fmt.Errorf("old file: %w", err)
	}
	b, err := ParseDocuments(new)
	if err != nil {
		return nil, fmt.Errorf("new file: %w", err)
	}
	d := &differ{canon: map[*yaml.Node]string{}}
	d.docs(a, b)
	return d.out, nil
}

type differ struct {
	doc   string
	out   []Change
	canon map[*yaml.Node]string
}

func (d *differ) add(c Change) {
	c.Doc = d.doc
	d.out = append(d.out, c)
}

// docs pairs the documents of two streams: by apiVersion, kind, namespace and name when every
// document has them (Kubernetes manifests), else by position.
func (d *differ) docs(a, b []*yaml.Node) {
	if len(a) == 1 && len(b) == 1 {
		d.node(nil, "", a[0], b[0])
		return
	}
	ida, idb := docIDs(a), docIDs(b)
	if ida != nil && idb != nil {
		done := map[string]bool{}
		for j, nb := range b {
			id := idb[j]
			d.doc = docLabel(nb, j)
			if i := indexOf(ida, id); i >= 0 {
				d.node(nil, "", a[i], nb)
			} else {
				d.add(Change{Kind: Added, New: nb})
			}
			done[id] = true
		}
		for i, na := range a {
			if !done[ida[i]] {
				d.doc = docLabel(na, i)
				d.add(Change{Kind: Removed, Old: na})
			}
		}
		d.doc = ""
		return
	}
	for i := 0; i < len(a) || i < len(b); i++ {
		d.doc = "document " + strconv.Itoa(i+1)
		switch {
		case i >= len(a):
			d.add(Change{Kind: Added, New: b[i]})
		case i >= len(b):
			d.add(Change{Kind: Removed, Old: a[i]})
		default:
			d.node(nil, "", a[i], b[i])
		}
	}
	d.doc = ""
}

// docIDs returns each document's Kubernetes identity, or nil when one has none or two share one.
func docIDs(docs []*yaml.Node) []string {
	ids := make([]string, len(docs))
	seen := map[string]bool{}
	for i, n := range docs {
		api, kind := scalarAt(n, "apiVersion"), scalarAt(n, "kind")
		meta := field(n, "metadata")
		name := scalarAt(meta, "name")
		if name == "" {
			name = scalarAt(meta, "generateName")
		}
		if api == "" || kind == "" || name == "" {
			return nil
		}
		id := api + "\x00" + kind + "\x00" + scalarAt(meta, "namespace") + "\x00" + name
		if seen[id] {
			return nil
		}
		seen[id] = true
		ids[i] = id
	}
	return ids
}

func docLabel(n *yaml.Node, i int) string {
	kind, meta := scalarAt(n, "kind"), field(n, "metadata")
	name := scalarAt(meta, "name")
	if name == "" {
		name = scalarAt(meta, "generateName")
	}
	if kind != "" && name != "" {
		return kind + "/" + name
	}
	return "document " + strconv.Itoa(i+1)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// field returns the value of key in a mapping node, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	n = yamlx.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for _, kv := range yamlx.Mapping(n) {
		if kv[0].Value == key {
			return yamlx.Resolve(kv[1])
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

// node compares two values at path p; key is the name the value goes by.
func (d *differ) node(p Path, key string, a, b *yaml.Node) {
	a, b = yamlx.Resolve(a), yamlx.Resolve(b)
	if d.equal(a, b) {
		return
	}
	if a.Kind != b.Kind || a.Kind == yaml.ScalarNode {
		d.add(Change{Kind: Changed, Path: p, Old: a, New: b, Key: key})
		return
	}
	switch a.Kind {
	case yaml.MappingNode:
		d.mapping(p, key, a, b)
	case yaml.SequenceNode:
		d.sequence(p, key, a.Content, b.Content)
	default:
		d.add(Change{Kind: Changed, Path: p, Old: a, New: b, Key: key})
	}
}

func (d *differ) mapping(p Path, key string, a, b *yaml.Node) {
	pa, pb := yamlx.Mapping(a), yamlx.Mapping(b)
	old := make(map[string]*yaml.Node, len(pa))
	for _, kv := range pa {
		old[kv[0].Value] = kv[1]
	}
	inB := map[string]bool{}
	for _, kv := range pb {
		inB[kv[0].Value] = true
	}
	removed := map[string]bool{}
	for _, kv := range pa {
		if !inB[kv[0].Value] {
			removed[kv[0].Value] = true
		}
	}
	for _, kv := range pb {
		k := kv[0].Value
		name := childKey(b, k, key)
		if ov, ok := old[k]; ok {
			d.node(p.Key(k), name, ov, kv[1])
			continue
		}
		if d.moved(p, k, yamlx.Resolve(kv[1]), old, removed) {
			continue
		}
		d.add(Change{Kind: Added, Path: p.Key(k), New: yamlx.Resolve(kv[1]), Key: name})
	}
	for _, kv := range pa {
		if k := kv[0].Value; removed[k] {
			d.add(Change{Kind: Removed, Path: p.Key(k), Old: yamlx.Resolve(kv[1]), Key: childKey(a, k, key)})
		}
	}
}

// moved handles a new mapping k that takes over keys removed beside it (an Argo Workflow's
// spec moving into a CronWorkflow's spec.workflowSpec): when at least two of its keys and
// half of them were removed from the parent, each is reported as moved and compared with
// its old value. It marks the keys it used as no longer removed.
func (d *differ) moved(p Path, k string, v *yaml.Node, old map[string]*yaml.Node, removed map[string]bool) bool {
	if v.Kind != yaml.MappingNode {
		return false
	}
	inner := yamlx.Mapping(v)
	n := 0
	for _, kv := range inner {
		if removed[kv[0].Value] {
			n++
		}
	}
	if n < 2 || 2*n < len(inner) {
		return false
	}
	dst := p.Key(k)
	for _, kv := range inner {
		ik := kv[0].Value
		if !removed[ik] {
			d.add(Change{Kind: Added, Path: dst.Key(ik), New: yamlx.Resolve(kv[1]), Key: childKey(v, ik, k)})
			continue
		}
		removed[ik] = false
		d.add(Change{Kind: Moved, Path: dst.Key(ik), From: p.Key(ik), Key: ik})
		d.node(dst.Key(ik), childKey(v, ik, k), old[ik], kv[1])
	}
	return true
}

// childKey is the name the value of key in mapping m goes by: the key, except for "value",
// which goes by the item's name ({name: X, value: Y}, Kubernetes env) or else by the name
// of the mapping itself (X: {value: Y, expand: false}, GitLab variables).
func childKey(m *yaml.Node, key, parent string) string {
	if key == "value" {
		if name := scalarAt(m, "name"); name != "" {
			return name
		}
		if parent != "" {
			return parent
		}
	}
	return key
}

// identityKeys are the fields that name list items, tried in order.
var identityKeys = []string{"name", "id"}

// identity returns the field that names every item of both lists uniquely, or "".
func identity(a, b []*yaml.Node) string {
	if len(a) == 0 || len(b) == 0 {
		return ""
	}
next:
	for _, k := range identityKeys {
		for _, list := range [][]*yaml.Node{a, b} {
			seen := map[string]bool{}
			for _, it := range list {
				v := scalarAt(it, k)
				if v == "" || seen[v] {
					continue next
				}
				seen[v] = true
			}
		}
		return k
	}
	return ""
}

func (d *differ) sequence(p Path, key string, a, b []*yaml.Node) {
	if k := identity(a, b); k != "" {
		d.keyed(p, key, k, a, b)
		return
	}
	pairs := d.lcs(a, b)
	i, j := 0, 0
	for _, m := range append(pairs, [2]int{len(a), len(b)}) {
		// The gap before the match: pair items up, then report the rest.
		for i < m[0] && j < m[1] {
			d.node(p.Index(j), key, a[i], b[j])
			i++
			j++
		}
		for ; j < m[1]; j++ {
			d.add(Change{Kind: Added, Path: p.Index(j), New: yamlx.Resolve(b[j]), Key: key})
		}
		for ; i < m[0]; i++ {
			d.add(Change{Kind: Removed, Path: p.Index(i), Old: yamlx.Resolve(a[i]), Key: key})
		}
		i, j = m[0]+1, m[1]+1
	}
}

// keyed compares lists whose items are named by field k.
func (d *differ) keyed(p Path, key, k string, a, b []*yaml.Node) {
	old := map[string]int{}
	for i, it := range a {
		old[scalarAt(it, k)] = i
	}
	seen := map[string]bool{}
	last, moved := -1, false
	for j, it := range b {
		name := scalarAt(it, k)
		seen[name] = true
		i, ok := old[name]
		if !ok {
			d.add(Change{Kind: Added, Path: p.Index(j), New: yamlx.Resolve(it), Key: key})
			continue
		}
		if i < last {
			moved = true
		}
		last = i
		d.node(p.Index(j), key, a[i], it)
	}
	for i, it := range a {
		if !seen[scalarAt(it, k)] {
			d.add(Change{Kind: Removed, Path: p.Index(i), Old: yamlx.Resolve(it), Key: key})
		}
	}
	if moved {
		d.add(Change{Kind: Reordered, Path: p, Key: key})
	}
}

// lcs returns the index pairs of a longest common subsequence of equal items.
func (d *differ) lcs(a, b []*yaml.Node) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	if n*m > maxLCS {
		return nil // compared item by item
	}
	ca, cb := make([]string, n), make([]string, m)
	for i := range a {
		ca[i] = d.key(a[i])
	}
	for j := range b {
		cb[j] = d.key(b[j])
	}
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ca[i] == cb[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case ca[i] == cb[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

func (d *differ) equal(a, b *yaml.Node) bool { return d.key(a) == d.key(b) }

// key identifies a value by its meaning: a hash over mappings with sorted keys, lists in
// order and scalars by type and value, built from the children's keys (each computed once).
func (d *differ) key(n *yaml.Node) string {
	n = yamlx.Resolve(n)
	if n == nil {
		return "~"
	}
	if k, ok := d.canon[n]; ok {
		return k
	}
	h := fnv.New128a()
	switch n.Kind {
	case yaml.MappingNode:
		pairs := yamlx.Mapping(n)
		sort.Slice(pairs, func(i, j int) bool { return pairs[i][0].Value < pairs[j][0].Value })
		h.Write([]byte{'{'})
		for _, kv := range pairs {
			fmt.Fprintf(h, "%d:%s", len(kv[0].Value), kv[0].Value)
			h.Write([]byte(d.key(kv[1])))
		}
	case yaml.SequenceNode:
		h.Write([]byte{'['})
		for _, c := range n.Content {
			h.Write([]byte(d.key(c)))
		}
	case yaml.ScalarNode:
		h.Write([]byte{'='})
		h.Write([]byte(scalarKey(n)))
	default:
		h.Write([]byte{'?'})
	}
	k := string(h.Sum(nil))
	d.canon[n] = k
	return k
}

// scalarKey is a scalar's type and value: 0x10 and 16 are the same integer, '-o' and -o the
// same string, but 256 and "256" differ.
func scalarKey(n *yaml.Node) string {
	tag := n.ShortTag()
	switch tag {
	case "!!null":
		return "null"
	case "!!bool", "!!int", "!!float":
		if v, err := yamlx.Scalar("", n); err == nil {
			return fmt.Sprintf("%s:%v", tag, v)
		}
	}
	return tag + ":" + strconv.Quote(n.Value)
}
