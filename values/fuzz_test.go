package values

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Seeds for the values fuzz targets; testdata/fuzz/<target>/ holds more, and every `go test`
// replays all of them.
var fuzzValuesSeeds = []string{
	"argo:\n  namespace: prod\n  retries: 3\n",
	"a: {b: [1, 2, {c: null}]}\n",
	"dvc:\n  mypipeline:\n    encapsulateEnv: true\n",
	"x: &a {y: 1}\nz: *a\n",
	"k: 'yes'\nn: 0755\nf: 1.5e3\nb: on\n",
	"a: 1\na: 2\n",
	"- a\n- b\n",
	"? [a]\n: b\n",
	"a: !!binary aGVsbG8=\n",
	"---\na: 1\n---\nb: 2\n",
	"",
}

// FuzzParse feeds arbitrary bytes to the values parser. A parse either fails with a values
// error naming the input, or gives a tree that YAML-encodes and parses back to itself, with
// a position for every key.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzValuesSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data, "values.yaml", File)
		if err != nil {
			if !IsInvalid(err) {
				t.Fatalf("error is not a values error: %T %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "values.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, p := range Leaves(l.Values) {
			for i := 1; i <= len(p); i++ {
				if pos, ok := l.Positions[p[:i].key()]; !ok || pos.Line <= 0 {
					t.Fatalf("no position for %s (leaf %s)", p[:i], p)
				}
			}
		}
		out, err := yaml.Marshal(map[string]any(l.Values))
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := Parse(out, "again.yaml", File)
		if err != nil {
			if int64(len(out)) > 4<<20 {
				return // aliases expanded past the size limit: a fair refusal
			}
			t.Fatalf("re-encoded values do not parse: %v\n%s", err, out)
		}
		if !sameTree(l.Values, again.Values) {
			t.Fatalf("round trip changed the values:\n%#v\n%#v", l.Values, again.Values)
		}
	})
}

// FuzzMerge merges two parsed layers and checks Helm's rules: the upper layer's scalars and
// lists win, its nulls delete, the lower layer's other keys survive, and neither input is
// changed.
func FuzzMerge(f *testing.F) {
	for i, a := range fuzzValuesSeeds {
		f.Add([]byte(a), []byte(fuzzValuesSeeds[(i+1)%len(fuzzValuesSeeds)]))
	}
	f.Add([]byte("a: {b: 1, c: 2}\n"), []byte("a: {b: null, d: [x]}\n"))
	f.Add([]byte("a: [1, 2]\n"), []byte("a: {b: 1}\n"))
	f.Fuzz(func(t *testing.T, lower, upper []byte) {
		lo, err := Parse(lower, "lower.yaml", File)
		if err != nil {
			return
		}
		up, err := Parse(upper, "upper.yaml", File)
		if err != nil {
			return
		}
		loBefore, upBefore := Copy(map[string]any(lo.Values)), Copy(map[string]any(up.Values))
		got := Merge(lo.Values, up.Values)
		if !sameTree(loBefore, map[string]any(lo.Values)) || !sameTree(upBefore, map[string]any(up.Values)) {
			t.Fatal("Merge changed an input")
		}
		checkMerged(t, nil, lo.Values, up.Values, got)
		if !sameTree(map[string]any(got), map[string]any(Merge(lo.Values, up.Values))) {
			t.Fatal("two merges of the same layers differ")
		}
		// The result shares nothing with the inputs: changing it leaves them alone.
		scribble(got)
		if !sameTree(loBefore, map[string]any(lo.Values)) || !sameTree(upBefore, map[string]any(up.Values)) {
			t.Fatal("the merged tree shares memory with an input")
		}
		// Stack.Merge agrees with Merge whenever no layer changes a value's type.
		s := &Stack{Layers: []*Layer{lo, up}}
		if sm, err := s.Merge(); err == nil && !sameTree(map[string]any(sm), map[string]any(Merge(lo.Values, up.Values))) {
			t.Fatal("Stack.Merge and Merge disagree")
		}
	})
}

// checkMerged checks one level of a merge of lo under up into got.
func checkMerged(t *testing.T, p Path, lo, up, got map[string]any) {
	t.Helper()
	for k, uv := range up {
		gv, ok := got[k]
		switch um, isMap := asMap(uv); {
		case uv == nil:
			if ok {
				t.Fatalf("%s: null in the upper layer did not delete the key", p.child(k))
			}
		case isMap:
			gm, gok := asMap(gv)
			if !gok {
				t.Fatalf("%s: a mapping in the upper layer gave %T", p.child(k), gv)
			}
			lm, _ := asMap(lo[k])
			checkMerged(t, p.child(k), lm, um, gm)
		default:
			if !ok || !sameTree(uv, gv) {
				t.Fatalf("%s: upper %#v did not replace the value (got %#v)", p.child(k), uv, gv)
			}
		}
	}
	for k, lv := range lo {
		if _, set := up[k]; set || lv == nil {
			continue
		}
		if gv := got[k]; !sameTree(dropNulls(lv), gv) {
			t.Fatalf("%s: lower value %#v lost (got %#v)", p.child(k), lv, gv)
		}
	}
}

// dropNulls removes null entries of mappings, as a merge into an empty tree does.
func dropNulls(v any) any {
	m, ok := asMap(v)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, x := range m {
		if x != nil {
			out[k] = dropNulls(x)
		}
	}
	return out
}

// scribble overwrites every scalar and list element of a tree in place.
func scribble(v any) {
	switch x := v.(type) {
	case Values:
		scribble(map[string]any(x))
	case map[string]any:
		for k, e := range x {
			switch e.(type) {
			case map[string]any, Values, []any:
				scribble(e)
			default:
				x[k] = "scribbled"
			}
		}
	case []any:
		for i, e := range x {
			switch e.(type) {
			case map[string]any, Values, []any:
				scribble(e)
			default:
				x[i] = "scribbled"
			}
		}
	}
}

// FuzzParseSet checks --set parsing: every kind either refuses the expression with an error
// that names the flag, or sets exactly the path written, with the value written (as text for
// --set-string).
func FuzzParseSet(f *testing.F) {
	for _, s := range []string{
		"argo.namespace=prod", "a.b\\.c=1", "x={a,b,3}", "x={{ .Values.y }}", "a=null",
		"a=", "=v", "a..b=1", "a[0]=1", "k=v=w", "a.b=true", "n=-12", "n=007", "j={\"a\":[1,{\"b\":null}]}",
		"a=\xff", "\xff=a", "a.b=c,d",
	} {
		for _, kind := range []string{"set", "set-string", "set-json"} {
			f.Add(kind, s)
		}
	}
	f.Fuzz(func(t *testing.T, kind, expr string) {
		k := SetKind(kind)
		if k == SetFile || (k != SetTyped && k != SetString && k != SetJSON) {
			k = SetString // --set-file reads files: not for a fuzzer
		}
		l, err := ParseSet(k, expr)
		if err != nil {
			if !IsInvalid(err) {
				t.Fatalf("error is not a values error: %T %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "--"+string(k)) {
				t.Fatalf("error does not name the flag: %v", err)
			}
			return
		}
		rawKey, raw, _ := strings.Cut(expr, "=")
		path, err := ParsePath(rawKey)
		if err != nil {
			t.Fatalf("ParseSet accepted key %q that ParsePath refuses: %v", rawKey, err)
		}
		var cur any = map[string]any(l.Values)
		for i, seg := range path {
			m, ok := asMap(cur)
			if !ok || len(m) != 1 {
				t.Fatalf("level %d of %q is %#v, want a mapping with the one key %q", i, expr, cur, seg)
			}
			if cur, ok = m[seg]; !ok {
				t.Fatalf("%q does not set %q", expr, path)
			}
			if i < len(path)-1 {
				if _, ok := l.Positions[path[:i+1].key()]; !ok {
					t.Fatalf("no position for %s", path[:i+1])
				}
			}
		}
		if k == SetString && cur != raw {
			t.Fatalf("--set-string %q gave %#v, want the text %q", expr, cur, raw)
		}
		if k == SetTyped {
			if s, ok := cur.(string); ok && s != raw {
				t.Fatalf("--set %q gave text %q, want %q", expr, s, raw)
			}
		}
		if strings.ContainsAny(l.Name, "\n\r\x1b") {
			t.Fatalf("layer name %q carries a line break or a terminal escape", l.Name)
		}
	})
}

// sameTree compares value trees, NaN equal to NaN, Values equal to map[string]any.
func sameTree(a, b any) bool {
	if am, ok := asMap(a); ok {
		bm, ok := asMap(b)
		if !ok || len(am) != len(bm) {
			return false
		}
		for k, av := range am {
			bv, ok := bm[k]
			if !ok || !sameTree(av, bv) {
				return false
			}
		}
		return true
	}
	if al, ok := a.([]any); ok {
		bl, ok := b.([]any)
		if !ok || len(al) != len(bl) {
			return false
		}
		for i := range al {
			if !sameTree(al[i], bl[i]) {
				return false
			}
		}
		return true
	}
	// YAML writes the float 1500.0 as 1500, which reads back as an integer: compare numbers
	// by value.
	if af, ok := a.(float64); ok {
		switch bv := b.(type) {
		case float64:
			return af == bv || (math.IsNaN(af) && math.IsNaN(bv))
		case int64:
			return af == float64(bv)
		}
	}
	if ai, ok := a.(int64); ok {
		if bf, ok := b.(float64); ok {
			return float64(ai) == bf
		}
	}
	return reflect.DeepEqual(a, b)
}
