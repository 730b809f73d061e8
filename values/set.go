package values

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/internal/secret"
	"github.com/wurzel-dev/wurzel/internal/yamlx"
)

// SetKind is the flag a --set style expression came from.
type SetKind string

// The --set flags.
const (
	SetTyped  SetKind = "set"        // true/false, null, decimal integers and {a,b} lists are typed; the rest is text
	SetString SetKind = "set-string" // always text
	SetFile   SetKind = "set-file"   // the content of a file, as text
	SetJSON   SetKind = "set-json"   // a JSON value
)

// maxSetFile caps the file read by --set-file.
const maxSetFile = 1 << 20

// ParseSet parses one --set style expression, PATH=VALUE, into a layer. Unlike Helm, a comma
// does not separate assignments: use one flag per key, so values may contain commas. A
// backslash escapes a dot inside a key: --set 'argo.nodeSelector.kubernetes\.io/arch=arm64'.
func ParseSet(kind SetKind, expr string) (*Layer, error) {
	shown := secret.MaskText(expr)
	if kind == SetJSON || len(shown) > 190 {
		// Name the flag without echoing long or structured values (a --set-file value is a
		// path, and shown).
		if k, _, ok := strings.Cut(expr, "="); ok {
			shown = k + "=…"
		}
	}
	name := fmt.Sprintf("--%s %s", kind, shown)
	if strings.ContainsFunc(shown, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) {
		// The name appears in messages: no line breaks or terminal escapes in them.
		name = fmt.Sprintf("--%s %s", kind, strconv.Quote(shown))
	}
	fail := func(format string, args ...any) (*Layer, error) {
		return nil, &Error{Pos: Position{File: fmt.Sprintf("--%s", kind)}, Msg: fmt.Sprintf("%q: ", shown) + fmt.Sprintf(format, args...)}
	}
	rawKey, raw, ok := strings.Cut(expr, "=")
	if !ok {
		return fail("want PATH=VALUE, for example argo.namespace=prod")
	}
	// Every output format is text: a value that is not could only fail later, in a template.
	if !utf8.ValidString(rawKey) {
		return fail("the key is not valid UTF-8 text")
	}
	if kind != SetFile && !utf8.ValidString(raw) {
		return fail("the value is not valid UTF-8 text")
	}
	path, err := splitKey(rawKey)
	if err != nil {
		return fail("%v", err)
	}
	var val any
	switch kind {
	case SetTyped:
		val = typed(raw)
	case SetString:
		val = raw
	case SetFile:
		data, err := readSetFile(raw)
		if err != nil {
			return fail("%v", err)
		}
		if !utf8.Valid(data) {
			return fail("%s is not valid UTF-8 text", raw)
		}
		val = string(data)
	case SetJSON:
		v, err := parseJSON(raw)
		if err != nil {
			return fail("invalid JSON: %v", err)
		}
		val = v
	default:
		return fail("unknown kind %q", kind)
	}
	l := &Layer{Kind: Set, Name: name, Values: Values{}, Positions: map[string]Position{}}
	cur := map[string]any(l.Values)
	for i, seg := range path {
		l.Positions[path[:i+1].key()] = Position{File: name}
		if i == len(path)-1 {
			cur[seg] = val
			break
		}
		next := map[string]any{}
		cur[seg] = next
		cur = next
	}
	if m, ok := val.(map[string]any); ok { // --set-json objects: every key is set by this flag
		for _, p := range Leaves(m) {
			for j := range p {
				l.Positions[append(append(Path{}, path...), p[:j+1]...).key()] = Position{File: name}
			}
		}
	}
	return l, nil
}

// splitKey splits a dotted key with \. escapes.
func splitKey(s string) (Path, error) {
	if s == "" {
		return nil, errors.New("empty key")
	}
	var path Path
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '.':
			cur.WriteByte('.')
			i++
		case c == '.':
			if cur.Len() == 0 {
				return nil, errors.New("empty key segment (two dots, or a dot at an end)")
			}
			path = append(path, cur.String())
			cur.Reset()
		case c == '[' || c == ']':
			return nil, errors.New("list indexes are not supported: lists are replaced whole; use key={a,b} or --set-json 'key=[...]'")
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() == 0 {
		return nil, errors.New("empty key segment (two dots, or a dot at an end)")
	}
	return append(path, cur.String()), nil
}

// typed gives --set values their Helm types: booleans, null, decimal integers, {a,b} lists
// ({{…}} stays text: it is a template expression, not a list).
func typed(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if isDecimal(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' && !strings.HasPrefix(s, "{{") {
		inner := s[1 : len(s)-1]
		if inner == "" {
			return []any{}
		}
		var list []any
		for _, item := range strings.Split(inner, ",") {
			list = append(list, typed(item))
		}
		return list
	}
	return s
}

// isDecimal accepts -?[1-9][0-9]* and 0: no leading zeros, signs or underscores.
func isDecimal(s string) bool {
	t := strings.TrimPrefix(s, "-")
	if t == "" || (len(t) > 1 && t[0] == '0') {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func readSetFile(path string) ([]byte, error) {
	f, err := yamlx.OpenRegular(path)
	if errors.Is(err, yamlx.ErrNotRegular) {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return yamlx.ReadAll(f, path, maxSetFile)
}

// parseJSON decodes JSON keeping integers as int64 and rejecting duplicate keys.
func parseJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := jsonValue(dec, 0)
	if errors.Is(err, io.EOF) {
		return nil, io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// jsonValue reads one JSON value, nested at most as deep as a values file may be.
func jsonValue(dec *json.Decoder, depth int) (any, error) {
	if depth > yamlx.DefaultLimits.MaxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", yamlx.DefaultLimits.MaxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("duplicate key %q", k)
				}
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m[k] = v
			}
			_, err := dec.Token()
			return m, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
	case json.Number:
		if i, err := t.Int64(); err == nil && !bytes.ContainsAny([]byte(t), ".eE") {
			return i, nil
		}
		f, err := t.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %s out of range", t)
		}
		return f, nil
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// ParsePath parses a dotted key path as --set does (a backslash escapes a dot).
func ParsePath(s string) (Path, error) { return splitKey(s) }
